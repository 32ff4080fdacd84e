/**
 * Tick fidelity over real markdown: every step the parser finds is a task item a reader sees
 * (checked against markdown-it rendering the file in full, HTML on), and ticking it changes one
 * byte, the box's, which renders as that item's box and nothing else: never inside code, HTML
 * or a comment.
 *
 * Real files rarely have task lists, so each file is also tried with a checkbox put at the
 * start of every list item (after the marker), which keeps its structure: nesting, code blocks,
 * HTML blocks, block quotes, tables.
 */
import { readFileSync } from 'node:fs';
import MarkdownIt from 'markdown-it';
import { checkboxEdit, parseRunbook } from '../../src/core/runbook';

const render = new MarkdownIt({ html: true });

export interface TickFailure {
  file: string;
  variant: 'as-is' | 'boxed';
  message: string;
}

export interface TickFigures {
  files: number;
  documents: number;
  steps: number;
  failures: TickFailure[];
  worstMs: number;
}

/** The file with "[ ] " put after the marker of every list item that does not start with a box. */
export function boxEveryItem(text: string): string {
  const tokens = render.parse(text, {});
  const lines = text.split('\n');
  const done = new Set<number>();
  for (const t of tokens) {
    if (t.type !== 'list_item_open' || !t.map) continue;
    const n = t.map[0];
    if (done.has(n)) continue;
    done.add(n);
    const line = lines[n];
    const m = /^((?:\s*>)*\s*(?:[-*+]|\d{1,9}[.)])[ \t]+)(?!\[[ xX]\])/.exec(line);
    if (m && line.length > m[0].length) lines[n] = `${m[1]}[ ] ${line.slice(m[1].length)}`;
  }
  return lines.join('\n');
}

/** Task items as markdown-it sees them: list items whose first paragraph starts with a box. */
function visibleTaskLines(text: string): number[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const tokens = render.parse(body, {});
  const out: number[] = [];
  tokens.forEach((t, i) => {
    if (t.type === 'list_item_open' && tokens[i + 1]?.type === 'paragraph_open' && /^\[[ xX]\](?:\s|$)/.test(tokens[i + 2]?.content ?? '') && t.map) out.push(t.map[0]);
  });
  return out;
}

/** Why `ticked` is not `original` with one box ticked, or undefined when it is. */
function checkTick(original: string, ticked: string, offset: number): string | undefined {
  if (original.length !== ticked.length) return 'the length changed';
  let diffs = 0;
  for (let i = 0; i < original.length; i++) if (original[i] !== ticked[i]) diffs++;
  if (diffs !== 1 || original[offset] === ticked[offset]) return `${diffs} characters changed`;
  const a = render.render(original);
  const b = render.render(ticked);
  let start = 0;
  while (start < a.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const changedA = a.slice(start, a.length - end);
  const changedB = b.slice(start, b.length - end);
  if (changedA.length !== 1 || changedB.length !== 1) return `the rendering changed by "${changedA}" -> "${changedB}"`;
  // The changed character is a list item's box: `<li>[ ]`, `<li>\n<p>[ ]`.
  if (!/<li>\s*(?:<p>)?\[$/.test(a.slice(Math.max(0, start - 20), start))) return `the tick renders outside a task item's box: ...${a.slice(Math.max(0, start - 40), start + 5)}`;
  return undefined;
}

function checkDocument(text: string, file: string, variant: TickFailure['variant'], figures: TickFigures, maxTicks: number): void {
  const started = performance.now();
  figures.documents++;
  let rb;
  try {
    rb = parseRunbook(text);
  } catch (err) {
    figures.failures.push({ file, variant, message: `parseRunbook threw: ${String(err)}` });
    return;
  }
  if (!rb.frontMatter) {
    const visible = visibleTaskLines(text);
    const found = rb.steps.map((s) => s.line);
    if (visible.join(',') !== found.join(',')) {
      figures.failures.push({ file, variant, message: `steps at lines ${found.slice(0, 8).join(',')} but visible task items at ${visible.slice(0, 8).join(',')}` });
    }
  }
  for (const step of rb.steps.slice(0, maxTicks)) {
    figures.steps++;
    const edit = checkboxEdit(text, step, !step.checked);
    if (!edit) {
      figures.failures.push({ file, variant, message: `no edit for the step on line ${step.line + 1}` });
      continue;
    }
    const ticked = text.slice(0, edit.offset) + edit.newText + text.slice(edit.offset + 1);
    const why = checkTick(text, ticked, edit.offset);
    if (why) figures.failures.push({ file, variant, message: `line ${step.line + 1}: ${why}` });
  }
  figures.worstMs = Math.max(figures.worstMs, performance.now() - started);
}

export function fuzzTicks(files: readonly string[], opts: { deadline: number; maxTicksPerDocument?: number }): TickFigures {
  const figures: TickFigures = { files: 0, documents: 0, steps: 0, failures: [], worstMs: 0 };
  for (const file of files) {
    if (Date.now() > opts.deadline) break;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (text.length > 2_000_000) continue;
    figures.files++;
    checkDocument(text, file, 'as-is', figures, opts.maxTicksPerDocument ?? 200);
    checkDocument(boxEveryItem(text), file, 'boxed', figures, opts.maxTicksPerDocument ?? 200);
  }
  return figures;
}
