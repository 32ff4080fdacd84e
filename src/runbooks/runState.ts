import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { appendRecord, createLogFile, isAlive, latestLogFile, logFolder, operatorName } from '../adapters/runLogFiles';
import { lastResults, parseLog, runHolder, serializeEvent, type ManualCommandEvent, type RunEvent, type RunStartEvent, type StepResult } from '../core/runbook';
import type { Logger } from '../core/log';
import { runbookSettings } from '../common/settings';
import { baseDirFor } from '../common/workspace';

export { stepRef } from '../core/runbook';

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
  private current: RunningStep | undefined;
  /** Variable values the operator gave, by name (a map: any name is a plain key). */
  values = new Map<string, string>();
  terminal: vscode.Terminal | undefined;
  /**
   * Set when the latest run was restored from the log and is still held by another live process
   * (another VS Code window, the CLI): this window shows its results but does not write to it.
   */
  heldBy: { pid: number; host: string } | undefined;
  /** A restored run gets its own run-start record (who resumed it, where) before its next event. */
  private resumePending = false;
  private resumeInfo: { title: string; runbook: string } | undefined;
  /** The log did not end with a line break (a crash mid-write): the next record starts a new line. */
  private needsLineBreak = false;
  /** Commands typed by hand in the runbook's terminal, of every run this window saw. */
  private manual: ManualCommandEvent[] = [];

  constructor(
    readonly uri: vscode.Uri,
    /** Workspace-relative path, with forward slashes. */
    readonly relPath: string,
    readonly logDir: string,
    /** Told whenever the run changes: an event appended, a step started or ended, the run reset. */
    private readonly onChange: () => void = () => {},
  ) {}

  /** The commands typed by hand in the runbook's terminal during this run. */
  get manualCommands(): readonly ManualCommandEvent[] {
    return this.manual.filter((e) => e.runId === this.runId);
  }

  /** The step running now. */
  get running(): RunningStep | undefined {
    return this.current;
  }

  set running(step: RunningStep | undefined) {
    this.current = step;
    this.onChange();
  }

  /** Loads the latest run of this runbook from its log folder, if there is one. */
  restore(log: Logger): void {
    const file = latestLogFile(this.logDir, this.relPath);
    if (!file) return;
    const text = readFileSync(file, 'utf8');
    const { events, problems } = parseLog(text);
    for (const p of problems) log.warn(`${file}:${p.line + 1}: ${p.message}`);
    const last = events[events.length - 1];
    if (last?.type === 'run-reset') return;
    const starts = events.filter((e): e is RunStartEvent => e.type === 'run-start');
    const start = starts[0];
    this.runId = start?.runId ?? events[0]?.runId;
    this.logFile = file;
    this.results = lastResults(events);
    this.manual = events.filter((e): e is ManualCommandEvent => e.type === 'manual-command');
    this.needsLineBreak = text.length > 0 && !text.endsWith('\n');
    this.heldBy = runHolder(events, { pid: process.pid, host: os.hostname() }, isAlive);
    this.resumePending = true;
    this.resumeInfo = { title: start?.title ?? '', runbook: start?.runbook ?? this.relPath };
  }

  /**
   * Another process (the CLI, another window) wrote this runbook's log: show its latest run, as
   * after a reload. Not while a step of this window runs, and not when the latest run is this
   * window's own, whose results it knows. True when the run was read again.
   */
  refreshFromLog(log: Logger): boolean {
    if (this.running) return false;
    const latest = latestLogFile(this.logDir, this.relPath);
    if (!latest || (latest === this.logFile && !this.heldBy && !this.resumePending)) return false;
    this.runId = undefined;
    this.logFile = undefined;
    this.results = new Map();
    this.heldBy = undefined;
    this.resumePending = false;
    this.restore(log);
    return true;
  }

  /** What changes when another process writes the latest log: its file, size and time. */
  logSignature(): string | undefined {
    const latest = latestLogFile(this.logDir, this.relPath);
    if (!latest) return undefined;
    try {
      const st = statSync(latest);
      return `${latest}:${st.size}:${st.mtimeMs}`;
    } catch {
      return undefined;
    }
  }

  /** The folder this runbook's logs are written to. */
  get logFolder(): string {
    return logFolder(this.logDir, this.relPath);
  }

  /** Re-reads whether the process holding a restored run is still alive. */
  refreshHolder(): void {
    if (this.heldBy && !isAlive(this.heldBy.pid)) this.heldBy = undefined;
  }

  get active(): boolean {
    return this.logFile !== undefined;
  }

  /** Starts a new run: a new log file whose first event says who runs what where. */
  async start(title: string, cwd: string): Promise<void> {
    const runId = randomUUID();
    const operator = await operatorName(cwd);
    const file = createLogFile(this.logDir, this.relPath);
    this.runId = runId;
    this.logFile = file;
    this.results = new Map();
    this.heldBy = undefined;
    this.resumePending = false;
    this.needsLineBreak = false;
    this.append({ type: 'run-start', runbook: this.relPath, title, operator, host: os.hostname(), pid: process.pid });
  }

  /** Records that this process continues a run restored from the log. */
  private async resume(cwd: string): Promise<void> {
    this.resumePending = false;
    const info = this.resumeInfo ?? { title: '', runbook: this.relPath };
    this.append({ type: 'run-start', runbook: info.runbook, title: info.title, operator: await operatorName(cwd), host: os.hostname(), pid: process.pid });
  }

  /** Before this process writes to a restored run: its own run-start record. */
  async claim(cwd: string): Promise<void> {
    if (this.resumePending) await this.resume(cwd);
  }

  /** Appends an event and flushes it to disk before returning, so a crash loses nothing done. */
  append(body: EventBody): void {
    if (!this.logFile || !this.runId) throw new Error('no run has started');
    if (this.heldBy) throw new Error(`this run is held by process ${this.heldBy.pid}`);
    const event = { ...body, runId: this.runId, time: new Date().toISOString() } as RunEvent;
    appendRecord(this.logFile, (this.needsLineBreak ? '\n' : '') + serializeEvent(event));
    this.needsLineBreak = false;
    if (event.type === 'manual-command') this.manual.push(event);
    if (event.type === 'step-end') {
      this.results.set(event.step.key, {
        status: event.status,
        exitCode: event.exitCode,
        durationMs: event.durationMs,
        time: event.time,
      });
    }
    this.onChange();
  }

  /** Lets go of a restored run held by another process, without writing to it: the next step starts a new run. */
  detach(): void {
    this.runId = undefined;
    this.logFile = undefined;
    this.results = new Map();
    this.heldBy = undefined;
    this.resumePending = false;
    this.onChange();
  }

  /** Ends the run: later step runs start a new one. */
  reset(): void {
    if (this.active) this.append({ type: 'run-reset' });
    this.runId = undefined;
    this.logFile = undefined;
    this.results = new Map();
    this.values = new Map();
    this.heldBy = undefined;
    this.resumePending = false;
    this.terminal?.dispose();
    this.terminal = undefined;
    this.onChange();
  }
}

