/**
 * The markdown reader of release notes: markdown-it's block tokens (inline parsing off) turned into
 * blocks with their line ranges. `<details>` summaries are sub-headings, alerts and admonitions are
 * callouts, and a list of `* BREAKING` / `* Bug fixes` category bullets is read as headings.
 */
import type { Token } from 'markdown-it';
import type { Block } from './blocks';
import { blankBetween, calloutFor, DETAILS_LEVEL, headingText, introduces, leadingCallout, PROSE_ROLES, sectionCaption } from './blocks';
import { parseVersionHeading, stripInlineMarkup } from './headings';
import { headingRole } from './highlight/context';
import { highlight } from './highlight/engine';
import { noteMarkdown } from './markdown';
import type { Callout } from './model';
import { isNoiseHeading } from './noise';

// Block structure is all we need: inline parsing is turned off (heading text is read raw).
const md = noteMarkdown({ html: false });
md.disable(['inline', 'text_join']);

// Wrappers that carry no notes: `<details>`, `<summary>`, anchors such as `<a name="1.0.0"></a>`.
// Blanks come only after a tag (one way to split `<br> <br> ...`), and a tag ends at its first `>`.
const TAG_ONLY = /^\s*(?:<\/?(?:details|summary|a|br|hr)\b[^>\n]*>\s*)+$/i;
const SUMMARY_OPEN = /<summary/i;
const SUMMARY_CLOSE = /<\/summary>/gi;
// A category line that ends in a colon (`BREAKING CHANGES:`): one that can head prose.
const ROLE_LABEL = /^[\p{L} /&-]{3,40}:$/u;
// `* [BUGFIX] Fix a crash #12`: an entry tagged with its kind.
const TAGGED_ENTRY = /^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s{1,4}\[[A-Z][A-Z -]{1,30}\]/;

/**
 * Whether a category line heads the paragraphs after it: a line naming a role worth watching, with
 * a paragraph of words right after it (not a comment or a tag that gives no note).
 */
function proseHeads(label: string, next: string): boolean {
  if (!ROLE_LABEL.test(label)) return false;
  const role = headingRole(label.replace(/:$/, ''))?.role;
  return !!role && PROSE_ROLES.has(role) && !commentsOnly(next) && !TAG_ONLY.test(next);
}
const BOLD_LINE = /^\*\*([^*\n]{1,200})\*\*$/;
const GITHUB_ALERT = /^\s*>\s*\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]/i;
const MKDOCS_ADMONITION = /^\s*(?:!!!|\?\?\?\+?)\s*([\w-]+)/;

