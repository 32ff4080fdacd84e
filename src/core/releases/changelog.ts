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
 * "Upgrade notes for 1.39" at the level of the version headings is one too.
 * A version section ends at the next version heading, or at a non-version heading that is shallower,
 * or as shallow as the shallowest version heading with no version heading of that level after it
 * ("## Older releases"); one with version headings after it is a sub-section that sits at the
 * versions' level ("## 2.2.0", "## Change", "## Bugfix", "## 2.1.0").
 *
 * A document of one version (a release body, `changelogs/1.2.3.md`) is that version's notes; when
 * it also has headings for other versions of its family (`v1.26.md` with `## Version 1.26.3`,
 * `## Version 1.26.2`), the headings decide and what comes before them is the family's own.
 */
import type { Block, HeadingBlock } from './blocks';
import { DETAILS_LEVEL, splitLines } from './blocks';
import type { Classifier } from './highlight';
import { classify, explainRisks } from './highlight';
import type { Callout, NoteFormat, NoteItem, ParsedNotes, VersionSection } from './model';
import { adocBlocks } from './adocBlocks';
import { lineBlocks } from './textBlocks';
import { markdownBlocks } from './mdBlocks';
import { familyHeadings, singleVersionHeadings, versionHeadings } from './versionHeadings';
import { canonicalVersion, compareVersions } from './version';
import { extractDate } from './dates';
import { stripInlineMarkup, versionNamedIn } from './headings';
import { headingRole } from './highlight/context';


export interface ParseOptions {
  /** The whole document belongs to this version (a release body, `changelogs/1.2.3.md`). */
  version?: string;
  /** Overrides detection from the file name and content. */
  format?: NoteFormat;
  /** With `explain`, every item also gets the reasons for its risks. */
  classifier?: Pick<Classifier, 'classify'> & Partial<Pick<Classifier, 'explain'>>;
  /** The git ref the text was read at; copied to every item. */
  ref?: string;
  /** Upgrade guides also title sections "Upgrading to 3.0" or "From 2.x to 3.0". */
  upgradeGuide?: boolean;
  /** The kind of document, passed to the highlighter (every item of an upgrade guide is a step). */
  kind?: 'changelog' | 'version-file' | 'upgrade' | 'release';
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
  if (format === 'markdown') return markdownBlocks(text, lines);
  if (format === 'asciidoc') return adocBlocks(lines);
  return lineBlocks(lines, format);
}

