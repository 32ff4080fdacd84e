import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import {
  lastResults,
  logFileName,
  parseLog,
  serializeEvent,
  type RunEvent,
  type Step,
  type StepRef,
  type StepResult,
} from '../core/runbook';
import type { Logger } from '../core/log';

type EventBody = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'runId' | 'time'> : never) : never;

export interface RunningStep {
  key: string;
  started: number;
  stop(): void;
}

/**
 * What Preflight knows about one runbook's current run: its log file, the last result of each
 * step (restored from the log after a reload), the step running now, and the variable values
 * the operator gave (in memory only; secret values are never written anywhere).
 */
export class RunbookRun {
  runId: string | undefined;
  logFile: string | undefined;
  results = new Map<string, StepResult>();
  running: RunningStep | undefined;
  values: Record<string, string> = {};
  terminal: vscode.Terminal | undefined;

  constructor(
    readonly uri: vscode.Uri,
    /** Workspace-relative path, with forward slashes. */
    readonly relPath: string,
    readonly logDir: string,
  ) {}

  /** Loads the latest run of this runbook from its log folder, if there is one. */
  restore(log: Logger): void {
    const folder = path.dirname(path.join(this.logDir, logFileName(this.relPath, new Date())));
    if (!existsSync(folder)) return;
    const files = readdirSync(folder).filter((f) => f.endsWith('.jsonl')).sort();
    const latest = files[files.length - 1];
    if (!latest) return;
    const file = path.join(folder, latest);
    const { events, problems } = parseLog(readFileSync(file, 'utf8'));
    for (const p of problems) log.warn(`${file}:${p.line + 1}: ${p.message}`);
    const last = events[events.length - 1];
    if (last?.type === 'run-reset') return;
    const start = events.find((e) => e.type === 'run-start');
    this.runId = start?.runId ?? events[0]?.runId;
    this.logFile = file;
    this.results = lastResults(events);
  }

  get active(): boolean {
    return this.logFile !== undefined;
  }

  /** Starts a new run: a new log file whose first event says who runs what where. */
  async start(title: string, cwd: string): Promise<void> {
    const now = new Date();
    this.runId = randomUUID();
    this.logFile = path.join(this.logDir, logFileName(this.relPath, now));
    this.results = new Map();
    mkdirSync(path.dirname(this.logFile), { recursive: true });
    this.append({ type: 'run-start', runbook: this.relPath, title, operator: await operatorName(cwd), host: os.hostname() });
  }

  /** Appends an event and flushes it to disk before returning, so a crash loses nothing done. */
  append(body: EventBody): void {
    if (!this.logFile || !this.runId) throw new Error('no run has started');
    const event = { ...body, runId: this.runId, time: new Date().toISOString() } as RunEvent;
    appendFileSync(this.logFile, serializeEvent(event));
    if (event.type === 'step-end') {
      this.results.set(event.step.key, {
        status: event.status,
        exitCode: event.exitCode,
        durationMs: event.durationMs,
        time: event.time,
      });
    }
  }

  /** Ends the run: later step runs start a new one. */
  reset(): void {
    if (this.active) this.append({ type: 'run-reset' });
    this.runId = undefined;
    this.logFile = undefined;
    this.results = new Map();
    this.values = {};
    this.terminal?.dispose();
    this.terminal = undefined;
  }
}

export function stepRef(step: Step): StepRef {
  return { key: step.key, text: step.text, line: step.line };
}

/** The operator: git's user.name for the workspace, else the OS user. */
function operatorName(cwd: string): Promise<string> {
  const fallback = () => {
    try {
      return os.userInfo().username;
    } catch {
      return process.env.USER ?? 'unknown';
    }
  };
  return new Promise((resolve) => {
    execFile('git', ['config', 'user.name'], { cwd, timeout: 2000 }, (err, stdout) => {
      const name = stdout?.trim();
      resolve(!err && name ? name : fallback());
    });
  });
}

/** One RunbookRun per runbook file, created on first use. */
export class RunRegistry implements vscode.Disposable {
  private readonly runs = new Map<string, RunbookRun>();
  private readonly onDidChangeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.onDidChangeEmitter.event;
  private readonly terminalClose = vscode.window.onDidCloseTerminal((t) => {
    for (const run of this.runs.values()) if (run.terminal === t) run.terminal = undefined;
  });

  constructor(private readonly log: Logger) {}

  get(uri: vscode.Uri): RunbookRun {
    const key = uri.toString();
    let run = this.runs.get(key);
    if (!run) {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      const base = folder?.uri.fsPath ?? path.dirname(uri.fsPath);
      const relPath = path.relative(base, uri.fsPath).split(path.sep).join('/');
      const configured = vscode.workspace.getConfiguration('preflight.runbooks', uri).get<string>('logDirectory') || '.preflight/runs';
      run = new RunbookRun(uri, relPath, path.resolve(base, configured));
      try {
        run.restore(this.log);
      } catch (err) {
        this.log.error(`Could not read the run log of ${relPath}: ${err instanceof Error ? err.message : String(err)}`);
      }
      this.runs.set(key, run);
    }
    return run;
  }

  changed(uri: vscode.Uri): void {
    this.onDidChangeEmitter.fire(uri);
  }

  dispose(): void {
    for (const run of this.runs.values()) {
      run.running?.stop();
      run.terminal?.dispose();
    }
    this.terminalClose.dispose();
    this.onDidChangeEmitter.dispose();
  }
}
