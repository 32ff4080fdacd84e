import * as vscode from 'vscode';
import { GitHubTokens } from './common/githubTokens';
import { createLog } from './common/log';
import { ReviewsOnScreen } from './common/reviews';
import { registerCharts } from './charts/register';
import { registerFoundation } from './foundation/register';
import { registerGitLab } from './gitlab/register';
import { registerReleaseNotes, type ReleaseNotesApi } from './releaseNotes/register';
import { registerRunbooks, type RunbooksApi } from './runbooks/register';
import { registerUpgradePlan, type UpgradePlanApi } from './upgradePlan/register';
import { registerVersions, type VersionsApi } from './versions/register';

/**
 * Hooks for the integration tests and the benchmark: they answer the typed confirmation, supply
 * a token, drive the panel. activate() returns them only when VS Code runs the extension for its
 * tests (ExtensionMode.Test); to any other extension Preflight exports nothing.
 */
export interface PreflightApi {
  /** Milliseconds from activate() entry to its return. */
  readonly activationTimeMs: number;
  readonly runbooks: RunbooksApi;
  readonly releaseNotes: ReleaseNotesApi;
  readonly upgradePlan: UpgradePlanApi;
  readonly versions: VersionsApi;
}

export function activate(context: vscode.ExtensionContext): PreflightApi | undefined {
  const started = performance.now();
  const log = createLog();
  // GitHub tokens: VS Code's accounts, shared by plan pull requests, the approval gate and publishing runs.
  const tokens = new GitHubTokens();
  const runbooks = registerRunbooks(context, log, tokens);
  // The review on screen: the release-note panel shows it, the upgrade plan is written from it.
  const reviews = new ReviewsOnScreen();
  const releaseNotes = registerReleaseNotes(context, log, reviews);
  const upgradePlan = registerUpgradePlan(context, log, reviews, tokens);
  const versions = registerVersions(log);
  context.subscriptions.push(log, reviews, registerFoundation(log), registerGitLab(context, log), registerCharts(context, log), runbooks, releaseNotes, upgradePlan, versions);
  const activationTimeMs = performance.now() - started;
  log.info(`Preflight ${context.extension.packageJSON.version} activated in ${activationTimeMs.toFixed(2)} ms`);
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return {
    activationTimeMs,
    runbooks: { setRunPrompts: (p) => runbooks.setRunPrompts(p) },
    releaseNotes: {
      review: (request) => releaseNotes.review(request),
      nextRender: () => releaseNotes.nextRender(),
      show: (review) => releaseNotes.show(review),
      lastFailure: () => releaseNotes.lastFailure(),
    },
    versions: { snapshot: () => versions.snapshot() },
    upgradePlan: { createPlan: (review, opts) => upgradePlan.createPlan(review, opts), setTokenProvider: (t) => upgradePlan.setTokenProvider(t) },
  };
}

export function deactivate(): void {
  // Every registration is owned by context.subscriptions.
}
