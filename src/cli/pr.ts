/**
 * `preflight pr`: commits an upgrade plan to its own branch through the GitHub API and opens a pull
 * request for it, or updates the open one. Git is only read (the clone's root, origin and
 * origin/HEAD): the working tree, the index and local branches stay as they are.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openPlanPullRequest } from '../core/github/planPullRequest';
import type { RepoRef } from '../core/github/ports';
import { pathInClone, readClone, remoteBranchSha } from '../core/github/clone';
import { defaultPlanPullRequestBody, planPullRequestNames } from '../core/plan';
import { createOctokitGitHub, GITHUB_API_URL } from '../github/octokit';
import { terminalText } from '../core/controls';
import type { CliIO } from './io';
import { packageVersion } from './version';

export const PR_USAGE = `Usage: preflight pr --file PATH --app NAME --from VERSION --to VERSION [options]

Commits an upgrade plan to the branch preflight/<app>-<to> through the GitHub API and opens a pull
request for it, or updates the one already open. The working tree and the index are not touched.

Options:
  --file PATH          the plan to commit
  --app NAME           the application it upgrades
  --from VERSION       the version you run now
  --to VERSION         the version you upgrade to
  --repo OWNER/REPO    the repository; by default the origin of the file's clone
  --path PATH          the plan's path in the repository; by default its path in its clone
  --base BRANCH        the branch to merge into; by default the repository's default branch
  --title TITLE        the pull request's title (default "Upgrade plan: APP FROM → TO")
  --body-file PATH     the pull request's description (default: a short summary)
  --labels A,B         labels besides "upgrade"; GitHub creates missing ones
  --reviewers A,B      logins to request reviews from
  --draft, --no-draft  open it as a draft (the default) or ready for review
  --api-url URL        GitHub Enterprise Server API (https://ghe.example.com/api/v3);
                       by default the one of the origin's host

Environment:
  GITHUB_TOKEN         a token that can push to the repository and open pull requests
`;

interface PrOptions {
  file?: string;
  app?: string;
  from?: string;
  to?: string;
  repo?: string;
  path?: string;
  base?: string;
  title?: string;
  'body-file'?: string;
  labels?: string;
  reviewers?: string;
  draft?: boolean;
  'no-draft'?: boolean;
  'api-url'?: string;
  help?: boolean;
}

/** Exit codes: 0 done, 2 error. */
export async function runPr(argv: string[], io: CliIO): Promise<number> {
  let values: PrOptions;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        file: { type: 'string' },
        app: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        repo: { type: 'string' },
        path: { type: 'string' },
        base: { type: 'string' },
        title: { type: 'string' },
        'body-file': { type: 'string' },
        labels: { type: 'string' },
        reviewers: { type: 'string' },
        draft: { type: 'boolean' },
        'no-draft': { type: 'boolean' },
        'api-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return io.error(`${(err as Error).message.split('\n')[0]}. Run "preflight pr --help".`);
  }
  if (values.help) {
    io.out(PR_USAGE);
    return 0;
  }
  const missing = (['file', 'app', 'from', 'to'] as const).filter((k) => !values[k]);
  if (missing.length) return io.error(`pr needs ${missing.map((k) => `--${k}`).join(', ')}. Run "preflight pr --help".`);
  if (values.draft && values['no-draft']) return io.error('pr takes --draft or --no-draft, not both');
  const app = values.app!;
  const from = values.from!;
  const to = values.to!;

  const file = path.resolve(io.cwd, values.file!);
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (err) {
    return io.error(`cannot read ${values.file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  let body: string | undefined;
  if (values['body-file']) {
    try {
      body = await readFile(path.resolve(io.cwd, values['body-file']), 'utf8');
    } catch (err) {
      return io.error(`cannot read ${values['body-file']}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
  }

  const clone = await readClone(file);
  let repo: RepoRef;
  if (values.repo) {
    const m = /^([\w.-]+)\/([\w.-]+)$/.exec(values.repo);
    if (!m) return io.error(`--repo needs OWNER/REPO, not "${values.repo}"`);
    repo = { owner: m[1], repo: m[2] };
  } else if (clone?.origin) {
    repo = { owner: clone.origin.owner, repo: clone.origin.repo };
  } else {
    const why = clone ? 'its origin is not a GitHub repository' : `${values.file} is not in a git clone`;
    return io.error(`pr needs --repo OWNER/REPO: ${why}`);
  }
  let repoPath = values.path;
  if (repoPath === undefined) {
    if (!clone) return io.error(`pr needs --path: ${values.file} is not in a git clone, so its path in ${repo.owner}/${repo.repo} is unknown`);
    repoPath = await pathInClone(clone, file);
  }
  repoPath = repoPath.replace(/^\/+/, '');

  const token = io.env.GITHUB_TOKEN;
  if (!token) return io.error(`pr needs GITHUB_TOKEN: a token that can push to ${repo.owner}/${repo.repo} and open pull requests`);

  // The clone knows the base only when it is a clone of this repository.
  const sameRepo = clone?.origin && sameName(clone.origin, repo) ? clone : undefined;
  const baseBranch = values.base ?? sameRepo?.defaultBranch;
  const baseSha = sameRepo && baseBranch ? await remoteBranchSha(sameRepo, baseBranch) : undefined;

  const api = createOctokitGitHub({
    token,
    baseUrl: values['api-url'] ?? clone?.origin?.apiBaseUrl ?? GITHUB_API_URL,
    userAgent: `preflight/${packageVersion()}`,
    hints: { invalidToken: 'set GITHUB_TOKEN to a valid token' },
  });
  const names = planPullRequestNames(app, from, to);
  const r = await openPlanPullRequest(api, {
    ...names,
    repo,
    baseBranch,
    baseSha,
    path: repoPath,
    content,
    title: values.title ?? names.title,
    body: body ?? defaultPlanPullRequestBody(app, from, to, repoPath),
    labels: ['upgrade', ...list(values.labels)],
    reviewers: list(values.reviewers).map((login) => login.replace(/^@/, '')),
    draft: !values['no-draft'],
  });
  if (!r.ok) return io.error(r.error.message);
  for (const w of r.value.warnings) io.warn(w);
  const what = r.value.created ? `Opened ${r.value.draft ? 'draft ' : ''}pull request` : 'Updated pull request';
  const unchanged = !r.value.created && !r.value.fileChanged ? ' (the plan is unchanged)' : '';
  io.out(terminalText(`${what} #${r.value.number}${unchanged}: ${r.value.url}\n`));
  return 0;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function sameName(a: RepoRef, b: RepoRef): boolean {
  return a.owner.toLowerCase() === b.owner.toLowerCase() && a.repo.toLowerCase() === b.repo.toLowerCase();
}
