/**
 * An item's text as the highlighter reads it: one line per soft-wrapped paragraph, with what carries
 * keywords but no meaning for an operator taken out — link targets, bare URLs, issue and pull
 * request references, commit hashes, author credits — and phrases that look like risk words but
 * are not (`package-lock.json`, `z-index`, `DeprecationWarning`, `dropdown`).
 *
 * Every pattern here is linear: no nested or adjacent ambiguous quantifiers, bounded gaps only.
 */

// Soft-wrapped lines join into one; bullets and blank lines still start a new line.
const SOFT_BREAK = /\n(?![ \t]*(?:[-*+]\s|\d{1,9}[.)]\s|\n|$))[ \t]*/g;
const LINK_TARGET = /\]\([^()\s]{0,2000}(?:\s+"[^"\n]{0,500}")?\)/g;
// A reStructuredText hyperlink reference keeps its text: `Issue #123 <https://...>`_ -> Issue #123.
const RST_LINK = /`([^`<\n]{0,300}?)\s{0,5}<[^<>`\n]{0,2000}>`_{1,2}/g;
// What leads a line-block entry or a tracker-first entry once its reference is gone: "| Issue - Fixed".
const REFERENCE_LEAD = /^(\s{0,8}(?:[-*+|]\s{1,4})?)(?:issue|ticket|pr|pull\s+request)\s{0,3}[-–—:]\s{0,3}/i;
const BARE_URL = /<?\bhttps?:\/\/[^\s)>\]]{1,2000}>?/g;
// `#1234`, `GH-12`, `(#1234)`, `[#1234]`, `!123` (GitLab merge requests).
const ISSUE_REF = /(?:\bgh-|(?<![\w&])[#!])\d{1,9}\b/gi;
// A commit hash in parentheses or brackets: `(a1b2c3d)`, `[a1b2c3d4]`, `[`a1b2c3d`]`.
const COMMIT = /[([]\s{0,2}`?[0-9a-f]{7,40}`?\s{0,2}[)\]]/g;
// What the references leave behind: `( )`, `[ ]`, `([ ] )` ("([#123](url) by [@user](url)) Fixes ...").
const EMPTY_BRACKETS = /\(\s{0,20}(?:\[\s{0,20}\]\s{0,20}){0,4}\)|\[\s{0,20}\]/g;
// What the removals leave: runs of spaces, so that "- [`abc1234`] - Adds" starts as "- - Adds".
const SPACES = /[ \t]{2,}/g;
// "by @user", "(@user)", "thanks @user", "Thanks to Jane Doe." at the end.
const CREDIT = /\b(?:by|thanks(?:\s+to)?|from|reported\s+by|contributed\s+by)\s+\[?@[\w-]{1,39}\]?!?|\(@[\w-]{1,39}\)|@[\w-]{1,39}(?=\s*(?:[,)]|$))/gi;

// Class names: `DeprecationWarning`, `MigrationError`, `LockTimeoutException`.
const CLASS_NAMES = /\b[A-Z]\w{0,60}(?:Error|Exception|Warning)\b/g;
const TRAPS = new RegExp(
  [
    String.raw`\bjson[\s-]?schema\w{0,20}`,
    String.raw`\bz-index\b`,
    String.raw`\bindex\.(?:html?|js|ts|tsx|jsx|md|php|vue)\b`,
    String.raw`\bindex\s+(?:pages?|files?|routes?|views?|templates?|cards?)\b`,
    String.raw`\bsearch[\s-]index\w{0,10}`,
    String.raw`\b(?:package|pnpm|npm-shrinkwrap)-lock(?:\.json|\.yaml)?\b`,
    String.raw`\b(?:yarn|gemfile|poetry|composer|cargo|pipfile|flake|bun|mix|go\.sum|podfile|uv|pdm)\.lock\b`,
    String.raw`\block[\s-]?files?\b`,
    String.raw`\bdrop[\s-]?downs?\b`,
    String.raw`\bdropbox\b`,
    String.raw`\bdropzone\b`,
    String.raw`\bdrag[\s-]and[\s-]drop\b`,
    String.raw`\bnon[\s-]breaking\s+spaces?\b`,
    String.raw`\b(?:screen|scroll|caps|num)[\s-]?lock\b`,
    String.raw`\block[\s-]?screen\b`,
    String.raw`\bgraphql\s+schema\b`,
    String.raw`\bschema\.graphql\b`,
    String.raw`\bline[\s-]breaks?\b`,
    String.raw`\bbreak(?:s|ing)?\s+(?:lines?|words?|the\s+loop|points?)\b`,
    String.raw`\bbreakpoints?\b`,
  ].join('|'),
  'gi',
);

/**
 * Past this size an item is read by its head and its tail only: a multi-megabyte item costs every
 * rule a full scan, and what it says of itself is said at its start or its end.
 */
export const MAX_CLASSIFIED_CHARS = 64 * 1024;

export interface ReadableText {
  /** Lower-cased, cleaned, soft breaks joined. */
  lower: string;
  /** The same with case kept, for patterns that look at capitals (`BREAKING`, `DoS`). */
  cased: string;
}

export function readable(raw: string): ReadableText {
  let text = raw.length > MAX_CLASSIFIED_CHARS ? `${raw.slice(0, MAX_CLASSIFIED_CHARS / 2)}\n${raw.slice(-MAX_CLASSIFIED_CHARS / 2)}` : raw;
  if (text.includes('\n')) text = text.replace(SOFT_BREAK, ' ');
  if (text.includes('](')) text = text.replace(LINK_TARGET, ']');
  if (text.includes('>`_')) text = text.replace(RST_LINK, '$1');
  if (text.includes('http')) text = text.replace(BARE_URL, ' ');
  text = text.replace(ISSUE_REF, ' ').replace(COMMIT, ' ').replace(CREDIT, ' ').replace(EMPTY_BRACKETS, ' ').replace(CLASS_NAMES, ' ').replace(TRAPS, ' ').replace(SPACES, ' ').replace(REFERENCE_LEAD, '$1');
  return { lower: text.toLowerCase(), cased: text };
}

/** Heading text as the context rules see it: no markup, emoji, counts or anchors ("Removed (20 changes) {#x}"). */
export function readableHeading(text: string): string {
  return text
    .slice(0, 300)
    .replace(/\{[^{}\n]{0,200}\}/g, ' ')
    .replace(/[*_`#]+/g, '')
    .replace(/\([^()\n]{0,200}\)/g, ' ')
    .replace(/[^\p{L}\p{N}\s'’:,.&/-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}
