import type { Step, TextEdit } from './model';

/**
 * The one-character edit that ticks (`checked`) or unticks a step's checkbox, or undefined
 * when the box is already in that state or `text` no longer has a checkbox at the step's
 * offset. Pass the step from a parse of this very text; a stale offset is refused rather
 * than allowed to damage the file.
 */
export function checkboxEdit(text: string, step: Pick<Step, 'checkboxOffset'>, checked: boolean): TextEdit | undefined {
  const offset = step.checkboxOffset;
  if (text[offset - 1] !== '[' || text[offset + 1] !== ']') return undefined;
  const current = text[offset];
  if (current !== ' ' && current !== 'x' && current !== 'X') return undefined;
  if ((current !== ' ') === checked) return undefined;
  return { offset, length: 1, newText: checked ? 'x' : ' ' };
}

export function applyEdit(text: string, edit: TextEdit): string {
  return text.slice(0, edit.offset) + edit.newText + text.slice(edit.offset + edit.length);
}
