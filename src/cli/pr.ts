/**
 * `preflight pr`: commits an upgrade plan to its own branch through the GitHub API and opens a pull
 * request for it, or updates the open one. Git is only read (the clone's root, origin and
 * origin/HEAD): the working tree, the index and local branches stay as they are.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { publishPlanPullRequest } from '../app/planPullRequest';
import type { RepoRef } from '../core/github/ports';
import { isValidBranchName } from '../core/git/refName';
import { canonicalVersion } from '../core/releases/version';
import { terminalText } from '../core/controls';
import type { CliIO } from './io';
import { apiUrlError, requestTimeout } from './options';
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
  --timeout SECONDS    how long to wait for each answer from GitHub (default 30);
                       reads are tried up to 3 times, writes once

Environment:
  GITHUB_TOKEN         a token that can push to the repository and open pull requests
  PREFLIGHT_TIMEOUT    seconds, when --timeout is not given
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
  timeout?: string;
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
        timeout: { type: 'string' },
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
  const timeoutMs = requestTimeout(values.timeout, io.env);
  if (typeof timeoutMs === 'string') return io.error(timeoutMs);
  const badUrl = apiUrlError(values['api-url']);
  if (badUrl) return io.error(badUrl);
  const app = values.app!.trim();
  const from = values.from!.trim();
  const to = values.to!.trim();
  const invalid = appProblem(values.app!) ?? versionProblem('--from', values.from!) ?? versionProblem('--to', values.to!);
  if (invalid) return io.error(invalid);
  if (values.base !== undefined && !isValidBranchName(values.base)) return io.error(`--base needs a valid branch name, not ${quote(values.base)}`);

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

  let repo: RepoRef | undefined;
  if (values.repo) {
    const m = /^([\w.-]+)\/([\w.-]+)$/.exec(values.repo);
    if (!m) return io.error(`--repo needs OWNER/REPO, not "${values.repo}"`);
    repo = { owner: m[1], repo: m[2] };
  }
  const r = await publishPlanPullRequest(
    {
      file,
      content,
      app,
      from,
      to,
      repo,
      path: values.path,
      base: values.base,
      apiUrl: values['api-url'],
      title: values.title,
      body,
      labels: ['upgrade', ...list(values.labels)],
      reviewers: list(values.reviewers).map((login) => login.replace(/^@/, '')),
      draft: !values['no-draft'],
    },
    {
      token: async (_provider, _host, again) => (again ? undefined : io.env.GITHUB_TOKEN || undefined),
      userAgent: `preflight/${packageVersion()}`,
      network: { timeoutMs },
      hints: { invalidToken: 'set GITHUB_TOKEN to a valid token' },
    },
  );
  if (!r.ok) {
    const e = r.error;
    switch (e.kind) {
      case 'not-in-clone':
        return io.error(`pr needs --repo OWNER/REPO: ${values.file} is not in a git clone`);
      case 'origin-not-github':
        return io.error('pr needs --repo OWNER/REPO: its origin is not a GitHub repository');
      case 'path-unknown':
        return io.error(`pr needs --path: ${values.file} is not in a git clone, so its path in ${e.repo.owner}/${e.repo.repo} is unknown`);
      case 'no-token':
        return io.error(`pr needs GITHUB_TOKEN: a token that can push to ${e.repo.owner}/${e.repo.repo} and open pull requests`);
      case 'github':
        return io.error(e.error.message);
    }
  }
  for (const w of r.value.warnings) io.warn(w);
  const what = r.value.created ? `Opened ${r.value.draft ? 'draft ' : ''}pull request` : 'Updated pull request';
  const unchanged = !r.value.created && !r.value.fileChanged ? ' (the plan is unchanged)' : '';
  io.out(terminalText(`${what} #${r.value.number}${unchanged}: ${r.value.url}\n`));
  return 0;
}

/** The longest --app: it names the plan, its branch and its pull request. */
const MAX_APP_CHARS = 100;

export function appProblem(value: string): string | undefined {
  const app = value.trim();
  if (/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(value)) return `--app must be one line without control characters, not ${quote(value)}`;
  if ([...app].length > MAX_APP_CHARS) return `--app is too long (${[...app].length} characters; at most ${MAX_APP_CHARS})`;
  if (!/[\p{L}\p{N}]/u.test(app)) return `--app needs a name with a letter or a digit, not ${quote(value)}`;
  return undefined;
}

export function versionProblem(option: string, value: string): string | undefined {
  if (!/[\p{Cc}\p{Cf}]/u.test(value) && canonicalVersion(value.trim())) return undefined;
  return `${option} needs a version (7.0.0, v7.0.0, 2.4.0-rc.1), not ${quote(value)}`;
}

/** A value in a one-line message: quoted, control characters escaped. */
function quote(value: string): string {
  return JSON.stringify(value);
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
