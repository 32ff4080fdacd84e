/**
 * Ticks as the extension and the CLI write them: one character per box, on the step that ran. The
 * runbook may have been edited since the step was chosen (while it ran): each step is found again
 * with `relocateStep`, and refused rather than guessed when that is not certain.
 */
import { Buffer } from 'node:buffer';
import { checkboxEdit } from './edits';
import { relocateStep } from './locate';
import type { Step, TextEdit } from './model';
import { parseRunbook } from './parser';

/** A checkbox to set: the step as parsed from `snapshot`, the runbook's text when the step was chosen. */
export interface CheckboxTarget {
  step: Step;
  snapshot: string;
  checked: boolean;
}

export interface CheckboxPlan {
  edits: { edit: TextEdit; step: Step }[];
  /** Steps that could not be found safely after an edit of the runbook, with the reason. */
  refused: { step: Step; reason: string }[];
}

/** The one-character edits of `text` that set the targets' boxes; a box already set needs none. */
export function planCheckboxes(text: string, targets: readonly CheckboxTarget[]): CheckboxPlan {
  const rb = parseRunbook(text);
  const out: CheckboxPlan = { edits: [], refused: [] };
  for (const t of targets) {
    if (t.step.loose || t.step.checkboxOffset < 0) {
      out.refused.push({ step: t.step, reason: 'it is a block outside any step and has no checkbox' });
      continue;
    }
    const found = relocateStep(t.snapshot, t.step, text, rb);
    if (!found.ok) {
      out.refused.push({ step: t.step, reason: found.error });
      continue;
    }
    const edit = checkboxEdit(text, found.value.step, t.checked);
    if (edit) out.edits.push({ edit, step: found.value.step });
  }
  return out;
}

export interface CheckboxBytes {
  /** The file's new bytes, when a box changed. */
  bytes?: Buffer;
  /** The steps whose box changed, as they are in the new text. */
  changed: Step[];
  refused: CheckboxPlan['refused'];
}

/**
 * The edits applied to a file's bytes: each changes the one byte of its box, nothing else (line
 * endings, tabs, trailing spaces stay). Undefined when the bytes are not UTF-8: such a file is
 * left to an editor that knows its encoding.
 */
export function setCheckboxBytes(bytes: Uint8Array, targets: readonly CheckboxTarget[]): CheckboxBytes | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buf.toString('utf8');
  if (text.includes('\uFFFD') && !Buffer.from(text, 'utf8').equals(buf)) return undefined;
  const planned = planCheckboxes(text, targets);
  const result: CheckboxBytes = { changed: planned.edits.map((e) => e.step), refused: planned.refused };
  if (!planned.edits.length) return result;
  const out = Buffer.from(buf);
  for (const { edit } of planned.edits) {
    const at = Buffer.byteLength(text.slice(0, edit.offset), 'utf8');
    out[at] = edit.newText.charCodeAt(0);
  }
  result.bytes = out;
  return result;
}

/**
 * The text with every step's box cleared: two versions of a runbook that differ only in ticked
 * boxes read the same. Boxes are found as the parser finds steps, never by pattern.
 */
export function withoutTicks(text: string): string {
  let out = '';
  let last = 0;
  for (const step of parseRunbook(text).steps) {
    if (!step.checked) continue;
    out += `${text.slice(last, step.checkboxOffset)} `;
    last = step.checkboxOffset + 1;
  }
  return out + text.slice(last);
}
