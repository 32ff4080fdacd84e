import * as vscode from 'vscode';
import { findHardCodedSecrets, secretFix, type SecretFinding } from '../core/runbook';
import { isMarkdown, RunbookDocuments } from './documents';

const CODES: ReadonlySet<string> = new Set(['hard-coded-secret', 'default-credentials', 'default-admin-user']);

/**
 * The quick fix of a hard-coded credential: a `secret: true` variable in the front matter (created
 * when the runbook has none) and `$NAME` where the literal was, in every place it appears.
 */
export class SecretFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly documents: RunbookDocuments) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (!isMarkdown(doc)) return [];
    const ours = context.diagnostics.filter((d) => d.source === 'Preflight' && typeof d.code === 'string' && CODES.has(d.code));
    if (ours.length === 0) return [];
    const text = doc.getText();
    const rb = this.documents.get(doc);
    const findings = findHardCodedSecrets(text, rb);
    const actions: vscode.CodeAction[] = [];
    for (const d of ours) {
      const finding = findings.find((f) => f.line === d.range.start.line && f.column === d.range.start.character && f.code === d.code);
      if (!finding) continue;
      const fix = secretFix(text, rb, finding, findings);
      if (!fix) continue;
      const action = new vscode.CodeAction(title(finding, fix.name, fix.replaced, fix.declares), vscode.CodeActionKind.QuickFix);
      action.diagnostics = [d];
      action.isPreferred = true;
      const edit = new vscode.WorkspaceEdit();
      for (const e of fix.edits) edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.newText);
      action.edit = edit;
      actions.push(action);
    }
    return actions;
  }
}

function title(finding: SecretFinding, name: string, replaced: number, declares: boolean): string {
  const where = replaced > 1 ? ` (${replaced} places)` : '';
  if (!finding.secret) return `Use a variable $${name} instead of "${finding.value}"${where}`;
  return declares ? `Move it into a secret variable $${name}${where}` : `Use the secret variable $${name}${where}`;
}