/** Picks a format from the extension, then from the content for .txt and extension-less files. */
export function detectFormat(file: string, text: string): NoteFormat {
  const ext = /\.([a-z0-9]+)$/i.exec(file.split('/').pop() ?? '')?.[1]?.toLowerCase();
  if (ext === 'md' || ext === 'markdown' || ext === 'mdx' || ext === 'mkd') return 'markdown';
  if (ext === 'rst' || ext === 'rest') return 'rst';
  if (ext === 'adoc' || ext === 'asciidoc' || ext === 'asc') return 'asciidoc';
  const head = text.length > 200_000 ? text.slice(0, 200_000) : text;
  if (/^#{1,6}\s+\S/m.test(head)) return 'markdown';
  if (/^\.\. [\w-]+::/m.test(head) || /^\S.*\n([=~^"'`+#*-])\1{2,}[ \t]*$/m.test(head)) return 'rst';
  return 'text';
}

// ---------------------------------------------------------------------------------------------
// Assembly


function assemble(blocks: Block[], lines: string[], file: string, format: NoteFormat, opts: ParseOptions): ParsedNotes {
  const sections: VersionSection[] = [];
  const judge: Pick<Classifier, 'classify'> & Partial<Pick<Classifier, 'explain'>> = opts.classifier ?? { classify, explain: explainRisks };
  const kind = opts.kind ?? (opts.upgradeGuide ? 'upgrade' : undefined);
  const family = opts.version ? familyHeadings(blocks, opts.version, !!opts.upgradeGuide) : undefined;
  const single = !!opts.version && !family;
  const versionAt = family ?? (opts.version ? singleVersionHeadings(blocks, opts.version) : versionHeadings(blocks, !!opts.upgradeGuide));
  // A loop, not Math.min(...levels): spreading 150,000 headings into arguments overflows the stack.
  let minLevel = Infinity;
  // In a family page, the level of its other versions' headings ("## Fixed in 2022.7.2").
  let otherLevel = Infinity;
  const pageVersion = family ? canonicalVersion(opts.version!) : null;
  for (const v of versionAt.values()) {
    minLevel = Math.min(minLevel, v.block.level);
    if (family && v.version !== pageVersion) otherLevel = Math.min(otherLevel, v.block.level);
  }
  // For each block, whether a version heading at the shallowest level comes after it; and the
  // levels of the version headings after it, one bit each (while versions follow at a section's
  // level, a more prominent heading inside it is one of its parts, as in Redis's notes).
  const laterTopVersion = new Uint8Array(blocks.length + 1);
  const laterVersionLevels = new Int32Array(blocks.length + 1);
  for (let i = blocks.length - 1; i >= 0; i--) {
    const b = blocks[i];
    const v = b.kind === 'heading' ? versionAt.get(b) : undefined;
    laterTopVersion[i] = laterTopVersion[i + 1] || (v && v.block.level === minLevel) ? 1 : 0;
    laterVersionLevels[i] = laterVersionLevels[i + 1] | (v ? 1 << Math.min(v.block.level, 30) : 0);
  }

  // Each heading is stripped of markup once, not once per item under it.
  const plain = new Map<HeadingBlock, string>();
  const plainHeading = (h: HeadingBlock) => {
    let text = plain.get(h);
    if (text === undefined) plain.set(h, (text = stripInlineMarkup(h.text)));
    return text;
  };

  let current: VersionSection | null = null;
  let currentLevel = 0;
  // Upgrade-guide prose under headings that name no version ("Issues to be aware of when upgrading")
  // goes to the version it says it is about: the item's own words ("If you upgrade to 2.5, ..."),
  // else its nearest heading's, else the first paragraph under that heading.
  const guideProse = kind === 'upgrade' && !opts.version;
  const proseSections = new Map<string, VersionSection>();
  const headingVersions = new Map<HeadingBlock, string | null>();
  // The first version a guide has a section for.
  let lowestGuideVersion: string | undefined;
  if (guideProse) for (const v of versionAt.values()) if (!lowestGuideVersion || compareVersions(v.version, lowestGuideVersion) < 0) lowestGuideVersion = v.version;
  // A version named in the past tense and older than the guide's versions is history, not a target.
  const targetIn = (text: string): string | null => {
    const v = versionNamedIn(text);
    if (!v || !lowestGuideVersion || compareVersions(v, lowestGuideVersion) >= 0) return v;
    return versionNamedIn(text.replace(PAST_UPGRADE, 'moved')) === v ? v : null;
  };
  // "Issues to be aware of when upgrading from 15.11": what comes before the guide's first version.
  const headingVersion = (h: HeadingBlock) => {
    const text = plainHeading(h);
    const named = targetIn(text);
    if (named || !lowestGuideVersion) return named;
    const from = UPGRADING_FROM.exec(text);
    const older = from ? canonicalVersion(from[1]) : null;
    return older && compareVersions(older, lowestGuideVersion) < 0 ? lowestGuideVersion : null;
  };
  // Set once a version section has ended: the guide's closing sections go to its first version.
  let afterVersions = false;
  const proseSection = (item: NoteItem): VersionSection | null => {
    const own = targetIn(item.text);
    const nearest = path[path.length - 1];
    // The first paragraph under the nearest heading speaks for the items after it.
    if (nearest && !headingVersions.has(nearest)) headingVersions.set(nearest, headingVersion(nearest));
    if (own && nearest && itemsUnderHeading === 0 && !/^\s*(?:[-*+]|\d+[.)])\s/.test(item.text) && !headingVersions.get(nearest)) {
      headingVersions.set(nearest, own);
    }
    let version = own;
    for (let i = path.length - 1; !version && i >= 0; i--) {
      const h = path[i];
      if (!headingVersions.has(h)) headingVersions.set(h, headingVersion(h));
      version = headingVersions.get(h) ?? null;
    }
    if (afterVersions) version ??= lowestGuideVersion ?? null;
    if (!version) return null;
    let section = proseSections.get(version);
    if (!section) {
      const label = path.length ? plainHeading(path[path.length - 1]) : version;
      section = { version, label, date: null, file, line: item.line, items: [] };
      proseSections.set(version, section);
      sections.push(section);
    }
    return section;
  };
  let path: HeadingBlock[] = [];
  let itemsUnderHeading = 0;
  // Sections whose heading names other releases too.
  const namedToo = new Map<VersionSection, string[]>();
  // Levels of headings found to be parts of a version although more prominent than it (one bit each).
  let partLevels = 0;
  let ownSection: VersionSection | null = null;
  if (opts.version) {
    const own = canonicalVersion(opts.version) ?? opts.version;
    current = ownSection = { version: own, label: opts.version, date: null, file, line: 1, items: [] };
    sections.push(current);
  }

  for (let index = 0; index < blocks.length; index++) {
    const block = blocks[index];
    if (block.kind === 'heading') {
      let v = versionAt.get(block);
      // "=== Breaking changes in 1.39 ===" under "== MediaWiki 1.39.0 ==": a sub-section of that version.
      if (v && !single && current && v.version === current.version && block.level > currentLevel && v.package === current.package) v = undefined;
      if (v) {
        if (single) {
          // The document's own title.
          current!.date ??= v.date;
          continue;
        }
        if (family && current && current.items.length === 0 && current.version === v.version && !v.package) {
          // The family's own heading right at the top (`# 1.26`, then `## 1.26.0`): one section.
          current.date ??= v.date;
          currentLevel = block.level;
          continue;
        }
        current = { version: v.version, label: v.label, date: v.date, file, line: block.line + 1, items: [] };
        if (v.package) current.package = v.package;
        if (v.also) current.also = v.also;
        if (v.others) namedToo.set(current, v.others);
        currentLevel = block.level;
        path = [];
        itemsUnderHeading = 0;
        sections.push(current);
        continue;
      }
      const versionsFollowHere = (laterVersionLevels[index] & (1 << Math.min(currentLevel, 30))) !== 0;
      const levelBit = 1 << Math.min(block.level, 30);
      // Such a part's level is the document's way of marking parts: in the last version too.
      if (block.level < currentLevel && versionsFollowHere) partLevels |= levelBit;
      const ends =
        (block.level < currentLevel && !versionsFollowHere && !(partLevels & levelBit)) ||
        (block.level === currentLevel && block.level === minLevel && !laterTopVersion[index]);
      if (family && ownSection && current !== ownSection && block.level !== DETAILS_LEVEL && block.level <= otherLevel) {
        // A page of a minor release ("## Fixed in 2022.7.2", then "## Upgrading"): a section at the
        // level of the patch headings that names no version is the page's own again.
        current = ownSection;
        currentLevel = 0;
        path = [];
      } else if (!single && current && block.level !== DETAILS_LEVEL && ends && !partOfARelease(plainHeading(block))) {
        current = null;
        afterVersions = true;
        // Upgrade-guide prose after the versions goes by this heading, not by the last version's.
        path = [block];
        itemsUnderHeading = 0;
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
    if (!current && !guideProse) continue;
    if (block.caption) {
      // The release's date, when the caption under its heading gives one; never an item.
      if (current && !current.date && current.items.length === 0) {
        const caption = lines.slice(block.start, block.end).join(' ');
        // A caption that is only a date may write it any way a date is written (`Release date: 18.10.2024`).
        current.date = leadingDate(caption) ?? extractDate(caption);
      }
      continue;
    }
    const item = makeItem(block.start, block.end, lines, file, path.map(plainHeading), block.callout, opts.ref);
    if (!item) continue;
    const section = current ?? proseSection(item);
    if (!section) continue;
    const input = kind ? { ...item, kind } : item;
    if (judge.explain) {
      const { risks, reasons } = judge.explain(input);
      item.risks = risks;
      if (reasons.length) item.reasons = reasons;
    } else {
      item.risks = judge.classify(input);
    }
    section.items.push(item);
    itemsUnderHeading++;
  }

  for (const section of sections) {
    if (!section.date && section.items.length) section.date = leadingDate(section.items[0].text);
  }
  // A section for several releases at once is each one's: a copy per other release, the same notes.
  for (const [section, others] of namedToo) {
    for (const version of others) {
      if (sections.some((s) => s.version === version && s.copyOf === section.version)) continue;
      sections.push({ ...section, version, copyOf: section.version });
    }
  }
  return { format, sections, problems: [] };
}

// "upgraded", "updated", "migrated": replaced by a verb no target is read from.
const PAST_UPGRADE = /\b(?:upgrad|updat|migrat)ed\b/gi;
const UPGRADING_FROM = /\bupgrad\w{0,4}\s+from\s+(?:version\s+|release\s+)?v?(\d{1,9}(?:\.\d{1,9}){0,2})\b/i;

// Sections every release has ("Security fixes", "Bug fixes", "New features"): such a heading is a
// part of the version above it even when it is marked up like a version heading or more prominently
// (Redis's `00-RELEASENOTES` underlines both with `=`, and overlines only some versions).
const RELEASE_PARTS = new Set(['fixes', 'features', 'security', 'breaking', 'deprecation', 'removal', 'changed']);

function partOfARelease(heading: string): boolean {
  const role = headingRole(heading);
  return !!role && RELEASE_PARTS.has(role.role);
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

/** Rocket.Chat puts the date in the first line under the heading: "`2020-06-30 · 18 🎉 ...`". */
function leadingDate(text: string): string | null {
  if (/^\s*(?:[-*+]|\d+[.)])\s/.test(text)) return null;
  // The date opens the line: its first 1,000 characters are enough, however long the line is.
  const plain = stripInlineMarkup(text.slice(0, 1000).split('\n', 1)[0]).replace(/^(?:released|release\s+date|date|published)\b\s*(?:(?:on|at)\b)?[:\s]*/i, '');
  const date = extractDate(plain.slice(0, 40));
  return date && /^\W{0,3}(?:\d{4}|[A-Za-z]{3,9}\.?\s+\d|\d{1,2}\s+[A-Za-z])/.test(plain) ? date : null;
}
