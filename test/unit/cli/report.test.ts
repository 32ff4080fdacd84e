/** `preflight report FILE --pr`: the run published on the plan's pull request, against the GitHub test server. */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../support/fixtures';
import { addReview, type GitHubServer, startGitHubServer } from '../../support/githubServer';
import { gatedPlan, PLAN_BRANCH, PLAN_FILE, planClone, planEnv } from '../../support/planRepo';
import { runCommentMarker } from '../../../src/core/github/runComment';

describe('cli: preflight report --pr', function () {
  this.timeout(60_000);
  let server: GitHubServer;
  let root: string;
  let cache: string;

  before(async () => {
    server = await startGitHubServer({ prefix: '/api/v3' });
    root = mkdtempSync(path.join(tmpdir(), 'preflight-cli-report-'));
  });
  beforeEach(() => (cache = mkdtempSync(path.join(root, 'cache-'))));
  afterEach(() => assert.deepEqual(server.violations, []));
  after(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  const cli = (clone: string, ...args: string[]) => runCli(args, clone, planEnv(cache));

  it('posts one comment with the report, edits it on later publishes, and commits the ticked plan to the branch', async () => {
    const { clone, file, repo } = planClone(server, root, gatedPlan());
    addReview(repo, 1, 'alice', 'APPROVED');
    assert.equal((await cli(clone, 'run', PLAN_FILE)).code, 0);
    server.requests.length = 0;

    const first = await cli(clone, 'report', PLAN_FILE, '--pr');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^Published the run report on pull request #1 \(upgrade:done\); committed the runbook to its branch \([0-9a-f]{12}\): http:\/\/\S+#issuecomment-\d+\n$/);
    const pull = repo.pulls![0];
    assert.equal(pull.comments?.length, 1);
    const comment = pull.comments![0];
    assert.ok(comment.body.startsWith(runCommentMarker(PLAN_FILE)));
    assert.match(comment.body, /\*\*✅ Done\*\* · 2\/2 steps done/);
    assert.match(comment.body, /^### Approval\n\n- \d\d:\d\d:\d\d approved: \[#1\]\([^)]+\) approved by @alice/m);
    assert.deepEqual(pull.labels, ['upgrade', 'upgrade:done']);
    assert.equal(String(repo.files[PLAN_BRANCH][PLAN_FILE]), readFileSync(file, 'utf8'));
    // The pull request and its branch came from the gate's check in the run's log.
    const counted = server.requests.map((r) => r.operationId);
    assert.ok(counted.length <= 4, counted.join(', '));

    const second = await cli(clone, 'report', PLAN_FILE, '--pr', '1');
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /^Updated the run report on pull request #1/);
    assert.equal(pull.comments!.length, 1);
    assert.equal(pull.comments![0].id, comment.id);
  });

  it('labels follow a run that fails and then succeeds; --no-commit leaves the branch alone', async () => {
    const { clone, file, repo } = planClone(server, root, gatedPlan('{ pullRequest: 1, from: migrate }', 'test -e fixed'));
    addReview(repo, 1, 'alice', 'APPROVED');
    assert.equal((await cli(clone, 'run', PLAN_FILE)).code, 1);
    const failed = await cli(clone, 'report', PLAN_FILE, '--pr', '--no-commit');
    assert.equal(failed.code, 0, failed.stderr);
    const pull = repo.pulls![0];
    assert.deepEqual(pull.labels, ['upgrade', 'upgrade:failed']);
    assert.match(pull.comments![0].body, /\*\*❌ Failed\*\*/);
    assert.match(pull.comments![0].body, /^### Output of failed steps/m);
    assert.equal(String(repo.files[PLAN_BRANCH][PLAN_FILE]), gatedPlan('{ pullRequest: 1, from: migrate }', 'test -e fixed'));

    writeFileSync(path.join(clone, 'fixed'), '');
    assert.equal((await cli(clone, 'run', PLAN_FILE, '--resume')).code, 0);
    assert.equal((await cli(clone, 'report', PLAN_FILE, '--pr')).code, 0);
    assert.deepEqual(pull.labels, ['upgrade', 'upgrade:done']);
    assert.equal(pull.comments!.length, 1);
    assert.match(pull.comments![0].body, /\*\*✅ Done\*\*/);
    assert.equal(String(repo.files[PLAN_BRANCH][PLAN_FILE]), readFileSync(file, 'utf8'));
  });

  it('prints the report without --pr, and fails in one line without a run or a pull request', async () => {
    const { clone, repo } = planClone(server, root, gatedPlan('{ pullRequest: 1, from: migrate }'));
    const none = await cli(clone, 'report', PLAN_FILE);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /has no recorded run yet \(no log under \.preflight\/runs\)\n$/);
    // From outside the workspace, the folder is named so that it can be found.
    const elsewhere = await runCli(['report', path.join(clone, PLAN_FILE)], cache, planEnv(cache));
    assert.equal(elsewhere.code, 2);
    assert.ok(elsewhere.stderr.includes(`(no log under ${path.join(clone, '.preflight', 'runs')})`), elsewhere.stderr);
    addReview(repo, 1, 'alice', 'APPROVED');
    assert.equal((await cli(clone, 'run', PLAN_FILE)).code, 0);
    const printed = await cli(clone, 'report', PLAN_FILE);
    assert.equal(printed.code, 0);
    assert.match(printed.stdout, /^# Run report: Upgrade app to 2\.0\.0$/m);
    const missing = await cli(clone, 'report', PLAN_FILE, '--pr', '42');
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr.split('\n').length, 2, missing.stderr);
  });
});
