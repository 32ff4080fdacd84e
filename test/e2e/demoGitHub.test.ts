import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { answerInputBox, clickLensAbove, codeLens, pickQuickItem, runCommand, screenshotDir, vsixUnderTest, webviewFrame } from '../support/e2e';
import { freePort, launchBrowser, repoRoot } from '../support/vscodeServer';

/** `npm run demo` as a person starts it, then the plan's pull request opened against its GitHub. */
describe('the demo with its GitHub', function () {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-e2e-demo-github-'));
  let demo: ChildProcess;
  let browser: Browser;
  let page: Page;
  let vscodeUrl: string;
  let githubUrl: string;
  let output = '';

  before(async function () {
    const port = await freePort();
    demo = spawn(process.execPath, [path.join(repoRoot, 'scripts/demo.mjs'), '--port', String(port)], {
      env: { ...process.env, PREFLIGHT_DEMO_DIR: dir, PREFLIGHT_VSIX: vsixUnderTest() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    demo.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    demo.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 120_000;
    while (!/Press Ctrl\+C to stop/.test(output)) {
      if (Date.now() > deadline || demo.exitCode !== null) throw new Error(`the demo did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    vscodeUrl = /^Open (\S+)$/m.exec(output)![1];
    githubUrl = /^The demo's GitHub is (\S+) /m.exec(output)![1];
    mkdirSync(screenshotDir, { recursive: true });
    browser = await launchBrowser();
    // The sign-in code is copied to the clipboard, as a person's browser allows.
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    page = await context.newPage();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await page?.screenshot({ path: path.join(screenshotDir, 'failed-demo-github.png') }).catch(() => undefined);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    demo?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dir, { recursive: true, force: true });
  });

  const PLAN = 'runbooks/upgrades/inventory-1.4.0-to-2.1.0.md';
  /**
   * Clicks ▶ Run above the plan's backup step, the first one behind the approval gate, until `shows`
   * appears (a click can land on a lens the editor is replacing; a second click of a running step is ignored).
   */
  const runBackup = async (shows: ReturnType<Page['locator']>) => {
    const lines = readFileSync(path.join(dir, 'workspace', PLAN), 'utf8').split('\n');
    for (let attempt = 1; ; attempt++) {
      await clickLensAbove(page, lines.findIndex((l) => l.startsWith('- [ ] Take a backup')) + 1, /^▶ Run$/);
      try {
        return await shows.waitFor({ state: 'visible', timeout: 15_000 });
      } catch (err) {
        if (attempt === 3) throw err;
      }
    }
  };
  const gateDialog = () => page.locator('.monaco-dialog-box', { hasText: /needs an approved review/ });

  const api = (p: string) => fetch(`${githubUrl}/api/v3${p}`).then((r) => r.json() as Promise<unknown>);

  it('says how to try the pull request, and points the workspace and the settings at its GitHub', () => {
    assert.match(output, /github:demo\/inventory/);
    assert.match(output, new RegExp(`${githubUrl.replace(/[.:/]/g, '\\$&')}/demo/preflight-demo/pulls`));
    const settings = JSON.parse(readFileSync(path.join(dir, 'data', 'user', 'User', 'settings.json'), 'utf8')) as Record<string, string>;
    assert.equal(settings['preflight.github.enterpriseUrl'], githubUrl);
    assert.equal(settings['github-enterprise.uri'], githubUrl);
  });

  it('reviews the notes of its app, plans the upgrade, opens the plan pull request after signing in with a code, and its backup waits for approval', async () => {
    await page.goto(vscodeUrl);
    await page.locator('.tab', { hasText: 'demo.md' }).waitFor({ timeout: 60_000 });
    await runCommand(page, 'Preflight: Review Release Notes...');
    const input = page.locator('.quick-input-widget input');
    await input.fill('github:demo/inventory');
    await input.press('Enter');
    await pickQuickItem(page, '1.4.0', /Current version/);
    await pickQuickItem(page, '2.1.0', /Target version/);
    const frame = await webviewFrame(page, 'Release notes 1.4.0 → 2.1.0');
    await frame.locator('li.item.risky', { hasText: 'cannot be rolled back' }).waitFor();
    await frame.locator('#create-plan').click();
    await answerInputBox(page, 'Inventory', /Create Upgrade Plan 1\.4\.0 → 2\.1\.0/);
    await page.locator('.tab.active[data-resource-name="inventory-1.4.0-to-2.1.0.md"]').waitFor({ timeout: 15_000 });
    // The first CodeLens of a cold window can take a while, and the walkthrough opening beside the
    // plan (on install) may come in front of it: bring the plan forward again, as a person would.
    const planTab = page.locator('.tab[data-resource-name="inventory-1.4.0-to-2.1.0.md"]').first();
    const withPlanInFront = async (action: () => Promise<unknown>) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        try {
          await action();
          return;
        } catch (err) {
          if (Date.now() > deadline) {
            const tabs = await page.locator('.tab').evaluateAll((ts) => ts.map((t) => `${t.getAttribute('aria-label')}${t.classList.contains('active') ? ' (active)' : ''}`));
            throw new Error(`${(err as Error).message}\nThe tabs: ${JSON.stringify(tabs)}`);
          }
          await planTab.click();
        }
      }
    };
    await withPlanInFront(() => codeLens(page, '▶ Run All').waitFor({ timeout: 10_000 }));

    // The plan's editor has the button in its title bar: it is for that plan wherever the focus is.
    const planGroup = page.locator('.editor-group-container', { has: page.locator('.tab.active[data-resource-name="inventory-1.4.0-to-2.1.0.md"]') });
    await withPlanInFront(() => planGroup.locator('.editor-actions .action-label[aria-label^="Open Plan Pull Request"]').click({ timeout: 10_000 }));
    const dialog = page.locator('.monaco-dialog-box');
    await dialog
      .filter({ hasText: /wants to sign in using 127\.0\.0\.1/ })
      .waitFor({ timeout: 30_000 })
      .catch(async (err: Error) => {
        // Say what the window showed instead: a message of the command, another dialog.
        const shown = await page.locator('.notification-list-item-message, .monaco-dialog-box').allInnerTexts();
        throw new Error(`${err.message}\nThe window showed: ${JSON.stringify(shown)}`);
      });
    await dialog.locator('.monaco-button', { hasText: 'Allow' }).click();
    await dialog.filter({ hasText: 'Your Code: DEMO-0001' }).waitFor({ timeout: 30_000 });
    const signInPage = page.context().waitForEvent('page');
    await dialog.locator('.monaco-button', { hasText: 'Copy & Continue to GitHub' }).click();
    const opened = await signInPage;
    await opened.getByText('VS Code is signed in as operator').waitFor({ timeout: 15_000 });
    await opened.screenshot({ path: path.join(screenshotDir, 'demo-github-signed-in.png') });
    await opened.close();

    type Pull = { number: number; title: string; draft: boolean; head: { ref: string } };
    let pulls: Pull[] = [];
    for (const deadline = Date.now() + 60_000; !pulls.length && Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) {
      pulls = (await api('/repos/demo/preflight-demo/pulls')) as Pull[];
    }
    // The toast may have gone while the sign-in page had the focus: the notification list keeps it.
    await runCommand(page, 'Notifications: Show Notifications');
    const center = page.locator('.notifications-center', { hasText: /Opened draft pull request #1 for Inventory 1\.4\.0 → 2\.1\.0/ });
    await center.waitFor({ timeout: 15_000 });
    await page.screenshot({ path: path.join(screenshotDir, 'demo-github-pull-request.png') });
    // Its button opens the demo's GitHub in the browser (at its root: VS Code for the Web drops the path of a local address).
    const prPage = page.context().waitForEvent('page');
    await center.locator('.monaco-button', { hasText: 'Open Pull Request' }).click();
    const shown = await prPage;
    await shown.getByRole('link', { name: /#1 Upgrade plan: Inventory 1\.4\.0 → 2\.1\.0/ }).waitFor({ timeout: 15_000 });
    assert.ok(shown.url().startsWith(githubUrl), shown.url());
    await shown.close();
    assert.deepEqual(pulls.map((p) => [p.number, p.title, p.draft]), [[1, 'Upgrade plan: Inventory 1.4.0 → 2.1.0', true]]);
    const file = (await api(`/repos/demo/preflight-demo/contents/runbooks/upgrades/inventory-1.4.0-to-2.1.0.md?ref=${encodeURIComponent(pulls[0].head.ref)}`)) as { content: string };
    assert.match(Buffer.from(file.content, 'base64').toString('utf8'), /^title: "Upgrade Inventory 1\.4\.0 to 2\.1\.0"$/m);

    // Production steps wait for a reviewer: the backup is blocked while no one has approved.
    await page.keyboard.press('Escape');
    await runBackup(gateDialog());
    assert.match(await gateDialog().innerText(), /#1/);
    await page.screenshot({ path: path.join(screenshotDir, 'demo-github-gate-blocked.png') });
    await page.keyboard.press('Escape');
    await gateDialog().waitFor({ state: 'detached', timeout: 15_000 });
  });

  it('shows the pull request on its page, where a reviewer approves it, and the backup then passes the gate', async () => {
    const pulls = await page.context().newPage();
    await pulls.goto(`${githubUrl}/demo/preflight-demo/pull/1`);
    await pulls.getByText('#1 Upgrade plan: Inventory 1.4.0 → 2.1.0').waitFor({ timeout: 15_000 });
    await pulls.getByRole('button', { name: 'Approve as reviewer' }).click();
    await pulls.getByText('reviewer: approved').waitFor({ timeout: 15_000 });
    await pulls.close();
    const reviews = (await api('/repos/demo/preflight-demo/pulls/1/reviews')) as { user: { login: string }; state: string }[];
    assert.deepEqual(reviews.map((r) => [r.user.login, r.state]), [['reviewer', 'APPROVED']]);

    // Approved: the backup step passes the gate (checked before anything is asked) and asks for its first variable.
    await runBackup(page.locator('.quick-input-widget', { hasText: /Upgrade Inventory 1\.4\.0 to 2\.1\.0: NAMESPACE/ }));
    assert.equal(await gateDialog().count(), 0);
    await page.screenshot({ path: path.join(screenshotDir, 'demo-github-gate-approved.png') });
    await page.keyboard.press('Escape');
  });
});
