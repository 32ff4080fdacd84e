import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, waitFor, workspaceRoot } from '../support/integration';

const dir = () => path.join(workspaceRoot().fsPath, 'it-output');

async function openRunbook(name: string, text: string): Promise<vscode.TextDocument> {
  mkdirSync(dir(), { recursive: true });
  const file = path.join(dir(), name);
  writeFileSync(file, text);
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  return doc;
}

async function lenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
}

const runStep = (doc: vscode.TextDocument, line: number) =>
  vscode.commands.executeCommand('preflight.runStep', { uri: doc.uri.toString(), line, key: undefined }) as Promise<{ status: string }>;

describe('runbook step output and failures', function () {
  before(async () => {
    await activateExtension();
    rmSync(dir(), { recursive: true, force: true });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the output of a failed step from its result in a read-only editor, and lists the failure in Problems', async () => {
    const text = [
      '---',
      'title: Outputs',
      'variables:',
      '  SERVICE:',
      '    default: billing',
      '---',
      '- [ ] Check $SERVICE health',
      '  ```sh {"interactive":false}',
      '  echo "probing $SERVICE"',
      '  echo "connection refused" >&2',
      '  exit 7',
      '  ```',
      '',
    ].join('\n');
    const doc = await openRunbook('outputs.md', text);
    assert.equal((await runStep(doc, 6)).status, 'failed');

    const problems = await waitFor('a Problems entry for the failed step', () => {
      const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.code === 'step-failed');
      return d.length ? d : undefined;
    });
    assert.equal(problems.length, 1);
    assert.equal(problems[0].severity, vscode.DiagnosticSeverity.Error);
    assert.equal(problems[0].range.start.line, 6);
    assert.match(problems[0].message, /Step "Check billing health" failed with exit code 7/);

    const result = await waitFor('the ✗ result lens', async () => (await lenses(doc)).find((l) => l.range.start.line === 6 && l.command?.title === '✗ exit 7'));
    await vscode.commands.executeCommand(result.command!.command, ...(result.command!.arguments ?? []));
    const editor = await waitFor('the output editor', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.scheme === 'preflight-run' ? e : undefined;
    });
    const shown = editor.document.getText();
    assert.match(shown, /^▶ Check billing health\nfailed, exit 7 · /);
    assert.match(shown, /\$ echo "probing billing"/);
    assert.match(shown, /probing billing\n/);
    assert.match(shown, /connection refused/);

    // Fixed and run again: the failure leaves Problems.
    writeFileSync(doc.uri.fsPath, text.replace('  exit 7\n', ''));
    await waitFor('the runbook re-read', () => !doc.getText().includes('exit 7') || undefined);
    assert.equal((await runStep(doc, 6)).status, 'passed');
    await waitFor('the Problems entry gone', () => vscode.languages.getDiagnostics(doc.uri).every((x) => x.code !== 'step-failed') || undefined);
  });

  /** A runbook whose one step, 150 lines down, fails; opened without an editor. */
  async function farRunbook(name: string, title: string): Promise<{ doc: vscode.TextDocument; line: number }> {
    const filler = Array.from({ length: 150 }, (_, i) => `Line ${i + 1} of the notes before the step.`);
    const text = ['# Far down', '', ...filler, '', `- [ ] ${title}`, '  ```sh {"interactive":false}', '  exit 3', '  ```', ''].join('\n');
    mkdirSync(dir(), { recursive: true });
    const file = path.join(dir(), name);
    writeFileSync(file, text);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const doc = await vscode.workspace.openTextDocument(file);
    return { doc, line: doc.getText().split('\n').indexOf(`- [ ] ${title}`) };
  }

  async function failIt(doc: vscode.TextDocument, line: number): Promise<void> {
    assert.equal((await runStep(doc, line)).status, 'failed');
    await waitFor('the failure in Problems', () => vscode.languages.getDiagnostics(doc.uri).some((x) => x.code === 'step-failed') || undefined);
  }

  const showsLine = (editor: vscode.TextEditor, line: number) => editor.visibleRanges.some((r) => r.start.line <= line && line <= r.end.line);

  /** Scrolls the editor to the top and waits until it has shown the top (the step out of view) at least once. */
  async function scrollAway(editor: vscode.TextEditor, line: number): Promise<void> {
    let away = false;
    const sub = vscode.window.onDidChangeTextEditorVisibleRanges((e) => {
      if (e.textEditor === editor && !e.visibleRanges.some((r) => r.start.line <= line && line <= r.end.line)) away = true;
    });
    try {
      editor.revealRange(new vscode.Range(0, 0, 0, 0), vscode.TextEditorRevealType.AtTop);
      await waitFor('the top in view', () => away || undefined);
    } finally {
      sub.dispose();
    }
  }

  it('scrolls to a step that failed while its runbook had no editor in view, once the editor shows', async () => {
    const { doc, line } = await farRunbook('far.md', 'Probe the service');
    assert.ok(!vscode.window.visibleTextEditors.some((e) => e.document === doc), 'no editor shows the runbook yet');
    await failIt(doc, line);
    const editor = await vscode.window.showTextDocument(doc);
    await waitFor('the failed step in view', () => showsLine(editor, line) || undefined);
  });

  it('scrolls back to the failed step when the editor gets its saved scroll position back right after opening', async () => {
    const { doc, line } = await farRunbook('far-again.md', 'Probe the other service');
    await failIt(doc, line);
    const editor = await vscode.window.showTextDocument(doc);
    await waitFor('the failed step in view', () => showsLine(editor, line) || undefined);
    // What VS Code does when it restores a reopened file's view state: back to the top.
    await scrollAway(editor, line);
    await waitFor('the failed step in view again', () => showsLine(editor, line) || undefined);
  });

  it('shows the failure in a new editor of the runbook that replaces the first right after it opened', async () => {
    const { doc, line } = await farRunbook('far-replaced.md', 'Probe the replaced service');
    await failIt(doc, line);
    const first = await vscode.window.showTextDocument(doc);
    await waitFor('the failed step in view', () => showsLine(first, line) || undefined);
    await scrollAway(first, line);
    // The workbench replaces the editor (closed and opened again, with the scroll position it had).
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const second = await vscode.window.showTextDocument(doc);
    assert.notEqual(second, first);
    await waitFor('the failed step in view in the new editor', () => showsLine(second, line) || undefined);
  });

  it('also when the saved scroll position comes back seconds later (a slow window), and then lets go', async () => {
    const { doc, line } = await farRunbook('far-late.md', 'Probe the late service');
    await failIt(doc, line);
    const editor = await vscode.window.showTextDocument(doc);
    await waitFor('the failed step in view', () => showsLine(editor, line) || undefined);
    await new Promise((r) => setTimeout(r, 3_500));
    await scrollAway(editor, line);
    await waitFor('the failed step in view again', () => showsLine(editor, line) || undefined);
    // Seconds later the editor is the operator's: a scroll away stays.
    await new Promise((r) => setTimeout(r, 3_000));
    editor.revealRange(new vscode.Range(0, 0, 0, 0), vscode.TextEditorRevealType.AtTop);
    await new Promise((r) => setTimeout(r, 1_000));
    assert.ok(!showsLine(editor, line), 'the scroll to the top stays');
    // The failure's result (what the status bar item runs too) brings the step back beside its output.
    const result = await waitFor('the ✗ result lens', async () => (await lenses(doc)).find((l) => l.range.start.line === line && l.command?.title === '✗ exit 3'));
    await vscode.commands.executeCommand(result.command!.command, ...(result.command!.arguments ?? []));
    await waitFor('the output editor', () => vscode.window.visibleTextEditors.some((e) => e.document.uri.scheme === 'preflight-run') || undefined);
    await waitFor('the failed step in view beside its output', () => showsLine(editor, line) || undefined);
  });
});
