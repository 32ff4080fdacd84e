/**
 * The shell a headless run's steps run in. For bash and zsh it is one long-lived shell for the whole
 * run, which sources each block's step script, so `cd` and `export` carry over between steps as in
 * the editor's terminal. Other shells run each block as a process of its own (`set -e`).
 *
 * The session shell reads the path of the next script from a pipe of its own (fd 3), runs it with
 * fd 3 closed, and writes the script's status after its output, on a copy of the original stdout
 * the step cannot redirect; stdout and stderr are one stream, in the order the step wrote them.
 * Steps get no stdin (/dev/null) and no controlling terminal: the shell is the leader of a new
 * session and process group, which ends as a whole on a timeout, a stop or the end of the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { runProcess } from './processRunner';
import { ScriptDir, SecretPipe } from './secretPipe';
import type { BlockExecution, BlockResult, BlockRun, StepShell } from '../../core/exec/shell';

export type { BlockExecution, BlockResult, BlockRun, StepShell };
import { keepsSession, shellKind, stepScript, type ShellKind } from '../../core/exec/stepScript';





export interface StepShellOptions {
  /** The shell's path or name: bash, zsh, /bin/sh... */
  shell: string;
  /** Where the shell starts: the runbook's working directory. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Milliseconds between SIGTERM and SIGKILL. */
  graceMs?: number;
  /** Where the private folder for scripts and pipes is made (default: the system's temporary folder). */
  tmpDir?: string;
  /** False: every block as a process of its own even in bash and zsh (a step with `interactive: false`). */
  session?: boolean;
}

export function createStepShell(o: StepShellOptions): StepShell {
  const kind = shellKind(o.shell);
  return keepsSession(kind) && o.session !== false ? new SessionShell(o, kind) : new ProcessShell(o, kind);
}

/** Each block as a process of its own, in its own process group. */
class ProcessShell implements StepShell {
  readonly persistent = false;
  private readonly scripts: ScriptDir;

  constructor(
    private readonly o: StepShellOptions,
    readonly kind: ShellKind,
  ) {
    this.scripts = new ScriptDir(o.tmpDir);
  }

  run(block: BlockRun, onOutput: (chunk: string) => void): BlockExecution {
    const file = this.scripts.writeScript(block.label, stepScript(block.script, { shell: this.kind }));
    let reason: 'stopped' | 'timed-out' | undefined;
    const proc = runProcess({
      shell: this.o.shell,
      scriptFile: file,
      cwd: block.cwd ?? this.o.cwd,
      env: { ...this.o.env, ...block.env, ...Object.fromEntries(block.secrets) },
      timeout: block.timeout,
      graceMs: this.o.graceMs,
      onOutput,
    });
    const done = proc.done.then((r): BlockResult => {
      rmSync(file, { force: true });
      reason ??= r.reason;
      if (r.error) return { status: 'failed', exitCode: null, error: r.error };
      return { status: reason ?? (r.exitCode === 0 ? 'passed' : 'failed'), exitCode: r.exitCode };
    });
    return {
      done,
      stop: () => {
        reason ??= 'stopped';
        proc.stop('stopped');
      },
    };
  }

  close(): Promise<void> {
    this.scripts.remove();
    return Promise.resolve();
  }
}

/** Splits the session's output stream at the status marks the driver writes after each script. */
class MarkScanner {
  private pending = '';

  constructor(private readonly mark: string) {}

  /** The output to show now, and the status when a mark has completed. */
  push(chunk: string): { text: string; status?: number } {
    const buf = this.pending + chunk;
    const at = buf.indexOf(this.mark);
    if (at >= 0) {
      const end = buf.indexOf('\0', at + this.mark.length);
      if (end < 0) {
        this.pending = buf.slice(at);
        return { text: buf.slice(0, at) };
      }
      // Anything after the mark was written after the step ended (a background process): the next step's.
      this.pending = buf.slice(end + 1);
      return { text: buf.slice(0, at), status: Number(buf.slice(at + this.mark.length, end)) };
    }
    // Hold back an end that could be the start of a mark.
    let keep = Math.min(buf.length, this.mark.length - 1);
    while (keep > 0 && !this.mark.startsWith(buf.slice(buf.length - keep))) keep--;
    this.pending = buf.slice(buf.length - keep);
    return { text: buf.slice(0, buf.length - keep) };
  }

  /** What is held back, when the stream ends. */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return rest;
  }
}

class SessionShell implements StepShell {
  readonly persistent = true;
  private readonly scripts: ScriptDir;
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  /** The running block's listeners. */
  private current: { onOutput(text: string): void; onStatus(code: number): void; onExit(code: number | null, signal: NodeJS.Signals | null): void } | undefined;

  constructor(
    private readonly o: StepShellOptions,
    readonly kind: ShellKind,
  ) {
    this.scripts = new ScriptDir(o.tmpDir);
  }

