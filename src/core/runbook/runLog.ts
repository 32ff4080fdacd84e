import { isPlainObject } from './guards';
import type { Diagnostic } from './model';

/**
 * The run record: one JSON event per line, appended as the run goes, so a crash loses at
 * most the line being written.
 */

/** How a log record names a step; `key` is `Step.key`, text and line are for readers. */
export interface StepRef {
  key: string;
  text: string;
  line: number;
}

export type StepStatus = 'passed' | 'failed' | 'stopped' | 'timed-out' | 'skipped';

interface EventBase {
  runId: string;
  /** ISO 8601. */
  time: string;
}

export interface RunStartEvent extends EventBase {
  type: 'run-start';
  /** Workspace-relative path of the runbook. */
  runbook: string;
  title: string;
  operator: string;
  host: string;
  /**
   * The process that writes the run (the VS Code extension host, or the CLI). A later run-start
   * with the same runId records that another process resumed the run.
   */
  pid?: number;
  /** The run happens in a CI job. */
  ci?: boolean;
  /** The page of that CI run or job. */
  ciUrl?: string;
}

export interface StepStartEvent extends EventBase {
  type: 'step-start';
  step: StepRef;
  /** The command as displayed, secrets masked. */
  command: string;
}

export interface StepEndEvent extends EventBase {
  type: 'step-end';
  step: StepRef;
  /** Null when the process ended without an exit code (killed by a signal). */
  exitCode: number | null;
  status: StepStatus;
  durationMs: number;
  /** Masked, then capped: capping first could leave part of a secret on each side of the cut. */
  output: string;
}

export interface TickEvent extends EventBase {
  type: 'tick';
  step: StepRef;
  checked: boolean;
}

export interface ConfirmEvent extends EventBase {
  type: 'confirm';
  step: StepRef;
  accepted: boolean;
  /** How the word was given: typed by the operator, or named on the CLI's command line (--confirm). */
  via?: 'typed' | 'option';
}

export interface RollbackOfferEvent extends EventBase {
  type: 'rollback-offer';
  step: StepRef;
}

export interface ManualDoneEvent extends EventBase {
  type: 'manual-done';
  step: StepRef;
}

/** Run Next or Run All reached a manual step and asked the operator what to do. */
export interface ManualPromptEvent extends EventBase {
  type: 'manual-prompt';
  step: StepRef;
  decision: 'done' | 'skip' | 'stop';
}

/** A step was not run because the runbook makes its meaning ambiguous. */
export interface StepBlockedEvent extends EventBase {
  type: 'step-blocked';
  step: StepRef;
  reasons: string[];
}

/** The operator cleared the checklist: earlier results no longer count. */
export interface RunResetEvent extends EventBase {
  type: 'run-reset';
}

export type RunEvent =
  | RunStartEvent
  | StepStartEvent
  | StepEndEvent
  | TickEvent
  | ConfirmEvent
  | RollbackOfferEvent
  | ManualDoneEvent
  | ManualPromptEvent
  | StepBlockedEvent
  | RunResetEvent;

export interface StepResult {
  status: StepStatus;
  exitCode: number | null;
  durationMs: number;
  time: string;
}

export function serializeEvent(e: RunEvent): string {
  return `${JSON.stringify(e)}\n`;
}

type Check = (v: unknown) => boolean;
const isString: Check = (v) => typeof v === 'string';
const isBoolean: Check = (v) => typeof v === 'boolean';
const isNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isStepRef: Check = (v) => isPlainObject(v) && isString(v.key) && isString(v.text) && isNumber(v.line);
const STATUSES: ReadonlySet<unknown> = new Set<StepStatus>(['passed', 'failed', 'stopped', 'timed-out', 'skipped']);

/** The fields each event type needs besides runId and time. */
const SHAPES: Record<RunEvent['type'], Record<string, Check>> = {
  'run-start': {
    runbook: isString,
    title: isString,
    operator: isString,
    host: isString,
    pid: (v) => v === undefined || isNumber(v),
    ci: (v) => v === undefined || isBoolean(v),
    ciUrl: (v) => v === undefined || isString(v),
  },
  'step-start': { step: isStepRef, command: isString },
  'step-end': {
    step: isStepRef,
    exitCode: (v) => v === null || isNumber(v),
    status: (v) => STATUSES.has(v),
    durationMs: isNumber,
    output: isString,
  },
  tick: { step: isStepRef, checked: isBoolean },
  confirm: { step: isStepRef, accepted: isBoolean, via: (v) => v === undefined || v === 'typed' || v === 'option' },
  'rollback-offer': { step: isStepRef },
  'manual-done': { step: isStepRef },
  'manual-prompt': { step: isStepRef, decision: (v) => v === 'done' || v === 'skip' || v === 'stop' },
  'step-blocked': { step: isStepRef, reasons: (v) => Array.isArray(v) && v.every(isString) },
  'run-reset': {},
};

