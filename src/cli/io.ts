import { redactSecrets } from '../core/http/redact';
import { processTerminal, type Terminal } from './terminal';

/** Where the CLI reads its context and writes its output; tests pass their own. */
export interface CliIO {
  out(text: string): void;
  /** Prints one error line and returns the error exit code (2). */
  error(message: string): number;
  warn(message: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Text for the operator beside the output (progress, warnings, a step's output under --json): stderr. */
  err?(text: string): void;
  /** The operator's terminal, when there is one to ask. */
  terminal?: Terminal;
  /** Calls `handler` on SIGINT and SIGTERM instead of the default (ending the process); returns the undo. */
  onInterrupt?(handler: (signal: string) => void): () => void;
}

/** The process's streams; errors and warnings go through `redactSecrets`, whatever produced them. */
export function processIO(): CliIO {
  return {
    out: (text) => void process.stdout.write(text),
    error: (message) => {
      process.stderr.write(`preflight: ${redactSecrets(message)}\n`);
      return 2;
    },
    warn: (message) => void process.stderr.write(`preflight: warning: ${redactSecrets(message)}\n`),
    err: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    terminal: processTerminal(),
    onInterrupt(handler) {
      const onSigint = () => handler('SIGINT');
      const onSigterm = () => handler('SIGTERM');
      process.on('SIGINT', onSigint);
      process.on('SIGTERM', onSigterm);
      return () => {
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigterm);
      };
    },
  };
}
