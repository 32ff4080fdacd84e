import * as vscode from 'vscode';
import { createLog } from './common/log';
import { registerFoundation } from './foundation/register';
import { registerRunbooks, type RunbooksApi } from './runbooks/register';

/** What activate() returns; integration tests and the benchmark read it. */
export interface PreflightApi {
  /** Milliseconds from activate() entry to its return. */
  readonly activationTimeMs: number;
  readonly runbooks: RunbooksApi;
}

export function activate(context: vscode.ExtensionContext): PreflightApi {
  const started = performance.now();
  const log = createLog();
  const runbooks = registerRunbooks(context, log);
  context.subscriptions.push(log, registerFoundation(log), runbooks);
  const activationTimeMs = performance.now() - started;
  log.info(`Preflight ${context.extension.packageJSON.version} activated in ${activationTimeMs.toFixed(2)} ms`);
  return { activationTimeMs, runbooks: { setRunPrompts: (p) => runbooks.setRunPrompts(p) } };
}

export function deactivate(): void {
  // Every registration is owned by context.subscriptions.
}