/** One RunbookRun per runbook file, created on first use. */
export class RunRegistry implements vscode.Disposable {
  private readonly runs = new Map<string, RunbookRun>();
  private readonly onDidChangeEmitter = new vscode.EventEmitter<vscode.Uri>();
  private readonly pending = new Set<string>();
  readonly onDidChange = this.onDidChangeEmitter.event;
  private readonly terminalClose = vscode.window.onDidCloseTerminal((t) => {
    for (const run of this.runs.values()) if (run.terminal === t) run.terminal = undefined;
  });

  /** Run logs written by other processes (the CLI, another window) show here as they are written. */
  private readonly watchers: vscode.Disposable[] = [];

  /**
   * File events can be missed (some file systems, a watcher that starts before the log folder
   * exists): the logs of the runbooks on screen are also looked at every 2 s, one listing and one
   * stat each, and read again only when they changed.
   */
  private readonly seen = new Map<string, string | undefined>();
  private readonly poll = setInterval(() => this.checkVisibleLogs(), 2000);

  constructor(private readonly log: Logger) {
    this.watchLogs();
  }

  private checkVisibleLogs(): void {
    const visible = new Set(vscode.window.visibleTextEditors.map((e) => e.document.uri.toString()));
    for (const [key, run] of this.runs) {
      if (!visible.has(key) || run.running) continue;
      const signature = run.logSignature();
      if (this.seen.get(key) === signature) continue;
      this.seen.set(key, signature);
      try {
        if (run.refreshFromLog(this.log)) this.changed(run.uri);
      } catch (err) {
        this.log.error(`Could not read the run log of ${run.relPath}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  private watchLogs(): void {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const configured = runbookSettings(folder.uri).logDirectory;
      const dir = path.resolve(folder.uri.fsPath, configured);
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), '**/*.jsonl'));
      const onLog = (uri: vscode.Uri) => {
        const folderOfLog = path.dirname(uri.fsPath);
        for (const run of this.runs.values()) {
          if (run.logFolder !== folderOfLog) continue;
          try {
            if (run.refreshFromLog(this.log)) this.changed(run.uri);
          } catch (err) {
            this.log.error(`Could not read the run log of ${run.relPath}: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
      };
      this.watchers.push(watcher, watcher.onDidCreate(onLog), watcher.onDidChange(onLog));
    }
  }

  /** The run whose terminal this is. */
  forTerminal(terminal: vscode.Terminal): RunbookRun | undefined {
    for (const run of this.runs.values()) if (run.terminal === terminal) return run;
    return undefined;
  }

  get(uri: vscode.Uri): RunbookRun {
    const key = uri.toString();
    let run = this.runs.get(key);
    if (!run) {
      const base = baseDirFor(uri);
      const relPath = path.relative(base, uri.fsPath).split(path.sep).join('/');
      const configured = runbookSettings(uri).logDirectory;
      run = new RunbookRun(uri, relPath, path.resolve(base, configured), () => this.changed(uri));
      try {
        run.restore(this.log);
      } catch (err) {
        this.log.error(`Could not read the run log of ${relPath}: ${err instanceof Error ? err.message : String(err)}`);
      }
      this.runs.set(key, run);
      this.seen.set(key, run.logSignature());
    }
    return run;
  }

  /** Fires onDidChange for the runbook: once for all the changes made in one turn of the event loop. */
  changed(uri: vscode.Uri): void {
    const key = uri.toString();
    if (this.pending.has(key)) return;
    this.pending.add(key);
    queueMicrotask(() => {
      this.pending.delete(key);
      this.onDidChangeEmitter.fire(uri);
    });
  }

  dispose(): void {
    for (const run of this.runs.values()) {
      run.running?.stop();
      run.terminal?.dispose();
    }
    this.terminalClose.dispose();
    clearInterval(this.poll);
    for (const w of this.watchers) w.dispose();
    this.onDidChangeEmitter.dispose();
  }
}
