/**
 * Line-based readers for reStructuredText (Django/Sphinx release notes) and plain-text NEWS files.
 *
 * Both produce the same blocks as the markdown reader:
 * - headings: rst titles (underlined, optionally overlined; levels in order of first appearance);
 *   in plain text also lines that read as a version heading ("Version 1.2.3", "* Noteworthy changes in
 *   release 9.4 (2023-08-29)"), wikitext titles (`== MediaWiki 1.39.1 ==`, the level is the number
 *   of `=`), GNU-style `** Bug fixes` lines, `* Bug Fixes *` lines and short "Section:" lines;
 * - items: each bullet (`-`, `*`, `+`, `•`, `1.`, and `o` in plain text) with its continuation and
 *   nested lines (also wikitext's `**` sub-bullets), each line of an rst line block (`| ...`), each
 *   paragraph, each indented block, each directive (`.. warning::` is a callout).
 */
import type { Block } from './blocks';
import { calloutFor, headingText, leadingCallout, PROSE_ROLES, sectionCaption } from './blocks';
import { headingRole } from './highlight/context';
import { extractDate } from './dates';
import { parseVersionHeading } from './headings';

// Any punctuation character of 7-bit ASCII may adorn a title, as the reStructuredText spec says
// (`%%%%` over and under a title, `####`, `~~~~`), repeated at least three times.
const ADORNMENT = /^([!-/:-@[-`{-~])\1{2,}\s*$/;
// The characters changelogs adorn titles with; a run of any other one (`;;;`, `}}}`, `|||`) is a
// title's only when it is as long as the title, as the spec asks of every adornment.
const COMMON_ADORNMENT = /^[=\-~^"'`#*+<>_:.]/;
/** Wikitext and AsciiDoc-like titles: `== Title ==`, `=== Title`. */
const WIKI_TITLE = /^(={1,6})[ \t]*([^=\s][^\n]*?)[ \t]*=*[ \t]*$/;
/** A banner of equals signs around a title (Lucene and Solr's `==================  9.4.0 ==================`). */
const BANNER_TITLE = /^={7,80}[ \t]+([^=\s][^=\n]{0,200}?)[ \t]+={7,80}[ \t]*$/;
/** A GNU NEWS section (`** Bug fixes`, `** New Feature`): short, not a sentence. */
const GNU_SECTION = /^\*\*[ \t]+([A-Za-z][\w/&' -]{0,40}?)[ \t]*:?[ \t]*$/;
/** A NEWS section between asterisks (PostGIS's `* Bug Fixes *`), over the entries indented under it. */
const STAR_SECTION = /^[ \t]{0,3}\*[ \t]+([A-Za-z][^*\n]{0,60}?)[ \t]*\*[ \t]*$/;
/** Deeper than any title level, so a GNU section nests under the version it belongs to. */
const GNU_LEVEL = 6;
/** A short "Section:" line (see sectionLabel). */
const SECTION_LABEL = /^([A-Z][A-Za-z0-9 ,&/'()-]{1,40}):\s*$/;
const DIRECTIVE = /^\.\.\s+([\w-]+)::(.*)$/;
const COMMENT_OR_TARGET = /^\.\.(?:\s|$)/;
/** A field of a directive: `:version: 1.13.2`, `:tags: bug, autogenerate`. */
const FIELD = /^:([\w-]{1,40}):(?:[ \t]+(.*))?$/;
/** The category tags of Sphinx's changelog extension, as the section they stand for. */
const CHANGE_CATEGORIES: Readonly<Record<string, string>> = {
  bug: 'Bug fixes',
  feature: 'Features',
  usecase: 'Features',
  change: 'Changed',
  changed: 'Changed',
  removed: 'Removed',
  deprecated: 'Deprecations',
  security: 'Security',
  performance: 'Performance',
};
/** A line of a reStructuredText line block (`| Issue #123 - Fixed ...`); not a grid-table row (`| a | b |`). */
const LINE_BLOCK_LINE = /^\s*\|[ \t]+\S(?:.*[^|\s])?[ \t]*$/;
/** Where any line of a line block starts, a continued one or an empty one (`|`). */
const LINE_BLOCK_START = /^\s*\|(?:\s|$)/;

export function lineBlocks(lines: string[], mode: 'rst' | 'text'): Block[] {
  const blocks: Block[] = [];
  const styles: string[] = [];
  const levelOf = (style: string) => {
    let i = styles.indexOf(style);
    if (i === -1) i = styles.push(style) - 1;
    return i + 1;
  };
  const bulletRe = mode === 'text' ? /^(\s*)(?:[-*+•]|o|\d+[.)])\s+\S/ : /^(\s*)(?:[-*+•]|\d+[.)]|#\.)\s+\S/;
  const blank = (i: number) => i >= lines.length || !lines[i].trim();
  /** Whether line `a` adorns the title at line `t` (above or under it); a list entry is no title. */
  const adorns = (a: number, t: number) => {
    const mark = lines[a].trim();
    return ADORNMENT.test(lines[a]) && !bulletRe.test(lines[t]) && (COMMON_ADORNMENT.test(mark) || mark.length >= lines[t].trim().length);
  };
  const indent = (i: number) => /^\s*/.exec(lines[i])![0].replace(/\t/g, '        ').length;

  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i++;
      continue;
    }
    // `==================  9.4.0 ==================`: a title, ranked like an adornment style.
    const banner = indent(i) === 0 ? BANNER_TITLE.exec(line) : null;
    if (banner) {
      blocks.push({ kind: 'heading', level: levelOf('banner'), text: headingText(banner[1].trim()), line: i });
      i++;
      continue;
    }
    // Overlined title: ===== / Title / =====
    if (ADORNMENT.test(line) && i + 2 < lines.length && lines[i + 1].trim() && lines[i + 2].trim() === line.trim() && adorns(i, i + 1)) {
      blocks.push({ kind: 'heading', level: levelOf(`over${line.trim()[0]}`), text: headingText(lines[i + 1].trim()), line: i + 1 });
      i += 3;
      continue;
    }
    // Underlined title.
    if (indent(i) === 0 && !ADORNMENT.test(line) && i + 1 < lines.length && adorns(i + 1, i) && lines[i + 1].trim().length >= Math.min(3, line.trim().length)) {
      blocks.push({ kind: 'heading', level: levelOf(lines[i + 1].trim()[0]), text: headingText(line.trim()), line: i });
      i += 2;
      continue;
    }
    if (ADORNMENT.test(line)) {
      i++; // a transition line
      continue;
    }
    // `** Bug` (GNU NEWS, JIRA release notes) is no reStructuredText either: a section in both modes.
    const gnuSection = indent(i) === 0 ? GNU_SECTION.exec(line) : null;
    if (gnuSection) {
      blocks.push({ kind: 'heading', level: GNU_LEVEL, text: headingText(gnuSection[1].trim()), line: i });
      i++;
      continue;
    }
    // "Security Fixes:" over a list, in reStructuredText too (plain text reads it in textHeading).
    const label = mode === 'rst' && indent(i) === 0 ? sectionLabel(line) : null;
    if (label) {
      let j = i + 1;
      while (blank(j) && j < lines.length) j++;
      // Over paragraphs, only a label worth watching heads them: "Upgrade notes:" and the procedure after it.
      if (j < lines.length && (bulletRe.test(lines[j]) || PROSE_ROLES.has(headingRole(label)?.role ?? ''))) {
        blocks.push({ kind: 'heading', level: GNU_LEVEL, text: headingText(label), line: i });
        i++;
        continue;
      }
      // Any other label ends the one before it; it stays a note of its own.
      blocks.push({ kind: 'pop', level: GNU_LEVEL });
    }
    const starSection = mode === 'text' ? STAR_SECTION.exec(line) : null;
    if (starSection) {
      blocks.push({ kind: 'heading', level: GNU_LEVEL, text: headingText(starSection[1].trim()), line: i });
      i++;
      continue;
    }
    if (mode === 'text' && indent(i) === 0) {
      const heading = textHeading(line);
      if (heading) {
        blocks.push({ kind: 'heading', level: heading.level, text: headingText(heading.text), line: i });
        i++;
        continue;
      }
    }
    const start = i;
    const base = indent(i);
    const directive = DIRECTIVE.exec(line.trim());
    // Sphinx's changelog extension (SQLAlchemy, Alembic): `.. changelog::` with a `:version:` field
    // is a release; each `.. change::` in it is an item, under the category its `:tags:` name.
    if (mode === 'rst' && directive && (directive[1] === 'changelog' || directive[1] === 'change')) {
      const fields = new Map<string, string>();
      for (i++; i < lines.length && !blank(i) && indent(i) > base; i++) {
        const field = FIELD.exec(lines[i].trim());
        if (!field) break;
        fields.set(field[1].toLowerCase(), (field[2] ?? '').trim());
      }
      if (directive[1] === 'changelog') {
        const version = fields.get('version');
        // `:version:` and its date make the heading (`1.13.2 (June 26, 2024)`); the changes follow.
        // The date alone: `:released:` may say more ("March 28, 2025 (yanked)").
        const date = extractDate(fields.get('released') ?? '');
        if (version) blocks.push({ kind: 'heading', level: 1, text: headingText(date ? `${version} (${date})` : version), line: start });
        continue;
      }
      const category = changeCategory(fields.get('tags') ?? '');
      if (category) blocks.push({ kind: 'heading', level: GNU_LEVEL + 1, text: category, line: start });
      while (i < lines.length && blank(i)) i++;
      const body = i;
      for (; i < lines.length && (blank(i) || indent(i) > base); i++);
      let end = i;
      while (end > body && blank(end - 1)) end--;
      if (end > body) blocks.push({ kind: 'item', start: body, end });
      continue;
    }
    if (directive || COMMENT_OR_TARGET.test(line.trim())) {
      // A directive or comment runs until the next line indented no deeper than it.
      for (i++; i < lines.length && (blank(i) || indent(i) > base); i++);
      if (directive) blocks.push({ kind: 'item', start, end: i, callout: calloutFor(directive[1]) });
      continue;
    }
    // A line block lists one entry per line (pgAdmin's "| Issue #123 - ..."): each line is an item,
    // with the lines indented under it that continue it.
    if (mode === 'rst' && LINE_BLOCK_LINE.test(line)) {
      for (i++; i < lines.length && !blank(i) && indent(i) > base && !LINE_BLOCK_START.test(lines[i]); i++);
      blocks.push({ kind: 'item', start, end: i });
      continue;
    }
    if (bulletRe.test(line)) {
      const stars = /^\*+/.exec(line)?.[0].length ?? 0;
      for (i++; i < lines.length; i++) {
        // Wikitext nests with more stars at the same indent: `* item` then `** detail`.
        if (stars && indent(i) === base && (/^\*+/.exec(lines[i])?.[0].length ?? 0) > stars && !GNU_SECTION.test(lines[i])) continue;
        if (blank(i)) {
          // A blank line continues the bullet only if an indented line follows.
          let j = i;
          while (blank(j) && j < lines.length) j++;
          if (j >= lines.length || indent(j) <= base) break;
          i = j;
        }
        if (indent(i) <= base && !blank(i)) break;
      }
      blocks.push({ kind: 'item', start, end: i, callout: leadingCallout(line.slice(base)) });
      continue;
    }
    // Paragraph (or indented literal block): until a blank line, a bullet at its indent or deeper
    // (a list right under a line of text is a list of its own), or a title.
    for (i++; i < lines.length && !blank(i); i++) {
      if (bulletRe.test(lines[i])) break;
      if (i + 1 < lines.length && !ADORNMENT.test(lines[i]) && adorns(i + 1, i)) break;
      if (mode === 'text' && indent(i) === 0 && textHeading(lines[i])) break;
      if (indent(i) === 0 && BANNER_TITLE.test(lines[i])) break;
    }
    // `*April 6, 2021*` or a one-line italic description right under a title: no note.
    if (mode === 'rst' && lines[i - 1].trimEnd().endsWith('::')) {
      // `Run this::` (or a bare `::`) then an indented literal block: the code belongs to the paragraph,
      // whatever it holds (`- item` lines, `#` comments, blank lines between).
      for (let j = i; j < lines.length; ) {
        while (j < lines.length && blank(j)) j++;
        if (j >= lines.length || indent(j) <= base) break;
        while (j < lines.length && (blank(j) || indent(j) > base)) j++;
        i = j;
      }
      while (i > start && blank(i - 1)) i--;
    }
    const above = blocks[blocks.length - 1];
    const caption = above?.kind === 'heading' && i - start <= 4 && sectionCaption(lines.slice(start, i).join('\n'), !!parseVersionHeading(above.text));
    blocks.push(caption ? { kind: 'item', start, end: i, caption } : { kind: 'item', start, end: i, callout: leadingCallout(line) });
  }
  return blocks;
}

/**
 * Plain-text headings: wikitext titles (level = number of `=`), other lines that read as a version
 * heading (level 1), GNU `** Section` lines and short `Section:` lines.
 */
function textHeading(line: string): { level: number; text: string } | null {
  if (line.length > 300) return null;
  const wiki = WIKI_TITLE.exec(line);
  if (wiki) return { level: wiki[1].length, text: trimClosingMarks(wiki[2]).trim() };
  const stripped = trimClosingMarks(line.replace(/^\s*(?:\*\s+|#+\s*)/, '')).trim();
  if (stripped && parseVersionHeading(stripped.replace(/:$/, ''), { titled: false })) return { level: 1, text: stripped.replace(/:$/, '') };
  const gnu = GNU_SECTION.exec(line);
  if (gnu) return { level: GNU_LEVEL, text: gnu[1].trim() };
  const label = sectionLabel(line);
  return label ? { level: GNU_LEVEL, text: label } : null;
}

/** "Bug fixes:", "Incompatible changes:": a label of a few words, not a sentence ending in a colon. */
function sectionLabel(line: string): string | null {
  const label = SECTION_LABEL.exec(line);
  return label && label[1].trim().split(/\s+/).length <= 3 ? label[1] : null;
}

/**
 * Drops a closing `==` or `##` run and the blanks around it (`= Version 1.2 =`). A loop from the
 * end: `/\s*[=#]+\s*$/` retries from every blank or `=` of a long run that ends in anything else.
 */
function trimClosingMarks(line: string): string {
  let end = line.length;
  while (end > 0 && /\s/.test(line[end - 1])) end--;
  let marks = end;
  while (marks > 0 && (line[marks - 1] === '=' || line[marks - 1] === '#')) marks--;
  if (marks === end) return line;
  while (marks > 0 && /\s/.test(line[marks - 1])) marks--;
  return line.slice(0, marks);
}

/** The section a `.. change::` stands in, from the first of its `:tags:` that names a category. */
function changeCategory(tags: string): string | undefined {
  for (const tag of tags.toLowerCase().split(/[\s,]+/)) if (Object.prototype.hasOwnProperty.call(CHANGE_CATEGORIES, tag)) return CHANGE_CATEGORIES[tag];
  return undefined;
}
