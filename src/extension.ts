import * as vscode from 'vscode';
import { createLog } from './common/log';
import { registerFoundation } from './foundation/register';
import { registerReleaseNotes, type ReleaseNotesApi } from './releaseNotes/register';
import { registerRunbooks, type RunbooksApi } from './runbooks/register';

/** What activate() returns; integration tests and the benchmark read it. */
export interface PreflightApi {
  /** Milliseconds from activate() entry to its return. */
  readonly activationTimeMs: number;
  readonly runbooks: RunbooksApi;
  readonly releaseNotes: ReleaseNotesApi;
}

export function activate(context: vscode.ExtensionContext): PreflightApi {
  const started = performance.now();
  const log = createLog();
  const runbooks = registerRunbooks(context, log);
  const releaseNotes = registerReleaseNotes(context, log);
  context.subscriptions.push(log, registerFoundation(log), runbooks, releaseNotes);
  const activationTimeMs = performance.now() - started;
  log.info(`Preflight ${context.extension.packageJSON.version} activated in ${activationTimeMs.toFixed(2)} ms`);
  return {
    activationTimeMs,
    runbooks: { setRunPrompts: (p) => runbooks.setRunPrompts(p) },
    releaseNotes: { review: (r) => releaseNotes.review(r), nextRender: () => releaseNotes.nextRender(), show: (r) => releaseNotes.show(r) },
  };
}

export function deactivate(): void {
  // Every registration is owned by context.subscriptions.
}
