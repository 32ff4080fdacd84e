import * as vscode from 'vscode';
import { parseRunbook, type Runbook, type Step } from '../core/runbook';

/** Parses runbooks on demand, once per document version. */
export class RunbookDocuments implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; runbook: Runbook }>();
  private readonly closeListener = vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString()));

  get(doc: vscode.TextDocument): Runbook {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit.runbook;
    const runbook = parseRunbook(doc.getText());
    this.cache.set(key, { version: doc.version, runbook });
    return runbook;
  }

  dispose(): void {
    this.closeListener.dispose();
    this.cache.clear();
  }
}

/**
 * A markdown file is treated as a runbook when it has a step with a shell command, or front
 * matter and at least one step: a README's to-do list gets no Run buttons.
 */
export function isRunbook(rb: Runbook): boolean {
  if (rb.steps.some((s) => !s.manual)) return true;
  return rb.frontMatter !== undefined && rb.steps.length > 0;
}

export function isMarkdown(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'markdown';
}

/** The step a command refers to: by line first, then by key if the file moved since. */
export function findStep(rb: Runbook, ref: { line?: number; key?: string }): Step | undefined {
  const byLine = ref.line === undefined ? undefined : rb.steps.find((s) => s.line === ref.line);
  if (byLine && (ref.key === undefined || byLine.key === ref.key)) return byLine;
  return (ref.key !== undefined ? rb.steps.find((s) => s.key === ref.key) : undefined) ?? byLine;
}

export function runbookTitle(rb: Runbook, uri: vscode.Uri): string {
  return rb.title ?? uri.path.split('/').pop()!.replace(/\.(md|markdown)$/i, '');
}