function isRunEvent(v: unknown): v is RunEvent {
  if (!isPlainObject(v) || typeof v.type !== 'string' || !Object.hasOwn(SHAPES, v.type)) return false;
  if (!isString(v.runId) || !isString(v.time)) return false;
  const shape = SHAPES[v.type as RunEvent['type']];
  return Object.keys(shape).every((field) => shape[field](v[field]));
}

/**
 * Reads a run log. Never throws: lines that are not events are skipped and reported, and an
 * incomplete last line, left by a crash mid-write, is reported as such.
 */
export function parseLog(text: string): { events: RunEvent[]; problems: Diagnostic[] } {
  const events: RunEvent[] = [];
  const problems: Diagnostic[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].endsWith('\r') ? lines[n].slice(0, -1) : lines[n];
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      const unterminated = n === lines.length - 1;
      problems.push({
        severity: 'warning',
        code: unterminated ? 'log-truncated' : 'log-line',
        message: unterminated
          ? 'The last record is incomplete, probably cut off by a crash while it was written; it is ignored.'
          : `Line ${n + 1} is not valid JSON; it is ignored.`,
        line: n,
        endLine: n + 1,
      });
      continue;
    }
    if (isRunEvent(value)) {
      events.push(value);
    } else {
      problems.push({
        severity: 'warning',
        code: 'log-line',
        message: `Line ${n + 1} is not a Preflight run event; it is ignored.`,
        line: n,
        endLine: n + 1,
      });
    }
  }
  return { events, problems };
}

/**
 * The process that holds a run, from its run-start records: the writer of the last one, when that
 * is another live process on this host. Such a run is shown, never written to.
 */
export function runHolder(
  events: readonly RunEvent[],
  self: { pid: number; host: string },
  isAlive: (pid: number) => boolean,
): { pid: number; host: string } | undefined {
  let owner: RunStartEvent | undefined;
  for (const e of events) if (e.type === 'run-start') owner = e;
  if (owner?.pid === undefined || owner.pid === self.pid || owner.host !== self.host || !isAlive(owner.pid)) return undefined;
  return { pid: owner.pid, host: owner.host };
}

/** The latest result of each step by step key, counting only what came after the last reset. */
export function lastResults(events: readonly RunEvent[]): Map<string, StepResult> {
  const results = new Map<string, StepResult>();
  for (const e of events) {
    if (e.type === 'run-reset') {
      results.clear();
    } else if (e.type === 'step-end') {
      results.set(e.step.key, { status: e.status, exitCode: e.exitCode, durationMs: e.durationMs, time: e.time });
    }
  }
  return results;
}

export interface ReportOptions {
  /** Append the captured output of failed and timed-out steps. Default true. */
  includeFailedOutput?: boolean;
}

interface Row {
  label: string;
  runId: string;
  start: string;
  duration: string;
  result: string;
}

/**
 * A markdown timeline of a run for a postmortem: who ran which step when, for how long and
 * with what result, then confirmations, rollback offers and the output of failures. Times
 * are UTC. Ticks are left out: they mirror the results and manual completions shown.
 */
