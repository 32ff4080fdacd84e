// Drives the real VS Code UI in Chromium, with Preflight installed from its packaged .vsix.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { installVsix, launchBrowser, repoRoot, startServer, workbenchUrl, type VsCodeServer } from '../support/vscodeServer';

export const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');

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

/** A scratch workspace holding a copy of the sample runbooks. */
export function scratchWorkspace(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-e2e-ws-'));
  cpSync(path.join(repoRoot, 'runbooks'), path.join(dir, 'runbooks'), { recursive: true });
  mkdirSync(path.join(dir, '.vscode'));
  writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none' }, null, 2));
  return dir;
}

/** Installs the .vsix into a fresh extensions folder, starts VS Code and opens the workspace. */
export async function openVsCode(o: { workspace?: string; trusted?: boolean } = {}): Promise<Session> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'preflight-e2e-'));
  const serverOptions = {
    dataDir,
    extensionsDir: path.join(dataDir, 'extensions'),
    disableTrust: o.trusted !== false,
    label: 'e2e',
  };
  installVsix(serverOptions, vsixUnderTest());
  const workspace = o.workspace ?? scratchWorkspace();
  const server = await startServer(serverOptions);
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  if (process.env.PREFLIGHT_VERBOSE) page.on('console', (m) => process.stderr.write(`[page] ${m.text()}\n`));
  await page.goto(workbenchUrl(server, { folder: workspace }));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60_000 });
  mkdirSync(screenshotDir, { recursive: true });
  return {
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
      await browser.close().catch(() => undefined);
      server.stop();
      rmSync(dataDir, { recursive: true, force: true });
      if (!o.workspace) rmSync(workspace, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the Command Palette and types the query. The palette lists an extension's commands only
 * once the extension host has loaded the manifest, so it retries until `expected` shows up.
 */
async function openPalette(page: Page, query: string, expected: string | RegExp, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const input = page.locator('.quick-input-widget input');
  for (;;) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${query}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: expected }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 2_000 });
      return;
    } catch (err) {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw err;
    }
  }
}

/** Runs a command from the Command Palette by its full title ("Preflight: Show Log"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await openPalette(page, title, title);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Titles the Command Palette offers for a query, once at least one matches `expected`. */
export async function paletteTitles(page: Page, query: string, expected: string | RegExp = query): Promise<string[]> {
  await openPalette(page, query, expected);
  const titles = await page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
  await page.keyboard.press('Escape');
  return titles.map((t) => t.replace(/\s+/g, ' ').trim());
}
