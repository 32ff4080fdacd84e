import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { writeFileAtomicSync } from '../adapters/atomicWrite';
import { planCheckboxes, setCheckboxBytes, type CheckboxTarget, type Step } from '../core/runbook';

export type { CheckboxTarget };

export interface CheckboxResult {
  /** The steps whose box changed, as they are in the file now. */
  changed: Step[];
  /** Steps that could not be found safely after an edit of the runbook, with the reason. */
  refused: { step: Step; reason: string }[];
}

/**
 * Sets checkboxes with one-character edits. When the document has no unsaved changes the bytes
 * are changed on disk directly, atomically (temporary file, fsync, rename): VS Code's text model
 * folds mixed line endings into one on save, and a tick must change nothing but the one
 * character. With unsaved changes the edit goes into the editor and the operator saves as usual.
 *
 * The runbook may have been edited since the step was chosen (while it ran): each step is found
 * again with `relocateStep`, and refused rather than guessed when that is not certain.
 */
export function setCheckboxes(uri: vscode.Uri, targets: CheckboxTarget[]): Promise<CheckboxResult> {
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

async function applyCheckboxes(uri: vscode.Uri, targets: CheckboxTarget[]): Promise<CheckboxResult> {
  const doc = await vscode.workspace.openTextDocument(uri);
  if (!doc.isDirty && uri.scheme === 'file') {
    const onDisk = editOnDisk(uri.fsPath, targets);
    if (onDisk) {
      if (onDisk.text !== undefined) await waitForReload(doc, onDisk.text);
      return onDisk.result;
    }
  }
  const text = doc.getText();
  const planned = planCheckboxes(text, targets);
  const we = new vscode.WorkspaceEdit();
  for (const { edit } of planned.edits) {
    we.replace(uri, new vscode.Range(doc.positionAt(edit.offset), doc.positionAt(edit.offset + edit.length)), edit.newText);
  }
  if (planned.edits.length && !(await vscode.workspace.applyEdit(we))) {
    return { changed: [], refused: [...planned.refused, ...planned.edits.map((e) => ({ step: e.step, reason: 'the editor refused the edit' }))] };
  }
  return { changed: planned.edits.map((e) => e.step), refused: planned.refused };
}

/**
 * Applies the edits to the file's bytes; undefined when the file cannot be edited safely that way
 * (not UTF-8: left to the editor's own encoding). `text` is the new content when it was written.
 */
function editOnDisk(file: string, targets: CheckboxTarget[]): { text?: string; result: CheckboxResult } | undefined {
  const planned = setCheckboxBytes(readFileSync(file), targets);
  if (!planned) return undefined;
  const result = { changed: planned.changed, refused: planned.refused };
  if (!planned.bytes) return { result };
  writeFileAtomicSync(file, planned.bytes);
  return { text: planned.bytes.toString('utf8'), result };
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
