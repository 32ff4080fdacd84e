import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../support/vscodeServer';
import { openVsCode, packageFixtureExtension, paletteTitles, runCommand, type Session } from '../support/e2e';

describe('installed from the .vsix', function () {
  let vscode: Session;

  before(async function () {
    vscode = await openVsCode();
  });

  after(async () => {
    await vscode?.close();
  });

  it('offers its commands in the Command Palette', async () => {
    const titles = await paletteTitles(vscode.page, 'Preflight:', 'Preflight: Show Log');
    assert.ok(titles.includes('Preflight: Show Log'), `palette shows: ${titles.join(' | ')}`);
  });

  it('activates and writes to its Preflight log when a command runs', async () => {
    await runCommand(vscode.page, 'Preflight: Show Log');
    const output = vscode.page.locator('.part.panel .monaco-editor .view-lines');
    await output.filter({ hasText: /Preflight\s[\d.]+\sactivated\sin/ }).waitFor({ timeout: 20_000 });
    await vscode.screenshot('activation');
  });
});

describe('to another installed extension', function () {
  let vscode: Session;
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'preflight-probe-')), 'exports.json');

  before(async function () {
    const probe = packageFixtureExtension(path.join(repoRoot, 'test/fixtures/probe-extension'));
    vscode = await openVsCode({ alsoInstall: [probe], env: { PREFLIGHT_PROBE_OUT: out } });
  });

  after(async () => {
    await vscode?.close();
  });

  it('exports nothing: the test hooks (typed confirmations, tokens) exist only in test mode', async () => {
    const deadline = Date.now() + 60_000;
    while (!existsSync(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    assert.ok(existsSync(out), 'the probe extension ran');
    const seen = JSON.parse(readFileSync(out, 'utf8')) as { found: boolean; active: boolean; exports: unknown; error?: string };
    assert.equal(seen.error, undefined);
    assert.equal(seen.found, true);
    assert.equal(seen.active, true, 'Preflight activated for the probe');
    assert.equal(seen.exports, 'undefined', `Preflight exported ${JSON.stringify(seen.exports)}`);
  });
});
