import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gitBlobSha, openPlanPullRequest, type OpenPlanPullRequestInput } from '../../../../src/core/github/branchPullRequest';
import { generatedBody } from '../../../../src/core/github/pullRequestBody';
import type { GitHubApi } from '../../../../src/core/github/ports';
import { parseGitRemote } from '../../../../src/core/github/remote';
import { createOctokitGitHub, type OctokitGitHubOptions } from '../../../../src/github/octokit';
import { blobSha, type FixtureRepo, type GitHubServer, startGitHubServer, webUrl } from '../../../support/githubServer';

const TOKEN = 'ghp_test_token_1234567890';
const HINTS = { invalidToken: 'set GITHUB_TOKEN to a valid token' };
const REPO = { owner: 'acme', repo: 'app' };
const BRANCH = 'preflight/app-2.0.0';
const PLAN_PATH = 'docs/plans/app-1.0.0-to-2.0.0.md';
const PLAN = '# Upgrade plan: app 1.0.0 → 2.0.0\n\n- [ ] Take a backup\n';
const TITLE = 'Upgrade plan: app 1.0.0 → 2.0.0';
const BASE = blobSha(Buffer.from('the base commit'));
const MAIN = { 'README.md': '# app\n' };
/** Retries without the production backoff, to keep the tests quick. */
const FAST_RETRIES = { baseDelayMs: 1, maxDelayMs: 5 };
const FIRST_RUN = ['pulls/list', 'git/create-ref', 'repos/create-or-update-file-contents', 'pulls/create', 'issues/add-labels', 'pulls/request-reviewers'];

function hhmm(epochMs: number): string {
  const t = new Date(epochMs);
  return `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`;
}

function fixtureRepo(): FixtureRepo {
  return {
    defaultBranch: 'main',
    releases: [],
    tags: [],
    files: { main: { ...MAIN } },
    heads: { main: BASE },
    commits: { [BASE]: { message: 'Initial commit', parents: [], files: { ...MAIN } } },
    labels: ['bug'],
  };
}

function input(over: Partial<OpenPlanPullRequestInput> = {}): OpenPlanPullRequestInput {
  return {
    repo: REPO,
    branch: BRANCH,
    baseBranch: 'main',
    baseSha: BASE,
    path: PLAN_PATH,
    content: PLAN,
    commitMessage: 'Add upgrade plan: app 1.0.0 → 2.0.0',
    updateMessage: 'Update upgrade plan: app 1.0.0 → 2.0.0',
    title: 'Upgrade plan: app 1.0.0 → 2.0.0',
    body: 'Upgrade plan for **app**.\n',
    labels: ['upgrade', 'migration'],
    reviewers: ['alice', 'bob'],
    draft: true,
    ...over,
  };
}

