import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import type { ReviewsOnScreen } from '../common/reviews';
import type { Logger } from '../core/log';
import type { Review } from '../core/releases';
import { createPlan, type CreatePlanOptions } from './plans';
import type { GitHubTokens } from '../common/githubTokens';
import { openPlanPullRequestCommand, type TokenProvider } from './pullRequestCommand';
import { publishRunCommand } from './publishRunCommand';

export interface UpgradePlanApi {
  /** Writes and opens the upgrade plan for a review. */
  createPlan(review: Review, opts?: CreatePlanOptions): Promise<vscode.Uri | undefined>;
  /** Where GitHub tokens come from; undefined restores VS Code's GitHub accounts (automation and tests). */
  setTokenProvider(tokens: TokenProvider | undefined): void;
}

/** Upgrade plans: a runbook written from a release-note review, and its review pull request. */
export function registerUpgradePlan(context: vscode.ExtensionContext, log: vscode.LogOutputChannel & Logger, reviews: ReviewsOnScreen, tokens: GitHubTokens): vscode.Disposable & UpgradePlanApi {
  const create = (review: Review, opts?: CreatePlanOptions) => createPlan(context, log, review, opts);
  const disposable = vscode.Disposable.from(
    reviews.onDidRequestPlan((review) => void create(review)),
    vscode.commands.registerCommand(Commands.createUpgradePlan, async () => {
      // The review on screen, or a new one.
      const review = reviews.active() ?? (await vscode.commands.executeCommand<Review | undefined>(Commands.reviewReleaseNotes));
      return review ? create(review) : undefined;
    }),
    vscode.commands.registerCommand(Commands.openPlanPullRequest, (uri?: vscode.Uri) =>
      openPlanPullRequestCommand(context, log, tokens.get, uri instanceof vscode.Uri ? uri : undefined),
    ),
    vscode.commands.registerCommand(Commands.publishRunToPullRequest, (arg?: unknown) =>
      publishRunCommand(context, log, tokens, arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? vscode.Uri.parse(arg) : undefined),
    ),
  );
  return Object.assign(disposable, {
    createPlan: create,
    setTokenProvider: (t: TokenProvider | undefined) => tokens.set(t),
  });
}
