/** `preflight run` with an approval gate, against the GitHub test server. */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { latestLogFile } from '../../../src/adapters/runLogFiles';
import { parseLog, type RunEvent } from '../../../src/core/runbook';
import { runCli } from '../../support/fixtures';
import { addReview, type GitHubServer, startGitHubServer } from '../../support/githubServer';
import { gatedPlan, PLAN_FILE, planClone, planEnv, pushPlan } from '../../support/planRepo';

describe('cli: preflight run with an approval gate', function () {
  this.timeout(60_000);
  let server: GitHubServer;
  let root: string;
  let cache: string;

  before(async () => {
    server = await startGitHubServer({ prefix: '/api/v3' });
    root = mkdtempSync(path.join(tmpdir(), 'preflight-cli-gate-'));
  });
  beforeEach(() => (cache = mkdtempSync(path.join(root, 'cache-'))));
  afterEach(() => assert.deepEqual(server.violations, []));
  after(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  const events = (clone: string): RunEvent[] => parseLog(readFileSync(latestLogFile(path.join(clone, '.preflight/runs'), PLAN_FILE)!, 'utf8')).events;
  const run = (clone: string, ...args: string[]) => runCli(['run', PLAN_FILE, ...args], clone, planEnv(cache));

  it('stops before the gated step with exit 4 and names who must approve; right after the approval the run goes on', async () => {
    const { clone, file, repo } = planClone(server, root, gatedPlan(), { reviewers: ['alice'] });
    const blocked = await run(clone);
    assert.equal(blocked.code, 4, blocked.stderr);
    assert.match(blocked.stderr, /step "Run the migration" needs an approved review: pull request #1 \(http:\/\/[^)]+\/acme\/app\/pull\/1\) has no approving review; it needs one from @alice \(review requested\)/);
    // The step before the gate ran and was ticked; the gated one did not run.
    assert.match(readFileSync(file, 'utf8'), /- \[x\] Check the version\n[^]*- \[ \] Run the migration/);
    const gate = events(clone).find((e) => e.type === 'approval');
    assert.ok(gate?.type === 'approval' && !gate.allowed && gate.pullRequest?.number === 1);
    assert.ok(!events(clone).some((e) => e.type === 'step-start' && e.step.text === 'Run the migration'));

    addReview(repo, 1, 'alice', 'APPROVED');
    server.requests.length = 0;
    // The local plan has a ticked box the approved one has not: that is no change.
    const approved = await run(clone, '--resume');
    assert.equal(approved.code, 0, approved.stderr);
    const pass = events(clone).filter((e) => e.type === 'approval').pop();
    assert.ok(pass?.type === 'approval' && pass.allowed && pass.approvedBy?.join() === 'alice' && pass.headBranch === 'preflight/app-2.0.0');
    assert.deepEqual(server.requests.map((r) => r.operationId), ['pulls/list', 'pulls/list-reviews', 'repos/get-content']);
  });

  it('blocks while a reviewer requests changes, and when the plan changed after the approval', async () => {
    const { clone, repo } = planClone(server, root, gatedPlan());
    addReview(repo, 1, 'alice', 'APPROVED');
    addReview(repo, 1, 'bob', 'CHANGES_REQUESTED');
    const changes = await run(clone);
    assert.equal(changes.code, 4);
    assert.match(changes.stderr, /@bob requested changes on pull request #1/);

    const second = planClone(server, root, gatedPlan());
    addReview(second.repo, 1, 'alice', 'APPROVED');
    const edited = gatedPlan(undefined, 'echo migrating --force');
    pushPlan(second.repo, edited);
    // The operator runs the plan as it is now, which nobody approved.
    writeFileSync(second.file, edited);
    const r = await run(second.clone);
    assert.equal(r.code, 4);
    assert.match(r.stderr, new RegExp(`${PLAN_FILE.replace(/[./]/g, '\\$&')} changed since @alice approved it at [0-9a-f]{12} \\(more than ticked boxes\\)`));
  });

  it('blocks with the reason when the pull request does not exist or GitHub cannot be reached', async () => {
    const { clone } = planClone(server, root, gatedPlan('{ pullRequest: 99, from: migrate }'));
    const missing = await run(clone);
    assert.equal(missing.code, 4);
    assert.match(missing.stderr, /the approval cannot be checked: pull request #99 of acme\/app not found on [^ ]+ \(404\), or the token cannot see it/);

    const offline = planClone(server, root, gatedPlan('{ pullRequest: 1, from: migrate }'));
    const r = await run(offline.clone, '--api-url', 'http://127.0.0.1:9/api/v3');
    assert.equal(r.code, 4);
    assert.match(r.stderr, /needs an approved review: the approval cannot be checked: /);
    const gate = events(offline.clone).find((e) => e.type === 'approval');
    assert.ok(gate?.type === 'approval' && !gate.allowed);
  });

  it('says in --dry-run where the gate is', async () => {
    const { clone } = planClone(server, root, gatedPlan());
    const r = await run(clone, '--dry-run');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /approval: this step and the ones after it run once the pull request approves the runbook as it is/);
    assert.deepEqual(server.requests, []);
  });
});
