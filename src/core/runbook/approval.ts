/**
 * The approval gate a runbook declares in its front matter:
 *
 *     approval:
 *       pullRequest: auto        # the pull request of the runbook's branch, a number, or its URL
 *       from: backup             # the first gated step: its fence name, else its text
 *
 * Every step from `from` on (in the file's order, Rollback included; every step without `from`)
 * runs only once the pull request's review approves the runbook as it is. A declaration that
 * cannot be read, or a `from` that names no step, blocks every step: a gate that cannot be
 * evaluated never lets a step through.
 */
import { parsePullRequestUrl, type PullRequestUrl } from '../github/remote';
import { isPlainObject } from './guards';
import type { Diagnostic, Runbook, Step } from './model';

export type PullRequestSpec = { kind: 'auto' } | { kind: 'number'; number: number } | ({ kind: 'url'; url: string } & PullRequestUrl);

export interface ApprovalSpec {
  pullRequest: PullRequestSpec;
  /** The first gated step as written: a fence name or a step's text. Unset: every step. */
  from?: string;
  /** The front-matter line of the `approval` key. */
  line: number;
}

const KEYS = new Set(['pullRequest', 'from']);

/** `auto`, a pull request number or URL; a one-line reason when it is none of them. */
export function parsePullRequestSpec(value: unknown): PullRequestSpec | string {
  if (value === 'auto') return { kind: 'auto' };
  if (typeof value === 'number' || (typeof value === 'string' && /^#?[0-9]+$/.test(value.trim()))) {
    const n = Number(String(value).trim().replace(/^#/, ''));
    return Number.isSafeInteger(n) && n > 0 ? { kind: 'number', number: n } : `${JSON.stringify(value)} is not a pull request number`;
  }
  if (typeof value === 'string') {
    const url = parsePullRequestUrl(value);
    if (url) return { kind: 'url', url: value.trim(), ...url };
  }
  return `"pullRequest" must be auto, a pull request number or its URL (https://github.com/OWNER/REPO/pull/N), not ${JSON.stringify(value) ?? String(value)}`;
}

/** Reads the `approval` value of the front matter; problems go to `report`. */
export function readApproval(value: unknown, line: number, report: (severity: Diagnostic['severity'], line: number, message: string) => void): ApprovalSpec | undefined {
  if (value == null) return undefined;
  if (!isPlainObject(value)) {
    report('error', line, '"approval" must be a mapping: { pullRequest: auto | NUMBER | URL, from: STEP }.');
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!KEYS.has(key)) report('warning', line, `Unknown key "${key}" in "approval" is ignored.`);
  }
  if (value.pullRequest == null) {
    report('error', line, '"approval" needs "pullRequest": auto, a pull request number or its URL.');
    return undefined;
  }
  const pullRequest = parsePullRequestSpec(value.pullRequest);
  if (typeof pullRequest === 'string') {
    report('error', line, pullRequest);
    return undefined;
  }
  if (value.from != null && (typeof value.from !== 'string' || value.from.trim() === '')) {
    report('error', line, '"from" of "approval" must name a step: its fence "name" or its text.');
    return undefined;
  }
  return { pullRequest, from: typeof value.from === 'string' ? value.from.trim() : undefined, line };
}

function sameText(a: string, b: string): boolean {
  return a.replace(/\s+/g, ' ').trim().toLowerCase() === b.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** The step `approval.from` names: by fence name first, then by text; undefined when none or no `from`. */
export function gateStart(rb: Pick<Runbook, 'meta' | 'steps'>): Step | undefined {
  const from = rb.meta.approval?.from;
  if (from === undefined) return undefined;
  return rb.steps.find((s) => s.name === from) ?? rb.steps.find((s) => s.commands.some((c) => c.attrs.name === from)) ?? rb.steps.find((s) => sameText(s.text, from));
}

/** Whether a step (or a block outside the steps) waits for the approval. */
export function isGated(rb: Pick<Runbook, 'meta' | 'steps'>, step: Pick<Step, 'line'>): boolean {
  const approval = rb.meta.approval;
  if (!approval) return false;
  if (approval.from === undefined) return true;
  const start = gateStart(rb);
  // A `from` that names no step makes every step a blocked one (see approvalProblem); gated all the same.
  return !start || step.line >= start.line;
}

/** The problem of an `approval.from` that names no step of the runbook, for the parser to report. */
export function approvalProblem(rb: Pick<Runbook, 'meta' | 'steps'>): Diagnostic | undefined {
  const approval = rb.meta.approval;
  if (!approval?.from || gateStart(rb)) return undefined;
  const line = approval.line;
  return {
    severity: 'error',
    code: 'front-matter',
    message: `"from" of "approval" names no step: no step has the name or the text ${JSON.stringify(approval.from)}.`,
    line,
    endLine: line + 1,
  };
}
