import type { Step, StepResult } from '../core/runbook';

export type StepState = 'running' | 'done' | 'failed' | 'todo';

export function stepState(step: Step, result: StepResult | undefined, runningKey: string | undefined): StepState {
  if (runningKey === step.key) return 'running';
  if (step.checked) return 'done';
  if (result && result.status !== 'passed' && result.status !== 'skipped') return 'failed';
  return 'todo';
}

/** Arguments the step commands take: the runbook and the step's line and key. */
export interface StepArgs {
  uri: string;
  line: number;
  key: string;
}
