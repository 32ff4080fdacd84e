import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { findHardCodedSecrets, isRunmeFile, type Diagnostic, type Runbook } from '../core/runbook';
import { isMarkdown, isRunbook, RunbookDocuments } from './documents';
import { baseDirFor } from '../common/workspace';

const SEVERITY: Record<Diagnostic['severity'], vscode.DiagnosticSeverity> = {
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
    const runbook = isRunbook(rb);
    if (!runbook && !rb.looseBlocks.some((b) => b.runnable)) {
      this.collection.delete(doc.uri);
      return;
    }
    // A README-style file offers ▶ Run Block: its errors say why a block cannot run; its warnings are
    // left to the tools it was written for.
    // Hard-coded credentials are reported in both: the file is run either way.
    const secrets = secretProblems(doc.getText(), rb);
    const problems = runbook ? [...rb.problems, ...workingDirectoryProblems(doc, rb), ...secrets] : [...rb.problems.filter((p) => p.severity === 'error'), ...secrets];
    this.collection.set(
      doc.uri,
      problems.map((p) => {
        const endLine = Math.max(p.line, p.endLine - 1);
        const range = new vscode.Range(p.line, p.column ?? 0, endLine, p.endColumn ?? doc.lineAt(Math.min(endLine, doc.lineCount - 1)).text.length);
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

/** Code that hard-codes what looks like a credential (see core/runbook/secrets.ts), as warnings on the literal. */
function secretProblems(text: string, rb: Runbook): Diagnostic[] {
  return findHardCodedSecrets(text, rb).map((f) => ({ severity: 'warning', code: f.code, message: f.message, line: f.line, endLine: f.line + 1, column: f.column, endColumn: f.endColumn }));
}

/**
 * Working directories that are outside the workspace folder (allowed, but worth a second look
 * before a production run) or that do not exist (the step will refuse to run).
 */
function workingDirectoryProblems(doc: vscode.TextDocument, rb: Runbook): Diagnostic[] {
  if (doc.uri.scheme !== 'file') return [];
  const folder = baseDirFor(doc.uri);
  const problems: Diagnostic[] = [];
  const check = (dir: string, base: string, line: number, what: string) => {
    const abs = path.resolve(base, dir);
    const rel = path.relative(folder, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      problems.push({ severity: 'warning', code: 'cwd', line, endLine: line + 1, message: `${what} ${abs} is outside the workspace folder ${folder}.` });
    }
    let isDir = false;
    try {
      isDir = existsSync(abs) && statSync(abs).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) problems.push({ severity: 'warning', code: 'cwd', line, endLine: line + 1, message: `${what} ${abs} does not exist; steps that use it will not run.` });
    return abs;
  };
  // A file written by Runme resolves its working directory from its own folder, as Runme does.
  let base = isRunmeFile(rb.meta) ? path.dirname(doc.uri.fsPath) : folder;
  if (rb.meta.cwd) {
    const fmLine = rb.frontMatter ? findKeyLine(doc, rb.frontMatter.endLine, 'cwd') : 0;
    base = check(rb.meta.cwd, base, fmLine, 'The runbook\'s working directory');
  }
  for (const step of rb.steps) {
    for (const block of step.commands) {
      if (block.runnable && block.attrs.cwd) check(block.attrs.cwd, base, block.line, 'The step\'s working directory');
    }
  }
  return problems;
}

function findKeyLine(doc: vscode.TextDocument, endLine: number, key: string): number {
  for (let n = 1; n < Math.min(endLine, doc.lineCount); n++) if (doc.lineAt(n).text.startsWith(`${key}:`)) return n;
  return 0;
}
