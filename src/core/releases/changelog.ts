/**
 * Changelog and upgrade-guide parsing: finds version sections and splits them into items.
 *
 * Items: each top-level bullet (nested bullets stay part of it, so a breaking change and its list of
 * affected methods are one item), each paragraph, code block, table and blockquote. Sub-headings
 * inside a version become the item's `heading` path; a `<details>` summary acts as a sub-heading.
 *
 * Version headings: every heading that reads as a version heading (see parseVersionHeading), at most
 * one level deeper than the most common level among them. Mixed levels are common (`#` for 3.x and
 * `##` for 2.x in one file; `##` minor and `###` patch releases in conventional-changelog output).
 * A version section ends at the next version heading, or at a non-version heading that is shallower,
 * or as shallow as the shallowest version heading ("## Older releases").
 */
import type { Block, HeadingBlock } from './blocks';
import { calloutFor, DETAILS_LEVEL, headingText, leadingCallout, splitLines } from './blocks';
import type { Classifier } from './classify';
import { classify } from './classify';
import type { Callout, NoteFormat, NoteItem, ParsedNotes, VersionSection } from './model';
import { noteMarkdown } from './markdown';
import { lineBlocks } from './textBlocks';
import { canonicalVersion, extractDate, parseUpgradeHeading, parseVersionHeading, stripInlineMarkup } from './version';

// Block structure is all we need: inline parsing is turned off (heading text is read raw).
const md = noteMarkdown({ html: false });
md.disable(['inline', 'text_join']);

export interface ParseOptions {
  /** The whole document belongs to this version (a release body, `changelogs/1.2.3.md`). */
  version?: string;
  /** Overrides detection from the file name and content. */
  format?: NoteFormat;
  classifier?: Classifier;
  /** The git ref the text was read at; copied to every item. */
  ref?: string;
  /** Upgrade guides also title sections "Upgrading to 3.0" or "From 2.x to 3.0". */
  upgradeGuide?: boolean;
}

/** Parses one document. Never throws: odd input yields fewer sections and a problem. */
export function parseNotes(text: string, file: string, opts: ParseOptions = {}): ParsedNotes {
  try {
    return parseUnguarded(text, file, opts);
  } catch (err) {
    // Release notes are untrusted input; a parser bug must not take the review down.
    const message = `could not parse ${file}: ${err instanceof Error ? err.message : String(err)}`;
    return { format: opts.format ?? 'markdown', sections: [], problems: [{ file, message }] };
  }
}

function parseUnguarded(text: string, file: string, opts: ParseOptions): ParsedNotes {
  const format = opts.format ?? detectFormat(file, text);
  const lines = splitLines(text);
  let result = assemble(blocksFor(format, text, lines), lines, file, format, opts);
  if (!opts.format && !opts.version && result.sections.length === 0 && text.trim()) {
    // Extension-less NEWS files and .txt files may be any of the three.
    for (const other of ['markdown', 'rst', 'text'] as const) {
      if (other === format) continue;
      const alt = assemble(blocksFor(other, text, lines), lines, file, other, opts);
      if (alt.sections.length > result.sections.length) result = alt;
    }
  }
  if (result.sections.length === 0 && !opts.version) {
    result.problems.push({ file, message: text.trim() ? `no version headings found in ${file}` : `${file} is empty` });
  }
  return result;
}

function blocksFor(format: NoteFormat, text: string, lines: string[]): Block[] {
  return format === 'markdown' ? markdownBlocks(text, lines) : lineBlocks(lines, format);
}

