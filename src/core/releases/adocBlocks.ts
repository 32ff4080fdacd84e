/**
 * AsciiDoc release notes and upgrade guides (Keycloak, Hibernate, Spring, Elasticsearch) as blocks.
 *
 * - headings: section titles `= Title` ... `====== Title` (level = number of `=`), also `#` titles,
 *   and description-list terms (`Infra/Core::`) or bold phrases (`*Filebeat*`) alone on a line
 *   over list entries, under them;
 * - items: each top-level list item (`*`, `-`, `.`, `1.`, with its nested `**` / `..` items,
 *   continuation lines and `+`-attached blocks), each paragraph, each delimited block (`----`,
 *   `....`, `====`, `****`, `____`, `|===`, `--`, `++++`) with the attribute line (`[source,java]`)
 *   and block title (`.Example`) in front of it, each admonition (`WARNING: ...`, `[WARNING]`).
 * - skipped: document attributes (`:name: value`), comments (`//`, `////` blocks), preprocessor
 *   directives (`ifdef::`, `ifeval::`, `endif::`, `include::`) and anchors (`[[id]]`, `[#id]`).
 *
 * One pass over the lines; every pattern is anchored and bounded, so the cost is linear.
 */
import type { Block } from './blocks';
import { blankBetween, calloutFor, DETAILS_LEVEL, introduces } from './blocks';
import type { Callout } from './model';

const TITLE = /^(={1,6}|#{1,6})[ \t]+(\S.*?)(?:[ \t]+\1)?[ \t]*$/;
const ATTRIBUTE_ENTRY = /^:!?[\w][\w-]*!?:(?:[ \t].*)?$/;
const DIRECTIVE = /^(?:ifdef|ifndef|ifeval|endif|include)::/;
const ANCHOR = /^\[\[[^\]]*\]\]$|^\[#[^\]]*\]$/;
const BLOCK_ATTRIBUTES = /^\[[^\]]*\]$/;
const BLOCK_TITLE = /^\.[^\s.]/;
const ADMONITION_STYLE = /^\[(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\b[^\]]*\]$/;
const ADMONITION_PARAGRAPH = /^(NOTE|TIP|IMPORTANT|WARNING|CAUTION):\s/;
const DELIMITER = /^(-{4,}|\.{4,}|={4,}|\*{4,}|_{4,}|\+{4,}|\/{4,}|\|={3,}|--)$/;
const LIST_ITEM = /^[ \t]*(\*{1,5}|-|\.{1,5}|\d{1,9}\.)[ \t]+\S/;
const LIST_CONTINUATION = '+';
/** Listing, literal and table blocks: what a lead-in ending in a colon ("Run:") introduces. */
const SHOWN_BLOCK = /^(?:-{4,}|\.{4,}|\|={3,})$/;
/** A description-list term alone on its line: `Infra/Core::`. */
const DLIST_TERM = /^([^\s:/][^:\n]{0,60})::$/;
/** A bold phrase alone on its line over list entries: `*Filebeat*`, `*Affecting all Beats*`. */
const BOLD_LABEL = /^\*{1,2}([^\s*][^*\n]{0,60}?)\*{1,2}:?$/;
/** Deeper than any section title and `<details>` summaries, so a term nests under the section it is in. */
const TERM_LEVEL = DETAILS_LEVEL + 1;

