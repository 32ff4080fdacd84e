// Drives the real VS Code UI in Chromium, with Preflight installed from its packaged .vsix.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { installVsix, launchBrowser, repoRoot, startServer, workbenchUrl, type VsCodeServer } from './vscodeServer';

export const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');

const openSessions = new Set<Session>();

// A failed test leaves a picture of every open window, named after the test (under mocha only).
if (typeof afterEach === 'function') {
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    const name = `failed-${(this.currentTest.fullTitle() ?? 'test').replace(/[^\w.-]+/g, '-').slice(0, 80)}`;
    let n = 0;
    for (const s of openSessions) await s.screenshot(n++ ? `${name}-${n}` : name).catch(() => undefined);
  });
}

export interface Session {
  page: Page;
  server: VsCodeServer;
  browser: Browser;
  workspace: string;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export function vsixUnderTest(): string {
  const vsix = process.env.PREFLIGHT_VSIX;
  if (!vsix) throw new Error('PREFLIGHT_VSIX is not set: run the end-to-end tier through `npm test` or `npm run test:e2e`');
  return vsix;
}

/** Packages the extension in `folder` (a test fixture) into a .vsix in a temporary folder. */
export function packageFixtureExtension(folder: string): string {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'preflight-fixture-vsix-')), `${path.basename(folder)}.vsix`);
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--out', out], { cwd: folder, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`packaging ${folder} failed:\n${r.stdout}\n${r.stderr}`);
  return out;
}

/** A scratch workspace holding a copy of the sample runbooks. */
export function scratchWorkspace(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-e2e-ws-'));
  cpSync(path.join(repoRoot, 'runbooks'), path.join(dir, 'runbooks'), { recursive: true });
  mkdirSync(path.join(dir, '.vscode'));
  writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none' }, null, 2));
  return dir;
}

/** Installs the .vsix into a fresh extensions folder, starts VS Code and opens the workspace. */
export async function openVsCode(o: { workspace?: string; trusted?: boolean; alsoInstall?: string[]; env?: Record<string, string> } = {}): Promise<Session> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'preflight-e2e-'));
  const serverOptions = {
    dataDir,
    extensionsDir: path.join(dataDir, 'extensions'),
    disableTrust: o.trusted !== false,
    label: 'e2e',
    env: o.env,
  };
  installVsix(serverOptions, vsixUnderTest());
  for (const other of o.alsoInstall ?? []) installVsix(serverOptions, other);
  const workspace = o.workspace ?? scratchWorkspace();
  const server = await startServer(serverOptions);
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  if (process.env.PREFLIGHT_VERBOSE) page.on('console', (m) => process.stderr.write(`[page] ${m.text()}\n`));
  await page.goto(workbenchUrl(server, { folder: workspace }));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60_000 });
  mkdirSync(screenshotDir, { recursive: true });
  const session: Session = {
    page,
    server,
    browser,
    workspace,
    async screenshot(name) {
      const file = path.join(screenshotDir, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      openSessions.delete(session);
      await browser.close().catch(() => undefined);
      server.stop();
      rmSync(dataDir, { recursive: true, force: true });
      if (!o.workspace) rmSync(workspace, { recursive: true, force: true });
    },
  };
  openSessions.add(session);
  return session;
}

/**
 * Opens the Command Palette and types the query. The palette lists an extension's commands only
 * once the extension host has loaded the manifest, so it retries until `expected` shows up.
 */
async function openPalette(page: Page, query: string, expected: string | RegExp, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const input = page.locator('.quick-input-widget input');
  for (;;) {
    // Each try in full: the palette may close under it (an editor or a notification that opens takes the focus).
    try {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(`>${query}`, { timeout: 2_000 });
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: expected }).first();
      await row.waitFor({ state: 'visible', timeout: 2_000 });
      return;
    } catch (err) {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw err;
    }
  }
}

/** Runs a command from the Command Palette by its full title ("Preflight: Show Log"). */
export async function runCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await openPalette(page, title, title, timeoutMs);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await row.click({ timeout: 5_000 });
      break;
    } catch (err) {
      // The palette closed under the click: open it again.
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw err;
    }
  }
  // The palette closes, or gives way to an input box the command opens.
  await page.waitForFunction(`(() => {
    const widget = document.querySelector('.quick-input-widget');
    const input = widget && widget.querySelector('input');
    return !widget || widget.style.display === 'none' || !input || input.value !== ${JSON.stringify(`>${title}`)};
  })()`);
}

/** Titles the Command Palette offers for a query, once at least one matches `expected`. */
export async function paletteTitles(page: Page, query: string, expected: string | RegExp = query): Promise<string[]> {
  await openPalette(page, query, expected);
  const titles = await page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
  await page.keyboard.press('Escape');
  return titles.map((t) => t.replace(/\s+/g, ' ').trim());
}