export function markdownBlocks(text: string, lines: string[]): Block[] {
  const tokens = md.parse(withoutFrontMatter(text, lines), {});
  const blocks: Block[] = [];
  const item = (start: number, end: number, callout?: Callout, prose?: boolean) => blocks.push({ kind: 'item', start, end, callout, ...(prose ? { prose } : {}) });
  // The list right after a category line (`BUG FIXES:`) is that category's.
  let labelledList = false;
  // The prose right after a category line (`BREAKING CHANGES:`, then paragraphs) is that category's,
  // with a list a paragraph of it introduces; the next list of entries is not.
  let labelledProse = false;
  let lastHeadingLevel = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (tok.level !== 0 || tok.nesting === -1 || !tok.map) continue;
    const [start, end] = tok.map;
    switch (tok.type) {
      case 'heading_open':
        labelledProse = false;
        lastHeadingLevel = Number(tok.tag.slice(1));
        blocks.push({ kind: 'heading', level: lastHeadingLevel, text: headingText(tokens[i + 1]?.content ?? ''), line: start });
        break;
      case 'bullet_list_open':
      case 'ordered_list_open': {
        // Each list_item directly inside the top-level list is one item, but for a category bullet
        // (`* BREAKING` with the entries nested under it): a sub-heading over its nested items.
        const close = tok.type.replace('_open', '_close');
        if (labelledProse) {
          const last = blocks[blocks.length - 1];
          // A list of tagged entries (`* [BUGFIX] ...`) is the release's own, whatever introduces it.
          if (!(last?.kind === 'item' && last.prose && introduces(lines, last.start, last.end)) || TAGGED_ENTRY.test(lines[start] ?? '')) {
            blocks.push({ kind: 'pop', level: CATEGORY_LEVEL });
            labelledProse = false;
          }
        }
        if (tableOfContents(lines, start, end)) {
          // A table of contents (`- [v1.28.9](#v1289)` and its nested entries) points at the notes below.
          for (i++; i < tokens.length && !(tokens[i].type === close && tokens[i].level === 0); i++);
          break;
        }
        for (i++; i < tokens.length && !(tokens[i].type === close && tokens[i].level === 0); i++) {
          const t = tokens[i];
          if (t.type !== 'list_item_open' || t.level !== 1 || !t.map) continue;
          const category = categoryItem(tokens, i);
          if (category) {
            blocks.push({ kind: 'heading', level: CATEGORY_LEVEL, text: category.label, line: t.map[0] });
            for (const [s, e] of category.items) item(s, e, leadingCallout(lines[s]));
            blocks.push({ kind: 'pop', level: CATEGORY_LEVEL });
            i = category.end;
            continue;
          }
          item(t.map[0], t.map[1], leadingCallout(lines[t.map[0]]), true);
        }
        if (labelledList) blocks.push({ kind: 'pop', level: CATEGORY_LEVEL });
        labelledList = false;
        break;
      }
      case 'paragraph_open': {
        const content = tokens[i + 1]?.content ?? '';
        // `<!-- 8.0.6 START -->`: a marker for the tools that write the file, no note.
        if (commentsOnly(content)) break;
        // MDX pages open with `import Tabs from '@theme/Tabs';` and `export const meta = ...`: code, no note.
        if (esmOnly(content)) break;
        // `**2019-10-17  -  PgBouncer 1.12.0  -  "Title"**` alone on its line: the release's heading,
        // one level under the heading it follows.
        const bold = BOLD_LINE.exec(content.trim());
        if (bold && parseVersionHeading(bold[1], { titled: false })) {
          blocks.push({ kind: 'heading', level: Math.min(lastHeadingLevel + 1, 6), text: bold[1].trim(), line: start });
          break;
        }
        // `_Released 2024-07-31_`, `*Changes that are expected to cause an incompatibility*`: one
        // emphasized line right under a heading dates or describes its section; it is no note.
        const above = blocks[blocks.length - 1];
        if (tokens[i - 1]?.type === 'heading_close' && sectionCaption(content, above?.kind === 'heading' && !!parseVersionHeading(above.text))) {
          blocks.push({ kind: 'item', start, end, caption: true });
          break;
        }
        const summary = summaryOf(content);
        if (TAG_ONLY.test(summary ? `${content.slice(0, summary.start)}<summary>${content.slice(summary.end)}` : content)) {
          // `<details><summary>Minor changes</summary>` ... `</details>`: a collapsible sub-section.
          if (summary) blocks.push({ kind: 'heading', level: DETAILS_LEVEL, text: stripInlineMarkup(headingText(summary.text)), line: start });
          if (/<\/details>/i.test(content)) blocks.push({ kind: 'pop', level: DETAILS_LEVEL });
          break;
        }
        // A note may stand between the category line and its list (`UPGRADE NOTES:`, `> [!NOTE]`, the list).
        // The line alone, or with comment lines under it (`BUG FIXES:`, then `<!-- x -->`).
        const firstBreak = content.indexOf('\n');
        const labelLine = firstBreak >= 0 && commentsOnly(content.slice(firstBreak + 1)) ? content.slice(0, firstBreak).trim() : content.trim();
        const label = isCategoryLabel(labelLine);
        const overList = label || isListLabel(labelLine);
        // Comments between the line and its list (`<!-- added by the bot -->`, a paragraph with HTML off) are skipped.
        let after = i + 3;
        while (overList && tokens[after]?.type === 'paragraph_open' && commentsOnly(tokens[after + 1]?.content ?? '')) after += 3;
        const next = overList && tokens[after]?.type === 'blockquote_open' ? typeAfter(tokens, after, 'blockquote_close') : tokens[after]?.type;
        if (overList && (next === 'bullet_list_open' || next === 'ordered_list_open')) {
          // `SECURITY:` or `BUG FIXES:` on a line of its own over a list (HashiCorp's changelogs): a sub-heading.
          // It heads that list only: the prose after it ("FEATURE PREVIEW: ...") is not one of its entries.
          blocks.push({ kind: 'heading', level: CATEGORY_LEVEL, text: labelLine.replace(/:$/, ''), line: start });
          labelledList = true;
          labelledProse = false;
          break;
        }
        if (label && tokens[i + 3]?.type === 'paragraph_open' && proseHeads(content.trim(), tokens[i + 4]?.content ?? '')) {
          // `BREAKING CHANGES:` alone on its line over paragraphs (Prometheus exporters): a sub-heading
          // over that prose.
          blocks.push({ kind: 'heading', level: CATEGORY_LEVEL, text: content.trim().replace(/:$/, ''), line: start });
          labelledProse = true;
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
        if (componentLines(lines, start, end)) {
          // `core: Add ... (URL)` on each line, no list markers: one change per line.
          for (let l = start; l < end; l++) item(l, l + 1);
          break;
        }
        item(start, end, leadingCallout(content), true);
        break;
      }
      case 'blockquote_open': {
        const alert = GITHUB_ALERT.exec(lines[start] ?? '');
        item(start, end, alert ? calloutFor(alert[1]) : leadingCallout((lines[start] ?? '').replace(/^\s*>\s?/, '')));
        break;
      }
      case 'fence':
      case 'code_block':
      case 'table_open': {
        // "Given a configuration file like this:" over the file, "Run:" over the command: the code
        // or the table is what the line before it introduces, and one note with it.
        const last = blocks[blocks.length - 1];
        if (last?.kind === 'item' && !last.caption && last.prose && introduces(lines, last.start, last.end) && blankBetween(lines, last.end, start)) {
          last.end = end;
          last.prose = false;
          break;
        }
        item(start, end);
        break;
      }
      default:
        break;
    }
  }
  return blocks;
}

