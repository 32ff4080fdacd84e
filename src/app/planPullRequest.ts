/**
 * Open or update an upgrade plan's pull request: the one sequence both front ends run. The plan's
 * clone says where it goes (origin on GitHub, the plan's path, the base branch and the commit the
 * clone last saw there); the front end gives the token and says how to word what went wrong.
 * Git is only read: the working tree, the index and local branches stay as they are.
 */
import { pathInClone, readClone, remoteBranchSha, type Clone } from '../adapters/gitClone';
import { openPlanPullRequest, type OpenedPlanPullRequest } from '../core/github/branchPullRequest';
import type { GitHubError, RepoRef } from '../core/github/ports';
import type { Result } from '../core/result';
import type { NetworkOptions } from '../core/http/retry';
import { defaultPlanPullRequestBody, planPullRequestNames } from '../core/plan';
import type { ErrorHints } from '../github/errors';
import { createOctokitGitHub, GITHUB_API_URL } from '../github/octokit';
import { githubProvider, type GitHubProvider } from './github';

export interface PlanPullRequestRequest {
  /** The plan's absolute path. */
  file: string;
  content: Buffer;
  app: string;
  from: string;
  to: string;
  /** The repository; by default the origin of the file's clone. */
  repo?: RepoRef;
  /** The plan's path in the repository; by default its path in its clone. */
  path?: string;
  /** The branch to merge into; by default the one origin/HEAD names. */
  base?: string;
  /** The API; by default the one of the origin's host. */
  apiUrl?: string;
  /** `Upgrade plan: APP FROM → TO` by default. */
  title?: string;
  /** By default a short summary naming the plan's path in the repository. */
  body?: string;
  labels: string[];
  reviewers: string[];
  draft: boolean;
}

export interface PlanPullRequestEnvironment {
  /**
   * A token for the provider; `again` after GitHub refused the last one (a front end that can sign in
   * anew does; one with a fixed token gives it again or nothing).
   */
  token(provider: GitHubProvider, host: string, again: boolean): Promise<string | undefined>;
  userAgent: string;
  network?: NetworkOptions;
  hints: ErrorHints;
  signal?: AbortSignal;
}

/** Why no pull request was opened, for the front end to word. */
export type PlanPullRequestFailure =
  | { kind: 'not-in-clone' }
  | { kind: 'origin-not-github' }
  | { kind: 'path-unknown'; repo: RepoRef }
  | { kind: 'no-token'; provider: GitHubProvider; repo: RepoRef }
  | { kind: 'github'; error: GitHubError; repo: RepoRef };

export type PlanPullRequestResult = Result<OpenedPlanPullRequest & { repo: RepoRef }, PlanPullRequestFailure>;

export async function publishPlanPullRequest(req: PlanPullRequestRequest, env: PlanPullRequestEnvironment): Promise<PlanPullRequestResult> {
  const clone = await readClone(req.file);
  const repo = req.repo ?? (clone?.origin ? { owner: clone.origin.owner, repo: clone.origin.repo } : undefined);
  if (!repo) return { ok: false, error: { kind: clone ? 'origin-not-github' : 'not-in-clone' } };
  let repoPath = req.path;
  if (repoPath === undefined) {
    if (!clone) return { ok: false, error: { kind: 'path-unknown', repo } };
    repoPath = await pathInClone(clone, req.file);
  }
  repoPath = repoPath.replace(/^\/+/, '');
  // The clone knows the base only when it is a clone of this repository.
  const sameRepo: Clone | undefined = clone?.origin && sameName(clone.origin, repo) ? clone : undefined;
  const baseBranch = req.base ?? sameRepo?.defaultBranch;
  const baseSha = sameRepo && baseBranch ? await remoteBranchSha(sameRepo, baseBranch) : undefined;
  const apiUrl = req.apiUrl ?? clone?.origin?.apiBaseUrl ?? GITHUB_API_URL;
  const host = new URL(apiUrl).host;
  const provider = githubProvider(apiUrl);
  const names = planPullRequestNames(req.app, req.from, req.to);

  let last: string | undefined;
  let refused: GitHubError | undefined;
  for (const again of [false, true]) {
    const token = await env.token(provider, host, again);
    // A second try only with a new token; without one, GitHub's refusal stands.
    if (!token || (again && token === last)) break;
    last = token;
    const api = createOctokitGitHub({ token, baseUrl: apiUrl, userAgent: env.userAgent, network: env.network, hints: env.hints });
    const r = await openPlanPullRequest(
      api,
      { ...names, repo, baseBranch, baseSha, localBranchSha: sameRepo ? (branch) => remoteBranchSha(sameRepo, branch) : undefined, path: repoPath, content: req.content, title: req.title ?? names.title, body: req.body ?? defaultPlanPullRequestBody(req.app, req.from, req.to, repoPath), labels: req.labels, reviewers: req.reviewers, draft: req.draft },
      { signal: env.signal },
    );
    if (r.ok) return { ok: true, value: { ...r.value, repo } };
    if (r.error.kind !== 'auth' || again) return { ok: false, error: { kind: 'github', error: r.error, repo } };
    refused = r.error;
  }
  return { ok: false, error: refused ? { kind: 'github', error: refused, repo } : { kind: 'no-token', provider, repo } };
}

function sameName(a: RepoRef, b: RepoRef): boolean {
  return a.owner.toLowerCase() === b.owner.toLowerCase() && a.repo.toLowerCase() === b.repo.toLowerCase();
}
