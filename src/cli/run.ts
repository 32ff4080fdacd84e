/**
 * `preflight run`: a runbook from a terminal or a CI job, with the extension's semantics and record.
 * A thin front end: it reads the options, wires the core run engine to the files, the shell, the
 * terminal and the signals, and prints what the engine reports.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomicSync } from '../adapters/atomicWrite';
import { appendRecordDurably, createLogFile, isAlive, latestLogFile, operatorName } from '../adapters/runLogFiles';
import { createStepShell } from '../adapters/exec/shellSession';
import { runRunbook } from '../core/run/engine';
import { EXIT, type RunObserver, type RunOptions, type RunPorts, type RunPrompts, type RunResult, type SummaryRow } from '../core/run/ports';
import { formatDuration, parseRunbook, type Diagnostic, type RunEvent } from '../core/runbook';
import { askOverride, cliApprovalGate } from './approval';
import type { CliIO } from './io';
import { apiUrlError } from './options';
import { findWorkspace, readRunbookSettings } from './workspace';

export const RUN_USAGE = `Usage: preflight run FILE [options]

Runs a runbook's steps in order, each in the runbook's shell, and records the run like the editor
does (.preflight/runs/...), ticking each step's box when it passes.

Options:
  --var NAME=VALUE     a variable's value (before the environment and the default);
                       repeat for more
  --confirm WORD       run the steps whose confirm word is WORD; repeat for more
  --step NAME          run only this step (by name or text; also a Rollback step, an
                       excludeFromRunAll step or a named block outside the steps); repeat
  --from NAME          start at this step
  --include-rollback   also run the steps of the Rollback section
  --resume             skip steps that are ticked or that the latest run records as
                       passed, and continue that run's log
  --dry-run            print each step with its resolved command; run nothing
  --report FILE        write the run's markdown report to FILE
  --json               print the run's records as JSON Lines instead (output on stderr)
  --no-tick            leave the file unchanged
  --workspace DIR      the folder the editor opens (default: the nearest folder above
                       FILE with .preflight, .git or .vscode/settings.json)
  --api-url URL        the GitHub API for the runbook's approval gate (default: the one of
                       the clone's origin, https://HOST/api/v3 for GitHub Enterprise Server)

A runbook whose front matter declares "approval: { pullRequest: auto | N | URL, from: STEP }"
runs its steps from STEP on only when the pull request's review approves the runbook as it is
(ticked boxes aside), checked with GITHUB_TOKEN; at a terminal the gate can be overridden with
the typed word "override" and a reason, both recorded.

Exit codes: 0 every step passed, 1 a step failed, 2 usage or runbook errors,
4 stopped at a confirm or manual step or at an approval gate, 130 interrupted (SIGINT, SIGTERM).
`;

interface RunArgs {
  file: string;
  options: Omit<RunOptions, 'report'> & { report?: string };
  json: boolean;
  workspace?: string;
  apiUrl?: string;
}

const VARIABLE = /^([A-Za-z_][A-Za-z0-9_]*)=([^]*)$/;

/** The command line of `preflight run`, or a one-line error. */
export function parseRunArgs(argv: string[]): RunArgs | { help: true } | string {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        var: { type: 'string', multiple: true },
        confirm: { type: 'string', multiple: true },
        step: { type: 'string', multiple: true },
        from: { type: 'string' },
        'include-rollback': { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        resume: { type: 'boolean' },
        report: { type: 'string' },
        json: { type: 'boolean' },
        'no-tick': { type: 'boolean' },
        workspace: { type: 'string' },
        'api-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    // Node's message quotes the option; a value given with it (a secret?) is not repeated.
    return `${(err as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '')}. Run "preflight run --help".`;
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (positionals.length !== 1) return positionals.length ? `run takes one runbook, not ${positionals.length} (${positionals.map((p) => JSON.stringify(p)).join(' ')})` : 'run needs a runbook: preflight run FILE. Run "preflight run --help".';
  const vars = new Map<string, string>();
  for (const v of values.var ?? []) {
    const m = VARIABLE.exec(v);
    // Never echo the value: it may be a secret.
    if (!m) return `--var needs NAME=VALUE with a variable name (letters, digits and _), not ${JSON.stringify(v.includes('=') ? `${v.slice(0, v.indexOf('='))}=...` : v)}`;
    vars.set(m[1], m[2]);
  }
  for (const [flag, list] of [['--confirm', values.confirm], ['--step', values.step]] as const) {
    if ((list ?? []).some((w) => w.trim() === '')) return `${flag} needs a non-empty value`;
  }
  if (values.from !== undefined && values.from.trim() === '') return '--from needs a step';
  if (values.from !== undefined && values.step?.length) return 'use --step or --from, not both';
  if (values.report !== undefined && values.report.trim() === '') return '--report needs a file';
  const badUrl = apiUrlError(values['api-url']);
  if (badUrl) return badUrl;
  return {
    file: positionals[0],
    json: values.json ?? false,
    workspace: values.workspace,
    apiUrl: values['api-url']?.trim(),
    options: {
      vars,
      confirm: values.confirm ?? [],
      steps: values.step ?? [],
      from: values.from,
      includeRollback: values['include-rollback'] ?? false,
      dryRun: values['dry-run'] ?? false,
      resume: values.resume ?? false,
      tick: !values['no-tick'],
      report: values.report,
    },
  };
}

/** A runbook problem as a compiler prints one: `file:line:col: error: message`. */
export function formatProblem(file: string, p: Diagnostic): string {
  return `${file}:${p.line + 1}${p.column !== undefined ? `:${p.column + 1}` : ''}: ${p.severity}: ${p.message}`;
}

function resultText(row: SummaryRow): string {
  switch (row.result) {
    case 'passed':
      return 'passed';
    case 'failed':
      return row.exitCode !== null ? `failed (exit ${row.exitCode})` : 'failed';
    case 'timed-out':
      return 'timed out';
    case 'stopped':
      return 'stopped';
    case 'skipped':
      return `skipped${row.note ? ` (${row.note})` : ''}`;
    case 'done':
      return 'done (manual)';
    case 'gate':
      return `stopped here (${row.note ?? 'gate'})`;
    case 'excluded':
      return 'excluded (excludeFromRunAll)';
    case 'not run':
      return row.note === 'dry run' ? 'dry run' : 'not run';
    default:
      return row.result;
  }
}

/** The summary at the end of a human run: step, result, duration. */
export function summaryTable(rows: readonly SummaryRow[]): string {
  if (rows.length === 0) return '';
  const cells = rows.map((r, i) => [`${i + 1}. ${r.step.text || r.step.key}`, resultText(r), r.durationMs !== undefined ? formatDuration(r.durationMs) : '']);
  const head = ['Step', 'Result', 'Duration'];
  const width = (col: number) => Math.min(60, Math.max(head[col].length, ...cells.map((c) => [...c[col]].length)));
  const pad = (s: string, w: number) => {
    const chars = [...s];
    return chars.length > w ? `${chars.slice(0, w - 1).join('')}…` : s + ' '.repeat(w - chars.length);
  };
  const widths = [width(0), width(1)];
  const line = (c: string[]) => `  ${pad(c[0], widths[0])}  ${pad(c[1], widths[1])}  ${c[2]}`.trimEnd();
  return ['', 'Summary', line(head), ...cells.map(line), ''].join('\n');
}

/** Prints a run for a person: a header per step, the output as it streams, a summary at the end. */
function humanObserver(io: CliIO, err: (text: string) => void, displayPath: string, github: boolean): RunObserver & { endLine(): void } {
  let atLineStart = true;
  let groupOpen = false;
  const print = (text: string) => {
    if (!text) return;
    io.out(text);
    atLineStart = text.endsWith('\n');
  };
  const endLine = () => {
    if (!atLineStart) print('\n');
  };
  const closeGroup = () => {
    if (groupOpen) print('::endgroup::\n');
    groupOpen = false;
  };
  return {
    endLine: () => (endLine(), closeGroup()),
    start({ title, steps, log, shell, persistent }) {
      print(`Runbook: ${title} (${displayPath}), ${steps} ${steps === 1 ? 'step' : 'steps'}, ${shell}${persistent ? ' (one shell session)' : ''}\n`);
      if (log) print(`Log: ${path.relative(io.cwd, log) || log}\n`);
    },
    step({ n, total, step, command, dryRun, notes }) {
      endLine();
      closeGroup();
      const header = `▶ [${n}/${total}] ${step.text || step.key}${step.loose ? ' (block)' : ''}`;
      if (github && !dryRun) {
        print(`::group::${header}\n`);
        groupOpen = true;
      } else {
        print(`\n${header}\n`);
      }
      if (command) print(`$ ${command.replace(/\n$/, '').split('\n').join('\n  ')}\n`);
      for (const note of notes) print(`  (${note})\n`);
    },
    output: (text) => print(text),
    result(row) {
      endLine();
      if (row.result === 'skipped' && row.note === 'already done') {
        print(`– ${row.step.text}: already done, skipped (--resume)\n`);
        return;
      }
      if (row.result === 'not run') return;
      const mark = row.result === 'passed' || row.result === 'done' ? '✓' : row.result === 'skipped' ? '–' : '✗';
      print(`${mark} ${resultText(row)}${row.durationMs !== undefined ? ` in ${formatDuration(row.durationMs)}` : ''}\n`);
      closeGroup();
    },
    event: () => undefined,
    notice(message, level) {
      endLine();
      err(`preflight: ${level === 'info' ? '' : `${level}: `}${message}\n`);
    },
  };
}

/** Prints the run's records as JSON Lines; the commands' output goes to stderr. */
function jsonObserver(io: CliIO, err: (text: string) => void): RunObserver & { endLine(): void } {
  return {
    endLine: () => undefined,
    start: () => undefined,
    step: () => undefined,
    output: (text) => err(text),
    result: () => undefined,
    event: (e: RunEvent) => io.out(`${JSON.stringify(e)}\n`),
    notice: (message, level) => err(`preflight: ${level === 'info' ? '' : `${level}: `}${message}\n`),
  };
}

function terminalPrompts(io: CliIO): RunPrompts | undefined {
  const term = io.terminal;
  if (!term) return undefined;
  return {
    async variable(spec) {
      const hint = spec.prompt ? `${spec.prompt} (${spec.name})` : spec.name;
      return term.ask(`${hint}${spec.secret ? ' (not shown)' : ''}: `, { secret: spec.secret });
    },
    async confirm(word, step, command) {
      const shown = command.replace(/\n$/, '').split('\n').join('\n    ');
      const typed = await term.ask(`Step "${step.text}" runs:\n    ${shown}\nType "${word}" to run it: `);
      return typed === word;
    },
    async manual(step) {
      for (;;) {
        const a = (await term.ask(`Manual step "${step.text}": [d]one, [s]kip or s[t]op? `))?.trim().toLowerCase();
        if (a === undefined) return 'stop';
        if (a === 'd' || a === 'done') return 'done';
        if (a === 's' || a === 'skip') return 'skip';
        if (a === 't' || a === 'stop' || a === 'q') return 'stop';
      }
    },
    override: (step, reason) => askOverride(term, step, reason),
  };
}

export async function runRun(argv: string[], io: CliIO): Promise<number> {
  const args = parseRunArgs(argv);
  if (typeof args === 'string') return io.error(args);
  if ('help' in args) {
    io.out(RUN_USAGE);
    return 0;
  }
  const err = io.err ?? ((text: string) => io.warn(text.replace(/^preflight: (warning: )?/, '').replace(/\n$/, '')));
  const file = path.resolve(io.cwd, args.file);
  if (!existsSync(file)) return io.error(`cannot read ${args.file}: no such file`);
  if (!statSync(file).isFile()) return io.error(`cannot read ${args.file}: not a file`);
  const workspace = args.workspace ? path.resolve(io.cwd, args.workspace) : findWorkspace(file);
  if (args.workspace && !(existsSync(workspace) && statSync(workspace).isDirectory())) return io.error(`--workspace ${args.workspace}: no such folder`);
  const { settings, problem } = readRunbookSettings(workspace);
  if (problem) io.warn(problem);
  const relPath = path.relative(workspace, file).split(path.sep).join('/');
  const logDir = path.resolve(workspace, settings.logDirectory ?? '.preflight/runs');
  const displayPath = path.relative(io.cwd, file) || args.file;

  // The runbook's warnings, compiler style, before anything runs.
  const rb = parseRunbook(readFileSync(file, 'utf8'));
  for (const p of rb.problems) if (p.severity !== 'error') err(`${formatProblem(displayPath, p)}\n`);

  const github = io.env.GITHUB_ACTIONS === 'true';
  const observer = args.json ? jsonObserver(io, err) : humanObserver(io, err, displayPath, github);
  const controller = new AbortController();
  let signalName: string | undefined;
  const interrupt = (signal: string) => {
    signalName ??= signal;
    controller.abort();
  };
  const unhook = io.onInterrupt?.(interrupt);
  if (io.terminal) io.terminal.onInterrupt = () => interrupt('SIGINT');

  const ports: RunPorts = {
    now: () => new Date(),
    readRunbook: () => readFileSync(file),
    writeRunbook: (bytes) => writeFileAtomicSync(file, bytes),
    writeReport: (out, text) => writeFileAtomicSync(out, text),
    isDirectory: (dir) => {
      try {
        return statSync(dir).isDirectory();
      } catch {
        return false;
      }
    },
    log: {
      latest: () => {
        const latest = latestLogFile(logDir, relPath);
        return latest ? { id: latest, text: readFileSync(latest, 'utf8') } : undefined;
      },
      create: () => createLogFile(logDir, relPath),
      append: appendRecordDurably,
      read: (id) => readFileSync(id, 'utf8'),
    },
    createShell: (o) => createStepShell({ shell: o.shell, cwd: o.cwd, env: o.env as NodeJS.ProcessEnv, session: o.session }),
    prompts: terminalPrompts(io),
    approval: cliApprovalGate(file, io, { apiUrl: args.apiUrl }),
    identity: { host: os.hostname(), pid: process.pid, operator: operatorName, isAlive },
    observer,
  };

  let result: RunResult;
  try {
    result = await runRunbook(
      {
        file,
        displayPath,
        workspace,
        shell: settings.shell,
        outputLimit: settings.outputLimit ?? 65536,
        env: io.env,
        options: { ...args.options, report: args.options.report ? path.resolve(io.cwd, args.options.report) : undefined },
        signal: controller.signal,
      },
      ports,
    );
  } finally {
    unhook?.();
  }
  observer.endLine();
  if (!args.json && (result.rows.length > 0 || result.log)) io.out(`${summaryTable(result.rows)}\n`);
  if (args.options.report && result.log) err(`preflight: report written to ${path.relative(io.cwd, path.resolve(io.cwd, args.options.report))}\n`);
  for (const p of result.diagnostics ?? []) err(`${formatProblem(displayPath, p)}\n`);
  if (result.outcome === 'interrupted' && signalName) result.message = `${result.message ?? 'interrupted'} (${signalName})`;
  if (result.message) {
    if (result.exitCode === EXIT.error) return io.error(result.message);
    err(`preflight: ${result.message}\n`);
  }
  return result.exitCode;
}
