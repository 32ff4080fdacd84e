/**
 * The pull request of a runbook, for its approval gate and for publishing its runs: which
 * repository and API (the runbook's clone's origin, or the URL given), the runbook's path there,
 * and for `auto` the pull request of its branch: the branch checked out, or the branch Preflight
 * commits the plan to (from the plan's APP and TO_VERSION).
 */
import path from 'node:path';
import { currentBranch, pathInClone, readClone, type Clone } from '../adapters/gitClone';
import type { CallOptions, GitHubApi, GitHubError, PullRequest, RepoRef } from '../core/github/ports';
import { planBranchName } from '../core/plan';
import type { Result } from '../core/result';
import type { PullRequestSpec, RunbookMeta } from '../core/runbook';
import type { NetworkOptions } from '../core/http/retry';
import type { ErrorHints } from '../github/errors';
import { createOctokitGitHub, GITHUB_API_URL } from '../github/octokit';
import { githubProvider, type GitHubProvider } from './github';

export interface RunbookPullRequestTarget {
  repo: RepoRef;
  apiUrl: string;
  /** The runbook's path in the repository, with forward slashes. */
  path: string;
  clone?: Clone;
  /** The pull request's number, when the runbook or the operator names it. */
  number?: number;
  /** For `auto`: the branches whose pull request it is, most likely first. */
  branches: string[];
}

/** What a front end gives the GitHub use cases. */
export interface GitHubEnvironment {
  /** A token for the provider; `again` after GitHub refused the last one. Undefined: ask anonymously. */
  token(provider: GitHubProvider, host: string, again: boolean): Promise<string | undefined>;
  userAgent: string;
  network?: NetworkOptions;
  hints: ErrorHints;
  signal?: AbortSignal;
}

export function repoName(repo: RepoRef): string {
  return `${repo.owner}/${repo.repo}`;
}

/** Where a runbook's pull request is, or a one-line reason why that cannot be known. */
export async function runbookPullRequestTarget(file: string, spec: PullRequestSpec, meta: RunbookMeta, apiUrl?: string): Promise<Result<RunbookPullRequestTarget, string>> {
  const clone = await readClone(file);
  const origin = clone?.origin ?? undefined;
  const repo = spec.kind === 'url' ? { owner: spec.owner, repo: spec.repo } : origin ? { owner: origin.owner, repo: origin.repo } : undefined;
  if (!repo) return { ok: false, error: clone ? 'the clone\'s remote "origin" is not a GitHub repository; name the pull request by its URL' : 'the runbook is not in a git clone, so its repository is unknown' };
  if (!clone) return { ok: false, error: `the runbook is not in a git clone, so its path in ${repoName(repo)} is unknown` };
  const api = apiUrl ?? (spec.kind === 'url' ? spec.apiBaseUrl : origin?.apiBaseUrl) ?? GITHUB_API_URL;
  const path = await pathInClone(clone, file);
  const branches: string[] = [];
  if (spec.kind === 'auto') {
    const checkedOut = await currentBranch(clone);
    if (checkedOut && checkedOut !== clone.defaultBranch) branches.push(checkedOut);
    const value = (name: string) => meta.variables.find((v) => v.name === name)?.default?.trim();
    const [app, to] = [value('APP'), value('TO_VERSION')];
    if (app && to && !branches.includes(planBranchName(app, to))) branches.push(planBranchName(app, to));
    if (!branches.length) {
      return {
        ok: false,
        error: `pullRequest "auto" finds the pull request of the branch checked out, or of the plan's own branch, but ${checkedOut ? `${checkedOut} is the default branch` : 'no branch is checked out'} and the runbook has no APP and TO_VERSION; name the pull request by number or URL`,
      };
    }
  }
  const number = spec.kind === 'auto' ? undefined : spec.number;
  return { ok: true, value: { repo, apiUrl: api, path, clone, branches, ...(number !== undefined ? { number } : {}) } };
}

/** A GitHub API client for the target with the front end's token (none: anonymous); `cacheDir` holds `github/<host>/`. */
export async function githubFor(target: RunbookPullRequestTarget, env: GitHubEnvironment, extra: { cacheDir?: string; again?: boolean } = {}): Promise<{ api: GitHubApi; token?: string }> {
  const host = new URL(target.apiUrl).host;
  const token = await env.token(githubProvider(target.apiUrl), host, extra.again ?? false);
  const cacheDir = extra.cacheDir && path.join(extra.cacheDir, 'github', host);
  const api = createOctokitGitHub({ token, baseUrl: target.apiUrl, userAgent: env.userAgent, network: env.network, hints: env.hints, cacheDir });
  return { api, token };
}

export type LookUp = { ok: true; value: PullRequest; requests: number } | { ok: false; error: GitHubError | string; requests: number };

/**
 * The runbook's pull request: the one named, else the newest open one of the candidate branches,
 * else the newest merged one (an approved plan is often merged before it runs). A pull request
 * closed without merging is not taken.
 */
export async function lookUpPullRequest(api: GitHubApi, target: RunbookPullRequestTarget, opts: CallOptions & { allowStale?: boolean } = {}): Promise<LookUp> {
  if (target.number !== undefined) {
    const r = await api.getPullRequest(target.repo, target.number, opts);
    if (!r.ok) return { ok: false, error: r.error, requests: 1 };
    if (r.stale && !opts.allowStale) return { ok: false, error: r.stale, requests: 1 };
    return { ok: true, value: r.value, requests: 1 };
  }
  let requests = 0;
  let merged: PullRequest | undefined;
  for (const head of target.branches) {
    requests++;
    const r = await api.listPullRequests(target.repo, { head, state: 'all' }, opts);
    if (!r.ok) return { ok: false, error: r.error, requests };
    if (r.stale && !opts.allowStale) return { ok: false, error: r.stale, requests };
    const mine = r.value.filter((p) => p.head === head);
    const open = mine.find((p) => p.state === 'open');
    if (open) return { ok: true, value: open, requests };
    merged ??= mine.find((p) => p.merged);
  }
  if (merged) return { ok: true, value: merged, requests };
  return { ok: false, error: `${repoName(target.repo)} has no open or merged pull request from ${target.branches.join(' or ')}`, requests };
}
