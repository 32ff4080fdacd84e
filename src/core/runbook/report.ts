/** The run report: a run's log as a markdown timeline, for the postmortem and the plan's pull request. */

import type { RunEvent, RunStartEvent, StepEndEvent, StepRef } from './runLog';

export interface ReportOptions {
  /** Append the captured output of failed and timed-out steps. Default true. */
  includeFailedOutput?: boolean;
  /** Keep only the last lines of each failure's output (all of it when unset). */
  outputTailLines?: number;
  /** The keys of the runbook's Rollback steps, for logs that do not mark them: a rollback offer says whether it was taken. */
  rollbackSteps?: ReadonlySet<string>;
  /** The level of the report's own heading (1: `#`); its sections are one level below. */
  level?: 1 | 2;
}

interface Row {
  label: string;
  runId: string;
  start: string;
  duration: string;
  result: string;
  /** Results of earlier attempts at the step, oldest first. */
  earlier: string[];
  /** A step-start without its step-end yet. */
  open: boolean;
  /** The step-end that records a manual decision already shown (done, skipped). */
  manualEnd: boolean;
}

interface Offer {
  line: string;
  runId: string;
  /** The rollback step that ran after the offer, and when. */
  taken?: string;
}

/**
 * A markdown timeline of a run for a postmortem: who ran which step when, for how long and
 * with what result (each step once, with the results of earlier attempts), then confirmations,
 * rollback offers and whether they were taken, and the output of failures. Times are UTC.
 * Ticks are left out: they mirror the results and manual completions shown.
 */
