/**
 * A clone of the GitHub test server's acme/app with an upgrade plan on its branch and the plan's
 * pull request open on the server: what the approval gate and Publish Run work on.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { blobSha, git as fixtureGit, type FixtureRepo, type GitHubServer } from './githubServer';

export const PLAN_TOKEN = 'ghp_plan_token_1234567890';
export const PLAN_BRANCH = 'preflight/app-2.0.0';
export const PLAN_FILE = 'runbooks/upgrades/app-2.0.0.md';

export const md = (...lines: string[]) => `${lines.join('\n')}\n`;

/** A plan gated from its "migrate" step on the pull request of its branch. */
export function gatedPlan(approval = '{ pullRequest: auto, from: migrate }', migrate = 'echo migrating'): string {
  return md(
    '---',
    'title: Upgrade app to 2.0.0',
    `approval: ${approval}`,
    '---',
    '# Upgrade app to 2.0.0',
    '',
    '- [ ] Check the version',
    '  ```sh',
    '  echo checking',
    '  ```',
    '- [ ] Run the migration',
    '  ```sh {"name":"migrate"}',
    `  ${migrate}`,
    '  ```',
    '',
    '## Rollback',
    '',
    '- [ ] Restore the backup',
    '  ```sh',
    '  echo restoring',
    '  ```',
  );
}

export function gitIn(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Operator', '-c', 'user.email=ops@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' }).trim();
}

/**
 * A clone in a new folder under `root`, on the plan's branch, with `plan` at PLAN_FILE; the
 * server holds acme/app with the same plan on the branch and pull request #1 from it.
 */
export function planClone(server: GitHubServer, root: string, plan: string, opts: { reviewers?: string[] } = {}): { clone: string; file: string; repo: FixtureRepo } {
  const clone = realpathSync(mkdtempSync(path.join(root, 'clone-')));
  gitIn(clone, 'init', '-q', '-b', 'main');
  writeFileSync(path.join(clone, 'README.md'), '# app\n');
  gitIn(clone, 'add', 'README.md');
  gitIn(clone, 'commit', '-q', '-m', 'Initial commit');
  const base = gitIn(clone, 'rev-parse', 'HEAD');
  gitIn(clone, 'remote', 'add', 'origin', `${server.url}/acme/app.git`);
  gitIn(clone, 'update-ref', 'refs/remotes/origin/main', base);
  gitIn(clone, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
  gitIn(clone, 'checkout', '-q', '-b', PLAN_BRANCH);
  const file = path.join(clone, PLAN_FILE);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, plan);
  // Run logs stay out of the repository, as a team's .gitignore has them.
  writeFileSync(path.join(clone, '.gitignore'), '.preflight/\n');

  const repo = planFixture(server, plan, opts);
  return { clone, file, repo };
}

/** The server's acme/app with `plan` at PLAN_FILE on the plan's branch and pull request #1 from it; requests and faults cleared. */
export function planFixture(server: GitHubServer, plan: string, opts: { reviewers?: string[] } = {}): FixtureRepo {
  const repo: FixtureRepo = {
    defaultBranch: 'main',
    releases: [],
    tags: [],
    files: { main: { 'README.md': '# app\n' }, [PLAN_BRANCH]: { 'README.md': '# app\n', [PLAN_FILE]: plan } },
    labels: ['upgrade'],
  };
  // The branches' commits, so the pull request's head has one.
  fixtureGit(repo);
  repo.pulls = [{ number: 1, title: 'Upgrade plan: app 1.0.0 → 2.0.0', body: 'The plan.', head: PLAN_BRANCH, base: 'main', draft: false, state: 'open', labels: ['upgrade'], requestedReviewers: opts.reviewers ?? [] }];
  server.state.repos = { 'acme/app': repo };
  server.state.tokens = [PLAN_TOKEN];
  server.state.faults = [];
  server.requests.length = 0;
  return repo;
}

/** Changes the plan on the server's branch, as a push would. */
export function pushPlan(repo: FixtureRepo, plan: string): void {
  const { heads, commits } = fixtureGit(repo);
  const files = { ...repo.files[PLAN_BRANCH], [PLAN_FILE]: plan };
  const sha = blobSha(Buffer.from(`commit ${Object.keys(commits).length} ${plan}`));
  commits[sha] = { message: 'Change the plan', parents: [heads[PLAN_BRANCH]], files };
  heads[PLAN_BRANCH] = sha;
  repo.files[PLAN_BRANCH] = files;
}

/** The environment of a CLI run against the server, with its own cache folder. */
export function planEnv(cache: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, XDG_CACHE_HOME: cache, GITHUB_TOKEN: PLAN_TOKEN };
  return { ...env, ...extra };
}
