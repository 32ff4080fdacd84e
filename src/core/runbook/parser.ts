import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { approvalProblem } from './approval';
import { parseFenceInfo } from './fenceAttrs';
import { findFrontMatter, parseFrontMatter } from './frontMatter';
import { lineStarts } from '../text/lines';
import type { CodeBlock, Diagnostic, Runbook, RunbookMeta, Step } from './model';

// Default preset (CommonMark plus tables and strikethrough) with HTML blocks recognised: a task
// item inside `<!-- ... -->` or an HTML block is invisible in the rendered file, so it must not
// become a step that runs. Nothing is rendered here, so raw HTML is never output.
const md = new MarkdownIt({ html: true });
// Steps and headings are read from the raw inline source (token.content); tokenising the
// inline markup, the largest part of markdown-it's work, would produce nothing we use.
md.core.ruler.disable('inline');

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const LOWER_X = 0x78;
const UPPER_X = 0x58;

/** "Rollback", "Rollback plan", "3. Rollback", "⏪ Rollback": leading numbering and symbols are skipped. */
const ROLLBACK_HEADING = /^[^\p{L}]*rollback/iu;

/** Parses a runbook. Never throws: whatever is wrong with the text is reported in `problems`. */
export function parseRunbook(text: string): Runbook {
  const problems: Diagnostic[] = [];
  const starts = lineStarts(text);

  const fm = findFrontMatter(text, starts, problems);
  const meta: RunbookMeta = fm ? parseFrontMatter(fm.yaml, problems) : { variables: [], extra: {} };
  // Settings, variables and the shell come from the front matter: when it cannot be read, no step
  // can be run as its author meant.
  const frontMatterErrors = problems.filter((p) => p.severity === 'error').map((p) => `line ${p.line + 1}: ${p.message}`);
  // markdown-it gets the body with the front matter blanked out line for line, so its line
  // numbers are the file's. A byte-order mark would hide a list marker on the first line.
  let body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (fm) body = '\n'.repeat(fm.endLine) + (fm.endLine < starts.length ? text.slice(starts[fm.endLine]) : '');

  const tokens = md.parse(body, {});
  const steps: Step[] = [];
  const looseBlocks: CodeBlock[] = [];
  // One entry per open list item: the step it is, or undefined for a plain item.
  const items: (Step | undefined)[] = [];
  const openSteps: Step[] = [];
  let heading: string | undefined;
  let firstH1: string | undefined;
  let rollbackLevel: number | undefined;
  // Attributes Preflight does not support, reported once per runbook: the first block's problem and how many blocks have it.
  const unsupported = new Map<string, { problem: Diagnostic; count: number }>();

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    switch (t.type) {
      case 'heading_open': {
        const level = t.tag.charCodeAt(1) - 0x30;
        heading = tokens[i + 1].content;
        if (level === 1 && firstH1 === undefined) firstH1 = heading;
        if (rollbackLevel !== undefined && level <= rollbackLevel) rollbackLevel = undefined;
        if ((level === 2 || level === 3) && ROLLBACK_HEADING.test(heading)) rollbackLevel = level;
        break;
      }
      case 'list_item_open': {
        const offset = checkboxOffset(text, starts, tokens, i);
        let step: Step | undefined;
        if (offset >= 0) {
          const [line, endLine] = t.map ?? [0, 0];
          step = {
            index: steps.length,
            line,
            endLine,
            checkboxOffset: offset,
            checked: text.charCodeAt(offset) !== SPACE,
            depth: items.length,
            text: stepText(tokens[i + 2].content),
            heading,
            rollback: rollbackLevel !== undefined,
            commands: [],
            manual: true,
            name: undefined,
            key: '',
            blockers: [],
          };
          steps.push(step);
          openSteps.push(step);
        }
        items.push(step);
        break;
      }
      case 'list_item_close':
        if (items.pop()) openSteps.pop();
        break;
      case 'fence': {
        const owner = openSteps[openSteps.length - 1];
        const block = readBlock(text, starts, t, owner !== undefined, problems, meta.shell, unsupported);
        (owner ? owner.commands : looseBlocks).push(block);
        break;
      }
    }
  }

  finishSteps(steps, problems, frontMatterErrors);
  // A gate that names no step cannot say which steps it holds: none runs.
  const gate = approvalProblem({ meta, steps });
  if (gate) {
    problems.push(gate);
    for (const step of steps) step.blockers.push(`line ${gate.line + 1}: ${gate.message}`);
  }
  problems.sort((a, b) => a.line - b.line);
  for (const { problem, count } of unsupported.values()) {
    if (count > 1) problem.message += ` (${count} blocks in this file have it.)`;
  }
  return {
    title: meta.title ?? firstH1,
    meta,
    frontMatter: fm && { line: 0, endLine: fm.endLine },
    steps,
    looseBlocks,
    problems,
  };
}

/**
 * The offset of the checkbox character when the list item at `tokens[i]` is a step, else -1.
 * An item is a step when its first child is a paragraph starting with `[ ]`, `[x]` or `[X]`
 * followed by whitespace or the end of the line.
 */
