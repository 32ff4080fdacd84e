/**
 * Whether a pull request's reviews approve a runbook as it is about to run: the pure part of the
 * approval gate. The caller fetches the reviews and the runbook as it was at each approved commit;
 * this decides, and says why in words that name who can unblock it.
 *
 * Each reviewer counts with their latest review that approves, requests changes or was dismissed
 * (a comment leaves their standing as it was), as on GitHub. One reviewer requesting changes blocks;
 * otherwise an approval lets the run go on when the approved commit holds the same runbook, ticked
 * boxes aside.
 */
import type { PullRequestReview } from './ports';

export interface GatePullRequest {
  number: number;
  url: string;
  /** The branch, when known. */
  headBranch?: string;
}

export type GateVerdict =
  | { allowed: true; pullRequest: GatePullRequest; approvedBy: string[]; commit: string; fileSha?: string }
  | { allowed: false; reason: string; pullRequest?: GatePullRequest };

/** Each reviewer's standing: the approvals still in force (newest first) and the requests for changes. */
export function reviewStanding(reviews: readonly PullRequestReview[]): { approvals: PullRequestReview[]; changesRequested: PullRequestReview[] } {
  const latest = new Map<string, PullRequestReview>();
  for (const r of reviews) {
    if (r.state === 'COMMENTED' || r.state === 'PENDING' || !r.user) continue;
    latest.set(r.user.toLowerCase(), r);
  }
  const standing = [...latest.values()].sort((a, b) => (b.submittedAt ?? '').localeCompare(a.submittedAt ?? ''));
  return { approvals: standing.filter((r) => r.state === 'APPROVED'), changesRequested: standing.filter((r) => r.state === 'CHANGES_REQUESTED') };
}

/** The approved commits to compare the runbook with, newest approval first, each with its approvers. */
export function approvedCommits(approvals: readonly PullRequestReview[]): { commit: string; approvers: string[] }[] {
  const out: { commit: string; approvers: string[] }[] = [];
  for (const a of approvals) {
    if (!a.commitId) continue;
    const seen = out.find((c) => c.commit === a.commitId);
    if (seen) seen.approvers.push(a.user);
    else out.push({ commit: a.commitId, approvers: [a.user] });
  }
  return out;
}

/** Who can unblock it: the reviewers asked for, else anyone who may approve there. */
export function whoMustApprove(requested: { users: readonly string[]; teams: readonly string[]; org: string } | undefined, repo: string): string {
  const names = [...(requested?.users ?? []).map((u) => `@${u}`), ...(requested?.teams ?? []).map((t) => `@${requested!.org}/${t}`)];
  return names.length ? `${names.join(', ')} (review requested)` : `a reviewer with write access to ${repo}`;
}

/** Why the reviews alone block the run, or undefined when an approval may let it through. */
export function blockedByReviews(pull: GatePullRequest, standing: ReturnType<typeof reviewStanding>, mustApprove: () => string): string | undefined {
  const name = `pull request #${pull.number} (${pull.url})`;
  if (standing.changesRequested.length) {
    const who = standing.changesRequested.map((r) => `@${r.user}`).join(', ');
    return `${who} requested changes on ${name}; once they are made, ${standing.changesRequested.length === 1 ? 'that reviewer' : 'those reviewers'} must approve it`;
  }
  if (!standing.approvals.length) return `${name} has no approving review; it needs one from ${mustApprove()}`;
  if (!approvedCommits(standing.approvals).length) return `the approvals of ${name} name no commit, so what they approved cannot be compared`;
  return undefined;
}

/** The verdict once the approved commits were compared, in order, with the runbook as it is. */
export function approvalVerdict(
  pull: GatePullRequest,
  path: string,
  compared: readonly { commit: string; approvers: string[]; result: 'same' | 'changed' | 'missing'; fileSha?: string }[],
  mustApprove: () => string,
): GateVerdict {
  const same = compared.find((c) => c.result === 'same');
  if (same) return { allowed: true, pullRequest: pull, approvedBy: same.approvers, commit: same.commit, ...(same.fileSha ? { fileSha: same.fileSha } : {}) };
  const newest = compared[0];
  const who = newest ? newest.approvers.map((u) => `@${u}`).join(', ') : 'the reviewers';
  const what =
    newest?.result === 'missing'
      ? `${path} is not in commit ${newest.commit.slice(0, 12)} that ${who} approved`
      : `${path} changed since ${who} approved it at ${newest?.commit.slice(0, 12) ?? 'an earlier commit'} (more than ticked boxes)`;
  return { allowed: false, pullRequest: pull, reason: `${what}; pull request #${pull.number} (${pull.url}) needs an approval of the runbook as it is now, from ${mustApprove()}` };
}
