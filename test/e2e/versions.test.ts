import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { driftWorkspace } from '../support/driftWorkspace';
import { openVsCode, runCommand, scratchWorkspace, type Session } from '../support/e2e';

describe('Versions view', function () {
  let vscode: Session;

  before(async function () {
    const workspace = scratchWorkspace();
    for (const f of driftWorkspace()) {
      mkdirSync(path.dirname(path.join(workspace, f.path)), { recursive: true });
      writeFileSync(path.join(workspace, f.path), f.text);
    }
    vscode = await openVsCode({ workspace });
  });

  after(async () => {
    await vscode?.close();
  });

  it('shows the versions per environment and marks the drift, with the review between environments', async () => {
    const { page } = vscode;
    await runCommand(page, 'Explorer: Focus on Versions View');
    const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^Versions/i }) });
    const grafana = pane.locator('.monaco-list-row', { hasText: 'grafana/grafana' });
    await grafana.waitFor({ timeout: 30_000 });
    assert.match(await grafana.innerText(), /drift · image · dev 11\.1\.0 · staging 11\.1\.0 · prod 10\.4\.2/);
    const redis = pane.locator('.monaco-list-row', { hasText: 'redis' });
    assert.doesNotMatch(await redis.innerText(), /drift/);
    await grafana.click();
    const review = pane.locator('.monaco-list-row', { hasText: 'Review release notes prod 10.4.2 → dev 11.1.0' });
    await review.waitFor({ timeout: 10_000 });
    await pane.locator('.monaco-list-row', { hasText: /^\s*prod/ }).first().waitFor();
    await vscode.screenshot('versions-drift');
  });
});