// A list entry that is one link to a place on the same page, and nothing else.
const ANCHOR_ENTRY = /^\s{0,12}(?:[-*+]|\d{1,3}[.)])\s{1,4}\[[^\]\n]{1,300}\]\(#[^()\s]{0,300}\)\s*$/;

/** A list of two or more entries, each (nested ones too) only a link to an anchor of the page. */
function tableOfContents(lines: readonly string[], start: number, end: number): boolean {
  let entries = 0;
  for (let l = start; l < end; l++) {
    const line = lines[l] ?? '';
    if (!line.trim()) continue;
    if (!ANCHOR_ENTRY.test(line)) return false;
    entries++;
  }
  return entries >= 2;
}

/** Deeper than headings and `<details>` summaries: a category bullet nests under both. */
const CATEGORY_LEVEL = DETAILS_LEVEL + 1;
// A category's name: a few words, no sentence punctuation (`BREAKING`, `Bug fixes`, `ENHANCEMENTS`).
const CATEGORY_LABEL = /^[\p{L}][\p{L}\p{N} &/'-]{0,38}:?$/u;
const BOLD_LABEL = /^\*\*([^*\n]{1,80})\*\*:?$|^__([^_\n]{1,80})__:?$/;
const BOLD_CATEGORY = /^[\p{L}][\p{L}\p{N} ,&/'()-]{0,78}:?$/u;

/**
 * A top-level list item that only names a category and holds a nested list of entries (Gitea's
 * `* BREAKING` / `  * entry`): its label and the line ranges of its entries. `i` is the index of
 * its list_item_open token; `end` the index of its list_item_close.
 */
function categoryItem(tokens: Token[], i: number): { label: string; items: [number, number][]; end: number } | undefined {
  const para = tokens[i + 1];
  const inline = tokens[i + 2];
  if (para?.type !== 'paragraph_open' || inline?.type !== 'inline' || tokens[i + 3]?.type !== 'paragraph_close') return undefined;
  const content = inline.content.trim();
  // `* **Breaking:**` with its introduction on the next lines of the same paragraph.
  const newline = content.indexOf('\n');
  const raw = newline === -1 ? content : content.slice(0, newline).trim();
  // `* **Breaking changes requiring manual intervention:**` over its entries: a bold label is one.
  const bold = BOLD_LABEL.exec(raw);
  const label = bold ? (bold[1] ?? bold[2]).trim() : raw;
  if (newline !== -1 && !bold) return undefined;
  if (bold ? !BOLD_CATEGORY.test(label) : !isCategoryLabel(label) && !isComponentLabel(label)) return undefined;
  const intro: [number, number][] = [];
  if (newline !== -1 && para.map) intro.push([para.map[0] + 1, para.map[1]]);
  // Paragraphs may introduce the entries ("The most prominent ones are described here"): items too.
  let first = i + 4;
  while (tokens[first]?.type === 'paragraph_open' && tokens[first].level === 2 && tokens[first].map) {
    intro.push([tokens[first].map![0], tokens[first].map![1]]);
    first += 3;
  }
  const list = tokens[first];
  if (list?.type !== 'bullet_list_open' && list?.type !== 'ordered_list_open') return undefined;
  const items: [number, number][] = [...intro];
  let j = first + 1;
  for (; j < tokens.length && !(tokens[j].type === 'list_item_close' && tokens[j].level === 1); j++) {
    const t = tokens[j];
    if (t.type === 'list_item_open' && t.level === 3 && t.map) items.push([t.map[0], t.map[1]]);
    // Anything but the one nested list makes it an ordinary item.
    if (t.level === 2 && t.nesting === 1 && j !== first) return undefined;
  }
  return items.length ? { label, items, end: j } : undefined;
}

/**
 * A category reads like one: a few words in capitals (`BUGFIXES`), or a section name ("Bug fixes",
 * "Breaking changes"); "remove deprecated functionality" over a list of details is an entry.
 */
function isCategoryLabel(label: string): boolean {
  if (!CATEGORY_LABEL.test(label) || label.split(/\s+/).length > 3) return false;
  return label === label.toUpperCase() || (/^\p{Lu}/u.test(label) && !!headingRole(label.replace(/:$/, '')));
}

/**
 * Over a list, a short capitalized label ending in a colon names the list's kind (`Dependency
 * bumps:`, `Enterprise:`, `Other changes:`), though no role reads from it. It stays a note when it
 * says something itself ("Data loss warning:", "Requires PostgreSQL 14:", "Warning:"), when it would hide the
 * list as a contributor list or an engine table ("Thanks:", "Engines:"), and when it is longer
 * ("The following settings were removed:").
 */
function isListLabel(label: string): boolean {
  if (!label.endsWith(':') || !/^\p{Lu}/u.test(label) || !CATEGORY_LABEL.test(label) || label.split(/\s+/).length > 3) return false;
  const name = label.replace(/:$/, '');
  const callout = leadingCallout(label);
  return !isNoiseHeading(name) && highlight({ text: label, heading: [], callout }).risks.length === 0;
}

// A component's name over its entries (Linkerd's `* Control Plane`, `* Proxy (data plane)`): capitalized, a
// few words, no code, no sentence punctuation.
const COMPONENT_LABEL = /^\p{Lu}[\p{L}\p{N} &/'()-]{0,38}:?$/u;

function isComponentLabel(label: string): boolean {
  return COMPONENT_LABEL.test(label) && label.split(/\s+/).length <= 4;
}

// A change line without a list marker: a component (`core`, `plugin/cache`), a colon, the change.
const COMPONENT_LINE = /^[\w][\w./-]{0,40}:[ \t]+\S/;

/** Whether a paragraph of at least three lines is one component-labelled change per line. */
function componentLines(lines: readonly string[], start: number, end: number): boolean {
  if (end - start < 3 || end - start > 5000) return false;
  for (let l = start; l < end; l++) if (!COMPONENT_LINE.test(lines[l] ?? '')) return false;
  return true;
}

// Front matter: Hugo / Jekyll's YAML (`---`, `key: value` lines, `---` or `...`) and Hugo's TOML
// (`+++`, `key = value` lines, `+++`). A YAML block holds keys, list entries, indented values or
// blanks; any other line means the opening `---` was a rule over text.
const FRONT_MATTERS: readonly { open: RegExp; key: RegExp; close: RegExp; body?: RegExp }[] = [
  { open: /^---[ \t]*$/, key: /^[\w-]{1,60}:/, close: /^(?:---|\.\.\.)[ \t]*$/, body: /^(?:[\w-]{1,60}:|\s|-\s)/ },
  { open: /^\+\+\+[ \t]*$/, key: /^[\w-]{1,60}[ \t]*=/, close: /^\+\+\+[ \t]*$/ },
];
const FRONT_MATTER_LINES = 200;

/**
 * The text with its front matter blanked, lines kept: `title: Release 1.15` over `---` would
 * read as a heading, and `release: 1.20.1` as a version line.
 */
function withoutFrontMatter(text: string, lines: string[]): string {
  // It opens with its fence and a key line right under it.
  const form = FRONT_MATTERS.find((f) => f.open.test(lines[0] ?? '') && f.key.test(lines[1] ?? ''));
  if (!form) return text;
  for (let i = 2; i < Math.min(lines.length, FRONT_MATTER_LINES); i++) {
    if (form.close.test(lines[i])) return '\n'.repeat(i + 1) + lines.slice(i + 1).join('\n');
    if (form.body && lines[i].trim() && !form.body.test(lines[i])) return text;
  }
  return text;
}

const ESM_IMPORT = /^import\s+(?:[\w*{][^\n'"]{0,200}\sfrom\s+)?['"][^'"\n]{1,200}['"];?\s*$/;
const ESM_EXPORT = /^export\s+(?:const|let|var|function|default|async\s+function)\s/;

/** Whether a paragraph is an MDX page's ES module statements: imports only, or an export. */
function esmOnly(content: string): boolean {
  const lines = content.trim().split('\n');
  if (ESM_EXPORT.test(lines[0])) return true;
  return lines.every((l) => ESM_IMPORT.test(l.trim()));
}

/** Whether a paragraph holds HTML comments and nothing else; forward searches, no backtracking. */
function commentsOnly(content: string): boolean {
  let at = 0;
  let any = false;
  for (;;) {
    while (at < content.length && /\s/.test(content[at])) at++;
    if (at >= content.length) return any;
    if (!content.startsWith('<!--', at)) return false;
    const close = content.indexOf('-->', at + 4);
    if (close === -1) return false;
    at = close + 3;
    any = true;
  }
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

/** The type of the top-level token after the one closing the block opened at `open`. */
function typeAfter(tokens: readonly Token[], open: number, closeType: string): string | undefined {
  for (let j = open + 1; j < tokens.length; j++) if (tokens[j].type === closeType && tokens[j].level === 0) return tokens[j + 1]?.type;
  return undefined;
}
