import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type GitHubServer, startGitHubServer, webUrl } from '../../support/githubServer';
import { runCli } from '../../support/fixtures';

const TOKEN = 'ghp_test_token_1234567890';
const PLAN_PATH = 'docs/plans/rocket-chat-6.0.0-to-7.0.0.md';
const PLAN = '# Upgrade plan: Rocket.Chat 6.0.0 → 7.0.0\n\n- [ ] Take a backup\n';
const ARGS = ['pr', '--file', PLAN_PATH, '--app', 'Rocket.Chat', '--from', '6.0.0', '--to', '7.0.0'];
const BRANCH = 'preflight/rocket-chat-7.0.0';


const run = (argv: string[], cwd: string, env: NodeJS.ProcessEnv = { GITHUB_TOKEN: TOKEN }) => runCli(argv, cwd, env);

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Operator', '-c', 'user.email=ops@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' }).trim();
}

/** What must not change: HEAD, the status, and the index file itself. */
function snapshot(cwd: string): { head: string; status: string; index: string } {
  const status = git(cwd, 'status', '--porcelain', '--untracked-files=all');
  const index = createHash('sha256').update(readFileSync(path.join(cwd, '.git', 'index'))).digest('hex');
  return { head: git(cwd, 'rev-parse', 'HEAD'), status, index };
}