export function renderReport(events: readonly RunEvent[], opts: ReportOptions = {}): string {
  const starts = events.filter((e): e is RunStartEvent => e.type === 'run-start');
  const first = starts[0];
  const operators = new Map(starts.map((s) => [s.runId, s.operator]));
  const startDate = (first?.time ?? events[0]?.time ?? '').slice(0, 10);
  const clock = (iso: string) => formatTime(iso, startDate);
  const who = (runId: string) => operators.get(runId) ?? 'unknown';

  const rows: Row[] = [];
  // The rows of the current checklist: a reset starts a new one.
  let steps = new Map<string, Row>();
  const titles = new Map<string, string>();
  const name = (step: StepRef) => titles.get(step.key) ?? label(step);
  const rowOf = (step: StepRef, runId: string, start: string): Row => {
    let row = steps.get(step.key);
    if (!row) {
      row = { label: name(step), runId, start, duration: '—', result: '', earlier: [], open: false, manualEnd: false };
      steps.set(step.key, row);
      rows.push(row);
    }
    row.label = name(step);
    return row;
  };
  /** A new attempt at the step: what the row showed becomes an earlier result. */
  const attempt = (row: Row, runId: string, start: string) => {
    if (row.result) row.earlier.push(row.result);
    row.runId = runId;
    row.start = start;
    row.duration = '—';
    row.manualEnd = false;
  };
  const confirmations: string[] = [];
  const offers: Offer[] = [];
  const approvals: string[] = [];
  const interventions: string[] = [];
  const failures: StepEndEvent[] = [];
  // A rollback step: marked so in the log, or (logs written before that mark) in the runbook.
  const isRollback = (step: StepRef) => step.rollback === true || opts.rollbackSteps?.has(step.key) === true;
  for (const e of events) {
    switch (e.type) {
      case 'step-start': {
        const title = e.step.title;
        if (typeof title === 'string' && title.trim()) titles.set(e.step.key, oneLine(title));
        const row = rowOf(e.step, e.runId, clock(e.time));
        attempt(row, e.runId, clock(e.time));
        row.result = 'no result (interrupted)';
        row.open = true;
        if (isRollback(e.step)) takeOffers(offers, e.runId, `${name(e.step)} at ${clock(e.time)}`);
        break;
      }
      case 'step-end': {
        const started = Date.parse(e.time) - e.durationMs;
        const start = Number.isNaN(started) ? '—' : clock(new Date(started).toISOString());
        const row = rowOf(e.step, e.runId, start);
        if (row.manualEnd && !row.open) {
          // The record that closes a manual decision shown already ("done (manual)", "skipped").
          row.manualEnd = false;
          break;
        }
        if (!row.open) attempt(row, e.runId, start);
        row.open = false;
        row.duration = formatDuration(e.durationMs);
        row.result = formatResult(e);
        if (e.status === 'failed' || e.status === 'timed-out') failures.push(e);
        break;
      }
      case 'manual-done': {
        const row = rowOf(e.step, e.runId, clock(e.time));
        attempt(row, e.runId, clock(e.time));
        row.result = 'done (manual)';
        row.manualEnd = true;
        if (isRollback(e.step)) takeOffers(offers, e.runId, `${name(e.step)} at ${clock(e.time)}`);
        break;
      }
      case 'manual-prompt': {
        // "done" is followed by its manual-done record; skip and stop are results of their own.
        if (e.decision === 'done') break;
        const row = rowOf(e.step, e.runId, clock(e.time));
        attempt(row, e.runId, clock(e.time));
        row.result = e.decision === 'skip' ? 'skipped (manual step)' : 'run stopped at this manual step';
        row.manualEnd = e.decision === 'skip';
        break;
      }
      case 'step-blocked': {
        const row = rowOf(e.step, e.runId, clock(e.time));
        attempt(row, e.runId, clock(e.time));
        row.result = `blocked: ${e.reasons.join('; ')}`;
        break;
      }
      case 'run-reset':
        rows.push({ label: '(checklist reset)', runId: e.runId, start: clock(e.time), duration: '—', result: '—', earlier: [], open: false, manualEnd: false });
        steps = new Map();
        break;
      case 'confirm':
        confirmations.push(
          `- ${clock(e.time)} ${who(e.runId)} ${e.accepted ? 'confirmed' : 'declined'} "${name(e.step)}"${e.via === 'option' ? (e.accepted ? ' (--confirm on the command line)' : ' (no --confirm for it and no terminal to ask)') : ''}`,
        );
        break;
      case 'rollback-offer':
        offers.push({ line: `- ${clock(e.time)} rollback offered to ${who(e.runId)} after "${name(e.step)}"`, runId: e.runId });
        break;
      case 'approval':
        approvals.push(
          e.allowed
            ? `- ${clock(e.time)} approved: ${pullName(e.pullRequest)} approved by ${(e.approvedBy ?? []).map((u) => `@${oneLine(u)}`).join(', ') || 'a reviewer'}${e.commit ? ` at ${e.commit.slice(0, 12)}` : ''}; "${name(e.step)}" and the steps after it may run`
            : `- ${clock(e.time)} blocked before "${name(e.step)}": ${oneLine(e.reason ?? 'no approval')}`,
        );
        break;
      case 'approval-override':
        approvals.push(`- ${clock(e.time)} **overridden** by ${who(e.runId)} before "${name(e.step)}": ${oneLine(e.reason)} (the gate said: ${oneLine(e.blocked)})`);
        break;
      case 'manual-command':
        interventions.push(`- ${clock(e.time)} ${who(e.runId)} ran ${codeSpan(e.command)}${e.cwd ? ` in ${codeSpan(e.cwd)}` : ''}: ${e.exitCode === null ? 'no exit code' : `exit ${e.exitCode}`}`);
        break;
    }
  }
  const h1 = '#'.repeat(opts.level ?? 1);
  const h2 = `${h1}#`;

  const out: string[] = [`${h1} Run report: ${oneLine(first?.title || first?.runbook || 'untitled run')}`, ''];
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
    const result = r.earlier.length ? `${r.result}; earlier: ${r.earlier.join(', ')}` : r.result;
    const cells = [r.label, who(r.runId), r.start, r.duration, result].map(cell);
    out.push(`| ${cells.join(' | ')} |`);
  }
  if (approvals.length > 0) out.push('', `${h2} Approval`, '', ...approvals);
  if (interventions.length > 0) out.push('', `${h2} Manual interventions`, '', ...interventions);
  if (confirmations.length > 0) out.push('', `${h2} Confirmations`, '', ...confirmations);
  if (offers.length > 0) out.push('', `${h2} Rollback offers`, '', ...offers.map((o) => `${o.line}: ${o.taken ? `taken (${o.taken})` : 'not taken'}`));
  if ((opts.includeFailedOutput ?? true) && failures.length > 0) {
    out.push('', `${h2} Output of failed steps`);
    for (const f of failures) {
      const output = tail(f.output.replace(/\n$/, ''), opts.outputTailLines);
      const fence = '`'.repeat(Math.max(3, longestBacktickRun(output) + 1));
      out.push('', `${h2}# ${name(f.step)} (${clock(f.time)}, ${formatResult(f)})`, '');
      out.push(fence + 'text', output, fence);
    }
  }
  return `${out.join('\n')}\n`;
}

/** A rollback step ran: the offers made to that run before it, not yet answered, were taken. */
function takeOffers(offers: Offer[], runId: string, what: string): void {
  for (const o of offers) if (o.runId === runId && o.taken === undefined) o.taken = what;
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

function pullName(pull: { number: number; url: string } | undefined): string {
  return pull ? `[#${pull.number}](${pull.url.replace(/[()\s]/g, encodeURIComponent)})` : 'the pull request';
}

/** The last `lines` lines, with a note of how many were left out. */
function tail(text: string, lines: number | undefined): string {
  if (lines === undefined) return text;
  const all = text.split('\n');
  return all.length <= lines ? text : [`… (${all.length - lines} earlier lines left out)`, ...all.slice(-lines)].join('\n');
}

/** Text as an inline code span that no backtick inside can close early. */
export function codeSpan(text: string): string {
  const s = oneLine(text);
  const ticks = '`'.repeat(longestBacktickRun(s) + 1);
  const pad = s.startsWith('`') || s.endsWith('`') || s.startsWith(' ') ? ' ' : '';
  return `${ticks}${pad}${s}${pad}${ticks}`;
}

function longestBacktickRun(s: string): number {
  let longest = 0;
  for (const m of s.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return longest;
}
