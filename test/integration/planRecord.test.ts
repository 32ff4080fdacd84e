/**
 * The plan pull request as the upgrade's record, in the real VS Code: a gated plan is blocked until
 * its pull request approves it, then runs, and its run is published as a comment on the server.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { logFolder } from '../../src/adapters/runLogFiles';
import { runCommentMarker } from '../../src/core/github/runComment';
import type { PreflightApi } from '../../src/extension';
import { addReview, startGitHubServer, type GitHubServer } from '../support/githubServer';
import { activateExtension, testPrompts, waitFor, workspaceRoot } from '../support/integration';
import { gatedPlan, PLAN_BRANCH, PLAN_FILE, PLAN_TOKEN, planFixture } from '../support/planRepo';

describe('plan pull request as the record: approval gate and Publish Run', function () {
  let api: PreflightApi;
  let server: GitHubServer;
  const root = () => workspaceRoot().fsPath;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root(), encoding: 'utf8' });

  before(async () => {
    api = await activateExtension();
    server = await startGitHubServer({ prefix: '/api/v3' });
    // The workspace is a clone of the server's acme/app, on the plan's branch.
    git('init', '-q', '-b', 'main');
    git('remote', 'add', 'origin', `${server.url}/acme/app.git`);
    git('checkout', '-q', '-b', PLAN_BRANCH);
    api.upgradePlan.setTokenProvider(async () => PLAN_TOKEN);
  });

  after(async () => {
    api.upgradePlan.setTokenProvider(undefined);
    api.runbooks.setRunPrompts(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(path.join(root(), '.git'), { recursive: true, force: true });
    rmSync(path.join(root(), PLAN_FILE), { force: true });
    rmSync(logFolder(path.join(root(), '.preflight', 'runs'), PLAN_FILE), { recursive: true, force: true });
    await server?.close();
  });

  it('blocks the gated step until the pull request approves the plan, then runs it and publishes the run as one comment', async () => {
    const plan = gatedPlan('{ pullRequest: auto, from: migrate }');
    const repo = planFixture(server, plan, { reviewers: ['alice'] });
    const file = path.join(root(), PLAN_FILE);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, plan);
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);

    const blocked: string[] = [];
    api.runbooks.setRunPrompts(testPrompts({ approvalBlocked: async (_step, reason) => (blocked.push(reason), undefined) }));
    const first = (await vscode.commands.executeCommand('preflight.runAll', uri)) as { status: string };
    assert.equal(first.status, 'blocked');
    assert.equal(blocked.length, 1);
    assert.match(blocked[0], /pull request #1 \([^)]+\) has no approving review; it needs one from @alice \(review requested\)/);
    assert.match(readFileSync(file, 'utf8'), /- \[x\] Check the version\n[^]*- \[ \] Run the migration/);

    addReview(repo, 1, 'alice', 'APPROVED');
    const second = (await vscode.commands.executeCommand('preflight.runAll', uri)) as { status: string };
    assert.equal(second.status, 'passed');
    assert.equal(blocked.length, 1, 'no second block: a block is never remembered');
    assert.match(readFileSync(file, 'utf8'), /- \[x\] Run the migration/);

    // A command typed by hand in the runbook's terminal while the run is open is part of the record.
    const terminal = vscode.window.terminals.find((t) => t.name === 'Runbook: Upgrade app to 2.0.0');
    assert.ok(terminal?.shellIntegration, 'the runbook terminal, with shell integration');
    terminal.shellIntegration.executeCommand('echo fixed-by-hand');
    const logDir = logFolder(path.join(root(), '.preflight', 'runs'), PLAN_FILE);
    await waitFor('the manual intervention in the log', () => readdirSync(logDir).some((f) => readFileSync(path.join(logDir, f), 'utf8').includes('"type":"manual-command"')));

    const published = (await vscode.commands.executeCommand('preflight.publishRunToPullRequest', uri)) as { comment: { created: boolean }; requests: number } | undefined;
    assert.ok(published, 'published');
    assert.equal(published.comment.created, true);
    assert.ok(published.requests <= 4, `${published.requests} requests`);
    const pull = repo.pulls![0];
    assert.equal(pull.comments?.length, 1);
    const body = pull.comments![0].body;
    assert.ok(body.startsWith(runCommentMarker(PLAN_FILE)));
    assert.match(body, /\*\*✅ Done\*\* · 2\/2 steps done/);
    assert.match(body, /blocked before "Run the migration": pull request #1/);
    assert.match(body, /approved: \[#1\]\([^)]+\) approved by @alice/);
    assert.match(body, /^### Manual interventions\n\n- \d\d:\d\d:\d\d .+ ran `echo fixed-by-hand` in `[^`]+`: exit 0$/m);
    assert.deepEqual(pull.labels, ['upgrade', 'upgrade:done', 'manual-change']);
    assert.equal(String(repo.files[PLAN_BRANCH][PLAN_FILE]), readFileSync(file, 'utf8'), 'the ticked plan is on the branch');

    const again = (await vscode.commands.executeCommand('preflight.publishRunToPullRequest', uri)) as { comment: { created: boolean } } | undefined;
    assert.equal(again?.comment.created, false);
    assert.equal(pull.comments!.length, 1, 'one comment, edited');
    assert.deepEqual(server.violations, []);
  });
});