describe('cli: preflight pr', function () {
  this.timeout(30_000);
  let server: GitHubServer;
  let root: string;
  let clone: string;
  let base: string;

  const repo = () => server.state.repos['acme/app'];

  before(async () => {
    server = await startGitHubServer({ prefix: '/api/v3' });
    root = mkdtempSync(path.join(tmpdir(), 'preflight-cli-pr-'));
  });

  beforeEach(() => {
    clone = mkdtempSync(path.join(root, 'clone-'));
    git(clone, 'init', '-q', '-b', 'main');
    writeFileSync(path.join(clone, 'README.md'), '# app\n');
    git(clone, 'add', 'README.md');
    git(clone, 'commit', '-q', '-m', 'Initial commit');
    base = git(clone, 'rev-parse', 'HEAD');
    // As a clone of the server's acme/app: origin, origin/main and origin/HEAD.
    git(clone, 'remote', 'add', 'origin', `${server.url}/acme/app.git`);
    git(clone, 'update-ref', 'refs/remotes/origin/main', base);
    git(clone, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
    mkdirSync(path.join(clone, 'docs/plans'), { recursive: true });
    writeFileSync(path.join(clone, PLAN_PATH), PLAN);
    // Something staged and something modified, to show both are left alone.
    writeFileSync(path.join(clone, 'staged.txt'), 'staged\n');
    git(clone, 'add', 'staged.txt');
    writeFileSync(path.join(clone, 'README.md'), '# app, edited\n');

    server.requests.length = 0;
    server.state.tokens = [TOKEN];
    server.state.faults = [];
    server.state.repos = {
      'acme/app': {
        defaultBranch: 'main',
        releases: [],
        tags: [],
        files: { main: { 'README.md': '# app\n' } },
        heads: { main: base },
        commits: { [base]: { message: 'Initial commit', parents: [], files: { 'README.md': '# app\n' } } },
      },
    };
  });

  afterEach(() => assert.deepEqual(server.violations, []));

  after(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('opens the pull request through the API, leaving the working tree and the index as they were', async () => {
    const before = snapshot(clone);
    const r = await run([...ARGS, '--reviewers', 'alice,@bob', '--labels', 'migration'], clone);
    assert.deepEqual(r, { code: 0, stdout: `Opened draft pull request #1: ${webUrl(server.apiUrl, 'acme/app')}/pull/1\n`, stderr: '' });
    assert.deepEqual(snapshot(clone), before);

    // Repository, API and base all come from the clone: 6 requests, the base commit not read.
    assert.deepEqual(
      server.requests.map((q) => q.operationId),
      ['pulls/list', 'git/create-ref', 'repos/create-or-update-file-contents', 'pulls/create', 'issues/add-labels', 'pulls/request-reviewers'],
    );
    assert.equal(String(repo().files[BRANCH][PLAN_PATH]), PLAN);
    assert.equal(repo().commits![repo().heads![BRANCH]].message, 'Add upgrade plan: Rocket.Chat 6.0.0 → 7.0.0');
    assert.deepEqual(repo().commits![repo().heads![BRANCH]].parents, [base]);
    const [pull] = repo().pulls!;
    assert.equal(pull.title, 'Upgrade plan: Rocket.Chat 6.0.0 → 7.0.0');
    assert.match(pull.body!, new RegExp(`^<!-- preflight:begin title="Upgrade plan: Rocket\\.Chat 6\\.0\\.0 → 7\\.0\\.0" -->\nUpgrade plan for \\*\\*Rocket\\.Chat\\*\\* from \`6\\.0\\.0\` to \`7\\.0\\.0\`: \`${PLAN_PATH.replace(/\./g, '\\.')}\`\\.`));
    assert.deepEqual([pull.head, pull.base, pull.draft, pull.labels, pull.requestedReviewers], [BRANCH, 'main', true, ['upgrade', 'migration'], ['alice', 'bob']]);
  });

  it('updates the pull request on later runs, and says when the plan is unchanged', async () => {
    assert.equal((await run(ARGS, clone)).code, 0);
    writeFileSync(path.join(clone, PLAN_PATH), `${PLAN}- [ ] Run the migrations\n`);
    const before = snapshot(clone);
    const url = `${webUrl(server.apiUrl, 'acme/app')}/pull/1`;
    assert.deepEqual(await run(ARGS, clone), { code: 0, stdout: `Updated pull request #1: ${url}\n`, stderr: '' });
    assert.equal(repo().commits![repo().heads![BRANCH]].message, 'Update upgrade plan: Rocket.Chat 6.0.0 → 7.0.0');
    assert.deepEqual(await run(ARGS, clone), { code: 0, stdout: `Updated pull request #1 (the plan is unchanged): ${url}\n`, stderr: '' });
    assert.equal(repo().pulls!.length, 1);
    assert.deepEqual(snapshot(clone), before);
  });

  it('commits a plan that is already committed locally, at its path in the clone, from a subdirectory', async () => {
    git(clone, 'add', PLAN_PATH);
    git(clone, 'commit', '-q', '-m', 'Plan', '--', PLAN_PATH);
    const before = snapshot(clone);
    const r = await run(['pr', '--file', 'rocket-chat-6.0.0-to-7.0.0.md', '--app', 'Rocket.Chat', '--from', '6.0.0', '--to', '7.0.0'], path.join(clone, 'docs/plans'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(String(repo().files[BRANCH][PLAN_PATH]), PLAN);
    assert.deepEqual(snapshot(clone), before);
  });

  it('starts from GitHub\'s base when the clone\'s origin/HEAD is ahead of it', async () => {
    const ahead = git(clone, 'commit-tree', '-p', base, '-m', 'Not pushed', `${base}^{tree}`);
    git(clone, 'update-ref', 'refs/remotes/origin/main', ahead);
    const r = await run([...ARGS, '--no-draft'], clone);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Opened pull request #1: /);
    assert.deepEqual(repo().commits![repo().heads![BRANCH]].parents, [base]);
    assert.equal(repo().pulls![0].draft, false);
  });

  it('asks GitHub only for the default branch when the clone has no origin/HEAD, and takes its head from the clone', async () => {
    git(clone, 'symbolic-ref', '--delete', 'refs/remotes/origin/HEAD');
    const r = await run(ARGS, clone);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(server.requests.map((q) => q.operationId), ['pulls/list', 'repos/get', 'git/create-ref', 'repos/create-or-update-file-contents', 'pulls/create', 'issues/add-labels']);
    assert.deepEqual(repo().commits![repo().heads![BRANCH]].parents, [base]);
  });

  it('takes the repository, path, API, title and body from options for a plan outside any clone', async () => {
    const outside = mkdtempSync(path.join(root, 'plain-'));
    writeFileSync(path.join(outside, 'plan.md'), PLAN);
    writeFileSync(path.join(outside, 'body.md'), 'Reviewed by the platform team.\n');
    const r = await run(
      ['pr', '--file', 'plan.md', '--app', 'app', '--from', '1.0', '--to', '2.0', '--repo', 'acme/app', '--path', 'ops/plan.md', '--api-url', server.apiUrl, '--title', 'Plan for 2.0', '--body-file', 'body.md', '--base', 'main'],
      outside,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(String(repo().files['preflight/app-2.0']['ops/plan.md']), PLAN);
    assert.deepEqual([repo().pulls![0].title, repo().pulls![0].body], ['Plan for 2.0', '<!-- preflight:begin title="Plan for 2.0" -->\nReviewed by the platform team.\n<!-- preflight:end -->\n']);
    // Without a clone the base's head is read from GitHub.
    assert.deepEqual(server.requests.slice(0, 3).map((q) => q.operationId), ['pulls/list', 'git/get-ref', 'git/create-ref']);
  });

  it('prints GitHub\'s refusal of a reviewer as a warning and still exits 0', async () => {
    repo().collaborators = ['alice'];
    const r = await run([...ARGS, '--reviewers', 'mallory'], clone);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /^preflight: warning: reviews were not requested from mallory: GitHub refused the request for reviewers of #1 of acme\/app \(422\): Reviews may only be requested from collaborators\./);
    assert.equal(r.stderr.split('\n').length, 2);
  });

  it('fails in one line, touching nothing, without a token or with a bad one, and on bad arguments', async () => {
    const before = snapshot(clone);
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [ARGS, {}, /^preflight: pr needs GITHUB_TOKEN: a token that can push to acme\/app and open pull requests\n$/],
      [ARGS, { GITHUB_TOKEN: 'ghp_expired' }, /^preflight: GitHub rejected the token \(401\): set GITHUB_TOKEN to a valid token\n$/],
      [['pr', '--file', PLAN_PATH], {}, /^preflight: pr needs --app, --from, --to\. Run "preflight pr --help"\.\n$/],
      [[...ARGS, '--draft', '--no-draft'], {}, /^preflight: pr takes --draft or --no-draft, not both\n$/],
      [[...ARGS, '--bogus'], {}, /^preflight: Unknown option '--bogus'\. Run "preflight pr --help"\.\n$/],
      [['pr', '--file', 'nope.md', '--app', 'a', '--from', '1.0.0', '--to', '2.0.0'], {}, /^preflight: cannot read nope\.md: no such file\n$/],
      [[...ARGS, '--repo', 'acme'], {}, /^preflight: --repo needs OWNER\/REPO, not "acme"\n$/],
      [[...ARGS.slice(0, -1), 'latest'], {}, /^preflight: --to needs a version \(7\.0\.0, v7\.0\.0, 2\.4\.0-rc\.1\), not "latest"\n$/],
      [[...ARGS.slice(0, -1), '7.0.lock'], {}, /^preflight: --to needs a version \(7\.0\.0, v7\.0\.0, 2\.4\.0-rc\.1\), not "7\.0\.lock"\n$/],
      [[...ARGS.slice(0, -1), '7.0.0\n'], {}, /^preflight: --to needs a version \(7\.0\.0, v7\.0\.0, 2\.4\.0-rc\.1\), not "7\.0\.0\\n"\n$/],
      [['pr', '--file', PLAN_PATH, '--app', 'Rocket.Chat', '--from', 'yesterday', '--to', '7.0.0'], {}, /^preflight: --from needs a version \(7\.0\.0, v7\.0\.0, 2\.4\.0-rc\.1\), not "yesterday"\n$/],
      [['pr', '--file', PLAN_PATH, '--app', ' !! ', '--from', '6.0.0', '--to', '7.0.0'], {}, /^preflight: --app needs a name with a letter or a digit, not " !! "\n$/],
      [['pr', '--file', PLAN_PATH, '--app', 'Rocket\nChat', '--from', '6.0.0', '--to', '7.0.0'], {}, /^preflight: --app must be one line without control characters, not "Rocket\\nChat"\n$/],
      [['pr', '--file', PLAN_PATH, '--app', 'x'.repeat(101), '--from', '6.0.0', '--to', '7.0.0'], {}, /^preflight: --app is too long \(101 characters; at most 100\)\n$/],
      [[...ARGS, '--base', 'main..old'], {}, /^preflight: --base needs a valid branch name, not "main\.\.old"\n$/],
      [[...ARGS, '--base', 'release.lock'], {}, /^preflight: --base needs a valid branch name, not "release\.lock"\n$/],
    ];
    for (const [argv, env, expected] of cases) {
      const r = await run(argv, clone, env);
      assert.equal(r.code, 2, argv.join(' '));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, expected);
    }
    assert.deepEqual(server.requests.map((q) => q.status), [401]);
    assert.deepEqual(repo().heads, { main: base });
    assert.deepEqual(snapshot(clone), before);
  });

  it('needs --repo when the clone has no GitHub origin, and --path outside a clone', async () => {
    git(clone, 'remote', 'set-url', 'origin', '/srv/git/app.git');
    const r = await run(ARGS, clone);
    assert.deepEqual(r, { code: 2, stdout: '', stderr: 'preflight: pr needs --repo OWNER/REPO: its origin is not a GitHub repository\n' });
    const outside = mkdtempSync(path.join(root, 'plain-'));
    writeFileSync(path.join(outside, 'plan.md'), PLAN);
    const args = ['pr', '--file', 'plan.md', '--app', 'app', '--from', '1.0.0', '--to', '2.0.0'];
    assert.equal((await run(args, outside)).stderr, 'preflight: pr needs --repo OWNER/REPO: plan.md is not in a git clone\n');
    assert.equal((await run([...args, '--repo', 'acme/app'], outside)).stderr, 'preflight: pr needs --path: plan.md is not in a git clone, so its path in acme/app is unknown\n');
    assert.equal(server.requests.length, 0);
  });

  it('shows its options', async () => {
    const r = await run(['pr', '--help'], clone);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: preflight pr --file PATH --app NAME --from VERSION --to VERSION \[options\]$/m);
    assert.equal((await run(['help', 'pr'], clone)).stdout, r.stdout);
    assert.match((await run(['help'], clone)).stdout, /^ {2}pr {6}Open or update the pull request of an upgrade plan$/m);
  });
});
