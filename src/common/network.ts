import * as vscode from 'vscode';
import { DEFAULT_TIMEOUT_SECONDS, type NetworkOptions, parseTimeoutSeconds } from '../core/http/retry';

/** How GitHub and npm clients wait and retry: `preflight.network.timeout` seconds for each answer. */
export function networkOptions(): NetworkOptions {
  const seconds = parseTimeoutSeconds(vscode.workspace.getConfiguration('preflight.network').get<number>('timeout')) ?? DEFAULT_TIMEOUT_SECONDS;
  return { timeoutMs: Math.round(seconds * 1000) };
}
