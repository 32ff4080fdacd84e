/**
 * A step's output as the run log holds it, for a read-only editor: what ran, when, with what
 * result, then the captured output (masked and capped when it was logged).
 */
import { formatDuration } from './report';
import type { RunEvent, StepEndEvent, StepStartEvent } from './runLog';

export interface StepOutput {
  /** The step as the record names it: its title with variables resolved, else its text. */
  title: string;
  end: StepEndEvent;
  text: string;
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ');
}

/**
 * The output of the latest run of the step `key` in `events` (the one that ended at `endTime`,
 * when given), or undefined when the log has no result for it. Earlier than a reset counts too:
 * the output of what ran is still what ran.
 */
export function stepOutput(events: readonly RunEvent[], key: string, endTime?: string): StepOutput | undefined {
  let end: StepEndEvent | undefined;
  let start: StepStartEvent | undefined;
  let lastStart: StepStartEvent | undefined;
  for (const e of events) {
    if (e.type === 'step-start' && e.step.key === key) lastStart = e;
    if (e.type === 'step-end' && e.step.key === key && (endTime === undefined || e.time === endTime)) {
      end = e;
      start = lastStart;
    }
  }
  if (!end) return undefined;
  const title = oneLine((start?.step.title ?? '').trim() || end.step.text || end.step.key);
  const status = end.status === 'timed-out' ? 'timed out' : end.status;
  const result = end.exitCode === null ? status : `${status}, exit ${end.exitCode}`;
  const lines = [`▶ ${title}`, `${result} · ${formatDuration(end.durationMs)} · ended ${end.time}`];
  if (start) lines.push('', '$ ' + start.command.replace(/\n$/, '').split('\n').join('\n  '));
  lines.push('', end.output === '' ? '(no output)' : end.output.replace(/\n$/, ''), '');
  return { title, end, text: lines.join('\n') };
}
