/**
 * Puts an upgrade plan up for review: commits it to its own branch and opens a pull request, or
 * brings the open one up to date. Everything goes through the REST API, so the user's working tree,
 * index and local branches are never touched.
 *
 * Runs converge on one branch and one open pull request: a run that stopped half-way (branch made,
 * pull request not) is finished by the next, and an unchanged plan makes no commit. A first run
 * given the base commit takes at most 6 requests, an update at most 4.
 *
 * An update keeps what the team did with the pull request: only the part of the description
 * Preflight wrote (between its markers) is replaced, the title only while it is the one Preflight
 * set, and the draft state is never changed.
 */
import { createHash } from 'node:crypto';
import { isValidBranchName } from '../git/refName';
import { generatedBody, mergeBody, splitReviewers, titleSetByPreflight } from './pullRequestBody';
import type { CallOptions, GitHubApi, GitHubError, GitHubResult, PullRequest, RepoRef } from './ports';

export interface OpenPlanPullRequestInput {
  repo: RepoRef;
  /** The branch the plan is committed to, e.g. `preflight/rocket-chat-7.0.0`. */
  branch: string;
  /** What the pull request merges into; the repository's default branch when unset. */
  baseBranch?: string;
  /** The head of `baseBranch` as the local clone last saw it; spares reading it from GitHub. */
  baseSha?: string;
  /**
   * The head of a branch as the local clone last saw it, for a base learned from GitHub (a clone
   * without origin/HEAD): spares reading the branch's head as well.
   */
  localBranchSha?: (branch: string) => Promise<string | undefined>;
  /** The plan's path in the repository. */
  path: string;
  content: string | Buffer;
  /** The message of the commit that adds the plan. */
  commitMessage: string;
  /** The message of a commit that replaces an earlier plan; `commitMessage` when unset. */
  updateMessage?: string;
  title: string;
  body: string;
  /** Added when missing; GitHub creates labels the repository does not have yet. */
  labels: string[];
  /** Logins, and teams as `org/team`; requested when their review is not pending already. */
  reviewers: string[];
  /** For a new pull request; when the repository's plan has no drafts, it is opened ready for review. */
  draft: boolean;
}

export interface OpenedPlanPullRequest {
  url: string;
  number: number;
  /** False when the open pull request from the branch was updated. */
  created: boolean;
  branchCreated: boolean;
  /** Whether a commit was made: false when the branch held this plan already. */
  fileChanged: boolean;
  draft: boolean;
  /** GitHub requests made. */
  requests: number;
  /** What did not work out, with the pull request open all the same: refused reviewers, labels, drafts. */
  warnings: string[];
}

