import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../support/vscodeServer';
import { answerInputBox, codeLens, openVsCode, pickQuickItem, runCommand, scratchWorkspace, webviewFrame, type Session } from '../support/e2e';

const HOSTILE = `# Changelog

## 1.1.0 (2024-01-01)

- <script>document.body.dataset.pwned = 'script'</script> Fix the installer
- <img src=x onerror="document.body.dataset.pwned = 'img'"> Add images
- [click me](javascript:document.body.dataset.pwned='link') and [site](https://example.com/release)
- **Breaking:** drop the \`legacy_users\` table; run the database migration before starting

## 1.0.0

- First release
`;

async function review(vscode: Session, source: string, from: string, to: string): Promise<void> {
  const { page } = vscode;
  await runCommand(page, 'Preflight: Review Release Notes...');
  const input = page.locator('.quick-input-widget input');
  await input.fill(source);
  await input.press('Enter');
  await pickQuickItem(page, from, /Current version/);
  await pickQuickItem(page, to, /Target version/);
}

describe('release-note review panel', function () {
  let vscode: Session;

  before(async () => {
    const workspace = scratchWorkspace();
    mkdirSync(path.join(workspace, 'notes'));
    copyFileSync(path.resolve(repoRoot, '../shared/fixtures/release-notes/rocketchat/HISTORY.md'), path.join(workspace, 'notes', 'HISTORY.md'));
    writeFileSync(path.join(workspace, 'notes', 'hostile.md'), HOSTILE);
    vscode = await openVsCode({ workspace });
  });

  after(async () => {
    await vscode?.close();
  });

  it('shows every version of the range with the risky items marked', async () => {
    await review(vscode, 'file:notes/HISTORY.md', '1.3.3', '2.1.0');
    const frame = await webviewFrame(vscode.page, 'Release notes 1.3.3 → 2.1.0');
    const versions = await frame.locator('details.version .version-name').allInnerTexts();
    assert.deepEqual(versions, ['2.1.0', '2.0.1', '2.0.0']);
    const summary = await frame.locator('.summary').innerText();
    assert.match(summary, /Breaking change\s+\d+/);
    assert.match(summary, /Database version\s+\d+/);
    const mongo = frame.locator('li.item.risky', { hasText: 'Remove support of MongoDB 3.2' });
    await mongo.waitFor();
    assert.match(await mongo.locator('.item-meta').innerText(), /Breaking change/);
    assert.match(await frame.locator('.engines').innerText(), /MongoDB 3\.2, 3\.4, 3\.6, 4\.0 → 3\.4, 3\.6, 4\.0/);
    // Installed from the .vsix, the extension runs in production: the page is not in test mode and reports no render times.
    assert.equal(await frame.evaluate('document.body.dataset.mode'), undefined);
    await vscode.screenshot('release-notes-panel');

    // Risky only hides unflagged items.
    const plain = frame.locator('li.item:not(.risky)').first();
    assert.equal(await plain.isVisible(), true);
    await frame.locator('#risky-only').check();
    assert.equal(await plain.isVisible(), false);
  });

  it('turns the review into an upgrade-plan runbook from its Create Upgrade Plan button', async () => {
    const frame = await webviewFrame(vscode.page, 'Release notes 1.3.3 → 2.1.0');
    await frame.locator('#create-plan').click();
    await answerInputBox(vscode.page, 'Rocket.Chat', /Create Upgrade Plan 1\.3\.3 → 2\.1\.0/);
    await vscode.page.locator('.tab.active[data-resource-name="rocket-chat-1.3.3-to-2.1.0.md"]').waitFor({ timeout: 15_000 });
    const plan = readFileSync(path.join(vscode.workspace, 'runbooks', 'upgrades', 'rocket-chat-1.3.3-to-2.1.0.md'), 'utf8');
    assert.match(plan, /^---\ntitle: "Upgrade Rocket\.Chat 1\.3\.3 to 2\.1\.0"/);
    assert.match(plan, /## Rollback/);
    await codeLens(vscode.page, '▶ Run All').waitFor({ timeout: 15_000 });
    await vscode.screenshot('upgrade-plan');
  });

  it('renders hostile release notes as text and runs none of their script', async () => {
    await review(vscode, 'file:notes/hostile.md', '1.0.0', '1.1.0');
    const frame = await webviewFrame(vscode.page, 'Release notes 1.0.0 → 1.1.0');
    // Another source opens its own panel, with every item shown.
    assert.equal(await frame.locator('#risky-only').isChecked(), false);
    await frame.locator('li.item').first().waitFor();
    const notes = await frame.locator('.note').allInnerTexts();
    assert.ok(notes.some((n) => n.includes("<script>document.body.dataset.pwned = 'script'</script>")), notes.join('\n'));
    assert.ok(notes.some((n) => n.includes('<img src=x onerror=')), notes.join('\n'));
    const scripts = (await frame.evaluate('[...document.scripts].map((s) => s.src + s.textContent).join(" ")')) as string;
    assert.ok(!scripts.includes('pwned'), 'no script element from the notes');
    assert.equal(await frame.locator('img').count(), 0);
    assert.equal(await frame.locator('a[href^="javascript:"]').count(), 0);
    // An http(s) link goes through VS Code's own "open external website" confirmation.
    await frame.locator('a', { hasText: 'site' }).click();
    const dialog = vscode.page.locator('.monaco-dialog-box', { hasText: 'https://example.com/release' });
    await dialog.waitFor({ timeout: 15_000 });
    await vscode.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await frame.evaluate('document.body.dataset.pwned'), undefined);
    const breaking = frame.locator('li.item.risky', { hasText: 'legacy_users' });
    assert.match(await breaking.locator('.item-meta').innerText(), /Breaking change/);
    assert.match(await breaking.locator('.item-meta').innerText(), /Database migration/);
    await vscode.screenshot('release-notes-hostile');
  });
});
