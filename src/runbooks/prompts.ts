import * as vscode from 'vscode';
import type { VariableSpec } from '../core/runbook';

/**
 * The questions a run asks the operator. The extension asks them with VS Code's input boxes;
 * the integration tests answer them through the extension's test hook.
 */
export interface RunPrompts {
  /** A variable's value, or undefined when the operator cancels. */
  variable(spec: VariableSpec, runbookTitle: string): Promise<string | undefined>;
  /** True only when the operator types exactly `word`. */
  confirm(word: string, stepText: string, command: string): Promise<boolean>;
  /**
   * Run Next or Run All reached a manual step: has the operator done it, do they skip it, or
   * stop here? Undefined (dismissed) counts as stop.
   */
  manualStep(stepText: string, runbookTitle: string): Promise<ManualDecision | undefined>;
  /**
   * The runbook's run is held by another live process (another window, the CLI): start a new
   * run here? Preflight never writes into a run another process holds.
   */
  startNewRun(holder: { pid: number; host: string }): Promise<boolean>;
  /**
   * The approval gate blocks a step: the operator's reason to run it anyway, once they typed
   * "override"; undefined leaves it blocked. Without this question nothing is overridden.
   */
  approvalBlocked?(stepText: string, reason: string, pullRequestUrl: string | undefined): Promise<string | undefined>;
}

export type ManualDecision = 'done' | 'skip' | 'stop';

export const inputBoxPrompts: RunPrompts = {
  variable(spec, runbookTitle) {
    return Promise.resolve(
      vscode.window.showInputBox({
        title: `${runbookTitle}: ${spec.name}`,
        prompt: spec.prompt ?? `Value for ${spec.name}`,
        password: spec.secret,
        ignoreFocusOut: true,
        value: spec.secret ? undefined : spec.default,
      }),
    );
  },
  async confirm(word, stepText, command) {
    const typed = await vscode.window.showInputBox({
      title: `Confirm step: ${stepText}`,
      prompt: `Type "${word}" to run: ${command.trim().split('\n').join(' ⏎ ')}`,
      placeHolder: word,
      ignoreFocusOut: true,
      validateInput: (v) => (v === '' || v === word ? undefined : `Type exactly "${word}" to run this step.`),
    });
    return typed === word;
  },
  async manualStep(stepText, runbookTitle) {
    const pick = await vscode.window.showInformationMessage(
      `Manual step: ${stepText}`,
      { modal: true, detail: `${runbookTitle}: this step has no command to run. Mark it done once you have done it, skip it, or stop here.` },
      { title: 'Mark Done', decision: 'done' as const },
      { title: 'Skip', decision: 'skip' as const },
      // The dialog's close button: Escape stops too.
      { title: 'Stop', decision: 'stop' as const, isCloseAffordance: true },
    );
    return pick?.decision;
  },
  async startNewRun(holder) {
    const pick = await vscode.window.showWarningMessage(
      `This runbook's run is open in another process (pid ${holder.pid} on ${holder.host}), for example another VS Code window. Preflight does not write to a run another process holds.`,
      'Start a New Run Here',
    );
    return pick === 'Start a New Run Here';
  },
  async approvalBlocked(stepText, reason, pullRequestUrl) {
    const open = 'Open Pull Request';
    const override = 'Override…';
    const pick = await vscode.window.showErrorMessage(`Step "${stepText}" needs an approved review.`, { modal: true, detail: reason }, ...(pullRequestUrl ? [open] : []), override);
    if (pick === open && pullRequestUrl) void vscode.env.openExternal(vscode.Uri.parse(pullRequestUrl));
    if (pick !== override) return undefined;
    const word = await vscode.window.showInputBox({
      title: `Override the approval gate: ${stepText}`,
      prompt: 'Type "override" to run this step without an approved review. It is recorded in the run log and the report.',
      placeHolder: 'override',
      ignoreFocusOut: true,
      validateInput: (v) => (v === '' || v === 'override' ? undefined : 'Type exactly "override".'),
    });
    if (word !== 'override') return undefined;
    const why = await vscode.window.showInputBox({
      title: `Override the approval gate: ${stepText}`,
      prompt: 'Why is it run without an approved review? (recorded in the run log, the report and the pull request comment)',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Give a reason.'),
    });
    return why?.trim() || undefined;
  },
};
