import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { plainOutput } from '../core/exec/ansi';
import { writeFileAtomicSync } from '../adapters/atomicWrite';
import { runProcess } from '../adapters/exec/processRunner';
import { ScriptDir, SecretPipe } from '../adapters/exec/secretPipe';
import { cleanupNames, shellKind, stepScript } from '../core/exec/stepScript';
import { SecretMasker, type StepStatus } from '../core/runbook';
import type { Logger } from '../core/log';
import { ownExecutions } from './manualCommands';
import type { RunbookRun } from './runState';

export interface BlockRequest {
  code: string;
  /** The runbook's title, for the terminal's name. */
  title: string;
  /** The step's name or text, for the script's file name. */
  label: string;
  /** The runbook's working directory and, when given, the block's own. */
  baseCwd: string;
  cwd?: string;
  timeout?: number;
  interactive: boolean;
  shell: string;
  /** Values the step sees in its environment, current as of this step. */
  env: Record<string, string>;
  /** Secret values, by name: exported for the step only, never written to disk or the terminal. */
  secrets: ReadonlyMap<string, string>;
}

export interface BlockOutcome {
  status: StepStatus;
  exitCode: number | null;
  output: string;
  /** A message for the operator when the block could not run at all. */
  error?: string;
}

export interface BlockExecution {
  /** Resolves once the shell has been handed the command (or failed to start). */
  started: Promise<void>;
  done: Promise<BlockOutcome>;
  stop(): void;
}

/** The private folder (0700) for step scripts and secret pipes. */
const scripts = new ScriptDir();

/**
 * The runbook's terminal names the file its steps are sourced from in this variable, so what the
 * terminal shows of a step is `. "$PREFLIGHT_SCRIPT"  # ▶ <step>`, never a temporary path.
 */
const SCRIPT_VAR = 'PREFLIGHT_SCRIPT';
const SOURCE_LINE = `. "$${SCRIPT_VAR}"`;
/** The script file of each runbook terminal: one per terminal, rewritten for each block. */
const terminalScripts = new WeakMap<vscode.Terminal, string>();

/**
 * The first line of a script sourced in the runbook's terminal: it takes its own command line out
 * of the shell's history (the line is also typed with a leading space, which HISTCONTROL's
 * ignorespace drops), so the history holds the operator's commands only.
 */
const FORGET_SOURCE_LINE = `__preflight_h="$(HISTTIMEFORMAT= builtin history 1 2>/dev/null)"; case "$__preflight_h" in *'${SOURCE_LINE}'*) builtin history -d "$(( \${__preflight_h%%[!0-9 ]*} ))" 2>/dev/null ;; esac; unset __preflight_h\n`;

/** The command line typed into the runbook's terminal for a block: the step named, no path. */
export function terminalCommandLine(stepText: string): string {
  const title = stepText.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  const shown = title.length > 100 ? `${title.slice(0, 99)}…` : title;
  return ` ${SOURCE_LINE}${shown ? `  # ▶ ${shown}` : ''}`;
}

function resolveCwd(req: BlockRequest): string {
  return req.cwd ? path.resolve(req.baseCwd, req.cwd) : req.baseCwd;
}

/**
 * Runs blocks in the runbook's integrated terminal through the shell-integration API, so `cd` and
 * `export` persist between steps and interactive prompts work. Undefined when the terminal has
 * no shell integration within the configured wait (the caller then runs the block as a process).
 */
