/**
 * Finding the step that ran in a runbook that may have been edited while it ran, so its box is
 * ticked and no other. The step is followed by position through the unchanged lines around the
 * edits; when an edit touches it, only by its content, and only when that content identifies
 * it unambiguously. Anything else is refused with a reason: ticking the wrong box would make
 * Run All skip a step that never ran.
 */
import { parseRunbook } from './parser';
import type { Runbook, Step } from './model';
import { err, ok, type Result } from '../result';

/** The step found again in the new text (with the new text's runbook), or why it cannot be. */
export type Relocation = Result<{ step: Step; runbook: Runbook }, string>;

const LINE_BREAK = /\r\n?|\n/;
// A task checkbox with any mark: ticks elsewhere (or of this step) are not edits of the step.
const CHECKBOX = /\[[ xX]\]/g;

function normalise(line: string): string {
  return line.includes('[') ? line.replace(CHECKBOX, '[ ]') : line;
}

/** The step's own source: its lines, checkboxes normalised. */
function source(lines: readonly string[], step: Pick<Step, 'line' | 'endLine'>): string {
  return lines.slice(step.line, step.endLine).map(normalise).join('\n');
}

function sameStep(a: Step, b: Step): boolean {
  return (
    a.text === b.text &&
    a.depth === b.depth &&
    a.rollback === b.rollback &&
    a.commands.length === b.commands.length &&
    a.commands.every((c, i) => c.code === b.commands[i].code && c.info === b.commands[i].info)
  );
}

/**
 * Where `step`, parsed from `before`, is in `after`. `after` may already be parsed (`parsed`).
 */
export function relocateStep(before: string, step: Step, after: string, parsed?: Runbook): Relocation {
  const rb = parsed ?? parseRunbook(after);
  if (before === after) {
    const same = rb.steps.find((s) => s.line === step.line);
    return same && sameStep(same, step) ? ok({ step: same, runbook: rb }) : err('the step is no longer in the runbook');
  }
  const a = before.split(LINE_BREAK);
  const b = after.split(LINE_BREAK);
  // With identical twins, removing one reads the same as removing the other: when their number
  // changed, which one ran cannot be told from the text.
  const own = source(a, step);
  const twinsBefore = parseRunbook(before).steps.filter((s) => source(a, s) === own && sameStep(s, step)).length;
  const twinsAfter = rb.steps.filter((s) => source(b, s) === own && sameStep(s, step));
  if (twinsBefore > 1 && twinsAfter.length !== twinsBefore) {
    return err('an identical copy of the step was added or removed while it ran, so which one ran is ambiguous');
  }
  const min = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix < min && normalise(a[prefix]) === normalise(b[prefix])) prefix++;
  let suffix = 0;
  while (suffix < min - prefix && normalise(a[a.length - 1 - suffix]) === normalise(b[b.length - 1 - suffix])) suffix++;

  // Untouched by the edits: the step keeps its lines, shifted by what was added or removed above.
  let line: number | undefined;
  if (step.endLine <= prefix) line = step.line;
  else if (step.line >= a.length - suffix) line = step.line + (b.length - a.length);
  if (line !== undefined) {
    const found = rb.steps.find((s) => s.line === line);
    if (found && sameStep(found, step)) return ok({ step: found, runbook: rb });
    return err('the runbook around the step was changed so that it reads differently now');
  }

  // Edited around or inside the step: identify it by its content, if that is unique before and after.
  if (twinsBefore > 1) return err('the runbook was edited near the step and it has an identical twin, so which one ran is ambiguous');
  const matches = twinsAfter;
  if (matches.length === 1) return ok({ step: matches[0], runbook: rb });
  if (matches.length === 0) return err('the step was changed, moved into other text or removed while it ran');
  return err('the step now appears more than once, so which one ran is ambiguous');
}
