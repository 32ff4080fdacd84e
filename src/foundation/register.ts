import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';

/** Commands that belong to no single feature. */
export function registerFoundation(log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.showLog, () => log.show(true)),
  );
}
