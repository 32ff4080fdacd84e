import { main } from './cli/main';
import { redactSecrets } from './core/http/redact';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`preflight: ${redactSecrets(err instanceof Error ? err.message : String(err))}\n`);
    process.exitCode = 2;
  },
);
