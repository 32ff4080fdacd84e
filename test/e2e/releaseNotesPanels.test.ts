import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../support/vscodeServer';
import { codeLens, notification, openFile, openVsCode, pickQuickItem, runCommand, scratchWorkspace, webviewFrame, type Session } from '../support/e2e';

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
    writeFileSync(path.join(workspace, 'Dockerfile'), 'FROM rocketchat/rocket.chat:2.3.0\n');
    // GitHub cannot be reached from here: fail fast.
    writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none', 'preflight.network.timeout': 2 }, null, 2));
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

  it('groups items under their section, names files relative to the source, filters by text and keeps the timeline and its legend in view', async () => {
    const { page } = vscode;
    await page.locator('.tabs-container .tab', { hasText: 'Release Notes 1.3.3 → 2.1.0' }).click();
    const frame = await webviewFrame(page, 'Release notes 1.3.3 → 2.1.0');
    const latest = frame.locator('details.version', { has: frame.locator('.version-name', { hasText: /^2\.1\.0$/ }) });
    await latest.locator('li.item').first().waitFor();

    // One heading per section, above its items; none repeated on the items themselves.
    const headings = await latest.locator('.group-heading').allInnerTexts();
    assert.ok(headings.some((h) => /BREAKING CHANGES/.test(h)), headings.join(' | '));
    assert.equal(new Set(headings).size, headings.length, headings.join(' | '));
    assert.ok((await latest.locator('li.item').count()) > headings.length * 2);
    assert.equal(await frame.locator('.item-meta .heading').count(), 0);
    // Contributor lists and the unflagged engine table are no items.
    assert.ok(!headings.some((h) => /Contributors|Core Team|Engine versions/.test(h)), headings.join(' | '));
    const notes = await frame.locator('li.item .note').allInnerTexts();
    assert.ok(!notes.some((n) => /^@[\w-]+$/.test(n.trim())), 'a contributor line is shown as an item');
    // Locations name the file as the source has it, never a path of this machine.
    const locations = await frame.locator('li.item .location').allInnerTexts();
    assert.ok(locations.length > 10);
    for (const l of locations) assert.match(l, /^notes\/HISTORY\.md:\d+(-\d+)?$/);

    const legend = await frame.locator('.legend').innerText();
    assert.match(legend, /nothing flagged/);
    assert.match(legend, /flagged items/);
    assert.match(legend, /Breaking change/);

    // The search box keeps the items that hold the text, in every version.
    await frame.locator('#search').fill('cordova');
    // The versions still loading are searched when their notes come; the state says so until then.
    await frame.locator('#filter-state', { hasText: /match “cordova”$/ }).waitFor();
    const shown = await frame.locator('li.item:not([hidden]) .note').allInnerTexts();
    assert.ok(shown.length >= 1);
    for (const n of shown) assert.match(n, /cordova/i);
    assert.deepEqual(await frame.locator('details.version:not([hidden]) .version-name').allInnerTexts(), ['2.1.0']);
    await vscode.screenshot('release-notes-search');
    await frame.locator('#search').fill('');
    await frame.locator('#filter-state', { hasText: /match/ }).waitFor({ state: 'hidden' }).catch(() => undefined);
    await page.waitForTimeout(400);
    assert.deepEqual(await frame.locator('details.version:not([hidden]) .version-name').allInnerTexts(), ['2.1.0', '2.0.1', '2.0.0']);

    // Scrolled far down, the timeline is still at the top.
    await frame.evaluate('window.scrollTo(0, document.body.scrollHeight / 2)');
    await page.waitForTimeout(300);
    const top = (await frame.evaluate('[window.scrollY, document.querySelector(".sticky-bar").getBoundingClientRect().top]')) as [number, number];
    assert.ok(top[0] > 500, `scrolled ${top[0]}px`);
    assert.ok(Math.abs(top[1]) < 2, `the timeline is ${top[1]}px from the top`);
    await vscode.screenshot('release-notes-scrolled');
    await frame.evaluate('window.scrollTo(0, 0)');
  });

  it("offers the image map and the other source types when an image's built-in source cannot be read", async () => {
    const { page } = vscode;
    await openFile(page, 'Dockerfile');
    await codeLens(page, 'Review release notes 2.3.0 → latest').click({ timeout: 30_000 });
    const failed = notification(page, /Preflight: .*rocketchat\/rocket\.chat is reviewed from github:RocketChat\/Rocket\.Chat/);
    await failed.waitFor({ timeout: 90_000 });
    assert.match(await failed.innerText(), /preflight\.releaseNotes\.imageSources/);
    await failed.locator('.monaco-button', { hasText: 'Open Settings' }).waitFor();
    await vscode.screenshot('release-notes-image-offline');
    await failed.locator('.monaco-button', { hasText: 'Try Another Source' }).click();
    const pick = page.locator('.quick-input-widget', { hasText: /where do the release notes of rocketchat\/rocket\.chat come from\?.*imageSources/ });
    await pick.waitFor({ timeout: 15_000 });
    assert.ok((await pick.locator('.monaco-list-row', { hasText: 'git:' }).count()) > 0);
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