export async function runInTerminal(run: RunbookRun, req: BlockRequest, log: Logger, waitMs: number): Promise<BlockExecution | undefined> {
  const kind = shellKind(req.shell);
  // Only bash steps share the runbook's terminal; zsh and other shells run each step as a process.
  if (kind !== 'bash') return undefined;
  if (!run.terminal || run.terminal.exitStatus !== undefined) {
    // No variables here: the terminal would keep them (and secrets) for its whole life. Each
    // step's script exports the values current for that step instead.
    const scriptFile = path.join(scripts.path, `terminal-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.sh`);
    run.terminal = vscode.window.createTerminal({
      name: `Runbook: ${req.title}`,
      shellPath: req.shell,
      cwd: req.baseCwd,
      iconPath: new vscode.ThemeIcon('checklist'),
      env: { [SCRIPT_VAR]: scriptFile },
    });
    terminalScripts.set(run.terminal, scriptFile);
  }
  const terminal = run.terminal;
  const file = terminalScripts.get(terminal);
  // The private folder was made anew (another path) since the terminal opened: run as a process.
  if (!file || path.dirname(file) !== scripts.path) return undefined;
  terminal.show(true);
  const integration = terminal.shellIntegration ?? (await waitForShellIntegration(terminal, waitMs));
  if (!integration) {
    log.warn(`No shell integration in "${terminal.name}" after ${waitMs} ms: running the step as a process instead.`);
    return undefined;
  }
  const cwd = req.cwd ? resolveCwd(req) : undefined;
  const secretNames = [...req.secrets.keys()];
  const pipe = secretNames.length ? SecretPipe.create(scripts, req.label, [...req.secrets.values()]) : undefined;
  if (secretNames.length && !pipe) {
    log.warn('Cannot create a pipe for the secret values: running the step as a process instead.');
    return undefined;
  }
  const scriptOptions = { shell: kind, cwd, exports: req.env, secrets: pipe && { names: secretNames, fifo: pipe.file }, unset: ['PREFLIGHT_STEP'] };
  writeFileAtomicSync(file, FORGET_SOURCE_LINE + stepScript(req.code, scriptOptions), { mode: 0o600 });
  let execution: vscode.TerminalShellExecution | undefined;
  let running = false;
  let stopRequested = false;
  let output = '';
  let reason: StepStatus | undefined;
  let timer: NodeJS.Timeout | undefined;
  let settled = false;
  let finish: (o: BlockOutcome) => void = () => undefined;
  const stop = (why: StepStatus = 'stopped') => {
    reason ??= why;
    // Before the shell has started the command, an interrupt would only clear its prompt.
    if (running) void interrupt(terminal);
    else stopRequested = true;
    // A shell that never reports the end (killed, wedged) must not hold the runbook forever.
    setTimeout(() => finish({ status: reason!, exitCode: null, output: plainOutput(output), error: 'The shell did not report the end of the stopped step.' }), 15_000).unref();
  };
  const disposables: vscode.Disposable[] = [
    vscode.window.onDidStartTerminalShellExecution((e) => {
      if (e.execution !== execution) return;
      running = true;
      if (stopRequested) void interrupt(terminal);
    }),
  ];
  const done = new Promise<BlockOutcome>((resolve) => {
    finish = (o: BlockOutcome) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      disposables.forEach((d) => d.dispose());
      rmSync(file, { force: true });
      pipe?.abandon();
      // An interrupted script never reached its own clean-up: the shell must not keep the secrets.
      if (o.status !== 'passed' && o.status !== 'failed' && terminal.exitStatus === undefined) {
        const names = cleanupNames(scriptOptions);
        if (names.length) ownExecutions.add(integration.executeCommand(` unset ${names.join(' ')}`));
      }
      resolve(o);
    };
    disposables.push(
      vscode.window.onDidEndTerminalShellExecution((e) => {
        if (e.execution !== execution) return;
        // Let the output stream drain before reading it.
        setTimeout(() => {
          const exitCode = e.exitCode ?? null;
          const status: StepStatus = reason ?? (exitCode === 0 ? 'passed' : 'failed');
          finish({
            status,
            exitCode,
            output: plainOutput(output),
            error: exitCode === null && !reason ? 'The shell did not report an exit code.' : undefined,
          });
        }, 50);
      }),
      vscode.window.onDidCloseTerminal((t) => {
        if (t === terminal) finish({ status: reason ?? 'stopped', exitCode: null, output: plainOutput(output), error: 'The terminal was closed.' });
      }),
    );
  });
  execution = integration.executeCommand(terminalCommandLine(req.env.PREFLIGHT_STEP ?? req.label));
  ownExecutions.add(execution);
  if (pipe) void pipe.deliver();
  const stream = execution.read();
  void (async () => {
    for await (const chunk of stream) output += chunk;
  })();
  if (req.timeout) timer = setTimeout(() => stop('timed-out'), req.timeout * 1000);
  return { started: Promise.resolve(), done, stop: () => stop('stopped') };
}

/**
 * Interrupts what runs in a terminal like Ctrl+C, then ends it if it ignores that: the signals go
 * to the terminal's foreground process group (read from /proc on Linux), so the operator's shell
 * itself stays. Elsewhere the terminal gets a typed Ctrl+C.
 */
