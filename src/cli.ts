import { main } from './cli/main';
import { terminalText } from './core/controls';
import { redactSecrets } from './core/http/redact';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`preflight: ${terminalText(redactSecrets(err instanceof Error ? err.message : String(err)), { oneLine: true })}\n`);
    process.exitCode = 2;
  },
);
