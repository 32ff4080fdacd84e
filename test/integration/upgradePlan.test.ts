import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { parseRunbook } from '../../src/core/runbook';
import type { PreflightApi } from '../../src/extension';
import { startGitHubServer, type GitHubServer } from '../support/githubServer';
import { activateExtension, workspaceRoot } from '../support/integration';

const rocketchat = path.resolve(__dirname, '../../..', '../shared/fixtures/release-notes/rocketchat/HISTORY.md');

describe('upgrade plans', function () {
  let api: PreflightApi;

  before(async () => {
    api = await activateExtension();
  });

  afterEach(async () => {
    rmSync(path.join(workspaceRoot().fsPath, '.preflight', 'templates'), { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('writes a plan runbook from a review into runbooks/upgrades and opens it', async () => {
    const review = await api.releaseNotes.review({ source: `file:${rocketchat}`, from: '1.3.3', to: '2.1.0' });
    assert.ok(review);
    const uri = await api.upgradePlan.createPlan(review, { app: 'Rocket.Chat', overwrite: true });
    assert.ok(uri);
    assert.equal(path.relative(workspaceRoot().fsPath, uri.fsPath), path.join('runbooks', 'upgrades', 'rocket-chat-1.3.3-to-2.1.0.md'));
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, uri.fsPath);
    const text = readFileSync(uri.fsPath, 'utf8');
    const rb = parseRunbook(text);
    assert.deepEqual(rb.problems.filter((p) => p.severity === 'error'), []);
    assert.match(text, /Strategy:\*\* recreate/);
    assert.match(text, /Remove support of MongoDB 3\.2/);
    const firstProduction = rb.steps.find((s) => s.commands.some((c) => c.attrs.confirm));
    assert.match(firstProduction?.text ?? '', /backup/i);
    assert.ok(rb.steps.some((s) => s.rollback), 'a Rollback section');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.ok(lenses.some((l) => l.command?.title === '▶ Run'), 'the plan is a runbook with Run buttons');
  });

  it('writes commands for the database the notes name and the chart the workspace holds, a floor check, and no machine path', async () => {
    const chart = path.join(workspaceRoot().fsPath, 'charts', 'it-chat');
    mkdirSync(chart, { recursive: true });
    writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: it-chat\nversion: 1.0.0\n');
    try {
      const review = await api.releaseNotes.review({ source: `file:${rocketchat}`, from: '1.3.3', to: '2.1.0' });
      assert.ok(review);
      const uri = await api.upgradePlan.createPlan(review, { app: 'Rocket.Chat', overwrite: true });
      assert.ok(uri);
      const text = readFileSync(uri.fsPath, 'utf8');
      const rb = parseRunbook(text);
      const code = (name: string) => (rb.steps.find((s) => s.name === name)?.commands ?? []).map((c) => c.code).join('\n');
      assert.match(code('backup'), /mongodump/);
      assert.match(code('restore'), /mongorestore/);
      assert.match(code('upgrade'), /helm upgrade "\$APP" \.\/charts\/it-chat /);
      assert.match(code('check-mongodb-version'), /required=3\.4\n/);
      assert.ok(!text.includes(path.dirname(rocketchat)), 'no path of this machine');
    } finally {
      rmSync(path.join(workspaceRoot().fsPath, 'charts'), { recursive: true, force: true });
    }
  });

  it("uses the workspace's own template", async () => {
    const dir = path.join(workspaceRoot().fsPath, '.preflight', 'templates');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'upgrade-plan.md'), '# Team plan: {{app}} {{from}} → {{to}} ({{strategy}})\n\n- [ ] Backup\n  ```sh\n  echo backup\n  ```\n');
    const review = await api.releaseNotes.review({ source: `file:${rocketchat}`, from: '2.3.0', to: '2.4.1' });
    assert.ok(review);
    const uri = await api.upgradePlan.createPlan(review, { app: 'chat', overwrite: true });
    assert.ok(uri);
    assert.match(readFileSync(uri.fsPath, 'utf8'), /^# Team plan: chat 2\.3\.0 → 2\.4\.1 \((recreate|rolling)\)/);
  });
});

describe('plan pull requests', function () {
  const TOKEN = 'ghp_integration';
  let api: PreflightApi;
  let server: GitHubServer;
  let plan: vscode.Uri;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: workspaceRoot().fsPath, encoding: 'utf8' });

  before(async () => {
    api = await activateExtension();
    server = await startGitHubServer({
      prefix: '/api/v3',
      fixture: {
        tokens: [TOKEN],
        repos: {
          'acme/chat': {
            defaultBranch: 'main',
            releases: [],
            tags: [],
            files: { main: { 'README.md': '# chat\n' } },
            collaborators: ['alice'],
          },
        },
      },
    });
    // The workspace is a clone whose origin is the test server (an Enterprise host: /api/v3).
    git('init', '-q', '-b', 'main');
    git('remote', 'add', 'origin', `${server.url}/acme/chat.git`);
    await vscode.workspace.getConfiguration('preflight.upgradePlan').update('reviewers', ['alice'], vscode.ConfigurationTarget.Workspace);
    api.upgradePlan.setTokenProvider(async (provider) => (provider === 'github-enterprise' ? TOKEN : undefined));
    const review = await api.releaseNotes.review({ source: `file:${rocketchat}`, from: '1.3.3', to: '2.1.0' });
    assert.ok(review);
    plan = (await api.upgradePlan.createPlan(review, { app: 'Rocket.Chat', overwrite: true }))!;
  });

  after(async () => {
    api.upgradePlan.setTokenProvider(undefined);
    await vscode.workspace.getConfiguration('preflight.upgradePlan').update('reviewers', undefined, vscode.ConfigurationTarget.Workspace);
    rmSync(path.join(workspaceRoot().fsPath, '.git'), { recursive: true, force: true });
    await server?.close();
  });

  it('commits the plan to its branch and opens a draft pull request with labels and reviewers', async () => {
    const status = git('status', '--porcelain');
    const pr = (await vscode.commands.executeCommand('preflight.openPlanPullRequest', plan)) as { number: number; created: boolean; requests: number } | undefined;
    assert.ok(pr, 'a pull request');
    assert.equal(pr.created, true);
    // This clone has never fetched, so the default branch and its head cost two requests more than
    // the benchmark's first run (which knows origin/HEAD).
    assert.ok(pr.requests <= 8, `${pr.requests} requests`);
    const repo = server.state.repos['acme/chat'];
    const branch = 'preflight/rocket-chat-2.1.0';
    const head = repo.heads![branch];
    assert.ok(head, 'the branch exists');
    assert.equal(String(repo.commits![head].files['runbooks/upgrades/rocket-chat-1.3.3-to-2.1.0.md']), readFileSync(plan.fsPath, 'utf8'));
    const pull = repo.pulls!.find((p) => p.head === branch)!;
    assert.equal(pull.draft, true);
    assert.equal(pull.title, 'Upgrade plan: Rocket.Chat 1.3.3 → 2.1.0');
    assert.match(pull.body ?? '', /Strategy: recreate/);
    assert.deepEqual([...pull.labels].sort(), ['breaking', 'migration', 'upgrade']);
    assert.deepEqual(pull.requestedReviewers, ['alice']);
    assert.equal(git('status', '--porcelain'), status, 'the working tree and index are untouched');
    assert.deepEqual(server.violations, []);
  });

  it('updates the same pull request when the plan changes, never a second one', async () => {
    const doc = await vscode.workspace.openTextDocument(plan);
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.insert(new vscode.Position(doc.lineCount, 0), '\nReviewed with the database team.\n'));
    const pr = (await vscode.commands.executeCommand('preflight.openPlanPullRequest', plan)) as { number: number; created: boolean; fileChanged: boolean; requests: number } | undefined;
    assert.ok(pr);
    assert.equal(pr.created, false);
    assert.equal(pr.fileChanged, true);
    assert.ok(pr.requests <= 4, `${pr.requests} requests`);
    const repo = server.state.repos['acme/chat'];
    assert.equal(repo.pulls!.length, 1);
    const head = repo.heads!['preflight/rocket-chat-2.1.0'];
    assert.match(String(repo.commits![head].files['runbooks/upgrades/rocket-chat-1.3.3-to-2.1.0.md']), /Reviewed with the database team/);
    assert.equal(doc.isDirty, false, 'saved before committing');
    assert.deepEqual(server.violations, []);
  });

  it('opens it for the plan on screen when the focus is elsewhere, and offers the plans written here when none is', async () => {
    type Pr = { number: number; created: boolean } | undefined;
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(plan), vscode.ViewColumn.One);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'plaintext' }), vscode.ViewColumn.Two);
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'plaintext');
    const beside = (await vscode.commands.executeCommand('preflight.openPlanPullRequest')) as Pr;
    assert.equal(beside?.number, 1);
    assert.equal(beside?.created, false);

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    let settled = false;
    const picked = Promise.resolve(vscode.commands.executeCommand('preflight.openPlanPullRequest') as Thenable<Pr>).finally(() => (settled = true));
    // The plans written in this workspace are offered: take the first, as a person presses Enter.
    for (const deadline = Date.now() + 10_000; !settled && Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    const pr = await picked;
    assert.equal(pr?.number, 1);
    assert.equal(server.state.repos['acme/chat'].pulls!.length, 1);
    assert.deepEqual(server.violations, []);
  });

  it('says so when the repository is not on the server', async () => {
    git('remote', 'set-url', 'origin', `${server.url}/acme/missing.git`);
    try {
      const pr = await vscode.commands.executeCommand('preflight.openPlanPullRequest', plan);
      assert.equal(pr, undefined);
      assert.deepEqual(server.violations, []);
    } finally {
      git('remote', 'set-url', 'origin', `${server.url}/acme/chat.git`);
    }
  });
});