async function interrupt(terminal: vscode.Terminal): Promise<void> {
  const shellPid = await terminal.processId;
  const foreground = () => {
    try {
      const stat = readFileSync(`/proc/${shellPid}/stat`, 'utf8');
      // Fields after the command name: state ppid pgrp session tty_nr tpgid ...
      const tpgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[5]);
      return tpgid > 0 ? tpgid : undefined;
    } catch {
      return undefined;
    }
  };
  const group = process.platform === 'linux' && shellPid ? foreground() : undefined;
  if (!group) {
    terminal.sendText('\x03', false);
    return;
  }
  const signal = (sig: NodeJS.Signals) => {
    const now = foreground();
    // Only while a command, not the shell itself, holds the terminal.
    if (now === group && now !== shellPid) {
      try {
        process.kill(-now, sig);
      } catch {
        // already gone
      }
    }
  };
  if (group === shellPid) {
    // A builtin or function is running in the shell itself: Ctrl+C is what stops it.
    terminal.sendText('\x03', false);
    return;
  }
  signal('SIGINT');
  setTimeout(() => signal('SIGTERM'), 3000).unref();
}

function waitForShellIntegration(terminal: vscode.Terminal, ms: number): Promise<vscode.TerminalShellIntegration | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      sub.dispose();
      resolve(terminal.shellIntegration);
    }, ms);
    const sub = vscode.window.onDidChangeTerminalShellIntegration((e) => {
      if (e.terminal !== terminal) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e.shellIntegration);
    });
  });
}

/** The read-only terminal that shows the output of steps run as processes. */
class OutputTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.writeEmitter.event;
  private opened = false;
  private pending = '';
  open(): void {
    this.opened = true;
    if (this.pending) this.writeEmitter.fire(this.pending);
    this.pending = '';
  }
  close(): void {
    this.opened = false;
  }
  write(text: string): void {
    const data = text.replace(/\r?\n/g, '\r\n');
    if (this.opened) this.writeEmitter.fire(data);
    else this.pending += data;
  }
}

const outputTerminals = new WeakMap<RunbookRun, { terminal: vscode.Terminal; pty: OutputTerminal }>();

function outputTerminal(run: RunbookRun, title: string): OutputTerminal {
  const existing = outputTerminals.get(run);
  if (existing && existing.terminal.exitStatus === undefined && vscode.window.terminals.includes(existing.terminal)) {
    existing.terminal.show(true);
    return existing.pty;
  }
  const pty = new OutputTerminal();
  const terminal = vscode.window.createTerminal({ name: `Runbook: ${title} (output)`, pty, iconPath: new vscode.ThemeIcon('checklist') });
  terminal.show(true);
  outputTerminals.set(run, { terminal, pty });
  return pty;
}

/** Runs a block as a child process in its own process group, its output streamed into a terminal. */
export function runAsProcess(run: RunbookRun, req: BlockRequest): BlockExecution {
  const kind = shellKind(req.shell);
  const cwd = resolveCwd(req);
  const file = scripts.writeScript(req.label, stepScript(req.code, { shell: kind }));
  const pty = outputTerminal(run, req.title);
  pty.write(`\x1b[1m$ ${req.code.trimEnd().split('\n').join('\n  ')}\x1b[0m\n`);
  let output = '';
  // What the terminal shows is masked as it streams, also when a secret spans two chunks.
  const masker = new SecretMasker(req.secrets.values());
  const proc = runProcess({
    shell: req.shell,
    scriptFile: file,
    cwd,
    env: { ...process.env, ...req.env, ...Object.fromEntries(req.secrets) },
    timeout: req.timeout,
    onOutput: (chunk) => {
      output += chunk;
      pty.write(masker.push(chunk));
    },
  });
  const done = proc.done.then((o): BlockOutcome => {
    rmSync(file, { force: true });
    pty.write(masker.end());
    const status: StepStatus = o.reason ?? (o.exitCode === 0 ? 'passed' : 'failed');
    pty.write(`\x1b[2m[${status}${o.exitCode !== null ? `, exit ${o.exitCode}` : o.signal ? `, ${o.signal}` : ''}]\x1b[0m\n\n`);
    return { status, exitCode: o.exitCode, output: plainOutput(output), error: o.error };
  });
  return { started: proc.started, done, stop: () => proc.stop('stopped') };
}
