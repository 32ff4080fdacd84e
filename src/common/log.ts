import * as vscode from 'vscode';
import { redactSecrets } from '../core/http/redact';
import type { Logger } from '../core/log';

/** Methods whose text arguments are written to the channel. */
const WRITERS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace']);

/**
 * The extension's single output channel, "Preflight". Every line goes through `redactSecrets`:
 * credentials in a URL (userinfo, token parameters) and bare tokens never reach the log.
 */
export function createLog(): vscode.LogOutputChannel & Logger {
  const channel = vscode.window.createOutputChannel('Preflight', { log: true });
  const clean = (arg: unknown): unknown => {
    if (typeof arg === 'string') return redactSecrets(arg);
    if (arg instanceof Error) {
      const copy = new Error(redactSecrets(arg.message));
      copy.name = arg.name;
      if (arg.stack) copy.stack = redactSecrets(arg.stack);
      return copy;
    }
    return arg;
  };
  return new Proxy(channel, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (typeof prop === 'string' && WRITERS.has(prop)) return (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, args.map(clean));
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}