export function adocBlocks(lines: readonly string[]): Block[] {
  const blocks: Block[] = [];
  const n = lines.length;
  const trimmed = (i: number) => lines[i].trim();
  const blank = (i: number) => i >= n || trimmed(i) === '';

  /** Skips a delimited block from its opening delimiter; returns the line after its closing one. */
  const skipDelimited = (i: number): number => {
    const delim = trimmed(i);
    let j = i + 1;
    while (j < n && trimmed(j) !== delim) j++;
    return Math.min(n, j + 1);
  };
  /** A line that starts a block of its own, ending a paragraph or list item. */
  const startsBlock = (i: number) => {
    const t = trimmed(i);
    return TITLE.test(lines[i]) || DELIMITER.test(t) || BLOCK_ATTRIBUTES.test(t) || DIRECTIVE.test(t) || ATTRIBUTE_ENTRY.test(t);
  };

  let i = 0;
  // Attribute lines and block titles wait for the block they describe.
  let pendingStart = -1;
  let pendingCallout: Callout | undefined;
  const take = (start: number) => {
    const from = pendingStart >= 0 ? pendingStart : start;
    const callout = pendingCallout;
    pendingStart = -1;
    pendingCallout = undefined;
    return { from, callout };
  };

  while (i < n) {
    const line = lines[i];
    const t = line.trim();
    if (t === '') {
      i++;
      continue;
    }
    if (t.startsWith('////') && /^\/{4,}$/.test(t)) {
      i = skipDelimited(i);
      continue;
    }
    if (t.startsWith('//') || ATTRIBUTE_ENTRY.test(t) || DIRECTIVE.test(t) || ANCHOR.test(t)) {
      i++;
      continue;
    }
    const title = line.startsWith(' ') ? null : TITLE.exec(line);
    // `Aggregations::` over the entries of that component (Elasticsearch): a sub-heading.
    const term = line.startsWith(' ') || title ? null : DLIST_TERM.exec(t) ?? boldLabel(i);
    if (title || term) {
      pendingStart = -1;
      pendingCallout = undefined;
      // An attribute reference stands for a name: `== {es} version 8.10.1`.
      const text = title ? title[2].replace(/\{([\w-]{1,40})\}/g, '$1') : term![1].trim();
      blocks.push({ kind: 'heading', level: title ? title[1].length : TERM_LEVEL, text, line: i });
      i++;
      continue;
    }
    if (BLOCK_ATTRIBUTES.test(t) || (BLOCK_TITLE.test(t) && !LIST_ITEM.test(line))) {
      if (pendingStart < 0) pendingStart = i;
      const style = ADMONITION_STYLE.exec(t);
      if (style) pendingCallout = calloutFor(style[1]);
      i++;
      continue;
    }
    if (DELIMITER.test(t)) {
      const { from, callout } = take(i);
      i = skipDelimited(i);
      // "Set this in broker.xml:" over the listing: the block is what the line before introduces.
      const last = blocks[blocks.length - 1];
      if (SHOWN_BLOCK.test(t) && !callout && last?.kind === 'item' && last.prose && introduces(lines, last.start, last.end) && blankBetween(lines, last.end, from)) {
        last.end = i;
        last.prose = false;
        continue;
      }
      blocks.push({ kind: 'item', start: from, end: i, callout });
      continue;
    }
    if (LIST_ITEM.test(line)) {
      const { from, callout } = take(i);
      i = listEnd(i);
      blocks.push({ kind: 'item', start: from, end: i, callout, prose: true });
      continue;
    }
    // A paragraph: until a blank line or the start of another block.
    const { from, callout } = take(i);
    const admonition = ADMONITION_PARAGRAPH.exec(t);
    for (i++; i < n && !blank(i) && !startsBlock(i) && !LIST_ITEM.test(lines[i]); i++);
    blocks.push({ kind: 'item', start: from, end: i, callout: callout ?? (admonition ? calloutFor(admonition[1]) : undefined), prose: true });
  }
  return blocks;

  /** `*Filebeat*` over the entries of that component (Beats): a sub-heading like a term. */
  function boldLabel(i: number): RegExpExecArray | null {
    if (i + 1 < n && !blank(i + 1) && !LIST_ITEM.test(lines[i + 1])) return null;
    return BOLD_LABEL.exec(trimmed(i));
  }

  /** The end of a top-level list item: its text, nested items and attached blocks. */
  function listEnd(start: number): number {
    const marker = LIST_ITEM.exec(lines[start])![1];
    let j = start + 1;
    while (j < n) {
      const t = trimmed(j);
      if (t === LIST_CONTINUATION) {
        // `+` attaches the next block to the item: a delimited block with the attribute lines and
        // title in front of it, or a paragraph, which ends where a list entry or a block starts.
        j++;
        while (j < n && (BLOCK_ATTRIBUTES.test(trimmed(j)) || (BLOCK_TITLE.test(trimmed(j)) && !LIST_ITEM.test(lines[j])))) j++;
        if (j < n && DELIMITER.test(trimmed(j))) j = skipDelimited(j);
        else while (j < n && !blank(j) && trimmed(j) !== LIST_CONTINUATION && !LIST_ITEM.test(lines[j]) && !startsBlock(j)) j++;
        continue;
      }
      if (t === '') {
        // A blank line ends the item unless a nested item (a deeper marker) follows.
        let k = j;
        while (k < n && blank(k)) k++;
        const next = k < n ? LIST_ITEM.exec(lines[k]) : null;
        if (next && isNested(next[1], marker)) {
          j = k;
          continue;
        }
        return j;
      }
      const item = LIST_ITEM.exec(lines[j]);
      if (item && !isNested(item[1], marker)) return j;
      if (!item && startsBlock(j)) return j;
      j++;
    }
    return j;
  }
}

/** `**` under `*`, `..` under `.`: a deeper marker nests; so does a numbered list in a bulleted entry, and the reverse. */
function isNested(marker: string, parent: string): boolean {
  const ordered = (m: string) => m.startsWith('.') || /^\d/.test(m);
  if (ordered(marker) !== ordered(parent)) return true;
  const depth = (m: string) => (/^[*.]+$/.test(m) ? m.length : 1);
  return depth(marker) > depth(parent);
}