/** Picks a format from the extension, then from the content for .txt and extension-less files. */
export function detectFormat(file: string, text: string): NoteFormat {
  const ext = /\.([a-z0-9]+)$/i.exec(file.split('/').pop() ?? '')?.[1]?.toLowerCase();
  if (ext === 'md' || ext === 'markdown' || ext === 'mdx' || ext === 'mkd') return 'markdown';
  if (ext === 'rst' || ext === 'rest') return 'rst';
  const head = text.length > 200_000 ? text.slice(0, 200_000) : text;
  if (/^#{1,6}\s+\S/m.test(head)) return 'markdown';
  if (/^\.\. [\w-]+::/m.test(head) || /^\S.*\n([=~^"'`+#*-])\1{2,}[ \t]*$/m.test(head)) return 'rst';
  return 'text';
}

// ---------------------------------------------------------------------------------------------
// Markdown

// Wrappers that carry no notes: `<details>`, `<summary>`, anchors such as `<a name="1.0.0"></a>`.
// Blanks come only after a tag (one way to split `<br> <br> ...`), and a tag ends at its first `>`.
const TAG_ONLY = /^\s*(?:<\/?(?:details|summary|a|br|hr)\b[^>\n]*>\s*)+$/i;
const SUMMARY_OPEN = /<summary/i;
const SUMMARY_CLOSE = /<\/summary>/gi;
const GITHUB_ALERT = /^\s*>\s*\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]/i;
const MKDOCS_ADMONITION = /^\s*(?:!!!|\?\?\?\+?)\s*([\w-]+)/;

function markdownBlocks(text: string, lines: string[]): Block[] {
  const tokens = md.parse(text, {});
  const blocks: Block[] = [];
  const item = (start: number, end: number, callout?: Callout) => blocks.push({ kind: 'item', start, end, callout });
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (tok.level !== 0 || tok.nesting === -1 || !tok.map) continue;
    const [start, end] = tok.map;
    switch (tok.type) {
      case 'heading_open':
        blocks.push({ kind: 'heading', level: Number(tok.tag.slice(1)), text: headingText(tokens[i + 1]?.content ?? ''), line: start });
        break;
      case 'bullet_list_open':
      case 'ordered_list_open': {
        // Each list_item directly inside the top-level list is one item.
        const close = tok.type.replace('_open', '_close');
        for (i++; i < tokens.length && !(tokens[i].type === close && tokens[i].level === 0); i++) {
          const t = tokens[i];
          if (t.type === 'list_item_open' && t.level === 1 && t.map) item(t.map[0], t.map[1], leadingCallout(lines[t.map[0]]));
        }
        break;
      }
      case 'paragraph_open': {
        const content = tokens[i + 1]?.content ?? '';
        const summary = summaryOf(content);
        if (TAG_ONLY.test(summary ? `${content.slice(0, summary.start)}<summary>${content.slice(summary.end)}` : content)) {
          // `<details><summary>Minor changes</summary>` ... `</details>`: a collapsible sub-section.
          if (summary) blocks.push({ kind: 'heading', level: DETAILS_LEVEL, text: stripInlineMarkup(headingText(summary.text)), line: start });
          if (/<\/details>/i.test(content)) blocks.push({ kind: 'pop', level: DETAILS_LEVEL });
          break;
        }
        const admonition = MKDOCS_ADMONITION.exec(lines[start] ?? '');
        if (admonition) {
          // The admonition body is indented, so markdown-it reads it as code blocks: keep them together.
          let last = end;
          let j = i + 3;
          for (; tokens[j]?.type === 'code_block' && tokens[j].map; j++) last = tokens[j].map![1];
          i = j - 1;
          item(start, last, calloutFor(admonition[1]) ?? 'note');
          break;
        }
        item(start, end, leadingCallout(content));
        break;
      }
      case 'blockquote_open': {
        const alert = GITHUB_ALERT.exec(lines[start] ?? '');
        item(start, end, alert ? calloutFor(alert[1]) : leadingCallout((lines[start] ?? '').replace(/^\s*>\s?/, '')));
        break;
      }
      case 'fence':
      case 'code_block':
      case 'table_open':
        item(start, end);
        break;
      default:
        break;
    }
  }
  return blocks;
}

/**
 * The first `<summary ...>text</summary>` in a paragraph. Found with three forward searches: a
 * pattern such as `<summary[^>]*>([\s\S]*?)<\/summary>` rescans the rest of the paragraph from
 * every unclosed `<summary`.
 */
function summaryOf(content: string): { start: number; end: number; text: string } | null {
  const open = SUMMARY_OPEN.exec(content);
  if (!open) return null;
  const gt = content.indexOf('>', open.index);
  if (gt === -1) return null;
  SUMMARY_CLOSE.lastIndex = gt + 1;
  const close = SUMMARY_CLOSE.exec(content);
  if (!close) return null;
  return { start: open.index, end: close.index + close[0].length, text: content.slice(gt + 1, close.index) };
}

// ---------------------------------------------------------------------------------------------
// Assembly

interface VersionHeadingAt {
  block: HeadingBlock;
  version: string;
  label: string;
  date: string | null;
}

function assemble(blocks: Block[], lines: string[], file: string, format: NoteFormat, opts: ParseOptions): ParsedNotes {
  const sections: VersionSection[] = [];
  const judge = opts.classifier ?? { classify };
  const versionAt = opts.version ? singleVersionHeadings(blocks, opts.version) : versionHeadings(blocks, !!opts.upgradeGuide);
  // A loop, not Math.min(...levels): spreading 150,000 headings into arguments overflows the stack.
  let minLevel = Infinity;
  for (const v of versionAt.values()) minLevel = Math.min(minLevel, v.block.level);

  // Each heading is stripped of markup once, not once per item under it.
  const plain = new Map<HeadingBlock, string>();
  const plainHeading = (h: HeadingBlock) => {
    let text = plain.get(h);
    if (text === undefined) plain.set(h, (text = stripInlineMarkup(h.text)));
    return text;
  };

  let current: VersionSection | null = null;
  let currentLevel = 0;
  let path: HeadingBlock[] = [];
  let itemsUnderHeading = 0;
  if (opts.version) {
    const own = canonicalVersion(opts.version) ?? opts.version;
    current = { version: own, label: opts.version, date: null, file, line: 1, items: [] };
    sections.push(current);
  }

  for (const block of blocks) {
    if (block.kind === 'heading') {
      const v = versionAt.get(block);
      if (v) {
        if (opts.version) {
          // The document's own title.
          current!.date ??= v.date;
          continue;
        }
        current = { version: v.version, label: v.label, date: v.date, file, line: block.line + 1, items: [] };
        currentLevel = block.level;
        path = [];
        itemsUnderHeading = 0;
        sections.push(current);
        continue;
      }
      if (!opts.version && current && block.level !== DETAILS_LEVEL && (block.level < currentLevel || (block.level === currentLevel && block.level === minLevel))) {
        current = null;
        continue;
      }
      path = path.filter((p) => p.level < block.level);
      // A `<details>` block after a sub-section's items is its sibling ("Bug fixes", then
      // "Minor changes"); right after a heading it belongs to that heading.
      if (block.level === DETAILS_LEVEL && itemsUnderHeading > 0) path = path.slice(0, -1);
      path.push(block);
      itemsUnderHeading = 0;
      continue;
    }
    if (block.kind === 'pop') {
      const at = path.map((p) => p.level).lastIndexOf(block.level);
      if (at !== -1) path = path.slice(0, at);
      continue;
    }
    if (!current) continue;
    const item = makeItem(block.start, block.end, lines, file, path.map(plainHeading), block.callout, opts.ref);
    if (!item) continue;
    item.risks = judge.classify(item);
    current.items.push(item);
    itemsUnderHeading++;
  }

  for (const section of sections) {
    if (!section.date && section.items.length) section.date = leadingDate(section.items[0].text);
  }
  return { format, sections, problems: [] };
}

function makeItem(
  start: number,
  end: number,
  lines: string[],
  file: string,
  heading: string[],
  callout: Callout | undefined,
  ref: string | undefined,
): NoteItem | null {
  let a = start;
  let b = Math.min(end, lines.length);
  while (a < b && !lines[a].trim()) a++;
  while (b > a && !lines[b - 1].trim()) b--;
  if (a >= b) return null;
  const item: NoteItem = {
    text: lines.slice(a, b).join('\n').trim(),
    file,
    line: a + 1,
    endLine: b,
    heading,
    risks: [],
  };
  if (callout) item.callout = callout;
  if (ref) item.ref = ref;
  return item;
}

/** Version headings, keeping only levels at most one deeper than the most common one. */
function versionHeadings(blocks: Block[], upgradeGuide: boolean): Map<HeadingBlock, VersionHeadingAt> {
  const found: VersionHeadingAt[] = [];
  for (const block of blocks) {
    if (block.kind !== 'heading' || block.level === DETAILS_LEVEL) continue;
    const parsed = parseVersionHeading(block.text) ?? (upgradeGuide ? parseUpgradeHeading(block.text) : null);
    if (parsed) found.push({ block, ...parsed });
  }
  const counts = new Map<number, number>();
  for (const f of found) counts.set(f.block.level, (counts.get(f.block.level) ?? 0) + 1);
  let dominant = 0;
  let best = -1;
  for (const [level, n] of [...counts].sort((x, y) => x[0] - y[0])) {
    if (n > best) [dominant, best] = [level, n];
  }
  return new Map(found.filter((f) => f.block.level <= dominant + 1).map((f) => [f.block, f]));
}

/** In a one-version document, a heading naming that version is its title, not a sub-heading. */
function singleVersionHeadings(blocks: Block[], version: string): Map<HeadingBlock, VersionHeadingAt> {
  const out = new Map<HeadingBlock, VersionHeadingAt>();
  const canonical = canonicalVersion(version) ?? version;
  for (const block of blocks) {
    if (block.kind !== 'heading') continue;
    const parsed = parseVersionHeading(block.text) ?? parseUpgradeHeading(block.text);
    if (parsed && parsed.version === canonical) out.set(block, { block, ...parsed });
  }
  return out;
}

/** Rocket.Chat puts the date in the first line under the heading: "`2020-06-30 · 18 🎉 ...`". */
function leadingDate(text: string): string | null {
  if (/^\s*(?:[-*+]|\d+[.)])\s/.test(text)) return null;
  // The date opens the line: its first 1,000 characters are enough, however long the line is.
  const plain = stripInlineMarkup(text.slice(0, 1000).split('\n', 1)[0]).replace(/^(?:released|release\s+date|date)\b\s*(?:on\b)?[:\s]*/i, '');
  const date = extractDate(plain.slice(0, 40));
  return date && /^\W{0,3}(?:\d{4}|[A-Za-z]{3,9}\.?\s+\d|\d{1,2}\s+[A-Za-z])/.test(plain) ? date : null;
}
