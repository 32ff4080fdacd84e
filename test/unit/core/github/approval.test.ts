import * as assert from 'node:assert/strict';
import { approvalVerdict, approvedCommits, blockedByReviews, reviewStanding, whoMustApprove } from '../../../../src/core/github/approval';
import type { PullRequestReview } from '../../../../src/core/github/ports';

const PULL = { number: 7, url: 'https://github.com/acme/app/pull/7' };
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

let id = 0;
function review(user: string, state: PullRequestReview['state'], commitId: string | null = A, minute = ++id): PullRequestReview {
  return { id, user, state, commitId, submittedAt: `2024-05-01T10:${String(minute).padStart(2, '0')}:00Z`, htmlUrl: `${PULL.url}#pullrequestreview-${id}` };
}

describe('core/github/approval: the gate decides from the reviews', () => {
  it('counts each reviewer by their latest approving, requesting or dismissed review; comments change nothing', () => {
    const s = reviewStanding([review('alice', 'APPROVED', A, 1), review('alice', 'COMMENTED', A, 2), review('bob', 'CHANGES_REQUESTED', A, 3), review('bob', 'APPROVED', B, 4), review('carol', 'APPROVED', A, 5), review('carol', 'DISMISSED', A, 6)]);
    assert.deepEqual(s.approvals.map((r) => [r.user, r.commitId]), [['bob', B], ['alice', A]]);
    assert.deepEqual(s.changesRequested, []);
    assert.deepEqual(approvedCommits(s.approvals), [{ commit: B, approvers: ['bob'] }, { commit: A, approvers: ['alice'] }]);
  });

  it('blocks while someone requests changes, even with approvals, and names them', () => {
    const s = reviewStanding([review('alice', 'APPROVED'), review('bob', 'CHANGES_REQUESTED')]);
    assert.match(blockedByReviews(PULL, s, () => 'x')!, /^@bob requested changes on pull request #7 \(https:\/\/github\.com\/acme\/app\/pull\/7\); once they are made, that reviewer must approve it$/);
  });

  it('blocks without an approval and says who must approve: requested users and teams, else anyone with write access', () => {
    const none = reviewStanding([review('alice', 'COMMENTED')]);
    assert.equal(blockedByReviews(PULL, none, () => whoMustApprove({ users: ['alice'], teams: ['sre'], org: 'acme' }, 'acme/app')), 'pull request #7 (https://github.com/acme/app/pull/7) has no approving review; it needs one from @alice, @acme/sre (review requested)');
    assert.equal(whoMustApprove(undefined, 'acme/app'), 'a reviewer with write access to acme/app');
    assert.equal(blockedByReviews(PULL, reviewStanding([review('alice', 'APPROVED')]), () => ''), undefined);
  });

  it('lets the run go on only when an approved commit holds the runbook as it is', () => {
    const allowed = approvalVerdict(PULL, 'plan.md', [{ commit: B, approvers: ['bob'], result: 'changed' }, { commit: A, approvers: ['alice'], result: 'same', fileSha: 'f'.repeat(40) }], () => 'nobody');
    assert.deepEqual(allowed, { allowed: true, pullRequest: PULL, approvedBy: ['alice'], commit: A, fileSha: 'f'.repeat(40) });
    const changed = approvalVerdict(PULL, 'plan.md', [{ commit: B, approvers: ['bob'], result: 'changed' }], () => '@bob (review requested)');
    assert.deepEqual(changed, {
      allowed: false,
      pullRequest: PULL,
      reason: `plan.md changed since @bob approved it at ${B.slice(0, 12)} (more than ticked boxes); pull request #7 (https://github.com/acme/app/pull/7) needs an approval of the runbook as it is now, from @bob (review requested)`,
    });
    const missing = approvalVerdict(PULL, 'plan.md', [{ commit: A, approvers: ['alice'], result: 'missing' }], () => 'someone');
    assert.ok(!missing.allowed && missing.reason.startsWith(`plan.md is not in commit ${A.slice(0, 12)} that @alice approved`));
  });
});