/** Opens a workspace file from the Explorer, expanding its folders, as a person does. */
export async function openFile(page: Page, relPath: string): Promise<void> {
  const parts = relPath.split('/');
  const explorer = page.locator('.explorer-folders-view');
  for (let i = 0; i < parts.length; i++) {
    const row = explorer.locator(`.monaco-list-row[aria-level="${i + 1}"][aria-label="${parts[i]}"]`).first();
    await row.waitFor({ timeout: 30_000 });
    const expanded = await row.getAttribute('aria-expanded');
    if (i < parts.length - 1) {
      if (expanded !== 'true') await row.click();
    } else {
      await row.click();
    }
  }
  // After a window reload an editor group may hold a preview of the same file: the focused group's tab counts.
  await page.locator(`.editor-group-container.active .tab.active[data-resource-name="${parts[parts.length - 1]}"]`).waitFor({ timeout: 15_000 });
}

/** The CodeLens links the editor shows, in order. */
export function codeLens(page: Page, text: string | RegExp) {
  // Only what is on screen: an editor may keep a replaced lens in the page, hidden.
  return page.locator('.monaco-editor .codelens-decoration a:visible', { hasText: text });
}

/** Answers the open input box (variables, confirmation words). */
export async function answerInputBox(page: Page, value: string, titleText?: string | RegExp): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  if (titleText) await widget.filter({ hasText: titleText }).waitFor({ state: 'visible', timeout: 15_000 });
  const input = widget.locator('input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(value);
  await input.press('Enter');
}

export function notification(page: Page, text: string | RegExp) {
  return page.locator('.notification-toast', { hasText: text });
}

/** Moves the cursor to a 1-based line with Go to Line, scrolling it into view. */
export async function goToLine(page: Page, line: number): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  // The focused group's editor; tried again when the keys went elsewhere (a notification, a closing widget).
  for (let attempt = 1; ; attempt++) {
    const active = page.locator('.editor-group-container.active .monaco-editor textarea');
    await ((await active.count()) ? active : page.locator('.monaco-editor textarea')).first().focus();
    await page.keyboard.press('Control+G');
    try {
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      break;
    } catch (err) {
      await page.keyboard.press('Escape');
      if (attempt === 3) throw err;
    }
  }
  await input.fill(`:${line}`);
  await input.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Clicks the CodeLens with this title that sits right above the step on a 1-based line. */
export async function clickLensAbove(page: Page, line: number, title: string | RegExp): Promise<void> {
  await goToLine(page, line);
  // The focused group's editor: with two groups open, each has an active line of its own.
  const lineNumber = page.locator('.editor-group-container.active .monaco-editor .margin .active-line-number').first();
  const lenses = codeLens(page, title);
  // CodeLenses re-render whenever a run changes state: measure again until one sits above the line.
  const deadline = Date.now() + 15_000;
  let seen = '';
  for (;;) {
    const lineBox = await lineNumber.boundingBox();
    let best = -1;
    let bestGap = Infinity;
    const ys: string[] = [];
    for (let i = 0; i < (await lenses.count()); i++) {
      const b = await lenses.nth(i).boundingBox().catch(() => null);
      ys.push(`${b?.y}`);
      if (!b || !lineBox) continue;
      const gap = lineBox.y - b.y;
      if (gap > 0 && gap < bestGap) {
        bestGap = gap;
        best = i;
      }
    }
    if (best >= 0 && bestGap < 40) {
      // A lens the editor replaced as it was clicked runs nothing, and VS Code says so: click the new one.
      const stale = page.locator('.notification-toast', { hasText: /Actual command not found/ });
      const shown = await stale.count();
      await lenses.nth(best).click();
      const missed = await page
        .waitForFunction(`[...document.querySelectorAll('.notification-toast')].filter((t) => /Actual command not found/.test(t.textContent || '')).length > ${shown}`, undefined, { timeout: 1_000 })
        .then(() => true, () => false);
      if (!missed) return;
      if (Date.now() > deadline) break;
      continue;
    }
    seen = `line at y=${lineBox?.y}; lenses at y=${ys.join(', ')}`;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  await page.screenshot({ path: path.join(screenshotDir, 'no-codelens.png') });
  throw new Error(`no "${title}" CodeLens right above line ${line} (${seen})`);
}

/** Picks the quick-pick row whose label is exactly `label`, typing it to filter first. */
export async function pickQuickItem(page: Page, label: string, titleText?: string | RegExp): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  if (titleText) await widget.filter({ hasText: titleText }).waitFor({ state: 'visible', timeout: 30_000 });
  const input = widget.locator('input');
  await input.fill(label);
  const row = widget.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
}

/** The frame of a Preflight webview (its `main#app`) whose document contains `text`. */
export async function webviewFrame(page: Page, text: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  const exact = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  for (;;) {
    for (const frame of page.frames()) {
      const found = await frame.locator('main#app', { hasText: exact }).count().catch(() => 0);
      if (found) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no webview shows ${text}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
