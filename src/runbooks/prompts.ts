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
}

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
};
