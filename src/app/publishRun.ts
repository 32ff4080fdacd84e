/**
 * Publish a run to its runbook's pull request, the same for `preflight report --pr` and the
 * editor's Publish Run to Pull Request: one comment with the run's report (found again by its
 * hidden marker, so later publishes edit it), the labels of the upgrade's state, and, when wanted,
 * the ticked runbook committed to the pull request's branch so its diff shows the progress.
 *
 * What the run's log knows saves requests: the pull request and its branch from the approval
 * gate's check, the comment and the runbook's blob on the branch from earlier publishes. A guess
 * that turns out wrong costs a request and is corrected; it never writes over someone's change: the
 * runbook is committed only over a version that differs from it in ticked boxes alone.
 */
import { gitBlobSha } from '../core/github/branchPullRequest';
import type { GitHubApi, GitHubError, GitHubResult, IssueComment, PullRequest } from '../core/github/ports';
import { webBaseUrl } from '../core/github/remote';
import { hasManualChange, isRunComment, publishLabels, runComment, sameLabels, STATE_LABELS, MANUAL_CHANGE_LABEL, upgradeState, type UpgradeState } from '../core/github/runComment';
import type { Result } from '../core/result';
import { mainSteps, parseRunbook, withoutTicks, type ApprovalEvent, type PublishEvent, type PullRequestSpec, type RunEvent } from '../core/runbook';
import { githubFor, lookUpPullRequest, repoName, runbookPullRequestTarget, type GitHubEnvironment, type RunbookPullRequestTarget } from './runbookPullRequest';

export interface PublishRunRequest {
  /** The runbook's absolute path. */
  file: string;
  /** Its bytes now: what is committed to the branch. */
  content: Buffer;
  pullRequest: PullRequestSpec;
  /** The API, instead of the one of the clone's origin (`--api-url`). */
  apiUrl?: string;
  /** The run's events, from its log. */
  events: readonly RunEvent[];
  /** Earlier publishes of this runbook, newest first (its logs' publish records). */
  earlier: readonly PublishEvent[];
  /** Commit the ticked runbook to the pull request's branch. */
  commit: boolean;
}

export interface PublishedRun {
  pullRequest: { number: number; url: string };
  comment: { id: number; url: string; created: boolean };
  state: UpgradeState;
  labels: string[];
  /** The commit that recorded the ticked runbook; undefined when none was made (see `commitNote`). */
  committed?: { commit: string; fileSha: string };
  /** Why the runbook was not committed, when it was wanted. */
  commitNote?: string;
  warnings: string[];
  requests: number;
  /** What the front end appends to the run's log. */
  record: Omit<PublishEvent, 'type' | 'runId' | 'time'>;
}

const MAX_COMMENT_PAGES = 30;

export async function publishRun(req: PublishRunRequest, env: GitHubEnvironment): Promise<Result<PublishedRun, string>> {
  const rb = parseRunbook(req.content.toString('utf8'));
  const target = await runbookPullRequestTarget(req.file, req.pullRequest, rb.meta, req.apiUrl);
  if (!target.ok) return { ok: false, error: `cannot publish the run: ${target.error}` };
  let last: string | undefined;
  let refused: string | undefined;
  for (const again of [false, true]) {
    const { api, token } = await githubFor(target.value, env, { again });
    // A second try only with a new token; without one, GitHub's refusal stands.
    if (again && (!token || token === last)) break;
    last = token;
    const r = await attempt(api, target.value, req, env.signal);
    if (r.ok || r.error.kind !== 'auth') return r.ok ? r : { ok: false, error: r.error.message };
    refused = r.error.message;
  }
  return { ok: false, error: refused ?? 'GitHub refused the token' };
}

type Failure = { ok: false; error: GitHubError };

