import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../support/vscodeServer';
import { codeLens, openVsCode, type Session } from '../support/e2e';

describe('the demo', function () {
  let vscode: Session;
  const parent = mkdtempSync(path.join(os.tmpdir(), 'preflight-e2e-demo-'));
  const workspace = path.join(parent, 'workspace');

  before(async function () {
    // The workspace `npm run demo` serves, made by the same script.
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/demoWorkspace.mjs'), workspace], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    vscode = await openVsCode({ workspace });
  });

  after(async () => {
    await vscode?.close();
    rmSync(parent, { recursive: true, force: true });
  });

  it('opens on the Preflight walkthrough and the demo runbook, not the generic welcome page', async () => {
    const { page } = vscode;
    await page.locator('.tab', { hasText: 'demo.md' }).waitFor({ timeout: 60_000 });
    await vscode.screenshot('demo-first-screen-opening');
    await page.getByText('Get started with Preflight runbooks').first().waitFor({ timeout: 30_000 });
    await codeLens(page, '▶ Run All').waitFor({ timeout: 30_000 });
    await page.locator('.tab', { hasText: /Walkthrough: Preflight/ }).waitFor({ timeout: 15_000 });
    // VS Code for the Web opens its own setup walkthrough on a new profile; Preflight's replaces it.
    await page.locator('.tab', { hasText: /Setup VS Code|Welcome/ }).waitFor({ state: 'detached', timeout: 15_000 });
    await vscode.screenshot('demo-first-screen');
  });

  it('is its own git repository: no offer to open the repository of a parent folder', async () => {
    const { page } = vscode;
    assert.equal(spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: workspace, encoding: 'utf8' }).stdout.trim(), workspace);
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(await page.locator('.notification-toast', { hasText: /parent folder|parent repositor/i }).count(), 0);
  });
});
