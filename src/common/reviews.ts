import * as vscode from 'vscode';
import type { Review } from '../core/releases';

/**
 * The release-note review on screen, shared by the release-note and upgrade-plan features so that
 * neither imports the other: the review panel says what it shows and when the operator asks for a
 * plan; the plan feature reads the one on screen and listens for those requests.
 */
export class ReviewsOnScreen implements vscode.Disposable {
  private shown: () => Review | undefined = () => undefined;
  private readonly planRequests = new vscode.EventEmitter<Review>();
  /** The operator asked for an upgrade plan from a review (the panel's Create Upgrade Plan). */
  readonly onDidRequestPlan = this.planRequests.event;

  /** Called by the release-note feature: how to read the review its active panel shows. */
  setSource(shown: () => Review | undefined): void {
    this.shown = shown;
  }

  /** The review the active panel shows, if one is open. */
  active(): Review | undefined {
    return this.shown();
  }

  requestPlan(review: Review): void {
    this.planRequests.fire(review);
  }

  dispose(): void {
    this.planRequests.dispose();
  }
}