async function attempt(api: GitHubApi, t: RunbookPullRequestTarget, req: PublishRunRequest, signal: AbortSignal | undefined): Promise<{ ok: true; value: PublishedRun } | Failure> {
  const opts = { signal };
  let requests = 0;
  const send = <T>(p: Promise<GitHubResult<T>>): Promise<GitHubResult<T>> => (requests++, p);
  const fail = (error: GitHubError | string): Failure => ({ ok: false, error: typeof error === 'string' ? { kind: 'not-found', message: error } : error });
  const warnings: string[] = [];
  const rb = parseRunbook(req.content.toString('utf8'));

  // The pull request: named, or the one the gate checked in this run, or looked up.
  const approval = [...req.events].reverse().find((e): e is ApprovalEvent => e.type === 'approval' && e.allowed && e.pullRequest !== undefined);
  let pull: PullRequest | undefined;
  let number = t.number ?? approval?.pullRequest?.number;
  const earlier = () => req.earlier.find((e) => e.pullRequest.number === number);
  let headBranch = (approval?.pullRequest?.number === number ? approval?.headBranch : undefined) ?? earlier()?.headBranch;
  if (number === undefined || (req.commit && !headBranch)) {
    const found = await lookUpPullRequest(api, number === undefined ? t : { ...t, number }, opts);
    requests += found.requests;
    if (!found.ok) return fail(found.error);
    pull = found.value;
    number = pull.number;
    headBranch = pull.head;
  }
  const url = pull?.htmlUrl ?? (approval?.pullRequest?.number === number ? approval.pullRequest.url : undefined) ?? earlier()?.pullRequest.url ?? `${webBaseUrl(t.apiUrl)}/${repoName(t.repo)}/pull/${number}`;
  const record = earlier();

  // The comment: the one recorded, else the one with the marker, else a new one.
  const body = runComment({ events: req.events, rb, path: t.path });
  let comment: IssueComment | undefined;
  let created = false;
  if (record) {
    const r = await send(api.updateIssueComment(t.repo, record.commentId, body, opts));
    if (r.ok) comment = r.value;
    else if (r.error.kind !== 'not-found') return fail(r.error);
  }
  if (!comment) {
    let found: IssueComment | undefined;
    // A full pull request says how many comments it has: none to look through on a new one.
    for (let page = 1; pull?.comments !== 0 && page <= MAX_COMMENT_PAGES; ) {
      const r = await send(api.listIssueComments(t.repo, number, { page, perPage: 100 }, opts));
      if (!r.ok) return fail(r.error);
      found = r.value.items.find((c) => isRunComment(c.body, t.path));
      if (found || r.value.next === null) break;
      page = r.value.next;
    }
    const r = found ? await send(api.updateIssueComment(t.repo, found.id, body, opts)) : await send(api.createIssueComment(t.repo, number, body, opts));
    if (!r.ok) return fail(r.error);
    comment = r.value;
    created = !found;
  }

  // The labels of the state: set from the pull request's labels when read, else added and tidied.
  const state = upgradeState(req.events, rb);
  const manual = hasManualChange(req.events);
  let labels: string[];
  const known = pull?.labels ?? record?.labels;
  if (known && sameLabels(known, publishLabels(known, state, manual))) {
    labels = [...known];
  } else if (pull) {
    const r = await send(api.setLabels(t.repo, number, publishLabels(pull.labels, state, manual), opts));
    labels = r.ok ? r.value : pull.labels;
    if (!r.ok) warnings.push(`the labels were not set: ${r.error.message}`);
  } else {
    const added = await send(api.addLabels(t.repo, number, [STATE_LABELS[state], ...(manual ? [MANUAL_CHANGE_LABEL] : [])], opts));
    labels = added.ok ? added.value : [];
    if (!added.ok) warnings.push(`the labels were not set: ${added.error.message}`);
    else if (!sameLabels(labels, publishLabels(labels, state, manual))) {
      const r = await send(api.setLabels(t.repo, number, publishLabels(labels, state, manual), opts));
      if (r.ok) labels = r.value;
      else warnings.push(`the labels were not tidied: ${r.error.message}`);
    }
  }

  // The ticked runbook on the branch.
  let committed: PublishedRun['committed'];
  let commitNote: string | undefined;
  let branchSha = record?.fileSha;
  if (req.commit && headBranch) {
    const done = mainSteps(rb).filter((s) => s.checked).length;
    const message = `Record the run of ${rb.title ?? t.path}: ${done}/${mainSteps(rb).length} steps done`;
    const r = await commitRunbook(api, t, headBranch, req.content, message, record?.fileSha ?? approval?.fileSha, send, opts);
    if ('note' in r) commitNote = r.note;
    else if ('unchanged' in r) branchSha = r.unchanged;
    else committed = r;
  }
  if (commitNote) warnings.push(commitNote);

  return {
    ok: true,
    value: {
      pullRequest: { number, url },
      comment: { id: comment.id, url: comment.htmlUrl, created },
      state,
      labels,
      ...(committed ? { committed } : {}),
      ...(commitNote ? { commitNote } : {}),
      warnings,
      requests,
      record: {
        pullRequest: { number, url },
        commentId: comment.id,
        commentUrl: comment.htmlUrl,
        ...(headBranch ? { headBranch } : {}),
        labels,
        ...(committed ? { commit: committed.commit, fileSha: committed.fileSha } : branchSha ? { fileSha: branchSha } : {}),
      },
    },
  };
}

/**
 * Commits the runbook over the branch's version when the two differ only in ticked boxes. The
 * branch's blob is taken from what the log knows, else guessed as the runbook with no box ticked;
 * GitHub refuses a wrong one, and then the branch's version is read and compared.
 */
async function commitRunbook(
  api: GitHubApi,
  t: RunbookPullRequestTarget,
  branch: string,
  content: Buffer,
  message: string,
  knownSha: string | undefined,
  send: <T>(p: Promise<GitHubResult<T>>) => Promise<GitHubResult<T>>,
  opts: { signal?: AbortSignal },
): Promise<{ commit: string; fileSha: string } | { note: string } | { unchanged: string }> {
  const mine = gitBlobSha(content);
  const guess = knownSha ?? gitBlobSha(Buffer.from(withoutTicks(content.toString('utf8')), 'utf8'));
  if (guess === mine && knownSha) return { unchanged: mine };
  if (guess !== mine) {
    const put = await send(api.putFile(t.repo, { path: t.path, content, message, branch, sha: guess }, opts));
    if (put.ok) return { commit: put.value.commitSha, fileSha: put.value.fileSha || mine };
    if (put.error.status !== 409 && put.error.kind !== 'validation') return { note: `${t.path} was not committed to ${branch}: ${put.error.message}` };
  }
  const theirs = await send(api.getFile(t.repo, t.path, branch, opts));
  if (!theirs.ok || !theirs.value) return { note: `${t.path} was not committed to ${branch}: ${theirs.ok ? 'it is not a file there' : theirs.error.message}` };
  if (theirs.value.sha === mine) return { unchanged: mine };
  if (withoutTicks(theirs.value.content.toString('utf8')) !== withoutTicks(content.toString('utf8'))) {
    return { note: `${t.path} was not committed to ${branch}: the version there differs from this one in more than ticked boxes` };
  }
  const put = await send(api.putFile(t.repo, { path: t.path, content, message, branch, sha: theirs.value.sha }, opts));
  return put.ok ? { commit: put.value.commitSha, fileSha: put.value.fileSha || mine } : { note: `${t.path} was not committed to ${branch}: ${put.error.message}` };
}
