/**
 * The approval gate in a headless run: checked before the first gated step, and again only when
 * the runbook changed since in more than its ticked boxes. A blocked gate is recorded with its
 * reason; an operator at a terminal may override it by typing "override" and a reason, both
 * recorded; without one the run stops there (exit 4).
 */
import type { GateVerdict } from '../github/approval';
import { isGated, stepRef, withoutTicks, type ApprovalEvent, type ApprovalOverrideEvent, type Runbook, type Step } from '../runbook';
import type { RunPorts } from './ports';
import { abortable } from './steps';

type Record = Omit<ApprovalEvent, 'runId' | 'time'> | Omit<ApprovalOverrideEvent, 'runId' | 'time'>;

/** Resolves to undefined when the step may run, else to why it may not. */
export type ApprovalKeeper = (rb: Runbook, text: string, step: Step, signal?: AbortSignal) => Promise<string | undefined>;

export function approvalKeeper(ports: Pick<RunPorts, 'approval' | 'prompts'>, record: (e: Record) => void, mask: (s: string) => string): ApprovalKeeper {
  let passedFor: string | undefined;
  return async (rb, text, step, signal) => {
    if (!isGated(rb, step)) return undefined;
    const normal = withoutTicks(text);
    if (passedFor === normal) return undefined;
    const verdict: GateVerdict = ports.approval
      ? await abortable(ports.approval.check(text, signal), signal)
      : { allowed: false, reason: 'the approval cannot be checked here' };
    const pullRequest = verdict.pullRequest && { number: verdict.pullRequest.number, url: verdict.pullRequest.url };
    const headBranch = verdict.pullRequest?.headBranch;
    if (verdict.allowed) {
      record({ type: 'approval', step: stepRef(step), allowed: true, pullRequest, approvedBy: verdict.approvedBy, commit: verdict.commit, ...(verdict.fileSha ? { fileSha: verdict.fileSha } : {}), ...(headBranch ? { headBranch } : {}) });
      passedFor = normal;
      return undefined;
    }
    const reason = mask(verdict.reason);
    record({ type: 'approval', step: stepRef(step), allowed: false, reason, ...(pullRequest ? { pullRequest } : {}), ...(headBranch ? { headBranch } : {}) });
    const why = ports.prompts?.override ? await abortable(ports.prompts.override(step, reason), signal) : undefined;
    if (why?.trim()) {
      record({ type: 'approval-override', step: stepRef(step), reason: mask(why.trim()), blocked: reason });
      passedFor = normal;
      return undefined;
    }
    return `step "${step.text}" needs an approved review: ${reason}`;
  };
}
