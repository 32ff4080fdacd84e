import { looseSteps } from './blocks';
import { formatDuration } from './report';
import type { StepResult } from './runLog';
import type { Runbook, Step } from './model';

/** What a CodeLens above a step says and does, without the editor's types. */
export interface StepLens {
  line: number;
  title: string;
  action: 'runAll' | 'runNext' | 'reset' | 'run' | 'markDone' | 'stop' | 'showResult' | 'showProblems' | 'runBlock' | 'convertBlocks';
  step?: Step;
  tooltip?: string;
}

/** How a step's last result reads in a CodeLens, the tree and the status bar. */
export function resultLabel(r: StepResult): string {
  switch (r.status) {
    case 'passed':
      return `✓ ${formatDuration(r.durationMs)}`;
    case 'failed':
      return r.exitCode !== null ? `✗ exit ${r.exitCode}` : '✗ failed';
    case 'timed-out':
      return `✗ timed out after ${formatDuration(r.durationMs)}`;
    case 'stopped':
      return '■ stopped';
    case 'skipped':
      return '– skipped';
  }
}

/** The steps Run All and Run Next consider, in order: not rollback steps. */
export function mainSteps(rb: Runbook): Step[] {
  return rb.steps.filter((s) => !s.rollback);
}

/**
 * "▶ Run All · 3/12 done · ↺ Reset" at the top, and above each step "▶ Run" / "✓ Mark done" /
 * "↻ Re-run" with the last result, or "Running… · ■ Stop" while it runs.
 */
export function stepLenses(rb: Runbook, results: ReadonlyMap<string, StepResult>, runningKey?: string): StepLens[] {
  const main = mainSteps(rb);
  let done = 0;
  for (const s of main) if (s.checked) done++;
  const lenses: StepLens[] = [
    { line: 0, title: '▶ Run All', action: 'runAll' },
    { line: 0, title: `${done}/${main.length} done`, action: 'runNext', tooltip: 'Run the next step' },
    { line: 0, title: '↺ Reset', action: 'reset', tooltip: 'Untick every step and start a new run' },
  ];
  for (const step of rb.steps) {
    const line = step.line;
    if (step.key === runningKey) {
      lenses.push({ line, title: '$(sync~spin) Running…', action: 'showResult', step }, { line, title: '■ Stop', action: 'stop', step });
      continue;
    }
    if (step.manual) {
      lenses.push(step.checked ? { line, title: '✓ done', action: 'showResult', step } : { line, title: '✓ Mark done', action: 'markDone', step });
      continue;
    }
    const result = results.get(step.key);
    if (step.blockers.length) {
      // Fail closed: a step whose meaning is ambiguous offers no Run, only what is wrong.
      lenses.push({ line, title: '⚠ Cannot run: fix the runbook', action: 'showProblems', step, tooltip: step.blockers.join('\n') });
      if (result) lenses.push({ line, title: resultLabel(result), action: 'showResult', step, tooltip: `Last run ${result.time}` });
      continue;
    }
    lenses.push({ line, title: result !== undefined || step.checked ? '↻ Re-run' : '▶ Run', action: 'run', step });
    if (result) lenses.push({ line, title: resultLabel(result), action: 'showResult', step, tooltip: `Last run ${result.time}` });
  }
  return lenses;
}

/**
 * Above each runnable block outside any step: "▶ Run Block" / "↻ Re-run Block" with its last result,
 * "Running… · ■ Stop" while it runs, or what keeps it from running. With `offerConversion`, a
 * "Convert Blocks to Steps" at the top when some block can become a checkbox step.
 */
export function blockLenses(rb: Runbook, results: ReadonlyMap<string, StepResult>, runningKey?: string, offerConversion = false): StepLens[] {
  const lenses: StepLens[] = [];
  const blocks = looseSteps(rb);
  if (offerConversion && rb.looseBlocks.some((b) => b.runnable && b.topLevel)) {
    lenses.push({ line: 0, title: '☑ Convert Blocks to Steps', action: 'convertBlocks', tooltip: 'Turn each shell block into a checkbox step, so the file runs as a checklist' });
  }
  for (const step of blocks) {
    const line = step.line;
    if (step.key === runningKey) {
      lenses.push({ line, title: '$(sync~spin) Running…', action: 'showResult', step }, { line, title: '■ Stop', action: 'stop', step });
      continue;
    }
    const result = results.get(step.key);
    if (step.blockers.length) {
      lenses.push({ line, title: '⚠ Cannot run: fix the block', action: 'showProblems', step, tooltip: step.blockers.join('\n') });
    } else {
      lenses.push({ line, title: result ? '↻ Re-run Block' : '▶ Run Block', action: 'runBlock', step, tooltip: 'Run this block on its own: logged like a step, never ticked' });
    }
    if (result) lenses.push({ line, title: resultLabel(result), action: 'showResult', step, tooltip: `Last run ${result.time}` });
  }
  return lenses;
}
