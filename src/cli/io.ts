/** Where the CLI reads its context and writes its output; tests pass their own. */
export interface CliIO {
  out(text: string): void;
  /** Prints one error line and returns the error exit code (2). */
  error(message: string): number;
  warn(message: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export function processIO(): CliIO {
  return {
    out: (text) => void process.stdout.write(text),
    error: (message) => {
      process.stderr.write(`preflight: ${message}\n`);
      return 2;
    },
    warn: (message) => void process.stderr.write(`preflight: warning: ${message}\n`),
    cwd: process.cwd(),
    env: process.env,
  };
}