/** Git's blob id of some content: sha1 of `blob <size>\0<content>`, as GitHub reports files. */
export function gitBlobSha(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

export async function openPlanPullRequest(api: GitHubApi, input: OpenPlanPullRequestInput, opts: CallOptions = {}): Promise<GitHubResult<OpenedPlanPullRequest>> {
  const { repo, branch } = input;
  // GitHub would refuse it half-way (or make a ref git cannot check out): refuse it before any request.
  for (const name of [branch, input.baseBranch]) {
    if (name !== undefined && !isValidBranchName(name)) return { ok: false, error: { kind: 'validation', message: `${JSON.stringify(name)} is not a valid branch name` } };
  }
  const content = Buffer.isBuffer(input.content) ? input.content : Buffer.from(input.content, 'utf8');
  const blob = gitBlobSha(content);
  const warnings: string[] = [];
  let requests = 0;
  const send = <T>(request: Promise<GitHubResult<T>>): Promise<GitHubResult<T>> => {
    requests++;
    return request;
  };
  /** Set once the branch is on GitHub: a failure after that, other than a refusal, is finished by running again. */
  let resumable = false;
  const failed = (error: GitHubError): GitHubResult<never> => ({
    ok: false,
    error: resumable && error.kind !== 'validation' ? { ...error, message: `${error.message}; branch ${branch} is kept, and running again finishes the pull request` } : error,
  });

  /** The plan's blob sha on the branch; null when the branch has no file there. */
  const currentBlob = async (): Promise<GitHubResult<string | null>> => {
    const file = await send(api.getFile(repo, input.path, branch, opts));
    if (file.ok) return ok(file.value?.sha ?? null);
    return file.error.kind === 'not-found' ? ok(null) : file;
  };

  /**
   * Commits the plan unless the branch has it. `current` is undefined for a branch just made from the
   * base: the base may hold an earlier plan, which GitHub then asks the sha of.
   */
  const commit = async (current: string | null | undefined): Promise<GitHubResult<boolean>> => {
    if (current === blob) return ok(false);
    const message = current ? (input.updateMessage ?? input.commitMessage) : input.commitMessage;
    const put = await send(api.putFile(repo, { path: input.path, content, message, branch, sha: current ?? undefined }, opts));
    if (put.ok) return ok(true);
    if (current === undefined && refused(put.error, /"?sha"? wasn't supplied/i)) {
      const found = await currentBlob();
      return found.ok ? commit(found.value) : found;
    }
    return put;
  };

  /** The branch from the base's head, or the one a stopped run made. Resolves to the base branch. */
  const createBranch = async (): Promise<GitHubResult<{ base: string; created: boolean }>> => {
    let base = input.baseBranch;
    let baseSha = input.baseSha;
    if (!base) {
      const repository = await send(api.getRepository(repo, opts));
      if (!repository.ok) return repository;
      base = repository.value.defaultBranch;
      baseSha = await input.localBranchSha?.(base);
    }
    const baseHead = async (): Promise<GitHubResult<string>> => {
      const ref = await send(api.getRef(repo, `refs/heads/${base}`, opts));
      return ref.ok ? ok(ref.value.sha) : ref;
    };
    const head = baseSha ? ok(baseSha) : await baseHead();
    if (!head.ok) return head;
    let made = await send(api.createRef(repo, `refs/heads/${branch}`, head.value, opts));
    if (!made.ok && baseSha && refused(made.error, /object does not exist/i)) {
      // The clone's base commit is not on GitHub (never pushed, or force-pushed away): use GitHub's.
      const current = await baseHead();
      if (!current.ok) return current;
      made = await send(api.createRef(repo, `refs/heads/${branch}`, current.value, opts));
    }
    if (made.ok) return ok({ base, created: true });
    return refused(made.error, /reference already exists/i) ? ok({ base, created: false }) : made;
  };

  const createPull = async (base: string): Promise<GitHubResult<PullRequest>> => {
    const pull = { title: input.title, body: generatedBody(input.body, input.title), head: branch, base, draft: input.draft };
    const created = await send(api.createPullRequest(repo, pull, opts));
    if (created.ok || !input.draft || !refused(created.error, /draft pull requests are not supported/i)) return created;
    warnings.push(`${repo.owner}/${repo.repo} does not support draft pull requests, so this one is ready for review`);
    return send(api.createPullRequest(repo, { ...pull, draft: false }, opts));
  };

  /** The generated part of the description, and the title while it is Preflight's; never the draft state. */
  const updatePull = async (pull: PullRequest): Promise<GitHubResult<PullRequest>> => {
    const recorded = titleSetByPreflight(pull.body);
    const ours = recorded !== undefined && pull.title === recorded;
    const merged = mergeBody(pull.body, generatedBody(input.body, ours ? input.title : (recorded ?? pull.title)));
    if (!merged.replaced) warnings.push(`the description of #${pull.number} has no Preflight markers, so it was left as it is`);
    const changes: { title?: string; body?: string } = {};
    if (ours && pull.title !== input.title) changes.title = input.title;
    if (merged.body !== (pull.body ?? '')) changes.body = merged.body;
    if (changes.title === undefined && changes.body === undefined) return ok(pull);
    return send(api.updatePullRequest(repo, pull.number, changes, opts));
  };

  const open = await send(api.listPullRequests(repo, { head: branch, state: 'open' }, opts));
  if (!open.ok) {
    if (open.error.kind !== 'not-found') return failed(open.error);
    return failed({ ...open.error, message: `repository ${repo.owner}/${repo.repo} not found on ${api.host} (404), or the token cannot see it` });
  }
  const existing = open.value.find((p) => p.head === branch);

  let branchCreated = false;
  let fileChanged: GitHubResult<boolean>;
  let pull: GitHubResult<PullRequest>;
  if (existing) {
    const current = await currentBlob();
    if (!current.ok) return failed(current.error);
    fileChanged = await commit(current.value);
    if (!fileChanged.ok) return failed(fileChanged.error);
    pull = await updatePull(existing);
  } else {
    const made = await createBranch();
    if (!made.ok) return failed(made.error);
    resumable = true;
    branchCreated = made.value.created;
    let current: string | null | undefined;
    if (!branchCreated) {
      const found = await currentBlob();
      if (!found.ok) return failed(found.error);
      current = found.value;
    }
    fileChanged = await commit(current);
    if (!fileChanged.ok) return failed(fileChanged.error);
    pull = await createPull(made.value.base);
  }
  if (!pull.ok) return failed(pull.error);

  const labels = missing(input.labels, pull.value.labels);
  if (labels.length) {
    const added = await send(api.addLabels(repo, pull.value.number, labels, opts));
    if (!added.ok) warnings.push(`labels ${labels.join(', ')} were not added: ${added.error.message}`);
  }
  const wanted = splitReviewers(input.reviewers, repo.owner);
  if (wanted.foreign.length) warnings.push(`reviews were not requested from ${wanted.foreign.join(', ')}: a team must belong to ${repo.owner}, which owns the repository`);
  const users = missing(wanted.users, pull.value.requestedReviewers);
  const teams = missing(wanted.teams, pull.value.requestedTeams);
  if (users.length || teams.length) {
    const requested = await send(api.requestReviewers(repo, pull.value.number, { users, teams }, opts));
    const names = [...users, ...teams.map((t) => `${repo.owner}/${t}`)];
    if (!requested.ok) warnings.push(`reviews were not requested from ${names.join(', ')}: ${requested.error.message}`);
  }

  return ok({
    url: pull.value.htmlUrl,
    number: pull.value.number,
    created: !existing,
    branchCreated,
    fileChanged: fileChanged.value,
    draft: pull.value.draft,
    requests,
    warnings,
  });
}

function ok<T>(value: T): GitHubResult<T> {
  return { ok: true, value };
}

/** Whether GitHub refused a request (422) for the reason `pattern` matches. */
function refused(error: GitHubError, pattern: RegExp): boolean {
  return error.kind === 'validation' && pattern.test(error.detail ?? '');
}

/** The wanted names not in `present`, each once; GitHub compares logins and label names case-insensitively. */
function missing(wanted: string[], present: string[]): string[] {
  const seen = new Set(present.map((p) => p.toLowerCase()));
  return wanted.filter((w) => {
    const key = w.toLowerCase();
    if (!w || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
