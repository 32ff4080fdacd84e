/** What the run engine does between steps: waiting on the operator, checking the runbook, finding a step again. */
import { looseSteps, relocateStep, type Diagnostic, type Runbook, type Step } from '../runbook';

/** Thrown inside the engine when the run is interrupted; never leaves it. */
export class Interrupted extends Error {}

/** `p`, or an Interrupted rejection as soon as the signal fires. */
export function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new Interrupted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Interrupted());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}

/**
 * The problems that make the runbook's steps ambiguous, when a step has one: then nothing runs. A
 * block outside the steps counts only when it is to run (`also`).
 */
export function refusal(rb: Runbook, also: readonly Step[] = []): Diagnostic[] | undefined {
  const blocked = rb.steps.some((s) => s.blockers.length > 0) || also.some((s) => s.loose && s.blockers.length > 0);
  return blocked ? rb.problems.filter((p) => p.severity === 'error') : undefined;
}

/** The step found in `after`, or why not. */
export function findAgain(before: string, step: Step, after: string, rb: Runbook): { step: Step } | { reason: string } {
  if (step.loose) {
    const same = looseSteps(rb).find((s) => s.key === step.key && s.commands[0].code === step.commands[0].code && s.commands[0].info === step.commands[0].info);
    return same ? { step: same } : { reason: 'the block was changed or removed' };
  }
  const r = relocateStep(before, step, after, rb);
  return r.ok ? { step: r.value.step } : { reason: r.error };
}
