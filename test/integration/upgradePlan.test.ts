import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { parseRunbook } from '../../src/core/runbook';
import type { PreflightApi } from '../../src/extension';
import { activateExtension, workspaceRoot } from './helpers';

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