export function renderReport(events: readonly RunEvent[], opts: ReportOptions = {}): string {
  const starts = events.filter((e): e is RunStartEvent => e.type === 'run-start');
  const first = starts[0];
  const operators = new Map(starts.map((s) => [s.runId, s.operator]));
  const startDate = (first?.time ?? events[0]?.time ?? '').slice(0, 10);
  const clock = (iso: string) => formatTime(iso, startDate);
  const who = (runId: string) => operators.get(runId) ?? 'unknown';

  const rows: Row[] = [];
  const running = new Map<string, Row>();
  const confirmations: string[] = [];
  const offers: string[] = [];
  const failures: StepEndEvent[] = [];
  for (const e of events) {
    switch (e.type) {
      case 'step-start': {
        const row = { label: label(e.step), runId: e.runId, start: clock(e.time), duration: '—', result: 'no result (interrupted)' };
        rows.push(row);
        running.set(`${e.runId}\n${e.step.key}`, row);
        break;
      }
      case 'step-end': {
        const id = `${e.runId}\n${e.step.key}`;
        const started = Date.parse(e.time) - e.durationMs;
        const row = running.get(id) ?? {
          label: label(e.step),
          runId: e.runId,
          start: Number.isNaN(started) ? '—' : clock(new Date(started).toISOString()),
          duration: '',
          result: '',
        };
        if (!running.delete(id)) rows.push(row);
        row.duration = formatDuration(e.durationMs);
        row.result = formatResult(e);
        if (e.status === 'failed' || e.status === 'timed-out') failures.push(e);
        break;
      }
      case 'manual-done':
        rows.push({ label: label(e.step), runId: e.runId, start: clock(e.time), duration: '—', result: 'done (manual)' });
        break;
      case 'manual-prompt':
        // "done" is followed by its manual-done record; skip and stop are rows of their own.
        if (e.decision !== 'done') rows.push({ label: label(e.step), runId: e.runId, start: clock(e.time), duration: '—', result: e.decision === 'skip' ? 'skipped (manual step)' : 'run stopped at this manual step' });
        break;
      case 'step-blocked':
        rows.push({ label: label(e.step), runId: e.runId, start: clock(e.time), duration: '—', result: `blocked: ${e.reasons.join('; ')}` });
        break;
      case 'run-reset':
        rows.push({ label: '(checklist reset)', runId: e.runId, start: clock(e.time), duration: '—', result: '—' });
        break;
      case 'confirm':
        confirmations.push(
          `- ${clock(e.time)} ${who(e.runId)} ${e.accepted ? 'confirmed' : 'declined'} "${label(e.step)}"${e.via === 'option' ? (e.accepted ? ' (--confirm on the command line)' : ' (no --confirm for it and no terminal to ask)') : ''}`,
        );
        break;
      case 'rollback-offer':
        offers.push(`- ${clock(e.time)} rollback offered to ${who(e.runId)} after "${label(e.step)}"`);
        break;
    }
  }

  const out: string[] = [`# Run report: ${oneLine(first?.title || first?.runbook || 'untitled run')}`, ''];
  if (first) {
    out.push(
      `- Runbook: ${oneLine(first.runbook)}`,
      `- Title: ${oneLine(first.title)}`,
      `- Operator: ${oneLine(first.operator)}`,
      `- Host: ${oneLine(first.host)}`,
      `- Started: ${first.time}`,
    );
    if (first.ci) out.push(`- CI: ${first.ciUrl ? oneLine(first.ciUrl) : 'yes'}`);
    for (const later of starts.slice(1)) {
      out.push(`- Resumed: ${later.time} by ${oneLine(later.operator)} on ${oneLine(later.host)}`);
    }
  } else {
    out.push('- No run-start record: the log is incomplete.');
  }
  out.push('', '| Step | Who | Start | Duration | Result |', '| --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const cells = [r.label, who(r.runId), r.start, r.duration, r.result].map(cell);
    out.push(`| ${cells.join(' | ')} |`);
  }
  if (confirmations.length > 0) out.push('', '## Confirmations', '', ...confirmations);
  if (offers.length > 0) out.push('', '## Rollback offers', '', ...offers);
  if ((opts.includeFailedOutput ?? true) && failures.length > 0) {
    out.push('', '## Output of failed steps');
    for (const f of failures) {
      const fence = '`'.repeat(Math.max(3, longestBacktickRun(f.output) + 1));
      out.push('', `### ${label(f.step)} (${clock(f.time)}, ${formatResult(f)})`, '');
      out.push(fence + 'text', f.output.replace(/\n$/, ''), fence);
    }
  }
  return `${out.join('\n')}\n`;
}

function formatResult(e: StepEndEvent): string {
  const status = e.status === 'timed-out' ? 'timed out' : e.status;
  return e.exitCode === null || e.status === 'skipped' ? status : `${status} (exit ${e.exitCode})`;
}

/** `HH:MM:SS`, with the date in front when it is not the run's start date. */
function formatTime(iso: string, startDate: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const full = new Date(ms).toISOString();
  const time = full.slice(11, 19);
  return full.startsWith(startDate) ? time : `${full.slice(0, 10)} ${time}`;
}

/** A short human duration: `850 ms`, `12.3 s`, `4 min 5 s`, `2 h 10 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  // Below 59.95 s, so rounding to a tenth never shows "60.0 s".
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const seconds = totalSeconds % 60;
  const minutes = Math.floor(totalSeconds / 60) % 60;
  const hours = Math.floor(totalSeconds / 3600);
  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min ${seconds} s`;
}

/** How the report names a step: its text, else its key. */
function label(step: StepRef): string {
  return oneLine(step.text || step.key);
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** A table cell: one line, with pipes escaped so they do not split the cell. */
function cell(s: string): string {
  return oneLine(s).replace(/\|/g, '\\|');
}

function longestBacktickRun(s: string): number {
  let longest = 0;
  for (const m of s.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return longest;
}

/**
 * Where a run's log goes, relative to the log root: one folder per runbook (its path with
 * separators and unsafe characters replaced, without `.md`) and one file per run, named by
 * its UTC start time to the millisecond and a random tag, so two runs started at the same moment
 * (two windows, the CLI) never share a file: `ops--upgrade/20240501-142501.123Z-3f9a.jsonl`.
 * Names sort in start order.
 */
export function logFileName(runbookRelPath: string, startTime: Date, tag = ''): string {
  const folder = runbookRelPath
    .replace(/\.(md|markdown)$/i, '')
    .split(/[\\/]+/)
    .filter((part) => part !== '' && part !== '.')
    .map((part) => (/^\.+$/.test(part) ? '_' : part.replace(/[^\p{L}\p{N}._-]+/gu, '_')))
    .join('--');
  const stamp = startTime.toISOString().replace(/[-:]/g, '').replace('T', '-');
  return `${folder || 'runbook'}/${stamp}${tag ? `-${tag.replace(/[^A-Za-z0-9]/g, '')}` : ''}.jsonl`;
}
