import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { logFolder } from '../../src/adapters/runLogFiles';
import { answerInputBox, codeLens, openFile, openVsCode, scratchWorkspace, type Session } from '../support/e2e';

const GATED = ['---', 'title: Gated deploy', 'approval: { pullRequest: 1 }', '---', '', '# Gated deploy', '', '- [ ] Deploy', '  ```sh', '  echo deployed', '  ```', ''].join('\n');

async function waitForFile(file: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`${file} never matched ${pattern}:\n${text.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the approval gate in the VS Code UI', function () {
  let vscode: Session;

  before(async () => {
    const workspace = scratchWorkspace();
    writeFileSync(path.join(workspace, 'gated.md'), GATED);
    vscode = await openVsCode({ workspace });
  });

  after(async () => {
    await vscode?.close();
  });

  it('blocks a gated step that cannot be checked, says why, and runs it after "override" and a reason, both logged', async () => {
    const { page } = vscode;
    const file = path.join(vscode.workspace, 'gated.md');
    await openFile(page, 'gated.md');
    await codeLens(page, /^▶ Run$/).first().click();
    const dialog = page.locator('.monaco-dialog-box', { hasText: /Step "Deploy" needs an approved review/ });
    await dialog.waitFor({ timeout: 30_000 });
    assert.match(await dialog.innerText(), /the approval cannot be checked: the runbook is not in a git clone/);
    await vscode.screenshot('approval-gate-blocked');
    assert.equal(readFileSync(file, 'utf8'), GATED, 'nothing ran');
    await dialog.locator('.monaco-button', { hasText: 'Override…' }).click();
    await answerInputBox(page, 'override', /Type "override" to run this step/);
    await answerInputBox(page, 'window agreed with the DBA by phone', /Why is it run without an approved review/);
    await waitForFile(file, /- \[x\] Deploy/);
    const logDir = logFolder(path.join(vscode.workspace, '.preflight', 'runs'), 'gated.md');
    const log = readdirSync(logDir).map((f) => readFileSync(path.join(logDir, f), 'utf8')).join('');
    assert.match(log, /"type":"approval","step":\{[^}]*\},"allowed":false,"reason":"the approval cannot be checked: the runbook is not in a git clone/);
    assert.match(log, /"type":"approval-override".*"reason":"window agreed with the DBA by phone"/);
  });
});
