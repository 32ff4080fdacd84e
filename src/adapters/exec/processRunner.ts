import { spawn } from 'node:child_process';

/** How a step that ran as its own process ended. */
export interface ProcessOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Why it ended early, when Preflight ended it. */
  reason?: 'stopped' | 'timed-out';
  /** The spawn failed (shell not found, cwd missing): no exit code. */
  error?: string;
}

export interface ProcessRun {
  /** Resolves once the process has started (or failed to). */
  readonly started: Promise<void>;
  readonly done: Promise<ProcessOutcome>;
  /** Ends the process group: SIGTERM, then SIGKILL after a grace period. */
  stop(reason?: 'stopped' | 'timed-out'): void;
}

export interface ProcessRunOptions {
  shell: string;
  /** Script file for the shell to run. */
  scriptFile: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Seconds; undefined for no limit. */
  timeout?: number;
  onOutput(chunk: string): void;
  graceMs?: number;
}

/** Runs a step's script in a new process group, streaming its output. */
export function runProcess(o: ProcessRunOptions): ProcessRun {
  let reason: ProcessOutcome['reason'];
  let timer: NodeJS.Timeout | undefined;
  let resolveStarted!: () => void;
  const started = new Promise<void>((r) => (resolveStarted = r));
  const child = spawn(o.shell, [o.scriptFile], {
    cwd: o.cwd,
    env: o.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const kill = (signal: NodeJS.Signals) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      child.kill(signal);
    }
  };
  const stop = (why: 'stopped' | 'timed-out' = 'stopped') => {
    reason ??= why;
    kill('SIGTERM');
    setTimeout(() => kill('SIGKILL'), o.graceMs ?? 3000).unref();
  };
  child.stdout.setEncoding('utf8').on('data', o.onOutput);
  child.stderr.setEncoding('utf8').on('data', o.onOutput);
  child.once('spawn', () => {
    resolveStarted();
    if (o.timeout !== undefined && o.timeout > 0) timer = setTimeout(() => stop('timed-out'), o.timeout * 1000);
  });
  const done = new Promise<ProcessOutcome>((resolve) => {
    child.once('error', (err) => {
      resolveStarted();
      if (timer) clearTimeout(timer);
      resolve({ exitCode: null, signal: null, error: err.message });
    });
    child.once('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ exitCode: code, signal, reason });
    });
  });
  return { started, done, stop };
}
