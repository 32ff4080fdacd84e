import { version } from '../../package.json';

const USAGE = `Usage: preflight <command> [options]

Commands:
  notes   Review release notes between two versions
  help    Show this help

Options:
  --version  Print the version
`;

/** Runs the CLI and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  process.stderr.write(`preflight: unknown command "${command}". Run "preflight help".\n`);
  return 2;
}
