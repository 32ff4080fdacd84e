import * as vscode from 'vscode';
import { createLog } from './common/log';
import { registerFoundation } from './foundation/register';
import { registerReleaseNotes, type ReleaseNotesApi } from './releaseNotes/register';
import { registerRunbooks, type RunbooksApi } from './runbooks/register';
import { registerUpgradePlan, type UpgradePlanApi } from './upgradePlan/register';

/** What activate() returns; integration tests and the benchmark read it. */
export interface PreflightApi {
  /** Milliseconds from activate() entry to its return. */
  readonly activationTimeMs: number;
  readonly runbooks: RunbooksApi;
  readonly releaseNotes: ReleaseNotesApi;
  readonly upgradePlan: UpgradePlanApi;
}

export function activate(context: vscode.ExtensionContext): PreflightApi {
  const started = performance.now();
  const log = createLog();
  const runbooks = registerRunbooks(context, log);
  const releaseNotes = registerReleaseNotes(context, log, { createPlan: (review) => void upgradePlan.createPlan(review) });
  const upgradePlan = registerUpgradePlan(context, log, {
    activeReview: () => releaseNotes.activeReview(),
    sourceUrl: (review) => releaseNotes.sourceUrl(review),
  });
  context.subscriptions.push(log, registerFoundation(log), runbooks, releaseNotes, upgradePlan);
  const activationTimeMs = performance.now() - started;
  log.info(`Preflight ${context.extension.packageJSON.version} activated in ${activationTimeMs.toFixed(2)} ms`);
  return {
    activationTimeMs,
    runbooks: { setRunPrompts: (p) => runbooks.setRunPrompts(p) },
    releaseNotes: {
      activeReview: () => releaseNotes.activeReview(),
      sourceUrl: (review) => releaseNotes.sourceUrl(review),
      review: (request) => releaseNotes.review(request),
      nextRender: () => releaseNotes.nextRender(),
      show: (review) => releaseNotes.show(review),
      lastFailure: () => releaseNotes.lastFailure(),
    },
    upgradePlan: { createPlan: (review, opts) => upgradePlan.createPlan(review, opts), setTokenProvider: (t) => upgradePlan.setTokenProvider(t) },
  };
}

export function deactivate(): void {
  // Every registration is owned by context.subscriptions.
}
