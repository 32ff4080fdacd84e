/** Which workspace folder a file belongs to: the one rule every feature uses. */
import path from 'node:path';
import * as vscode from 'vscode';

/** The folder holding `uri`, else (for a file outside every folder, or none given) the first folder. */
export function workspaceFolderFor(uri?: vscode.Uri): vscode.WorkspaceFolder | undefined {
  return (uri && vscode.workspace.getWorkspaceFolder(uri)) || vscode.workspace.workspaceFolders?.[0];
}

/**
 * The directory a file's relative paths start from: its workspace folder, else its own folder (a
 * file opened on its own). Without a file: the first workspace folder, else the process's cwd.
 */
export function baseDirFor(uri?: vscode.Uri): string {
  if (uri) return vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(uri.fsPath);
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
}
