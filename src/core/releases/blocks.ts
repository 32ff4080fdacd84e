/**
 * A document as a flat list of headings and items, whatever its format. The format readers
 * (markdown-it tokens, reStructuredText and plain-text line walkers) produce blocks; `assemble`
 * in changelog.ts turns them into version sections.
 */
import { DATE_RE_GLOBAL, extractDate } from './dates';
import type { Callout } from './model';

export interface HeadingBlock {
  kind: 'heading';
  /** 1 is the outermost. Pseudo-headings such as a `<details>` summary use DETAILS_LEVEL. */
  level: number;
  text: string;
  /** 0-based line. */
  line: number;
}

export interface ItemBlock {
  kind: 'item';
  /** 0-based, end exclusive. */
  start: number;
  end: number;
  callout?: Callout;
  /** A one-line emphasized caption right under a heading (`*April 3, 2023*`): a date at most, no note. */
  caption?: boolean;
  /** A paragraph or a list entry, which a code block or a table right after it may belong to (markdown and AsciiDoc). */
  prose?: boolean;
}

/** Closes the innermost pseudo-heading of that level (`</details>`). */
export interface PopBlock {
  kind: 'pop';
  level: number;
}

export type Block = HeadingBlock | ItemBlock | PopBlock;

/** Deeper than any real heading, so a `<details>` summary nests under the current sub-heading. */
export const DETAILS_LEVEL = 7;

/**
 * Headings are kept to their first 1,000 characters (with `…` when cut). A heading is a title: every
 * item under it carries it and every heading rule reads it, so an unbounded one would cost its length
 * once per item.
 */
export const MAX_HEADING_TEXT = 1000;

export function headingText(text: string): string {
  return text.length > MAX_HEADING_TEXT ? `${text.slice(0, MAX_HEADING_TEXT)}…` : text;
}

const CALLOUTS: Record<string, Callout> = {
  warning: 'warning',
  warn: 'warning',
  attention: 'warning',
  danger: 'danger',
  error: 'danger',
  caution: 'caution',
  important: 'important',
  note: 'note',
  tip: 'note',
  hint: 'note',
  info: 'note',
  seealso: 'note',
};

export function calloutFor(name: string): Callout | undefined {
  return CALLOUTS[name.toLowerCase()];
}

// Bold markers and emoji, each followed by optional blanks: no two blank runs are adjacent, so a
// bullet followed by hundreds of spaces is read in one pass instead of trying every split.
const LEADING_CALLOUT = /^\s*(?:[-*+]\s+)?(?:(?:\*\*|__|⚠️?|❗|🚨)\s*){0,3}(warning|danger|caution|important|attention)\b\s*(?:(?:\*\*|__)\s*)?[:!]/i;

/** `**Warning:** ...`, `⚠️ Important: ...` at the start of a paragraph. */
export function leadingCallout(text: string): Callout | undefined {
  const m = LEADING_CALLOUT.exec(text);
  return m ? calloutFor(m[1]) : undefined;
}

/**
 * The roles a category line over prose (`BREAKING CHANGES:`, `Upgrade notes:`, then paragraphs) may
 * give it: those that say what to watch for. A "Bug fixes:" line over paragraphs would silence every
 * paragraph after it.
 */
export const PROSE_ROLES: ReadonlySet<string> = new Set(['breaking', 'upgrade', 'deprecation', 'removal', 'requirements', 'database']);

/** Lines of a document, split the way markdown-it normalizes them. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n?|\n/);
}

// A note set in italics says so first: `*Note: this release needs a migration.*` stays a note.
const CAPTION_NOTE = /^(?:note|important|warning|caution|attention|breaking|heads[\s-]up|upgrade|action)\b/i;

// What may follow the emphasized span of a caption: a cross-reference or a link, nothing said.
const CAPTION_TAIL = /^\s{0,3}(?::[\w:-]{1,30}:`[^`\n]{1,200}`|\[[^\]\n]{1,200}\]\([^)\n]{1,500}\))\W{0,3}$/;

/**
 * Whether a paragraph is one emphasized span (`*...*` or `_..._`), short, and not an italic note;
 * the span may end in a cross-reference (`*Normally occurs at the end of the* :ref:`deprecation period``).
 */
export function sectionCaption(content: string, underVersion = false): boolean {
  const c = content.trim();
  if (c.length < 3 || c.length > 400) return false;
  // A plain date line dates the release only right under the release's own heading: under "End of
  // support" it is what the section says.
  if (strongDate(c) || (underVersion && plainDate(c))) return true;
  const mark = c[0];
  if ((mark !== '*' && mark !== '_') || c[1] === mark || /\s/.test(c[1])) return false;
  const close = c.indexOf(mark, 1);
  if (close < 2 || c[close - 1] === mark || /\s/.test(c[close - 1]) || c[close + 1] === mark) return false;
  if (close !== c.length - 1 && !CAPTION_TAIL.test(c.slice(close + 1))) return false;
  return !CAPTION_NOTE.test(c.slice(1));
}

// `__Released May 17, 2016__`, `**Release date: 2024-07-31**`: a release's date set in bold.
const STRONG_SPAN = /^(\*\*|__)([^*_\n]{3,120})\1$/;
const DATE_WORDS = /^(?:released|release\s+date|date|published)?(?:\s+(?:on|at))?$/;

function strongDate(c: string): boolean {
  const m = STRONG_SPAN.exec(c);
  return !!m && onlyDate(m[2]);
}

// `Released at 2024-08-28`, `Release date: 2024-04-08` in plain text: one short line with a real date.
function plainDate(c: string): boolean {
  return c.length <= 60 && !c.includes('\n') && onlyDate(c) && extractDate(c) !== null;
}

/** Whether the text is a date and at most the words that name it as the release's. */
function onlyDate(text: string): boolean {
  const words = text.replace(DATE_RE_GLOBAL, '\u0000');
  if (!words.includes('\u0000')) return false;
  return DATE_WORDS.test(words.replace(/\u0000/g, ' ').replace(/[\s:,.()-]+/g, ' ').trim().toLowerCase());
}

/** Whether the last line of lines [start, end) with text ends in a colon: "Example:", "To:", "Run the following:". */
export function introduces(lines: readonly string[], start: number, end: number): boolean {
  for (let l = end - 1; l >= start; l--) {
    const line = (lines[l] ?? '').trim();
    if (line) return line.endsWith(':');
  }
  return false;
}

/** Whether only blank lines lie between two blocks. */
export function blankBetween(lines: readonly string[], from: number, to: number): boolean {
  if (to - from > 20) return false;
  for (let l = from; l < to; l++) if ((lines[l] ?? '').trim()) return false;
  return true;
}
