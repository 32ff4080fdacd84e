import * as vscode from 'vscode';
import type { Logger } from '../core/log';

/** The extension's single output channel, "Preflight". */
export function createLog(): vscode.LogOutputChannel & Logger {
  return vscode.window.createOutputChannel('Preflight', { log: true });
}
