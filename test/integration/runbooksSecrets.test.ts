import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, waitFor, workspaceRoot } from '../support/integration';

const dir = () => path.join(workspaceRoot().fsPath, 'it-secrets');

describe('runbook secrets hygiene in the editor', function () {
  before(async () => {
    await activateExtension();
    rmSync(dir(), { recursive: true, force: true });
    mkdirSync(dir(), { recursive: true });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('warns on a hard-coded password and its quick fix makes it a secret variable', async () => {
    const file = path.join(dir(), 'backup.md');
    writeFileSync(file, '# Back up\n\n- [ ] Dump\n  ```sh\n  PGPASSWORD=s3cr3t-Pw pg_dump -h "$DB_HOST" billing > backup.sql\n  ```\n');
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const warning = await waitFor('the hard-coded secret warning', () => vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'hard-coded-secret'));
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(doc.getText(warning.range), 's3cr3t-Pw', 'on the literal');
    assert.ok(!vscode.languages.getDiagnostics(doc.uri).some((d) => doc.getText(d.range).includes('DB_HOST')), 'no alarm on a $VAR reference');

    // The request is cancelled when the document's diagnostics change under it: ask until it answers.
    let actions: vscode.CodeAction[] = [];
    const fix = await waitFor('the quick fix', async () => {
      try {
        actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, warning.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
      } catch {
        return undefined;
      }
      return actions.find((a) => a.title === 'Move it into a secret variable $PGPASSWORD');
    }).catch(() => undefined);
    assert.ok(fix?.edit, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(doc.getText(), '---\nvariables:\n  PGPASSWORD:\n    secret: true\n---\n# Back up\n\n- [ ] Dump\n  ```sh\n  PGPASSWORD=$PGPASSWORD pg_dump -h "$DB_HOST" billing > backup.sql\n  ```\n');
    await waitFor('the warning gone', () => !vscode.languages.getDiagnostics(doc.uri).some((d) => d.code === 'hard-coded-secret') || undefined);
  });
});
