import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../support/vscodeServer';
import { notification, openVsCode, pickQuickItem, runCommand, scratchWorkspace, webviewFrame, type Session } from '../support/e2e';

const OTHER = `# Changelog

## 1.1.0 (2024-02-01)

### Breaking changes

- Drops the \`legacy\` flag.
- Renames \`--out\` to \`--output\`.

### Fixes

- Fixes the installer.

## 1.0.0 (2024-01-01)

- First release.
`;

async function review(page: Page, source: string, from: string, to: string): Promise<void> {
  await runCommand(page, 'Preflight: Review Release Notes...');
  const input = page.locator('.quick-input-widget input');
  await input.fill(source);
  await input.press('Enter');
  await pickQuickItem(page, from, /Current version/);
  await pickQuickItem(page, to, /Target version/);
}

/** The editor tabs of review panels, by title. */
async function reviewTabs(page: Page): Promise<string[]> {
  const titles = await page.locator('.tabs-container .tab .label-name').allInnerTexts();
  return titles.filter((t) => t.startsWith('Release Notes')).sort();
}

/** A local clone with tags and no release-note file: its review finds no notes. */
function bareRepository(dir: string): void {
  mkdirSync(dir);
  const git = (args: string[]) => execFileSync('git', args, { cwd: dir, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
  git(['init', '-q', '-b', 'main']);
  writeFileSync(path.join(dir, 'README.md'), '# bare\n');
  git(['add', '-A']);
  git(['-c', 'user.email=a@b.c', '-c', 'user.name=A', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'init']);
  git(['tag', 'v1.0.0']);
  git(['tag', 'v1.1.0']);
}

describe('release-note review panels', function () {
  let vscode: Session;

  before(async () => {
    const workspace = scratchWorkspace();
    mkdirSync(path.join(workspace, 'notes'));
    copyFileSync(path.resolve(repoRoot, '../shared/fixtures/release-notes/rocketchat/HISTORY.md'), path.join(workspace, 'notes', 'HISTORY.md'));
    writeFileSync(path.join(workspace, 'notes', 'other.md'), OTHER);
    bareRepository(path.join(workspace, 'bare'));
    vscode = await openVsCode({ workspace });
  });

  after(async () => {
    await vscode?.close();
  });

  it('keeps one panel per source and range open, and a failed review closes none of them', async () => {
    const { page } = vscode;
    await review(page, 'file:notes/HISTORY.md', '1.3.3', '2.1.0');
    await webviewFrame(page, 'Release notes 1.3.3 → 2.1.0');
    await review(page, 'file:notes/other.md', '1.0.0', '1.1.0');
    await webviewFrame(page, 'Release notes 1.0.0 → 1.1.0');
    assert.deepEqual(await reviewTabs(page), ['Release Notes 1.0.0 → 1.1.0', 'Release Notes 1.3.3 → 2.1.0']);

    // The same source and range again: its panel comes to the front, no second one opens.
    await review(page, 'file:notes/HISTORY.md', '1.3.3', '2.1.0');
    await page.locator('.tab.active', { hasText: 'Release Notes 1.3.3 → 2.1.0' }).waitFor({ timeout: 30_000 });
    assert.deepEqual(await reviewTabs(page), ['Release Notes 1.0.0 → 1.1.0', 'Release Notes 1.3.3 → 2.1.0']);

    // No notes in that clone: the notification says where it looked and what to do; the panels stay.
    await review(page, 'git:bare', '1.0.0', '1.1.0');
    const failed = notification(page, /no release notes found in git:/);
    await failed.waitFor({ timeout: 30_000 });
    const text = await failed.innerText();
    assert.match(text, /is at HEAD or v1\.1\.0/);
    assert.match(text, /preflight\.releaseNotes\.files/);
    assert.match(text, /try another source: github:OWNER\/REPO/);
    await failed.locator('.monaco-button', { hasText: 'Open Settings' }).waitFor();
    await vscode.screenshot('release-notes-no-notes');
    assert.deepEqual(await reviewTabs(page), ['Release Notes 1.0.0 → 1.1.0', 'Release Notes 1.3.3 → 2.1.0']);

    await failed.locator('.monaco-button', { hasText: 'Try Another Source' }).click();
    await page.locator('.quick-input-widget', { hasText: 'another source than git:bare' }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Escape');
  });

  it('brings the open reviews back after a window reload, and plans from the focused one', async () => {
    const { page } = vscode;
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.tabs-container .tab', { hasText: 'Release Notes 1.3.3 → 2.1.0' }).waitFor({ timeout: 60_000 });
    assert.deepEqual(await reviewTabs(page), ['Release Notes 1.0.0 → 1.1.0', 'Release Notes 1.3.3 → 2.1.0']);
    for (const [title, range] of [
      ['Release Notes 1.0.0 → 1.1.0', /Create Upgrade Plan 1\.0\.0 → 1\.1\.0/],
      ['Release Notes 1.3.3 → 2.1.0', /Create Upgrade Plan 1\.3\.3 → 2\.1\.0/],
    ] as const) {
      await page.locator('.tabs-container .tab', { hasText: title }).click();
      const frame = await webviewFrame(page, title.replace('Release Notes', 'Release notes'), 60_000);
      await frame.locator('details.version').first().waitFor();
      await runCommand(page, 'Preflight: Create Upgrade Plan...');
      await page
        .locator('.quick-input-widget', { hasText: range })
        .waitFor({ state: 'visible', timeout: 15_000 })
        .catch(async (err: unknown) => {
          await vscode.screenshot('release-notes-restored-plan');
          throw err;
        });
      await page.keyboard.press('Escape');
    }
    await vscode.screenshot('release-notes-restored');
  });
});
