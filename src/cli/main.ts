import { terminalText } from '../core/controls';
import { DRIFT_USAGE, runDrift } from './drift';
import type { CliIO } from './io';
import { processIO } from './io';
import { NOTES_USAGE, runNotes } from './notes';
import { PLAN_USAGE, runPlan } from './plan';
import { PR_USAGE, runPr } from './pr';
import { RESOLVE_USAGE, runResolve } from './resolve';
import { REPORT_USAGE, runReport } from './report';
import { RUN_USAGE, runRun } from './run';
import { packageVersion } from './version';

export { registerSourceFactory, type SourceContext, type SourceFactory } from './sources';
export type { CliIO } from './io';

const USAGE = `Usage: preflight <command> [options]

Commands:
  run     Run a runbook's steps, record the run and tick the boxes
  report  Print a runbook's latest run report, or publish it on its pull request
  notes   Review release notes between two versions
  plan    Write the upgrade plan runbook for two versions
  pr      Open or update the pull request of an upgrade plan
  drift   List the versions each environment pins and where they differ
  resolve Resolve a container image: its source, version and tags
  help    Show this help (preflight help COMMAND: the options of a command)

Options:
  --version  Print the version
`;

/** Runs the CLI and resolves to the process exit code. */
export async function main(argv: string[], output: CliIO = processIO()): Promise<number> {
  const io = oneLineMessages(output);
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    const usage: Record<string, string> = { drift: DRIFT_USAGE, notes: NOTES_USAGE, plan: PLAN_USAGE, pr: PR_USAGE, run: RUN_USAGE, resolve: RESOLVE_USAGE, report: REPORT_USAGE };
    io.out((rest[0] !== undefined && Object.hasOwn(usage, rest[0]) ? usage[rest[0]] : undefined) ?? USAGE);
    return command ? 0 : 2;
  }
  if (command === '--version' || command === '-v') {
    io.out(`${packageVersion()}\n`);
    return 0;
  }
  if (command === 'notes') return runNotes(rest, io);
  if (command === 'plan') return runPlan(rest, io);
  if (command === 'pr') return runPr(rest, io);
  if (command === 'run') return runRun(rest, io);
  if (command === 'resolve') return runResolve(rest, io);
  if (command === 'report') return runReport(rest, io);
  if (command === 'drift') return runDrift(rest, io);
  return io.error(`unknown command "${command}". Run "preflight help".`);
}

/**
 * Errors and warnings are one line each, without control characters: they quote tags, file names
 * and messages that come from upstream (a tag could set the terminal's title or clear the screen).
 */
function oneLineMessages(io: CliIO): CliIO {
  return {
    ...io,
    error: (message) => io.error(terminalText(message, { oneLine: true })),
    warn: (message) => io.warn(terminalText(message, { oneLine: true })),
  };
}
