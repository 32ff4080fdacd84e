/** The run report: a run's log as a markdown timeline, for the postmortem and the plan's pull request. */

import type { RunEvent, RunStartEvent, StepEndEvent, StepRef } from './runLog';

export interface ReportOptions {
  /** Append the captured output of failed and timed-out steps. Default true. */
  includeFailedOutput?: boolean;
  /** Keep only the last lines of each failure's output (all of it when unset). */
  outputTailLines?: number;
  /** The keys of the runbook's Rollback steps: a rollback offer then says whether it was taken. */
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
  const approvals: string[] = [];
  const interventions: string[] = [];
  const failures: StepEndEvent[] = [];
  const rollbackRuns = events.filter((e): e is StepEndEvent => e.type === 'step-end' && opts.rollbackSteps?.has(e.step.key) === true);
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
      case 'rollback-offer': {
        let taken = '';
        if (opts.rollbackSteps) {
          const ran = rollbackRuns.filter((r) => r.runId === e.runId && r.time >= e.time);
          taken = ran.length ? `: taken (${ran.map((r) => `"${label(r.step)}" ${formatResult(r)}`).join(', ')})` : ': not taken';
        }
        offers.push(`- ${clock(e.time)} rollback offered to ${who(e.runId)} after "${label(e.step)}"${taken}`);
        break;
      }
      case 'approval':
        approvals.push(
          e.allowed
            ? `- ${clock(e.time)} approved: ${pullName(e.pullRequest)} approved by ${(e.approvedBy ?? []).map((u) => `@${oneLine(u)}`).join(', ') || 'a reviewer'}${e.commit ? ` at ${e.commit.slice(0, 12)}` : ''}; "${label(e.step)}" and the steps after it may run`
            : `- ${clock(e.time)} blocked before "${label(e.step)}": ${oneLine(e.reason ?? 'no approval')}`,
        );
        break;
      case 'approval-override':
        approvals.push(`- ${clock(e.time)} **overridden** by ${who(e.runId)} before "${label(e.step)}": ${oneLine(e.reason)} (the gate said: ${oneLine(e.blocked)})`);
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
    const cells = [r.label, who(r.runId), r.start, r.duration, r.result].map(cell);
    out.push(`| ${cells.join(' | ')} |`);
  }
  if (approvals.length > 0) out.push('', `${h2} Approval`, '', ...approvals);
  if (interventions.length > 0) out.push('', `${h2} Manual interventions`, '', ...interventions);
  if (confirmations.length > 0) out.push('', `${h2} Confirmations`, '', ...confirmations);
  if (offers.length > 0) out.push('', `${h2} Rollback offers`, '', ...offers);
  if ((opts.includeFailedOutput ?? true) && failures.length > 0) {
    out.push('', `${h2} Output of failed steps`);
    for (const f of failures) {
      const output = tail(f.output.replace(/\n$/, ''), opts.outputTailLines);
      const fence = '`'.repeat(Math.max(3, longestBacktickRun(output) + 1));
      out.push('', `${h2}# ${label(f.step)} (${clock(f.time)}, ${formatResult(f)})`, '');
      out.push(fence + 'text', output, fence);
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