describe('github: upgrade-plan pull requests against the test server', function () {
  this.timeout(30_000);
  let server: GitHubServer;

  const api = (opts: OctokitGitHubOptions = {}): GitHubApi => createOctokitGitHub({ baseUrl: server.apiUrl, token: TOKEN, hints: HINTS, network: FAST_RETRIES, ...opts });
  const repo = () => server.state.repos['acme/app'];
  const operations = () => server.requests.map((r) => r.operationId);
  const branchCommits = () => {
    const out: string[] = [];
    for (let sha = repo().heads?.[BRANCH]; sha && sha !== BASE; sha = repo().commits![sha].parents[0]) out.push(repo().commits![sha].message);
    return out;
  };
  /** The state a complete first run leaves, whatever failed on the way. */
  const assertComplete = () => {
    assert.deepEqual(Object.keys(repo().heads!).sort(), [BRANCH, 'main'].sort());
    assert.equal(repo().heads!.main, BASE);
    assert.deepEqual(branchCommits(), ['Add upgrade plan: app 1.0.0 → 2.0.0']);
    assert.equal(String(repo().files[BRANCH][PLAN_PATH]), PLAN);
    assert.deepEqual(repo().files.main, MAIN);
    assert.equal(repo().pulls?.length, 1);
    const [pull] = repo().pulls!;
    assert.deepEqual(
      { ...pull },
      { number: 1, title: TITLE, body: generatedBody('Upgrade plan for **app**.\n', TITLE), head: BRANCH, base: 'main', draft: true, state: 'open', labels: ['upgrade', 'migration'], requestedReviewers: ['alice', 'bob'], requestedTeams: [] },
    );
  };
  const assertUntouched = () => {
    assert.deepEqual(repo().heads, { main: BASE });
    assert.deepEqual(Object.keys(repo().commits!), [BASE]);
    assert.deepEqual(repo().pulls ?? [], []);
    assert.deepEqual(repo().labels, ['bug']);
  };

  before(async () => {
    server = await startGitHubServer();
  });

  beforeEach(() => {
    server.requests.length = 0;
    server.state.tokens = [TOKEN];
    server.state.faults = [];
    server.state.rateLimit = { limit: 5000, remaining: 5000, reset: Math.floor(Date.now() / 1000) + 3600 };
    server.state.repos = { 'acme/app': fixtureRepo() };
  });

  afterEach(() => assert.deepEqual(server.violations, []));

  after(() => server.close());

  it('opens a draft pull request on a new branch in 6 requests', async () => {
    const r = await openPlanPullRequest(api(), input());
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.deepEqual(r.value, {
      url: `${webUrl(server.apiUrl, 'acme/app')}/pull/1`,
      number: 1,
      created: true,
      branchCreated: true,
      fileChanged: true,
      draft: true,
      requests: 6,
      warnings: [],
    });
    assert.deepEqual(operations(), FIRST_RUN);
    assert.equal(server.requests.length, 6);
    assertComplete();
    assert.deepEqual(repo().commits![repo().heads![BRANCH]].parents, [BASE]);
    // GitHub creates the labels the repository lacks.
    assert.deepEqual(repo().labels, ['bug', 'upgrade', 'migration']);
    assert.deepEqual(server.requests[0].query, { head: `acme:${BRANCH}`, state: 'open', per_page: '100' });
  });

  it('updates the same branch and pull request when the plan changed, in 4 requests', async () => {
    assert.ok((await openPlanPullRequest(api(), input())).ok);
    const before = repo().heads![BRANCH];
    server.requests.length = 0;

    const r = await openPlanPullRequest(api(), input({ content: `${PLAN}- [ ] Run the migrations\n`, body: 'Now with migrations.\n' }));
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.deepEqual(
      { ...r.value, url: undefined },
      { url: undefined, number: 1, created: false, branchCreated: false, fileChanged: true, draft: true, requests: 4, warnings: [] },
    );
    assert.deepEqual(operations(), ['pulls/list', 'repos/get-content', 'repos/create-or-update-file-contents', 'pulls/update']);
    assert.deepEqual(server.requests[1].query, { ref: BRANCH });
    assert.equal(repo().pulls!.length, 1);
    assert.equal(repo().pulls![0].body, generatedBody('Now with migrations.\n', TITLE));
    assert.deepEqual(Object.keys(repo().heads!).sort(), [BRANCH, 'main'].sort());
    assert.deepEqual(repo().commits![repo().heads![BRANCH]].parents, [before]);
    assert.deepEqual(branchCommits(), ['Update upgrade plan: app 1.0.0 → 2.0.0', 'Add upgrade plan: app 1.0.0 → 2.0.0']);
    assert.equal(String(repo().files[BRANCH][PLAN_PATH]), `${PLAN}- [ ] Run the migrations\n`);
  });

  it('makes no commit and no edit when the plan is unchanged', async () => {
    assert.ok((await openPlanPullRequest(api(), input())).ok);
    const head = repo().heads![BRANCH];
    server.requests.length = 0;

    const r = await openPlanPullRequest(api(), input({ content: Buffer.from(PLAN) }));
    assert.ok(r.ok);
    assert.equal(r.value.fileChanged, false);
    assert.equal(r.value.created, false);
    assert.equal(r.value.requests, 2);
    assert.deepEqual(operations(), ['pulls/list', 'repos/get-content']);
    assert.equal(repo().heads![BRANCH], head);
    assertComplete();
  });

  it('keeps what people did with the pull request: their text around the markers, a title they changed, the draft state', async () => {
    assert.ok((await openPlanPullRequest(api(), input())).ok);
    const pull = repo().pulls![0];
    pull.body = `Read this first.\n\n${pull.body}\n## Sign-off\n- [x] DBA\n`;
    pull.draft = false;
    server.requests.length = 0;
    const r = await openPlanPullRequest(api(), input({ content: `${PLAN}- [ ] Migrate\n`, body: 'Now with migrations.\n', title: 'Upgrade plan: app 1.0.0 → 2.0.1' }));
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.equal(pull.body, `Read this first.\n\n${generatedBody('Now with migrations.\n', 'Upgrade plan: app 1.0.0 → 2.0.1')}\n## Sign-off\n- [x] DBA\n`);
    assert.equal(pull.title, 'Upgrade plan: app 1.0.0 → 2.0.1');
    assert.equal(pull.draft, false);
    assert.deepEqual(Object.keys(server.requests.find((q) => q.operationId === 'pulls/update')!.body as object).sort(), ['body', 'title']);

    // A title the team changed stays; the description's generated part is still updated.
    pull.title = 'App 2.0 (window on Friday)';
    const again = await openPlanPullRequest(api(), input({ body: 'Third version.\n', title: 'Upgrade plan: app 1.0.0 → 2.0.2' }));
    assert.ok(again.ok);
    assert.equal(pull.title, 'App 2.0 (window on Friday)');
    assert.match(pull.body!, /^Read this first\.\n\n<!-- preflight:begin [^\n]*-->\nThird version\.\n<!-- preflight:end -->\n\n## Sign-off/);

    // A description without markers is left as people wrote it, with a warning.
    pull.body = 'Rewritten by hand.';
    const hand = await openPlanPullRequest(api(), input({ body: 'Fourth.\n' }));
    assert.ok(hand.ok);
    assert.equal(pull.body, 'Rewritten by hand.');
    assert.deepEqual(hand.value.warnings, ['the description of #1 has no Preflight markers, so it was left as it is']);
  });

  it('requests team reviewers given as org/team, and says why a team of another organisation is not asked', async () => {
    const r = await openPlanPullRequest(api(), input({ reviewers: ['alice', 'acme/sre', 'other/dba'] }));
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    const ask = server.requests.find((q) => q.operationId === 'pulls/request-reviewers')!;
    assert.deepEqual(ask.body, { reviewers: ['alice'], team_reviewers: ['sre'] });
    assert.deepEqual(repo().pulls![0].requestedTeams, ['sre']);
    assert.deepEqual(r.value.warnings, ['reviews were not requested from other/dba: a team must belong to acme, which owns the repository']);
    server.requests.length = 0;
    assert.ok((await openPlanPullRequest(api(), input({ reviewers: ['alice', 'acme/sre'] }))).ok);
    assert.ok(!operations().includes('pulls/request-reviewers'));
  });

  it('takes the head of a base learned from GitHub from the clone when it has it', async () => {
    const r = await openPlanPullRequest(api(), input({ baseBranch: undefined, baseSha: undefined, reviewers: [], localBranchSha: async (b) => (b === 'main' ? BASE : undefined) }));
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.deepEqual(operations(), ['pulls/list', 'repos/get', 'git/create-ref', 'repos/create-or-update-file-contents', 'pulls/create', 'issues/add-labels']);
  });

  it('computes the blob sha GitHub reports for a file', () => {
    assert.equal(gitBlobSha(Buffer.from('')), 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
    assert.equal(gitBlobSha(Buffer.from('hello\n')), 'ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('reads the base from GitHub when the caller does not know it, and skips reviewers when there are none', async () => {
    const r = await openPlanPullRequest(api(), input({ baseBranch: undefined, baseSha: undefined, reviewers: [] }));
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.equal(r.value.requests, 7);
    assert.deepEqual(operations(), ['pulls/list', 'repos/get', 'git/get-ref', 'git/create-ref', 'repos/create-or-update-file-contents', 'pulls/create', 'issues/add-labels']);
    assert.equal(server.requests[2].path, '/repos/acme/app/git/ref/heads%2Fmain');
    assert.equal(repo().pulls![0].base, 'main');
    assert.deepEqual(repo().pulls![0].requestedReviewers, []);
  });

  it('starts from GitHub\'s base when the clone\'s base commit is unknown to GitHub', async () => {
    const r = await openPlanPullRequest(api(), input({ baseSha: 'f'.repeat(40) }));
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.deepEqual(operations(), ['pulls/list', 'git/create-ref', 'git/get-ref', ...FIRST_RUN.slice(1)]);
    assert.equal(server.requests[1].status, 422);
    assertComplete();
  });

  it('replaces a plan the base branch already has, with its sha', async () => {
    const files = { ...MAIN, [PLAN_PATH]: '# An older plan\n' };
    repo().commits![BASE].files = files;
    repo().files.main = { ...files };
    const r = await openPlanPullRequest(api(), input());
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.deepEqual(operations(), ['pulls/list', 'git/create-ref', 'repos/create-or-update-file-contents', 'repos/get-content', 'repos/create-or-update-file-contents', ...FIRST_RUN.slice(3)]);
    assert.equal(server.requests[2].status, 422);
    assert.deepEqual(branchCommits(), ['Update upgrade plan: app 1.0.0 → 2.0.0']);
    assert.equal(String(repo().files[BRANCH][PLAN_PATH]), PLAN);
  });

  it('reports GitHub\'s message when it refuses the pull request', async () => {
    // The base branch has this very plan: nothing to merge.
    const files = { ...MAIN, [PLAN_PATH]: PLAN };
    repo().commits![BASE].files = files;
    repo().files.main = { ...files };
    const r = await openPlanPullRequest(api(), input());
    assert.ok(!r.ok);
    assert.deepEqual(r.error, {
      kind: 'validation',
      status: 422,
      message: `GitHub refused the request for a pull request on acme/app (422): Validation Failed: No commits between main and ${BRANCH}`,
      detail: `Validation Failed: No commits between main and ${BRANCH}`,
    });
    assert.equal(repo().heads![BRANCH], BASE);
    assert.deepEqual(repo().pulls, []);
  });

  for (const failing of FIRST_RUN) {
    it(`completes on the next run when ${failing} fails once`, async () => {
      // A read is tried three times before the run gives up; a write only once.
      server.state.faults.push({ operation: failing, status: 500, times: failing === 'pulls/list' ? 3 : 1 });
      const first = await openPlanPullRequest(api(), input());
      const host = new URL(server.url).host;
      if (failing === 'issues/add-labels' || failing === 'pulls/request-reviewers') {
        // The pull request is open: what is missing is a warning, and the next run adds it.
        assert.ok(first.ok);
        assert.equal(first.value.warnings.length, 1);
        assert.match(first.value.warnings[0], new RegExp(`^(labels upgrade, migration were not added|reviews were not requested from alice, bob): ${host} failed with 500`));
      } else {
        assert.ok(!first.ok);
        assert.equal(first.error.kind, 'server');
        assert.match(first.error.message, new RegExp(`^${host} failed with 500 for `));
        assert.equal(first.error.message.endsWith(`branch ${BRANCH} is kept, and running again finishes the pull request`), failing !== 'pulls/list' && failing !== 'git/create-ref');
        assert.deepEqual(repo().pulls ?? [], []);
      }
      const again = await openPlanPullRequest(api(), input());
      assert.ok(again.ok, !again.ok ? again.error.message : '');
      assert.deepEqual(again.value.warnings, []);
      assertComplete();
    });
  }

  it('resumes with the branch a stopped run made, reading the plan there', async () => {
    server.state.faults.push({ operation: 'pulls/create', status: 502, times: 1 });
    assert.ok(!(await openPlanPullRequest(api(), input())).ok);
    server.requests.length = 0;
    const r = await openPlanPullRequest(api(), input());
    assert.ok(r.ok);
    assert.deepEqual(operations(), ['pulls/list', 'git/create-ref', 'repos/get-content', ...FIRST_RUN.slice(3)]);
    assert.deepEqual({ created: r.value.created, branchCreated: r.value.branchCreated, fileChanged: r.value.fileChanged }, { created: true, branchCreated: false, fileChanged: false });
    assertComplete();
  });

  it('opens a pull request ready for review where drafts are unsupported, and says so', async () => {
    repo().drafts = false;
    const r = await openPlanPullRequest(api(), input());
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.equal(r.value.draft, false);
    assert.deepEqual(r.value.warnings, ['acme/app does not support draft pull requests, so this one is ready for review']);
    assert.deepEqual(operations(), [...FIRST_RUN.slice(0, 4), 'pulls/create', ...FIRST_RUN.slice(4)]);
    assert.equal(repo().pulls!.length, 1);
    assert.equal(repo().pulls![0].draft, false);
  });

  it('opens the pull request when GitHub refuses a reviewer, with a warning', async () => {
    repo().collaborators = ['alice', 'bob'];
    const r = await openPlanPullRequest(api(), input({ reviewers: ['alice', 'mallory'] }));
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.deepEqual(r.value.warnings, [
      'reviews were not requested from alice, mallory: GitHub refused the request for reviewers of #1 of acme/app (422): Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the acme/app repository.',
    ]);
    assert.equal(repo().pulls!.length, 1);
    assert.deepEqual(repo().pulls![0].labels, ['upgrade', 'migration']);
    assert.deepEqual(repo().pulls![0].requestedReviewers, []);

    server.requests.length = 0;
    const fixed = await openPlanPullRequest(api(), input({ reviewers: ['Alice', 'bob'] }));
    assert.ok(fixed.ok);
    assert.deepEqual(fixed.value.warnings, []);
    assert.deepEqual(operations(), ['pulls/list', 'repos/get-content', 'pulls/request-reviewers']);
    // Logins compare case-insensitively: a rerun asks nobody twice.
    const again = await openPlanPullRequest(api(), input({ reviewers: ['alice', 'BOB'] }));
    assert.ok(again.ok);
    assert.equal(again.value.requests, 2);
  });

  it('reports a rejected token, leaving the repository untouched', async () => {
    const r = await openPlanPullRequest(api({ token: 'ghp_expired' }), input());
    assert.deepEqual(!r.ok && r.error, { kind: 'auth', status: 401, message: 'GitHub rejected the token (401): set GITHUB_TOKEN to a valid token' });
    assert.equal(server.requests.length, 1);
    assertUntouched();
  });

  it('reports a token without push access, leaving the repository untouched', async () => {
    server.state.faults.push({ operation: 'git/create-ref', status: 403, message: 'Resource not accessible by personal access token' });
    const r = await openPlanPullRequest(api(), input());
    assert.deepEqual(!r.ok && r.error, {
      kind: 'permission',
      status: 403,
      message: `GitHub denied access to branch ${BRANCH} of acme/app (403): Resource not accessible by personal access token`,
    });
    assertUntouched();
  });

  it('refuses a branch name git would refuse, before any request', async () => {
    for (const branch of ['preflight/app-2.0.lock', 'preflight/app-2.0.', 'preflight/app..2', 'preflight/a b']) {
      const r = await openPlanPullRequest(api(), input({ branch }));
      assert.deepEqual(!r.ok && r.error, { kind: 'validation', message: `"${branch}" is not a valid branch name` });
    }
    const base = await openPlanPullRequest(api(), input({ baseBranch: 'main@{1}' }));
    assert.deepEqual(!base.ok && base.error, { kind: 'validation', message: '"main@{1}" is not a valid branch name' });
    assert.deepEqual(server.requests, []);
  });

  it('reports a repository that does not exist', async () => {
    const r = await openPlanPullRequest(api(), input({ repo: { owner: 'acme', repo: 'nope' } }));
    assert.deepEqual(!r.ok && r.error, { kind: 'not-found', status: 404, message: `repository acme/nope not found on ${new URL(server.url).host} (404), or the token cannot see it` });
    assert.equal(server.requests.length, 1);
    assertUntouched();
  });

  it('reports the rate limit with its reset time, leaving the repository untouched', async () => {
    const reset = Math.floor(Date.now() / 1000) + 600;
    server.state.rateLimit = { limit: 5000, remaining: 0, reset };
    const r = await openPlanPullRequest(api(), input());
    assert.deepEqual(!r.ok && r.error, {
      kind: 'rate-limited',
      status: 403,
      resetAt: reset * 1000,
      message: `GitHub rate limit reached (403); it resets at ${hhmm(reset * 1000)} (in 10 minutes)`,
    });
    assertUntouched();
  });

  it('never answers from the cache: a rate-limited rerun fails instead of acting on stale state', async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'preflight-pr-'));
    try {
      assert.ok((await openPlanPullRequest(api({ cacheDir }), input())).ok);
      server.state.rateLimit.remaining = 0;
      const r = await openPlanPullRequest(api({ cacheDir }), input());
      assert.ok(!r.ok);
      assert.equal(r.error.kind, 'rate-limited');
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('reports a secondary rate limit half-way, and the next run completes', async () => {
    server.state.faults.push({ operation: 'pulls/create', status: 429, retryAfter: 120, times: 1 });
    const before = Date.now();
    const r = await openPlanPullRequest(api(), input());
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'rate-limited');
    assert.ok(r.error.resetAt! >= before + 120_000 && r.error.resetAt! <= Date.now() + 120_000);
    assert.equal(r.error.message, `GitHub rate limit reached (429); it resets at ${hhmm(r.error.resetAt!)} (in 2 minutes); branch ${BRANCH} is kept, and running again finishes the pull request`);
    assert.ok((await openPlanPullRequest(api(), input())).ok);
    assertComplete();
  });

  it('reports an unreachable API in one line', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await openPlanPullRequest(createOctokitGitHub({ baseUrl: `http://127.0.0.1:${port}`, token: TOKEN, network: FAST_RETRIES }), input());
    assert.deepEqual(!r.ok && r.error, { kind: 'network', message: `cannot reach 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}` });
  });
});

describe('github: upgrade-plan pull requests on an Enterprise Server', function () {
  this.timeout(30_000);
  let server: GitHubServer;

  before(async () => {
    server = await startGitHubServer({ prefix: '/api/v3', fixture: { tokens: [TOKEN], repos: { 'ops/db': { defaultBranch: 'trunk', releases: [], tags: [], files: { trunk: { 'README.md': '# db\n' } } } } } });
  });

  after(() => server.close());

  it('opens and updates the pull request under /api/v3, checked against the GHES description', async () => {
    const gh = createOctokitGitHub({ baseUrl: server.apiUrl, token: TOKEN });
    const plan = input({ repo: { owner: 'ops', repo: 'db' }, baseBranch: undefined, baseSha: undefined });
    const first = await openPlanPullRequest(gh, plan);
    assert.ok(first.ok, !first.ok ? first.error.message : '');
    assert.equal(first.value.url, `${webUrl(server.apiUrl, 'ops/db')}/pull/1`);
    assert.match(first.value.url, /^http:\/\/github\.127\.0\.0\.1:\d+\/ops\/db\/pull\/1$/);
    const update = await openPlanPullRequest(gh, { ...plan, content: `${PLAN}\n- [ ] Verify\n` });
    assert.ok(update.ok);
    assert.deepEqual([update.value.created, update.value.fileChanged, update.value.requests], [false, true, 3]);
    const db = server.state.repos['ops/db'];
    assert.equal(db.pulls!.length, 1);
    assert.equal(db.pulls![0].base, 'trunk');
    assert.equal(server.api.description, 'ghes-3.19');
    assert.ok(server.requests.every((r) => !r.path.startsWith('/api/v3')));
    assert.deepEqual(server.violations, []);
  });
});

describe('github: parseGitRemote', () => {
  const gh = (owner: string, repo: string) => ({ host: 'github.com', owner, repo, apiBaseUrl: 'https://api.github.com' });

  it('reads github.com remotes in every form git takes', () => {
    const cases: [string, ReturnType<typeof parseGitRemote>][] = [
      ['https://github.com/acme/app.git', gh('acme', 'app')],
      ['https://github.com/acme/app', gh('acme', 'app')],
      ['https://github.com/acme/app/', gh('acme', 'app')],
      ['https://x-access-token:secret@github.com/acme/app.git', gh('acme', 'app')],
      ['https://www.github.com/acme/app.git', gh('acme', 'app')],
      ['git@github.com:acme/app.git', gh('acme', 'app')],
      ['git@github.com:acme/app', gh('acme', 'app')],
      ['github.com:acme/my.app.git', gh('acme', 'my.app')],
      ['ssh://git@github.com/acme/app.git', gh('acme', 'app')],
      ['ssh://git@ssh.github.com:443/acme/app.git', gh('acme', 'app')],
      ['git://github.com/acme/app.git', gh('acme', 'app')],
      ['  https://GitHub.com/Acme/App.git\n', gh('Acme', 'App')],
    ];
    for (const [url, expected] of cases) assert.deepEqual(parseGitRemote(url), expected, url);
  });

  it('gives Enterprise hosts their API', () => {
    assert.deepEqual(parseGitRemote('https://ghe.example.com/ops/db.git'), { host: 'ghe.example.com', owner: 'ops', repo: 'db', apiBaseUrl: 'https://ghe.example.com/api/v3' });
    assert.deepEqual(parseGitRemote('https://ghe.example.com:8443/ops/db'), { host: 'ghe.example.com:8443', owner: 'ops', repo: 'db', apiBaseUrl: 'https://ghe.example.com:8443/api/v3' });
    assert.deepEqual(parseGitRemote('git@ghe.example.com:ops/db.git'), { host: 'ghe.example.com', owner: 'ops', repo: 'db', apiBaseUrl: 'https://ghe.example.com/api/v3' });
    // An SSH port is not the web server's.
    assert.deepEqual(parseGitRemote('ssh://git@ghe.example.com:2222/ops/db.git'), { host: 'ghe.example.com', owner: 'ops', repo: 'db', apiBaseUrl: 'https://ghe.example.com/api/v3' });
    assert.deepEqual(parseGitRemote('http://127.0.0.1:8080/ops/db.git'), { host: '127.0.0.1:8080', owner: 'ops', repo: 'db', apiBaseUrl: 'http://127.0.0.1:8080/api/v3' });
    assert.deepEqual(parseGitRemote('https://acme.ghe.com/ops/db.git'), { host: 'acme.ghe.com', owner: 'ops', repo: 'db', apiBaseUrl: 'https://api.acme.ghe.com' });
  });

  it('returns null for what is not a GitHub repository', () => {
    for (const url of ['', '/srv/git/app.git', 'file:///srv/git/app.git', '../app', 'C:\\repos\\app', 'https://github.com/acme', 'https://github.com/acme/app/tree/main', 'ftp://github.com/acme/app.git', 'git@github.com:acme/..']) {
      assert.equal(parseGitRemote(url), null, url);
    }
  });
});