function checkboxOffset(text: string, starts: readonly number[], tokens: Token[], i: number): number {
  const para = tokens[i + 1];
  const inline = tokens[i + 2];
  if (para?.type !== 'paragraph_open' || inline?.type !== 'inline' || !para.map) return -1;
  const content = inline.content;
  const mark = content.charCodeAt(1);
  if (content.charCodeAt(0) !== OPEN_BRACKET || content.charCodeAt(2) !== CLOSE_BRACKET) return -1;
  if (mark !== SPACE && mark !== LOWER_X && mark !== UPPER_X) return -1;
  if (content.length > 3) {
    const after = content.charCodeAt(3);
    if (after !== SPACE && after !== TAB && after !== LF) return -1;
  }

  // The paragraph's first line holds only container markers (>, list markers, digits, . and ),
  // whitespace) before the content, none of them a '[', so the first '[' is the checkbox.
  const lineStart = starts[para.map[0]];
  const lineEnd = para.map[0] + 1 < starts.length ? starts[para.map[0] + 1] : text.length;
  const offset = text.indexOf('[', lineStart) + 1;
  if (offset === 0 || offset + 1 >= lineEnd) return -1;
  if (text.charCodeAt(offset) !== mark || text.charCodeAt(offset + 1) !== CLOSE_BRACKET) return -1;
  return offset;
}

/** The paragraph after the checkbox, on one line. */
function stepText(content: string): string {
  const rest = content.slice(3);
  return (rest.includes('\n') ? rest.replace(/\s*\n\s*/g, ' ') : rest).trim();
}

/**
 * A fenced block with its attributes. Blocks that are part of a step or runnable are checked;
 * other blocks are documentation and their info strings belong to whatever tool they are for.
 */
function readBlock(
  text: string,
  starts: readonly number[],
  t: Token,
  inStep: boolean,
  problems: Diagnostic[],
  shell: string | undefined,
  unsupported: Map<string, { problem: Diagnostic; count: number }>,
): CodeBlock {
  const [line, endLine] = t.map ?? [0, 0];
  const info = t.info.trim();
  const { lang, runnable, attrs, issues } = parseFenceInfo(info, { shell });
  const errors = runnable ? issues.filter((i) => i.severity === 'error').map((i) => `line ${line + 1}: ${i.message}`) : [];
  if (inStep || runnable) {
    if (issues.length > 0) {
      const column = attrsColumn(text, starts, line, t.markup);
      for (const { key, ...issue } of issues) {
        const seen = key === undefined ? undefined : unsupported.get(key);
        if (seen) {
          seen.count++;
          continue;
        }
        const problem: Diagnostic = { ...issue, line, endLine: line + 1, column };
        if (key !== undefined) unsupported.set(key, { problem, count: 1 });
        problems.push(problem);
      }
    }
    if (attrs.confirm !== undefined && (!runnable || !inStep)) {
      problems.push({
        severity: 'warning',
        code: 'confirm-without-command',
        message: runnable
          ? '"confirm" has no effect: this block is not part of a step.'
          : `"confirm" has no effect: ${lang ? `"${lang}" blocks are` : 'a block without a language is'} not run.`,
        line,
        endLine: line + 1,
      });
    }
  }
  return { lang, runnable, code: t.content, info, attrs, errors, line, endLine, topLevel: t.level === 0 };
}

/** Column of the attributes' opening brace on the fence line, when there is one. */
function attrsColumn(text: string, starts: readonly number[], line: number, markup: string): number | undefined {
  const lineEnd = line + 1 < starts.length ? starts[line + 1] : text.length;
  const brace = text.indexOf('{', text.indexOf(markup, starts[line]) + markup.length);
  return brace >= 0 && brace < lineEnd ? brace - starts[line] : undefined;
}

const UNEVEN_SPACE = /[^\S ]| {2}/;

/** Lower case, whitespace runs as one space. The test first skips a costly replace in the usual case. */
function normaliseText(text: string): string {
  return (UNEVEN_SPACE.test(text) ? text.replace(/\s+/g, ' ') : text).toLowerCase();
}

/** Fills in what depends on a step's commands: manual, name, key, blockers; reports names used twice. */
function finishSteps(steps: Step[], problems: Diagnostic[], frontMatterErrors: string[]): void {
  const nameLines = new Map<string, number>();
  const baseCounts = new Map<string, number>();
  const keys = new Set<string>();
  for (const step of steps) {
    step.blockers.push(...frontMatterErrors);
    for (const block of step.commands) {
      if (block.runnable) step.manual = false;
      step.blockers.push(...block.errors);
      const name = block.attrs.name;
      if (name === undefined) continue;
      step.name ??= name;
      const first = nameLines.get(name);
      if (first === undefined) {
        nameLines.set(name, block.line);
      } else {
        step.blockers.push(`line ${block.line + 1}: the name "${name}" is already used on line ${first + 1}`);
        problems.push({
          severity: 'error',
          code: 'duplicate-name',
          message: `The name "${name}" is already used on line ${first + 1}.`,
          line: block.line,
          endLine: block.line + 1,
        });
      }
    }

    // Keys must be unique even when names or texts repeat, or log records would be misattributed.
    const base = step.name ?? (normaliseText(step.text) || 'step');
    let n = baseCounts.get(base) ?? 0;
    let key: string;
    do {
      n++;
      key = n === 1 ? base : `${base}#${n}`;
    } while (keys.has(key));
    baseCounts.set(base, n);
    keys.add(key);
    step.key = key;
  }
}
