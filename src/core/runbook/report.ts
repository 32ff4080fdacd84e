/** The run report: a run's log as a markdown timeline, for the postmortem and the plan's pull request. */

import type { RunEvent, RunStartEvent, StepEndEvent, StepRef } from './runLog';

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