  private start(): ChildProcess {
    const nonce = randomBytes(12).toString('hex');
    const mark = `\0preflight:${nonce}:`;
    // fd 5 is the original stdout, for the status mark; the step runs without fds 3 and 5.
    const driver = [
      'exec 2>&1 5>&1',
      `while IFS= read -r __preflight_file <&3; do { . "$__preflight_file"; } 3<&- 5>&-; printf '\\0preflight:${nonce}:%s\\0' "$?" >&5; done`,
    ].join('\n');
    // No profile or rc files: a rehearsal runs the same on every machine.
    const args = this.kind === 'zsh' ? ['-f', '-c', driver] : ['--noprofile', '--norc', '-c', driver];
    const child = spawn(this.o.shell, args, { cwd: this.o.cwd, env: this.o.env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], detached: true });
    const scanner = new MarkScanner(mark);
    const onData = (chunk: string) => {
      const { text, status } = scanner.push(chunk);
      if (text) this.current?.onOutput(text);
      if (status !== undefined) this.current?.onStatus(status);
    };
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => this.current?.onOutput(chunk));
    // The command pipe may break when the shell dies; the exit handler reports that.
    child.stdio[3]!.on('error', () => undefined);
    this.exited = new Promise<void>((resolve) => {
      let settled = false;
      const ended = (code: number | null, signal: NodeJS.Signals | null) => {
        if (settled) return;
        settled = true;
        if (this.child === child) this.child = undefined;
        // Let the last output arrive before saying the shell has gone.
        setTimeout(() => {
          const rest = scanner.flush();
          if (rest) this.current?.onOutput(rest);
          this.current?.onExit(code, signal);
          child.stdout?.destroy();
          child.stderr?.destroy();
          resolve();
        }, 20);
      };
      child.once('exit', ended);
      child.once('error', (err) => {
        this.spawnError = err.message;
        ended(null, null);
      });
    });
    this.child = child;
    return child;
  }

  /** Why the shell could not start (not found...). */
  private spawnError: string | undefined;

  private kill(child: ChildProcess, signal: NodeJS.Signals): void {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      child.kill(signal);
    }
  }

  /** Ends the session's process group: SIGTERM, then SIGKILL after the grace period. */
  private end(child: ChildProcess): void {
    this.kill(child, 'SIGTERM');
    setTimeout(() => this.kill(child, 'SIGKILL'), this.o.graceMs ?? 3000).unref();
  }

  run(block: BlockRun, onOutput: (chunk: string) => void): BlockExecution {
    const child = this.child ?? this.start();
    const names = [...block.secrets.keys()];
    const pipe = names.length ? SecretPipe.create(this.scripts, block.label, [...block.secrets.values()]) : undefined;
    let reason: 'stopped' | 'timed-out' | undefined;
    let timer: NodeJS.Timeout | undefined;
    let finish!: (r: BlockResult) => void;
    const done = new Promise<BlockResult>((resolve) => (finish = resolve));
    let file: string | undefined;
    const settle = (r: BlockResult) => {
      if (timer) clearTimeout(timer);
      this.current = undefined;
      if (file) rmSync(file, { force: true });
      pipe?.abandon();
      finish(r);
    };
    const stop = (why: 'stopped' | 'timed-out') => {
      reason ??= why;
      this.end(child);
    };
    if (names.length && !pipe) {
      settle({ status: 'failed', exitCode: null, error: 'cannot create a pipe for the secret values (mkfifo)' });
      return { done, stop: () => undefined };
    }
    this.current = {
      onOutput,
      onStatus: (code) => settle({ status: reason ?? (code === 0 ? 'passed' : 'failed'), exitCode: code }),
      onExit: (code, signal) =>
        settle({
          status: reason ?? 'failed',
          exitCode: reason ? null : code,
          error: reason ? undefined : this.spawnError ?? `the ${this.kind} session ended${signal ? ` (${signal})` : code !== null ? ` with status ${code}` : ''} before the step did`,
        }),
    };
    file = this.scripts.writeScript(
      block.label,
      stepScript(block.script, {
        shell: this.kind,
        cwd: block.cwd,
        exports: block.env,
        secrets: pipe && { names, fifo: pipe.file },
        unset: ['PREFLIGHT_STEP'],
      }),
    );
    (child.stdio[3] as Writable).write(`${file}\n`);
    if (pipe) void pipe.deliver();
    if (block.timeout !== undefined && block.timeout > 0) timer = setTimeout(() => stop('timed-out'), block.timeout * 1000);
    return { done, stop: () => stop('stopped') };
  }

  async close(): Promise<void> {
    const child = this.child;
    if (child) {
      (child.stdio[3] as Writable | null)?.end();
      this.end(child);
      await this.exited;
    }
    this.scripts.remove();
  }
}
