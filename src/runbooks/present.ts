import type { Step, StepResult } from '../core/runbook';
import { formatDuration } from '../core/runbook';

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

export type StepState = 'running' | 'done' | 'failed' | 'todo';

export function stepState(step: Step, result: StepResult | undefined, runningKey: string | undefined): StepState {
  if (runningKey === step.key) return 'running';
  if (step.checked) return 'done';
  if (result && result.status !== 'passed') return 'failed';
  return 'todo';
}

/** Arguments the step commands take: the runbook and the step's line and key. */
export interface StepArgs {
  uri: string;
  line: number;
  key: string;
}
