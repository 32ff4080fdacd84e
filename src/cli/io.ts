import { redactSecrets } from '../core/http/redact';

/** Where the CLI reads its context and writes its output; tests pass their own. */
export interface CliIO {
  out(text: string): void;
  /** Prints one error line and returns the error exit code (2). */
  error(message: string): number;
  warn(message: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
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
    cwd: process.cwd(),
    env: process.env,
  };
}
