/**
 * Version headings in release notes: `## 1.2.3 - 2020-01-22`, `Django 4.2 release notes`, `pkg@1.2.3`;
 * upgrade-guide headings (`Upgrading to 3.0`); and prose that names the version it is about.
 */
import { DATE_RE_GLOBAL, extractDate } from './dates';
import { parseVersion } from './version';

export interface VersionHeading {
  version: string;
  /** The package named before an `@` (`pg-pool@3.5.0`, `@scope/pkg@1.2.3`). */
  package?: string;
  /** The heading without markup. */
  label: string;
  date: string | null;
  /** A second version after a slash (`1.5.0 (core) / 0.21.0 (libraries)`, `v1.0.0-RC1/v0.67.0`). */
  also?: string;
  /**
   * The other releases a section is for, when its title names several branches' (`Upgrading to
   * v2.16.2, v2.15.4, or v2.14.9`, `0.47.2 and 0.46.3`): the section belongs to each.
   */
  others?: string[];
}

// Words that may precede the version in a heading ("Version 1.2", "Noteworthy changes in release 9.4").
const LEAD_WORDS = new Set([
  'version', 'release', 'rel', 'changes', 'changelog', 'in', 'for', 'of', 'noteworthy', "what's", 'whats',
  'new', 'notes', 'patch', 'hotfix', 'security', 'update', 'v', 'the', 'with',
]);
// Words that make a heading about a version rather than the heading of one ("Drop Node 16.0").
const NOT_A_NAME = new Set([
  'upgrade', 'upgrading', 'upgraded', 'migrate', 'migrating', 'migration', 'update', 'updating', 'updated',
  'drop', 'dropped', 'remove', 'removed', 'add', 'added', 'support', 'supports', 'require', 'requires',
  'required', 'deprecate', 'deprecated', 'fix', 'fixed', 'bump', 'bumped', 'use', 'using', 'to', 'from',
  'before', 'after', 'since', 'until', 'and', 'or', 'on', 'at', 'by', 'is', 'are', 'was', 'were', 'be',
]);
// Words allowed after the version (dates, brackets and quoted codenames are removed first).
const TAIL_WORDS = new Set([
  'unreleased', 'released', 'yanked', 'lts', 'stable', 'latest', 'release', 'notes', 'changes', 'changelog',
  'hotfix', 'security', 'beta', 'alpha', 'final', 'draft', 'upcoming', 'current', 'wip', 'not', 'yet',
  'tbd', 'tba', 'unstable', 'preview', 'on', 'at', 'date', 'in', 'progress', 'development', 'ga',
  // Editions: "1.11.4 Enterprise (2025-06-10)".
  'enterprise', 'ent', 'community', 'oss', 'ce', 'ee', 'edition',
]);
// Linkerd's `## edge-24.2.5` and `## stable-2.14.0`, a tag's `release-1.2.3`.
const CHANNEL_TAG = /^(edge|stable|release|rel|version|lts)[-_](?=[vV]?\d)/i;
/** The version in a heading; the pre-release part as in PRE: a separator or a letter first. */
export const VERSION_IN_HEADING_RE = /(?:^|[\s(@/])((?:[vV]\.?\s?)?\d{1,9}(?:[._]\d{1,9})+(?:\.(?:[Ff]inal|GA|RELEASE|[Cc][Rr]\d{1,9}|[Bb]eta\d{0,9}|[Aa]lpha\d{0,9}|M\d{1,9})|(?:(?:-|_|\.(?=dev|rc|a|b|c|alpha|beta))[0-9A-Za-z]+|[A-Za-z][0-9A-Za-z]*)(?:[-.][0-9A-Za-z]+)*)?(?:\+[0-9A-Za-z.-]+)?)(?=$|[\s),:;\]/|–—-])/;
// A release numbered by one number only, named as a release: Trino's `# Release 440 (8 Mar 2024)`.
// A bare number is no version ("## 2024", "### 1"): the word "Release" or "Version" must lead it.
const NUMBERED_RELEASE = /^(?:release|version)\s(\d{1,6})(?=$|[\s(:,–—-])/i;
// A version heading is a version, a date and a few words: at most 200 characters without markup.
// Longer headings (and lines a plain-text reader asks about) are prose; they are not even stripped.
const MAX_HEADING_SOURCE = 4096;
const MAX_HEADING_LABEL = 200;

/**
 * Removes inline markdown so headings can be matched as plain text. Every pattern stops at the next
 * opener of its own kind (`<`, `[`, `(`), so a run of unclosed ones costs one scan, not one each.
 * Link targets may hold one level of parentheses (`wiki/Foo_(bar)`).
 */
export function stripInlineMarkup(text: string): string {
  return text
    // MkDocs / kramdown attribute lists: `## 3.116.2 (2026-09-01) {: #3.116.2 }`.
    .replace(/\{:?\s{0,4}[#.][^{}\n]{0,200}\}/g, ' ')
    .replace(/<[^<>]*>/g, ' ')
    .replace(/!?\[([^[\]]*)\]\((?:[^()]|\([^()]*\))*\)/g, '$1')
    .replace(/!?\[([^[\]]*)\]\[[^[\]]*\]/g, '$1')
    .replace(/[*`]+|_+/g, (m, at: number, s: string) => (m[0] !== '_' || !isWordChar(s[at - 1]) || !isWordChar(s[at + m.length]) ? '' : m))
    .replace(/\s+/g, ' ')
    .trim();
}

/** `\w` for one character (undefined past either end of the text). */
function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /\w/.test(c);
}

/** `text` without the trailing characters in `chars`; a loop where `/[...]+$/` would retry every start. */
function trimEndOf(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1])) end--;
  return text.slice(0, end);
}

/**
 * Recognises a version heading: `1.2.3`, `v1.2.3 - 2020-01-22`, `[1.2.3] - 2020-01-22`,
 * `[1.2.3](compare-url) (2020-01-22)`, `Version 1.2.3`, `v1.2.3 (January 22, 2020)`,
 * `Django 4.2 release notes`, `1.2.3 [Unreleased]`, `pkg@1.2.3`, and, unless `titled` is false,
 * `v1.01: Title`. Headings that merely mention a version ("Upgrading to 2.0", "Node 18.0 support")
 * are rejected.
 */
const SERIES_RELEASE = /^\s{0,3}\(\s{0,3}v?(\d{1,6}(?:\.\d{1,6}){1,3})\b(?![.-]\d)/;

export function parseVersionHeading(raw: string, options: { titled?: boolean } = {}): VersionHeading | null {
  if (raw.length > MAX_HEADING_SOURCE) return null;
  const label = stripInlineMarkup(raw);
  if (!label || label.length > MAX_HEADING_LABEL) return null;
  // Keep a Changelog brackets the version: `[1.2.3] - 2020-01-22`. A release channel or word joined
  // to it as in a tag (`edge-24.2.5`, `stable-2.14.0`, `release-1.2.3`) stands before it as a word.
  const text = label.replace(/^\[([^\]]+)\]/, '$1').replace(CHANNEL_TAG, '$1 ');
  const m = VERSION_IN_HEADING_RE.exec(text) ?? NUMBERED_RELEASE.exec(text);
  if (!m) return null;
  const start = m.index + m[0].length - m[1].length;
  const token = m[1].replace(/^[vV]\.?\s?/, '');
  let lead = text.slice(0, start).trim();
  let pkg: string | undefined;
  // `pkg@1.2.3`, `@scope/pkg@1.2.3`: the name is the run of name characters before the last `@`.
  if (lead.endsWith('@')) {
    let at = lead.length - 1;
    while (at > 0 && /[\w./-]/.test(lead[at - 1])) at--;
    if (at < lead.length - 1) {
      if (at > 0 && lead[at - 1] === '@') at--;
      pkg = lead.slice(at, -1);
      lead = lead.slice(0, at).trim();
    }
  }
  if (!leadOk(lead)) return null;
  let tail = text.slice(start + m[1].length);
  // A pre-release named apart from the number: "Redis Community Edition 7.4 RC2", "2.0 Beta 1".
  const apart = /^\s{1,3}(rc|beta|alpha)\s?(\d{1,4})\b/i.exec(tail);
  // "Changes in Version 4.3 (4.3.2)": the series, then the release that opened it, in brackets.
  const release = !apart ? SERIES_RELEASE.exec(tail) : null;
  const number = padNumber(release && release[1].startsWith(`${token}.`) && token.split(".").length < 3 ? release[1] : token);
  const version = apart && !/[a-z-]/i.test(token) ? parseVersion(`${number}-${apart[1].toLowerCase()}.${apart[2]}`) : parseVersion(number);
  if (!version) return null;
  if (apart) tail = tail.slice(apart[0].length);
  // A title after the version only on a real heading: a plain-text line or a bold one may be a note.
  if (!tailOk(tail) && !(options.titled !== false && startsWithVersion(lead) && TITLE_AFTER.test(tail))) return null;
  const heading: VersionHeading = { version: version.canonical, label, date: extractDate(tail) ?? extractDate(lead) };
  if (pkg) heading.package = pkg;
  const also = secondVersion(tail);
  if (also && also !== heading.version) heading.also = also;
  return heading;
}

/**
 * What may come before the version: lead words ("Version", "Changes with"), a date
 * ("2013-03-19 v2.2.4") and a product name of one to three words ("Django 4.2", "Zulip Server 8.5",
 * "Changes with nginx 1.19.6"). A name word is capitalized, or follows a lead word.
 */
function leadOk(lead: string): boolean {
  if (!lead) return true;
  const cleaned = trimEndOf(lead, ':-–—#').replace(DATE_RE_GLOBAL, ' ').trim();
  // A patch release's section of a minor release's page: "Fixed in 2022.7.2", "Changed in 4.1.3".
  if (FIXED_IN.test(cleaned)) return true;
  // Separators between a date and the name ("2019-10-17  -  PgBouncer 1.12.0") are no words.
  const raw = cleaned.split(/\s+/).filter((w) => w && !/^[-–—|·:/]+$/.test(w));
  if (raw.length === 0) return true;
  if (raw.length > 5) return false;
  let names = 0;
  let previous: 'lead' | 'name' | undefined;
  for (const word of raw) {
    const w = word.toLowerCase();
    if (LEAD_WORDS.has(w)) {
      previous = 'lead';
      continue;
    }
    if (!/^[a-z][\w.+'-]*$/.test(w) || NOT_A_NAME.has(w)) return false;
    // The name is one run of at most three words.
    if (++names > 3 || (names > 1 && previous !== 'name')) return false;
    const capitalized = /^[A-Z]/.test(word) || /[A-Z]/.test(word.slice(1));
    // "Zulip Server 8.5", "Redis Community Edition 7.4.1": the words after the first are capitalized.
    if (names > 1 && !capitalized) return false;
    previous = 'name';
  }
  // A two-word name stands right before the version ("Zulip Server 8.5"); followed by lead words it
  // is a topic ("Action API changes in 1.39").
  return names < 2 || previous === 'name';
}

// A release's title after the version and a colon or a dash: `## v1.01: Stability and packaging`.
const TITLE_AFTER = /^\s{0,3}(?::|\s[-–—])\s{1,3}[\p{L}"“'(]/u;

/** Only lead words before the version ("v", "Version", "Release"): the heading starts with it. */
function startsWithVersion(lead: string): boolean {
  return lead.split(/\s+/).every((w) => !w || LEAD_WORDS.has(w.toLowerCase()));
}

const FIXED_IN = /^(?:fixed|fixes|bug\s?fixes|changed|changes|released|shipped)\s+in$/i;

// After the version (and its parenthesized label), another after a slash: `(core) / 0.21.0`, `/v0.67.0`.
const SECOND_VERSION = /^\s{0,3}\/\s{0,3}v?(\d{1,4}(?:\.\d{1,4}){1,3}(?:-[0-9A-Za-z.]{1,20})?)(?=\s|$)/;

function secondVersion(tail: string): string | undefined {
  const m = SECOND_VERSION.exec(tail.replace(/^\s{0,3}\([^()]{0,60}\)/, ''));
  return m ? parseVersion(m[1])?.canonical : undefined;
}

function tailOk(tail: string): boolean {
  let t = tail
    .replace(/\([^()]*\)|\[[^[\]]*\]|"[^"]*"|“[^“”]*”|'[^']*'/g, ' ')
    // A second version after a slash, for the project's other packages: `1.5.0 (core) / 0.21.0 (libraries)`.
    .replace(SECOND_VERSION, ' ')
    .replace(DATE_RE_GLOBAL, ' ')
    // A time, with its zone's abbreviation if it has one ("12:30 UTC", "10:45:52 IST").
    .replace(/\b\d{1,2}(?::\d{2}){1,2}\b(?:\s{1,3}[A-Za-z]{2,5}\b)?/g, ' ')
    .replace(/[-–—:/|,·.*~=]+/g, ' ')
    .trim()
    .toLowerCase();
  if (!t) return true;
  // A leftover weekday from a long date form ("Tue, 12 Mar 2024").
  t = t.replace(/\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\butc\b|\bgmt\b/g, ' ').trim();
  return t.split(/\s+/).every((w) => !w || TAIL_WORDS.has(w));
}

const UPGRADE_HEADINGS = [
  // "Upgrading to 3.0", "Upgrade from 2.x to 3.0", "UPGRADE FROM 5.4 to 6.0", "From 1.x to 2.0", "Migrating to v2".
  // What comes after "from" is taken a word at a time (`(?:\S+\s+)+?`), never as `.+?\s+`, which
  // tries every split of a run of blanks.
  /^(?:(?:upgrad\w*|migrat\w*|updat\w*)(?:\s+guide)?\s+(?:from\s+(?:\S+\s+)+?)?|from\s+(?:\S+\s+)+?)(?:to|→|->)\s+(?:[A-Za-z][\w.-]*\s+)?(?:version\s+)?(v?\d[\w.+-]*)/i,
  // "Upgrade notes for 3.0", "Migration guide 2.0"
  /^(?:upgrad\w*|migrat\w*|updat\w*)\s+(?:notes?|guide|instructions?)\s+(?:for\s+)?(?:version\s+)?(v?\d[\w.+-]*)/i,
  // "3.0 upgrade notes", "v2 migration guide"
  /^(?:version\s+)?(v?\d[\w.+-]*)\s+(?:upgrade|migration|update)\s+(?:notes?|guide|instructions?)\b/i,
  // A bare step of the guide, "4.9.0 to 5.0.0", "4.5.x to 4.6.1"; of several branches at once
  // ("5.1.1 to 5.1.2, 5.0.8 to 5.0.9 and 4.9.8 to 4.9.9"), the first it names.
  /^v?\d{1,9}(?:\.(?:\d{1,9}|x)){1,3}\s+(?:to|→|->)\s+(v?\d{1,9}(?:\.\d{1,9}){1,3}(?:-[\w.]{1,30})?)(?:$|,\s|\s+and\s)/i,
  // Several releases at once, "5.0.12, 5.1.6, 5.2.4 and 5.3.0": the first.
  /^(v?\d{1,9}(?:\.\d{1,9}){1,3})(?:,\s+v?\d{1,9}(?:\.\d{1,9}){1,3}){0,8},?\s+(?:and|&)\s+v?\d{1,9}(?:\.\d{1,9}){1,3}$/i,
];

/**
 * Upgrade guides title their sections by the target version: "Upgrading to 3.0", "From 2.x to 3.0",
 * "3.0 upgrade notes". `3.x` means the series' first release, `3.0.0`.
 */
export function parseUpgradeHeading(raw: string): VersionHeading | null {
  if (raw.length > MAX_HEADING_SOURCE) return null;
  const label = stripInlineMarkup(raw);
  if (!label || label.length > MAX_HEADING_LABEL) return null;
  for (const re of UPGRADE_HEADINGS) {
    const m = re.exec(label);
    const token = m ? trimEndOf(m[1], '.,:;)').replace(/\.x$/i, '.0') : undefined;
    const version = token ? parseVersion(padNumber(token)) : null;
    if (!m || !version) continue;
    const heading: VersionHeading = { version: version.canonical, label, date: extractDate(label) };
    const others = listedAfter(label, m.index + m[0].lastIndexOf(m[1]) + m[1].length).filter((o) => o !== heading.version);
    if (others.length) heading.others = [...new Set(others)];
    return heading;
  }
  return null;
}

// The next release of a list after the first: `, v2.15.4`, `, or v2.14.9`, ` and 4.9.8 to 4.9.9` (the
// step's target). Sticky: each match starts where the one before ended.
const LIST_NEXT = /\s{0,3}(?:,\s{0,3}(?:(?:or|and)\s{1,3})?|\s(?:or|and|&)\s{1,3})(?:v?\d{1,9}(?:\.(?:\d{1,9}|x)){1,3}\s{1,3}(?:to|→|->)\s{1,3})?v?(\d{1,9}(?:\.\d{1,9}){1,3}(?:-[0-9A-Za-z.]{1,30})?)(?![\w.])/y;

/** A bare number (`5`, `v5`, Trino's `440`) as that major's first release (`5.0`); any other token as it is. */
function padNumber(token: string): string {
  return /^v?\d+$/i.test(token) ? `${token}.0` : token;
}

/** The releases a title lists after its first, from `at` on (at most eight). */
function listedAfter(label: string, at: number): string[] {
  const out: string[] = [];
  LIST_NEXT.lastIndex = at;
  for (let m = LIST_NEXT.exec(label); m && out.length < 8; m = LIST_NEXT.exec(label)) {
    const v = parseVersion(m[1]);
    if (v) out.push(v.canonical);
  }
  return out;
}

// Prose that says which version it is about: "when upgrading to 2.5", "migrating from 1.x to v2",
// "in version 2.5", "as of release 3.1", "starting with 4.0". "version 12" after a capitalized name
// ("PostgreSQL version 12") is another product's. Every word skip is bounded, so a start position
// costs a constant amount of work.
const PROSE_VERSION = String.raw`(v?\d{1,9}(?:\.\d{1,9}){1,3}(?:\.[xX])?|v?\d{1,9}\.[xX]|v\d{1,9})(?![\w.]*\d)`;
const PROSE_TARGETS = [
  new RegExp(String.raw`\b(?:upgrad|updat|migrat)\w{0,6}\s+(?:\S{1,40}\s+){0,5}?(?:to|→|->)\s+(?:version\s+|release\s+)?${PROSE_VERSION}`, 'i'),
  new RegExp(String.raw`(?:^|[^\w-])(?:(?:in|since|as\s+of|after|with|from)\s+(?:version|release|v(?=\d))\s*|(?:starting|beginning)\s+(?:with|from|in)\s+(?:version\s+|release\s+)?)${PROSE_VERSION}`, 'i'),
];
// Prose longer than this is read only as far as this.
const MAX_PROSE = 2000;

/**
 * The version a sentence of an upgrade guide is about, when it says so ("If you are upgrading to 2.5,
 * run ..."): the first such statement wins. `2.x` means `2.0.0`.
 */
export function versionNamedIn(text: string): string | null {
  const plain = stripInlineMarkup(text.length > MAX_PROSE ? text.slice(0, MAX_PROSE) : text);
  let best: { at: number; version: string } | null = null;
  for (const re of PROSE_TARGETS) {
    const m = re.exec(plain);
    if (!m || (best && m.index >= best.at)) continue;
    const version = parseVersion(padNumber(m[1].replace(/\.[xX]$/, '.0').replace(/^v/i, '')));
    if (version) best = { at: m.index, version: version.canonical };
  }
  return best?.version ?? null;
}
