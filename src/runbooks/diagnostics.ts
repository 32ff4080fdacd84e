import * as vscode from 'vscode';
import type { Problem } from '../core/runbook';
import { isMarkdown, isRunbook, RunbookDocuments } from './documents';

const SEVERITY: Record<Problem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Runbook problems (front matter, fence attributes, duplicate names...) in the Problems panel. */
export class RunbookDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('preflight');
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly documents: RunbookDocuments) {}

  update(doc: vscode.TextDocument): void {
    if (!isMarkdown(doc)) return;
    const rb = this.documents.get(doc);
    if (!isRunbook(rb)) {
      this.collection.delete(doc.uri);
      return;
    }
    this.collection.set(
      doc.uri,
      rb.problems.map((p) => {
        const endLine = Math.max(p.line, p.endLine - 1);
        const range = new vscode.Range(p.line, p.column ?? 0, endLine, doc.lineAt(Math.min(endLine, doc.lineCount - 1)).text.length);
        const d = new vscode.Diagnostic(range, p.message, SEVERITY[p.severity]);
        d.source = 'Preflight';
        d.code = p.code;
        return d;
      }),
    );
  }

  /** Re-checks a changed document after typing pauses. */
  schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      if (!doc.isClosed) this.update(doc);
    }, 300));
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.collection.dispose();
  }
}
