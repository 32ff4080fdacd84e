import * as assert from 'node:assert/strict';
import { openVsCode, paletteTitles, runCommand, type Session } from './support';

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
