import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { PreflightApi } from '../../src/extension';
import { activateExtension, workspaceRoot } from '../support/integration';

const dir = () => path.join(workspaceRoot().fsPath, 'it-terminal');

async function openRunbook(name: string, text: string): Promise<vscode.TextDocument> {
  mkdirSync(dir(), { recursive: true });
  const file = path.join(dir(), name);
  writeFileSync(file, text);
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  return doc;
}

const runStep = (doc: vscode.TextDocument, line: number) =>
  vscode.commands.executeCommand('preflight.runStep', { uri: doc.uri.toString(), line, key: undefined }) as Promise<{ status: string }>;

describe('runbook terminal: what the operator sees', function () {
  let api: PreflightApi;

  before(async () => {
    api = await activateExtension();
    rmSync(dir(), { recursive: true, force: true });
  });

  after(async () => {
    api.runbooks.setRunPrompts(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows the step by its title, never a temporary script path, and keeps those lines out of the shell history', async () => {
    const out = path.join(dir(), 'out');
    mkdirSync(out, { recursive: true });
    const text = [
      '---',
      'title: Shown',
      'shell: bash',
      '---',
      '- [ ] Take a backup',
      '  ```sh',
      '  echo backup-done',
      '  ```',
      '- [ ] List the history',
      '  ```sh',
      `  HISTTIMEFORMAT= history > ${out}/history`,
      '  ```',
      '',
    ].join('\n');
    const doc = await openRunbook('shown.md', text);
    const commandLines: string[] = [];
    const sub = vscode.window.onDidStartTerminalShellExecution((e) => {
      if (e.terminal.name.startsWith('Runbook: Shown')) commandLines.push(e.execution.commandLine.value);
    });
    const marker = `history-starts-here-${Date.now()}`;
    try {
      assert.equal((await runStep(doc, 4)).status, 'passed');
      const terminal = vscode.window.terminals.find((t) => t.name.startsWith('Runbook: Shown'));
      assert.ok(terminal, `the runbook terminal is open: ${vscode.window.terminals.map((t) => t.name).join(', ')}`);
      assert.ok(terminal.shellIntegration, `the runbook terminal has shell integration (command lines seen: ${commandLines.join(' | ')})`);
      const type = async (command: string) => {
        const ended = new Promise<void>((resolve) => {
          const done = vscode.window.onDidEndTerminalShellExecution((e) => {
            if (e.terminal === terminal) {
              done.dispose();
              resolve();
            }
          });
        });
        terminal.shellIntegration!.executeCommand(command);
        await ended;
      };
      // The operator types commands of their own in between: they stay in the history.
      await type(`echo ${marker}`);
      assert.equal((await runStep(doc, 4)).status, 'passed');
      await type('echo operator-typed-this');
      assert.equal((await runStep(doc, 8)).status, 'passed');
    } finally {
      sub.dispose();
    }

    const steps = commandLines.filter((l) => !l.startsWith('echo '));
    assert.equal(steps.length, 3, commandLines.join('\n'));
    assert.match(steps[0], /# ▶ Take a backup$/);
    assert.match(steps[2], /# ▶ List the history$/);
    for (const line of steps) assert.ok(!/\/tmp|preflight-|\.sh\b/.test(line), `the terminal shows a path: ${line}`);

    // Only what this test added: the shell may have loaded an older history file.
    const all = readFileSync(path.join(out, 'history'), 'utf8');
    assert.ok(all.includes(marker), `history is on in the runbook terminal:\n${all}`);
    const history = all.slice(all.indexOf(marker));
    assert.match(history, /echo operator-typed-this/, `the operator's command is kept:\n${history}`);
    assert.ok(!/PREFLIGHT_SCRIPT|preflight-|\.sh\b|▶/.test(history), `the history holds the step lines:\n${history}`);
  });
});
