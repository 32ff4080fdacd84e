import * as vscode from 'vscode';
import type { PreflightApi } from '../../src/extension';
import type { RunPrompts } from '../../src/runbooks/prompts';

export const EXTENSION_ID = 'preflight.preflight';

/** Activates the extension under test and returns its test hooks (present in ExtensionMode.Test only). */
export async function activateExtension(): Promise<PreflightApi> {
  const ext = vscode.extensions.getExtension<PreflightApi | undefined>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  const api = await ext.activate();
  if (!api) throw new Error(`${EXTENSION_ID} exported no test hooks: the suite must run in ExtensionMode.Test`);
  return api;
}

/** Polls until the condition holds or the timeout passes. */
export async function waitFor<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the integration suite needs a workspace folder');
  return folder.uri;
}

/** Prompt answers for a test: what it does not answer fails the test instead of waiting for a person. */
export function testPrompts(answers: Partial<RunPrompts>): RunPrompts {
  const unexpected = (what: string) => () => Promise.reject(new Error(`unexpected prompt: ${what}`));
  return {
    variable: answers.variable ?? unexpected('variable'),
    confirm: answers.confirm ?? unexpected('confirm'),
    manualStep: answers.manualStep ?? unexpected('manual step'),
    startNewRun: answers.startNewRun ?? unexpected('start a new run'),
    approvalBlocked: answers.approvalBlocked ?? unexpected('approval blocked'),
  };
}
