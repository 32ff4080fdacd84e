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
  /** The step's text with its variables resolved (secrets masked), when that differs from `text`. */
  title?: string;
  /** The step is in the runbook's Rollback section. */
  rollback?: true;
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

/** A pull request as the record names it. */
export interface PullRequestRef {
  number: number;
  url: string;
}

/** The approval gate was checked before the first gated step. */
export interface ApprovalEvent extends EventBase {
  type: 'approval';
  step: StepRef;
  allowed: boolean;
  pullRequest?: PullRequestRef;
  /** Logins whose approval of the runbook as it is let it run. */
  approvedBy?: string[];
  /** The approved commit. */
  commit?: string;
  /** The runbook's blob sha at that commit. */
  fileSha?: string;
  /** The pull request's branch. */
  headBranch?: string;
  /** Why the gate blocked. */
  reason?: string;
}

/** The operator typed "override" and a reason to run a step the gate blocked. */
export interface ApprovalOverrideEvent extends EventBase {
  type: 'approval-override';
  step: StepRef;
  reason: string;
  /** What the gate said. */
  blocked: string;
}

/** A command the operator typed by hand in the runbook's terminal while the run was open. */
export interface ManualCommandEvent extends EventBase {
  type: 'manual-command';
  /** Secrets masked. */
  command: string;
  exitCode: number | null;
  cwd?: string;
}

/** The run's report was published on its pull request. */
export interface PublishEvent extends EventBase {
  type: 'publish';
  pullRequest: PullRequestRef;
  commentId: number;
  commentUrl: string;
  headBranch?: string;
  /** The labels the pull request was left with. */
  labels: string[];
  /** The commit that recorded the ticked runbook on the branch, and the runbook's blob sha there. */
  commit?: string;
  fileSha?: string;
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
  | ApprovalEvent
  | ApprovalOverrideEvent
  | ManualCommandEvent
  | PublishEvent
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
const isPullRef: Check = (v) => isPlainObject(v) && isNumber(v.number) && isString(v.url);
const optional = (check: Check): Check => (v) => v === undefined || check(v);
const isStrings: Check = (v) => Array.isArray(v) && v.every(isString);
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
  'step-blocked': { step: isStepRef, reasons: isStrings },
  approval: {
    step: isStepRef,
    allowed: isBoolean,
    pullRequest: optional(isPullRef),
    approvedBy: optional(isStrings),
    commit: optional(isString),
    fileSha: optional(isString),
    headBranch: optional(isString),
    reason: optional(isString),
  },
  'approval-override': { step: isStepRef, reason: isString, blocked: isString },
  'manual-command': { command: isString, exitCode: (v) => v === null || isNumber(v), cwd: optional(isString) },
  publish: {
    pullRequest: isPullRef,
    commentId: isNumber,
    commentUrl: isString,
    headBranch: optional(isString),
    labels: isStrings,
    commit: optional(isString),
    fileSha: optional(isString),
  },
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
