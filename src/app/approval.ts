/**
 * The approval gate's check, the same for `preflight run` and the editor: the runbook's pull
 * request (named, or `auto`), its reviews, and the runbook as each approving reviewer saw it,
 * compared with the runbook about to run, ticked boxes aside.
 *
 * It fails closed: no pull request, no answer from GitHub (offline, refused, rate limited) or an
 * answer from the cache instead of GitHub is a blocked gate with the reason. Answers are cached
 * only as conditional requests, so a review given a moment ago counts at once; with every answer
 * unchanged since the last check, GitHub counts none of its requests. The runbook at an approved
 * commit is read from the clone when it has the commit.
 */
import { fileAtCommit } from '../adapters/gitClone';
import { approvalVerdict, approvedCommits, blockedByReviews, reviewStanding, whoMustApprove, type GatePullRequest, type GateVerdict } from '../core/github/approval';
import { gitBlobSha } from '../core/github/branchPullRequest';
import type { GitHubApi, GitHubError, PullRequest, PullRequestReview } from '../core/github/ports';
import { webBaseUrl } from '../core/github/remote';
import { withoutTicks, type RunbookMeta } from '../core/runbook';
import { githubFor, lookUpPullRequest, repoName, runbookPullRequestTarget, type GitHubEnvironment, type RunbookPullRequestTarget } from './runbookPullRequest';

export type { GateVerdict };

export interface ApprovalRequest {
  /** The runbook's absolute path. */
  file: string;
  /** The runbook as it is about to run. */
  text: string;
  /** Its front matter, with the `approval` it declares. */
  meta: RunbookMeta;
  /** The API, instead of the one of the clone's origin (`--api-url`). */
  apiUrl?: string;
  /** The conditional-request cache (per identity inside). */
  cacheDir?: string;
}

/** At most this many approved commits are read to find one that holds the runbook as it is. */
const MAX_COMPARED = 3;
const MAX_REVIEW_PAGES = 10;

export async function checkApproval(req: ApprovalRequest, env: GitHubEnvironment): Promise<GateVerdict & { requests: number }> {
  const spec = req.meta.approval;
  let requests = 0;
  const blocked = (reason: string, pullRequest?: GatePullRequest) => ({ allowed: false as const, reason, requests, ...(pullRequest ? { pullRequest } : {}) });
  if (!spec) return blocked('the runbook declares no approval');
  const target = await runbookPullRequestTarget(req.file, spec.pullRequest, req.meta, req.apiUrl);
  if (!target.ok) return blocked(`the approval cannot be checked: ${target.error}`);
  const t = target.value;
  const { api } = await githubFor(t, env, { cacheDir: req.cacheDir });
  const unreachable = (e: GitHubError | string) => `the approval cannot be checked: ${typeof e === 'string' ? e : e.message}`;
  const opts = { signal: env.signal };

  let pull: PullRequest | undefined;
  let ref: GatePullRequest;
  if (t.number === undefined) {
    const found = await lookUpPullRequest(api, t, opts);
    requests += found.requests;
    if (!found.ok) return blocked(unreachable(found.error));
    pull = found.value;
    ref = { number: pull.number, url: pull.htmlUrl, headBranch: pull.head };
  } else {
    ref = { number: t.number, url: spec.pullRequest.kind === 'url' ? spec.pullRequest.url : `${webBaseUrl(t.apiUrl)}/${repoName(t.repo)}/pull/${t.number}` };
  }

  const reviews: PullRequestReview[] = [];
  for (let page = 1; page <= MAX_REVIEW_PAGES; ) {
    requests++;
    const r = await api.listReviews(t.repo, ref.number, { page, perPage: 100 }, opts);
    if (!r.ok) return blocked(unreachable(r.error.kind === 'not-found' ? `pull request #${ref.number} of ${repoName(t.repo)} not found on ${api.host} (404), or the token cannot see it` : r.error), ref);
    // A cached answer instead of GitHub's could hide a review given since.
    if (r.stale) return blocked(unreachable(r.stale), ref);
    reviews.push(...r.value.items);
    if (r.value.next === null) break;
    page = r.value.next;
  }

  /** Who can unblock it; reads the pull request for its requested reviewers when not read yet. */
  const who = async (): Promise<string> => {
    if (!pull) {
      requests++;
      const r = await api.getPullRequest(t.repo, ref.number, opts);
      if (r.ok) pull = r.value;
    }
    if (pull) ref = { ...ref, url: pull.htmlUrl, headBranch: pull.head };
    return whoMustApprove(pull && { users: pull.requestedReviewers, teams: pull.requestedTeams, org: t.repo.owner }, repoName(t.repo));
  };

  const standing = reviewStanding(reviews);
  const mustApprove = standing.approvals.length || standing.changesRequested.length ? '' : await who();
  const byReviews = blockedByReviews(ref, standing, () => mustApprove);
  if (byReviews) return blocked(byReviews, ref);

  const mine = withoutTicks(req.text);
  const compared: { commit: string; approvers: string[]; result: 'same' | 'changed' | 'missing'; fileSha?: string }[] = [];
  for (const { commit, approvers } of approvedCommits(standing.approvals).slice(0, MAX_COMPARED)) {
    const content = await approvedContent(api, t, commit, opts, () => requests++);
    if (typeof content === 'object' && 'error' in content) return blocked(unreachable(content.error), ref);
    if (content === undefined) {
      compared.push({ commit, approvers, result: 'missing' });
      continue;
    }
    const same = withoutTicks(content.toString('utf8')) === mine;
    compared.push({ commit, approvers, result: same ? 'same' : 'changed', fileSha: gitBlobSha(content) });
    if (same) break;
  }
  const verdict = approvalVerdict(ref, t.path, compared, () => '');
  if (verdict.allowed) return { ...verdict, requests };
  const w = await who();
  return { ...approvalVerdict(ref, t.path, compared, () => w), requests };
}

/** The runbook at a commit: from the clone when it has the commit, else from GitHub; undefined when the commit has no such file. */
async function approvedContent(api: GitHubApi, t: RunbookPullRequestTarget, commit: string, opts: { signal?: AbortSignal }, counted: () => void): Promise<Buffer | undefined | { error: GitHubError }> {
  const local = t.clone ? await fileAtCommit(t.clone, commit, t.path) : undefined;
  if (local) return local;
  counted();
  const r = await api.getFile(t.repo, t.path, commit, opts);
  if (!r.ok) return r.error.kind === 'not-found' ? undefined : { error: r.error };
  // A commit's content never changes: a cached copy of it is as good as GitHub's.
  return r.value?.content ?? undefined;
}
