import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { checkboxEdit, parseRunbook, type Step, type TextEdit } from '../core/runbook';
import { findStep } from './documents';

/**
 * Sets checkboxes with one-character edits. When the document has no unsaved changes the bytes
 * are changed on disk directly: VS Code's text model folds mixed line endings into one on
 * save, and a tick must change nothing but the one character. With unsaved changes the edit
 * goes into the editor and the operator saves as usual.
 */
export function setCheckboxes(
  uri: vscode.Uri,
  targets: { step: Pick<Step, 'line' | 'key'>; checked: boolean }[],
): Promise<Step[]> {
  // One edit at a time per file: a tick from a finishing step and a Mark done clicked meanwhile
  // would otherwise both read the old bytes and the second write would undo the first.
  const key = uri.toString();
  const next = (queues.get(key) ?? Promise.resolve()).then(() => applyCheckboxes(uri, targets));
  const settled = next.then(() => undefined, () => undefined);
  queues.set(key, settled);
  void settled.then(() => queues.get(key) === settled && queues.delete(key));
  return next;
}

const queues = new Map<string, Promise<void>>();

async function applyCheckboxes(
  uri: vscode.Uri,
  targets: { step: Pick<Step, 'line' | 'key'>; checked: boolean }[],
): Promise<Step[]> {
  const doc = await vscode.workspace.openTextDocument(uri);
  if (!doc.isDirty && uri.scheme === 'file') {
    const changed = editOnDisk(uri.fsPath, targets);
    if (changed) {
      await waitForReload(doc, changed.text);
      return changed.steps;
    }
  }
  const text = doc.getText();
  const rb = parseRunbook(text);
  const we = new vscode.WorkspaceEdit();
  const steps: Step[] = [];
  for (const t of targets) {
    const step = findStep(rb, t.step);
    const edit = step && checkboxEdit(text, step, t.checked);
    if (!step || !edit) continue;
    we.replace(uri, new vscode.Range(doc.positionAt(edit.offset), doc.positionAt(edit.offset + edit.length)), edit.newText);
    steps.push(step);
  }
  if (steps.length && !(await vscode.workspace.applyEdit(we))) return [];
  return steps;
}

/** Applies the edits to the file's bytes; undefined when the file cannot be edited safely that way. */
function editOnDisk(
  file: string,
  targets: { step: Pick<Step, 'line' | 'key'>; checked: boolean }[],
): { text: string; steps: Step[] } | undefined {
  const bytes = readFileSync(file);
  const text = bytes.toString('utf8');
  // Not UTF-8 (the decoder substituted characters): leave it to the editor's own encoding.
  if (text.includes('\uFFFD') && !Buffer.from(text, 'utf8').equals(bytes)) return undefined;
  const rb = parseRunbook(text);
  const edits: { edit: TextEdit; step: Step }[] = [];
  for (const t of targets) {
    const step = findStep(rb, t.step);
    const edit = step && checkboxEdit(text, step, t.checked);
    if (step && edit) edits.push({ edit, step });
  }
  if (!edits.length) return { text, steps: [] };
  const out = Buffer.from(bytes);
  for (const { edit } of edits) {
    const at = Buffer.byteLength(text.slice(0, edit.offset), 'utf8');
    out[at] = edit.newText.charCodeAt(0);
  }
  writeFileSync(file, out);
  return { text: out.toString('utf8'), steps: edits.map((e) => e.step) };
}

/** Waits (briefly) until the open document shows what was written to disk. */
async function waitForReload(doc: vscode.TextDocument, text: string): Promise<void> {
  const same = () => doc.getText().replace(/\r\n/g, '\n') === text.replace(/\r\n/g, '\n');
  if (same()) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, 3000);
    const sub = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === doc && same()) done();
    });
    function done() {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    }
  });
}
