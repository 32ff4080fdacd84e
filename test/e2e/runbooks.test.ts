import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { answerInputBox, clickLensAbove, codeLens, notification, openFile, openVsCode, runCommand, type Session } from '../support/e2e';

function demoText(vscode: Session): string {
  return readFileSync(path.join(vscode.workspace, 'runbooks', 'demo.md'), 'utf8');
}

/** The 1-based line of the first line that starts with `prefix`. */
function lineOf(text: string, prefix: string): number {
  const i = text.split(/\r?\n/).findIndex((l) => l.startsWith(prefix));
  if (i < 0) throw new Error(`no line starts with ${prefix}`);
  return i + 1;
}

async function waitForFile(file: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`${file} never matched ${pattern}:\n${text.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('runbooks in the VS Code UI', function () {
  let vscode: Session;

  before(async () => {
    vscode = await openVsCode();
  });

  after(async () => {
    await vscode?.close();
  });

  it('runs a step when its ▶ Run CodeLens is clicked, ticks the box in the file and writes the log', async () => {
    const { page } = vscode;
    const before = demoText(vscode);
    await openFile(page, 'runbooks/demo.md');
    await codeLens(page, '▶ Run All').waitFor({ timeout: 30_000 });
    await codeLens(page, /^▶ Run$/).first().click();
    // The first step uses no variable, so nothing is asked before it runs.
    const after = await waitForFile(path.join(vscode.workspace, 'runbooks', 'demo.md'), /- \[x\] Check that the tools are there/);
    let diff = 0;
    for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) diff++;
    assert.equal(before.length, after.length);
    assert.equal(diff, 1, 'one character changed');
    await codeLens(page, /^✓ /).first().waitFor({ timeout: 15_000 });
    const logDir = path.join(vscode.workspace, '.preflight', 'runs', 'runbooks--demo');
    const logs = readdirSync(logDir).filter((f) => f.endsWith('.jsonl'));
    assert.equal(logs.length, 1);
    const log = readFileSync(path.join(logDir, logs[0]), 'utf8');
    assert.match(log, /"type":"step-end".*"status":"passed"/);
    assert.ok(!log.includes('not-a-real-token'), 'the secret is not logged');
    await vscode.screenshot('runbook-step-passed');
  });

  it('does not run a confirm step unless the word is typed', async () => {
    const { page } = vscode;
    const before = demoText(vscode);
    await clickLensAbove(page, lineOf(before, '- [ ] Deploy release'), /^▶ Run$/);
    // The step uses the secret variable: asked now, once per run, in a password box.
    await answerInputBox(page, 'not-a-real-token', /DEMO_TOKEN/);
    const widget = page.locator('.quick-input-widget').filter({ hasText: /Confirm step/ });
    await widget.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await widget.innerText(), /deploying 2\.4\.1 with token ••••••/);
    await widget.locator('input').fill('yes');
    await page.locator('.quick-input-message', { hasText: 'Type exactly "demo"' }).waitFor();
    await vscode.screenshot('runbook-confirm');
    await page.keyboard.press('Escape');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(demoText(vscode), before, 'nothing ran, nothing ticked');
  });

  it('leaves a failing step unticked and offers the Rollback section', async () => {
    const { page } = vscode;
    await runCommand(page, 'Preflight: Run All Steps');
    // Run All stops at the manual step and asks; it is ticked only when the operator says it is done.
    const dialog = page.locator('.monaco-dialog-box', { hasText: /Manual step: Announce the window/ });
    await dialog.waitFor({ timeout: 30_000 });
    assert.match(demoText(vscode), /- \[ \] Announce the window/);
    await vscode.screenshot('runbook-manual-step');
    await dialog.locator('.monaco-button', { hasText: 'Mark Done' }).click();
    await waitForFile(path.join(vscode.workspace, 'runbooks', 'demo.md'), /- \[x\] Announce the window/);
    await answerInputBox(page, 'demo', /Confirm step/);
    const toast = notification(page, /Run the health check.*failed/);
    await toast.waitFor({ timeout: 30_000 });
    assert.ok(await toast.locator('a, .monaco-button', { hasText: 'Open Rollback' }).count(), 'Open Rollback offered');
    await vscode.screenshot('runbook-step-failed');
    const text = demoText(vscode);
    assert.match(text, /- \[x\] Deploy release/);
    assert.match(text, /- \[ \] Run the health check/);
    assert.match(text, /- \[ \] Switch traffic back/);
    await toast.locator('a, .monaco-button', { hasText: 'Open Rollback' }).first().click();
    await page.locator('.view-line', { hasText: '## Rollback' }).waitFor();
  });

  it('makes the failure stand out and opens its output from the result', async () => {
    const { page } = vscode;
    // The status bar says what failed, in the error colour.
    const status = page.locator('.statusbar-item', { hasText: /failed: Run the health check/ });
    await status.waitFor({ timeout: 15_000 });
    assert.match((await status.getAttribute('class')) ?? '', /error-kind|has-background-color/);
    await clickLensAbove(page, lineOf(demoText(vscode), '- [ ] Run the health check'), /^✗ exit \d+/);
    // The output opens from the log in a read-only editor beside the runbook.
    await page.locator('.tab.active', { hasText: /demo\.md · Run the health check/ }).waitFor({ timeout: 15_000 });
    const output = page.locator('.monaco-editor .view-lines', { hasText: 'failed, exit' });
    await output.waitFor({ timeout: 15_000 });
    assert.match(await output.innerText(), /▶\sRun\sthe\shealth\scheck/);
    assert.match(await output.innerText(), /checking\s\/healthz/);
    await vscode.screenshot('runbook-failed-output');
    // Typing changes nothing: the document is read-only.
    await output.click();
    await page.keyboard.type('zzz');
    assert.ok(!(await output.innerText()).includes('zzz'));
    await runCommand(page, 'View: Close All Editor Groups');
  });

  it('shows the results again after the window reloads', async () => {
    const { page } = vscode;
    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await openFile(page, 'runbooks/demo.md');
    // The run is read back from its log: the status bar names the failed step again.
    const status = page.locator('.statusbar-item', { hasText: /5\/7 · failed: Run the health check/ });
    await status.waitFor({ timeout: 30_000 });
    // From the status bar: the failed step's output beside the runbook, the step with its ✗ result in view
    // (wherever the reopened editor was scrolled to).
    await status.click();
    await page.locator('.tab', { hasText: /demo\.md · Run the health check/ }).waitFor({ timeout: 15_000 });
    await codeLens(page, /^✗ exit \d+/).first().waitFor({ timeout: 30_000 });
    await codeLens(page, /^✓ \d/).first().waitFor({ timeout: 15_000 });
    await vscode.screenshot('runbook-after-reload');
  });
});

describe('runbooks in Restricted Mode', function () {
  let vscode: Session;

  before(async () => {
    vscode = await openVsCode({ trusted: false });
  });

  after(async () => {
    await vscode?.close();
  });

  it('shows the steps but runs nothing, and says why', async () => {
    const { page } = vscode;
    const dontTrust = page.locator('.monaco-dialog-box .monaco-button', { hasText: /No, I don't trust/ });
    await dontTrust.waitFor({ timeout: 30_000 });
    await dontTrust.click();
    const before = demoText(vscode);
    await openFile(page, 'runbooks/demo.md');
    await codeLens(page, /^▶ Run$/).first().click();
    await notification(page, /Restricted Mode/).waitFor({ timeout: 15_000 });
    await vscode.screenshot('runbook-restricted');
    assert.equal(demoText(vscode), before);
    assert.ok(!existsSync(path.join(vscode.workspace, '.preflight')), 'no run log');
  });
});
