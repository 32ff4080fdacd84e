/**
 * Runnable blocks outside any step: a README written for Runme is a list of shell blocks, not a
 * checklist. Such blocks can run on their own (▶ Run Block: logged like a step, never ticked), and
 * can be turned into checkbox steps.
 */
import { applyEdit } from './edits';
import { lineStarts } from '../text/lines';
import type { CodeBlock, Runbook, Step, TextEdit } from './model';
import { parseRunbook } from './parser';

/** A shell prompt copied from documentation: `$ brew update`. */
const PROMPT = /^\$[ \t]+/gm;

/**
 * What a block runs: its code, with a leading `$ ` prompt removed from each line as Runme does.
 * (A line starting with `$ ` cannot be meant for the shell: it would run a command named `$`.)
 */
export function blockScript(block: Pick<CodeBlock, 'code'>): string {
  return block.code.includes('$') ? block.code.replace(PROMPT, '') : block.code;
}

/** The first line a block runs, for naming it. */
function firstLine(block: CodeBlock): string {
  return (
    blockScript(block)
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '' && !l.startsWith('#')) ?? ''
  );
}

const UNEVEN_SPACE = /\s+/g;

/**
 * The runnable blocks that belong to no step, each as a step without a checkbox (`loose`,
 * `checkboxOffset` -1): its name is the block's `name`, its text the name or the block's first
 * command. Keys start with `block:` so they never meet a step's. Such a step is never ticked.
 */
export function looseSteps(rb: Runbook): Step[] {
  const frontMatterErrors = rb.problems
    .filter((p) => p.code === 'front-matter' && p.severity === 'error')
    .map((p) => `line ${p.line + 1}: ${p.message}`);
  const counts = new Map<string, number>();
  const out: Step[] = [];
  for (const block of rb.looseBlocks) {
    if (!block.runnable) continue;
    const name = block.attrs.name;
    const first = firstLine(block);
    const base = `block:${name ?? (first.replace(UNEVEN_SPACE, ' ').toLowerCase() || `line ${block.line + 1}`)}`;
    const n = (counts.get(base) ?? 0) + 1;
    counts.set(base, n);
    out.push({
      index: rb.steps.length + out.length,
      line: block.line,
      endLine: block.endLine,
      checkboxOffset: -1,
      checked: false,
      depth: 0,
      text: name ?? (first || `Block at line ${block.line + 1}`),
      rollback: false,
      commands: [block],
      manual: false,
      name,
      key: n === 1 ? base : `${base}#${n}`,
      blockers: [...frontMatterErrors, ...block.errors],
      loose: true,
    });
  }
  return out;
}

/** The label of the checkbox step a block becomes: its name, else its first command as code. */
function stepLabel(block: CodeBlock): string {
  if (block.attrs.name) return block.attrs.name;
  let first = firstLine(block).replace(/`/g, '');
  if (first.length > 72) first = `${first.slice(0, 71)}…`;
  return first ? `\`${first}\`` : `Run the block at line ${block.line + 1}`;
}

/**
 * The edits that turn each runnable block at the top level of the document (not inside a list item
 * or a quote) into a checkbox step: a `- [ ] label` line above the fence and the block indented
 * into the item. A block whose code would read differently inside the item (tab-indented lines)
 * is left as it is. Apply the edits in the order given; offsets refer to `text`.
 */
export function blocksToStepsEdits(text: string, rb: Runbook = parseRunbook(text)): TextEdit[] {
  const starts = lineStarts(text);
  let accepted = rb.looseBlocks.filter((b) => b.runnable && b.topLevel);
  // Each conversion is checked on the converted text: the block must be the only command of its new
  // step, with the same code, and every other step must stay as it was. Blocks that fail are left
  // out and the rest checked again.
  for (let round = 0; accepted.length > 0 && round < 5; round++) {
    const edits = editsFor(text, starts, accepted);
    const after = parseRunbook(applyEdits(text, edits));
    const ok = accepted.filter((block, i) => {
      const step = after.steps.find((s) => s.line === block.line + i);
      return step !== undefined && step.commands.length === 1 && step.commands[0].code === block.code && step.commands[0].info === block.info;
    });
    if (ok.length === accepted.length && after.steps.length === rb.steps.length + accepted.length) return edits.sort((a, b) => b.offset - a.offset);
    if (ok.length === accepted.length) return [];
    accepted = ok;
  }
  return [];
}

function editsFor(text: string, starts: readonly number[], blocks: readonly CodeBlock[]): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const block of blocks) {
    const fenceStart = starts[block.line];
    const fenceEnd = block.line + 1 < starts.length ? starts[block.line + 1] : text.length;
    const eol = /\r\n$/.test(text.slice(fenceStart, fenceEnd)) ? '\r\n' : /\r$/.test(text.slice(fenceStart, fenceEnd)) ? '\r' : '\n';
    // One edit at the fence: the item's line, then the fence's indentation.
    edits.push({ offset: fenceStart, length: 0, newText: `- [ ] ${stepLabel(block)}${eol}  ` });
    for (let n = block.line + 1; n < block.endLine && n < starts.length; n++) {
      const start = starts[n];
      const c = text.charCodeAt(start);
      // Blank lines stay blank: they neither end the item nor change the code.
      if (start >= text.length || c === 0x0a || c === 0x0d) continue;
      edits.push({ offset: start, length: 0, newText: '  ' });
    }
  }
  return edits;
}

/** Applies non-overlapping edits given with offsets into `text`. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.offset - a.offset)) out = applyEdit(out, e);
  return out;
}
