/**
 * A run as its pull request shows it: one comment with the run's report, found again by a hidden
 * marker naming the runbook, and labels that follow the state of the upgrade.
 */
import { excludedFromRunAll, lastResults, mainSteps, renderReport, type RunEvent, type Runbook } from '../runbook';
import { hidden } from './pullRequestBody';

export type UpgradeState = 'in-progress' | 'done' | 'failed' | 'rolled-back';

export const STATE_LABELS: Readonly<Record<UpgradeState, string>> = {
  'in-progress': 'upgrade:in-progress',
  done: 'upgrade:done',
  failed: 'upgrade:failed',
  'rolled-back': 'upgrade:rolled-back',
};

/** Added when a command was typed by hand during a run; never taken away by a later run. */
export const MANUAL_CHANGE_LABEL = 'manual-change';

/** GitHub keeps comments up to 65,536 characters. */
const MAX_COMMENT_CHARS = 65_000;

/**
 * Where the upgrade stands after the run's events: rolled back when a Rollback step ran after the
 * last failure, failed when the last main step to end did not pass, done when every main step is
 * ticked or passed (or was skipped by the operator), else in progress.
 */
export function upgradeState(events: readonly RunEvent[], rb: Runbook): UpgradeState {
  const rollback = new Set(rb.steps.filter((s) => s.rollback).map((s) => s.key));
  let lastMain: RunEvent | undefined;
  let rolledBack = false;
  for (const e of events) {
    if (e.type === 'run-reset') {
      lastMain = undefined;
      rolledBack = false;
    }
    if (e.type !== 'step-end') continue;
    if (rollback.has(e.step.key)) {
      if (lastMain?.type === 'step-end' && lastMain.status !== 'passed' && lastMain.status !== 'skipped') rolledBack = true;
    } else {
      lastMain = e;
      rolledBack = false;
    }
  }
  if (rolledBack) return 'rolled-back';
  if (lastMain?.type === 'step-end' && lastMain.status !== 'passed' && lastMain.status !== 'skipped') return 'failed';
  const results = lastResults(events);
  const main = mainSteps(rb).filter((s) => !excludedFromRunAll(s));
  const finished = main.every((s) => s.checked || ['passed', 'skipped'].includes(results.get(s.key)?.status ?? ''));
  return main.length > 0 && finished ? 'done' : 'in-progress';
}

/** Whether the run had a command typed by hand. */
export function hasManualChange(events: readonly RunEvent[]): boolean {
  return events.some((e) => e.type === 'manual-command');
}

/** The labels a pull request should have: its own, with the one state label, and manual-change when due. */
export function publishLabels(current: readonly string[], state: UpgradeState, manual: boolean): string[] {
  const states = new Set(Object.values(STATE_LABELS).map((l) => l.toLowerCase()));
  const out = current.filter((l) => !states.has(l.toLowerCase()));
  out.push(STATE_LABELS[state]);
  if (manual && !out.some((l) => l.toLowerCase() === MANUAL_CHANGE_LABEL)) out.push(MANUAL_CHANGE_LABEL);
  return out;
}

/** Whether two label lists hold the same names, in any order and case. */
export function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  const key = (l: readonly string[]) => [...new Set(l.map((x) => x.toLowerCase()))].sort().join('\n');
  return key(a) === key(b);
}

/** The hidden first line of a runbook's run comment. */
export function runCommentMarker(path: string): string {
  return `<!-- preflight:run-report path=${hidden(path)} -->`;
}

export function isRunComment(body: string, path: string): boolean {
  return body.startsWith(runCommentMarker(path));
}

const STATE_LINES: Readonly<Record<UpgradeState, string>> = {
  'in-progress': '🔄 In progress',
  done: '✅ Done',
  failed: '❌ Failed',
  'rolled-back': '⏪ Rolled back',
};

/**
 * The comment for a run: the marker, where the upgrade stands, then the run's report (approval and
 * overrides, manual interventions, confirmations, rollback offers and whether they were taken, the
 * last lines of failures' output). Everything in it comes from the log, where secrets are masked.
 */
export function runComment(input: { events: readonly RunEvent[]; rb: Runbook; path: string }): string {
  const { events, rb, path } = input;
  const state = upgradeState(events, rb);
  const main = mainSteps(rb);
  const results = lastResults(events);
  const done = main.filter((s) => s.checked || results.get(s.key)?.status === 'passed').length;
  const rollbackSteps = new Set(rb.steps.filter((s) => s.rollback).map((s) => s.key));
  const head = [runCommentMarker(path), `**${STATE_LINES[state]}** · ${done}/${main.length} steps done · label \`${STATE_LABELS[state]}\``, ''];
  for (const tail of [30, 5]) {
    const text = [...head, renderReport(events, { level: 2, outputTailLines: tail, rollbackSteps })].join('\n');
    if (text.length <= MAX_COMMENT_CHARS) return text;
  }
  const text = [...head, renderReport(events, { level: 2, includeFailedOutput: false, rollbackSteps })].join('\n');
  return text.length <= MAX_COMMENT_CHARS ? text : `${text.slice(0, MAX_COMMENT_CHARS)}\n\n… (the report is longer than a comment can be; the run log has all of it)\n`;
}
