/**
 * The gate's check and a publish through the application layer against the test server as
 * api.github.com (the CLI tests use the GitHub Enterprise Server description), with the API given
 * instead of the one of the clone's origin.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkApproval } from '../../../src/app/approval';
import { publishRun } from '../../../src/app/publishRun';
import { parseRunbook, type RunEvent } from '../../../src/core/runbook';
import { addReview, type GitHubServer, startGitHubServer } from '../../support/githubServer';
import { gatedPlan, PLAN_BRANCH, PLAN_FILE, PLAN_TOKEN, planClone } from '../../support/planRepo';

const ENV = { token: async () => PLAN_TOKEN, userAgent: 'preflight-test', hints: { invalidToken: 'set GITHUB_TOKEN' } };

describe('app: approval and publishing against api.github.com', function () {
  this.timeout(30_000);
  let server: GitHubServer;
  let root: string;

  before(async () => {
    server = await startGitHubServer();
    root = mkdtempSync(path.join(tmpdir(), 'preflight-app-record-'));
  });
  afterEach(() => assert.deepEqual(server.violations, []));
  after(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('checks the approval and publishes a failed run, then the done run, into one comment with the labels following', async () => {
    const plan = gatedPlan('{ pullRequest: 1, from: migrate }');
    const { file, repo } = planClone(server, root, plan);
    const req = { file, text: plan, meta: parseRunbook(plan).meta, apiUrl: server.apiUrl };
    const none = await checkApproval(req, ENV);
    assert.ok(!none.allowed && /has no approving review/.test(none.reason));
    addReview(repo, 1, 'alice', 'APPROVED');
    const yes = await checkApproval(req, ENV);
    assert.ok(yes.allowed, !yes.allowed ? yes.reason : '');
    assert.equal(yes.requests, 2);

    const rb = parseRunbook(plan);
    const step = (i: number) => ({ key: rb.steps[i].key, text: rb.steps[i].text, line: rb.steps[i].line });
    const t = (m: number) => `2024-05-01T10:0${m}:00.000Z`;
    const failed: RunEvent[] = [
      { type: 'run-start', runId: 'r', time: t(0), runbook: PLAN_FILE, title: 'Upgrade', operator: 'ops', host: 'box' },
      { type: 'step-end', runId: 'r', time: t(1), step: step(1), status: 'failed', exitCode: 3, durationMs: 10, output: 'boom\n' },
    ];
    const content = readFileSync(file);
    const first = await publishRun({ file, content, pullRequest: { kind: 'number', number: 1 }, apiUrl: server.apiUrl, events: failed, earlier: [], commit: false }, ENV);
    assert.ok(first.ok, !first.ok ? first.error : '');
    assert.deepEqual(repo.pulls![0].labels, ['upgrade', 'upgrade:failed']);
    const done = content.toString('utf8').replace(/- \[ \] (Check the version|Run the migration)/g, '- [x] $1');
    const passed: RunEvent[] = [...failed, { type: 'step-end', runId: 'r', time: t(2), step: step(1), status: 'passed', exitCode: 0, durationMs: 10, output: '' }];
    const record = { type: 'publish' as const, runId: 'r', time: t(3), ...first.value.record };
    const second = await publishRun({ file, content: Buffer.from(done), pullRequest: { kind: 'number', number: 1 }, apiUrl: server.apiUrl, events: passed, earlier: [record], commit: true }, ENV);
    assert.ok(second.ok, !second.ok ? second.error : '');
    assert.equal(second.value.comment.id, first.value.comment.id);
    assert.equal(repo.pulls![0].comments!.length, 1);
    assert.deepEqual(repo.pulls![0].labels, ['upgrade', 'upgrade:done']);
    assert.equal(String(repo.files[PLAN_BRANCH][PLAN_FILE]), done);
    assert.ok(second.value.requests <= 4, `${second.value.requests} requests`);
  });
});
