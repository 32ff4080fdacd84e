/**
 * Rows of release notes that are no notes: the engine table a release repeats (Rocket.Chat's
 * "### Engine versions" with "- Node: `12.16.1`"), contributor lists ("### Contributors 😍",
 * "New Contributors", entries of "Name @handle"), thank-you lines ("Thanks to @alice and @bob!") and
 * a release's tally of its changes ("2019-09-27 · 1 ⚠️ · 13 🎉"), a link to its commits ("Full
 * Changelog: <url>", "View commits") and a bare link. The panel, Copy as
 * Markdown and plans leave them out; the parser keeps them (the engine table is read for the
 * engine change, and the labelled corpus names items as the parser finds them).
 *
 * A row that carries a risk is always a note: a dropped database version in the engine table is
 * what the operator must see. Every test here is a linear scan.
 */
import { isEngineEntry } from './engines';
import type { Risk } from './model';

export interface RowLike {
  text: string;
  heading: readonly string[];
  risks: readonly Risk[];
}

// Headings of contributor sections, once emoji and punctuation are gone.
const CONTRIBUTOR_HEADING = /^(?:(?:new|our|the|all|top|first[- ]time)\s+)?(?:contributors?|contributions|core\s+team|thanks|thank\s+you|acknowledge?ments?|credits|sponsors|backers|brought\s+to\s+you\s+by)$/i;
const ENGINE_TABLE_HEADING = /\bengines?\b/i;
const THANKS = /^(?:(?:a|many|big|special|huge|a\s+big|a\s+huge|a\s+special)\s+)?(?:thanks|thank\s+you|kudos|shout-?outs?)\b/i;
const MENTION = /(?:^|[\s(,[])@[A-Za-z0-9][\w.-]*/;
// A contributors list without a heading of its own: "Amir Karimi @AMK9978", one person per entry.
const NAME_AND_MENTION = /^(?:\p{L}[\p{L}'.-]{0,30}\s+){1,3}@[A-Za-z0-9][\w.-]{0,38}$/u;
// A link to the release's commits: "**Full Changelog**: <url>", AsciiDoc's "<url>[View commits]".
const COMPARE_LINK = /^(?:(?:full|complete|detailed)\s+)?(?:changelog|change\s*log|list\s+of\s+changes|commits?|diff|compare|comparison)\W{0,3}$|^(?:view|see|all|compare)\s+(?:the\s+|all\s+)?(?:commits?|changes|diff)\W{0,3}$/i;
const FIRST_CONTRIBUTION = /^@[A-Za-z0-9][\w.-]*(?:\[bot\])?\s+made\s+(?:their|his|her|a)\s+first\s+contribution\b/i;

/** Whether rows under this heading are left out as a contributor list or, when rows read so, an engine table. */
export function isNoiseHeading(heading: string): boolean {
  return CONTRIBUTOR_HEADING.test(headingWords(heading)) || ENGINE_TABLE_HEADING.test(heading);
}

/** Whether a row of a version's notes is a note to show (see the module comment). */
export function isNote(row: RowLike): boolean {
  if (row.risks.length) return true;
  if (row.heading.some((h) => CONTRIBUTOR_HEADING.test(headingWords(h)))) return false;
  const innermost = row.heading[row.heading.length - 1];
  if (innermost && ENGINE_TABLE_HEADING.test(innermost) && isEngineEntry(row.text)) return false;
  const plain = plainText(row.text);
  if (plain === '' || END_MARK.test(plain) || editorSettings(row.text, row.heading) || COMPARE_LINK.test(plain) || FIRST_CONTRIBUTION.test(plain) || NAME_AND_MENTION.test(plain) || mentionsOnly(plain) || statsLine(plain)) return false;
  return !(THANKS.test(plain) && MENTION.test(plain));
}

// Editor settings left at the end of a file: a vim modeline (`vim: set ts=8 sw=4 et:`, `# vi: ft=rst`),
// Emacs' `-*- mode: text -*-` and its `Local Variables:` … `End:` block, each line maybe behind a
// comment sign. Every word of a modeline must be an option: prose that names vim ("vim: syntax=on is
// respected") is a note.
const COMMENT_SIGN = /^\s{0,8}(?:#|\/\/|;{1,3}|--|\.\.|%|\*|\/\*|<!--)?\s{0,8}/;
const MODELINE = /^(?:vim?|ex):\s{0,4}(?:set?\s{1,4})?([^\n]{1,400}?)\s{0,4}:?\s{0,4}(?:\*\/|-->)?$/;
const VIM_ASSIGNMENT = /^[a-z]{2,20}=[^\s:=]{1,40}$/;
const VIM_FLAG = /^(?:no)?(?:et|expandtab|ai|autoindent|si|smartindent|cin|cindent|list|wrap|spell|nu|number|ro|readonly|bin|binary|eol|fixeol|fixendofline|paste|ml|modeline|bomb|lbr|linebreak)$/;
// `-*- text -*-`, `-*- mode: outline; coding: utf-8 -*-`.
const EMACS_LINE = /^-\*-\s{0,4}(?:[\w+-]{1,30}|[\w-]{1,30}:\s{0,4}[^;\s]{1,40}(?:;\s{0,4}[\w-]{1,30}:\s{0,4}[^;\s]{1,40}){0,20};?)\s{0,4}-\*-\s{0,4}(?:\*\/|-->)?$/;
const EMACS_BLOCK_START = /^local\s+variables:$/i;
const EMACS_VARIABLE = /^[\w-]{1,40}:\s{0,8}[^\s]{1,60}$/;
const EMACS_BLOCK_END = /^end:$/i;

function vimModeline(line: string): boolean {
  const m = MODELINE.exec(line);
  if (!m) return false;
  const words = m[1].split(/[\s:]+/).filter(Boolean);
  return words.length > 0 && words.length <= 30 && words.every((w) => VIM_ASSIGNMENT.test(w) || VIM_FLAG.test(w));
}

/**
 * Whether every line of the row is an editor's setting (see above). A `Local Variables:` block
 * counts with its `End:`, one value per variable; a plain-text reader may already have made its
 * first line the row's heading.
 */
function editorSettings(text: string, heading: readonly string[]): boolean {
  if (text.length > 2000) return false;
  const lines = text.split('\n').map((l) => l.replace(COMMENT_SIGN, '').trim()).filter(Boolean);
  if (!lines.length) return false;
  let block: 'none' | 'open' | 'closed' = /^local\s+variables$/i.test(heading[heading.length - 1] ?? '') ? 'open' : 'none';
  const underHeading = block === 'open';
  for (const line of lines) {
    if (block !== 'open' && EMACS_BLOCK_START.test(line)) block = 'open';
    else if (block === 'open' && EMACS_BLOCK_END.test(line)) block = 'closed';
    else if (block === 'open' && EMACS_VARIABLE.test(line)) continue;
    else if (!(vimModeline(line) || EMACS_LINE.test(line))) return false;
  }
  // A block left open is settings only where the reader has already read `End:` as a heading of its own.
  return block !== 'open' || underHeading;
}

// A mark that ends the file (`*eof*`, "End of file"), no note.
const END_MARK = /^(?:eof|end\s+of\s+(?:file|document|changelog|changes|release\s+notes))\W{0,3}$/i;

/** A heading's words: emoji, symbols and punctuation dropped ("👩‍💻👨‍💻 Contributors 😍" -> "Contributors"). */
function headingWords(heading: string): string {
  return heading
    .slice(0, 200)
    .replace(/[^\p{L}\p{N}\s'-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The row's text without its bullet, link targets, bare URLs and emphasis: what a reader reads. */
function plainText(text: string): string {
  return text
    .slice(0, 2000)
    .replace(/^\s*(?:[-*+]|\d{1,9}[.)])\s+/, '')
    // A target ends at the first parenthesis or blank, so a run of `](` is one scan.
    .replace(/\]\([^()\s]*\)/g, ']')
    // An AsciiDoc link keeps its text: `https://host/compare/v1...v2[View commits]`.
    .replace(/https?:\/\/[^\s[\]]+/g, ' ')
    .replace(/[[\]*_`]+/g, '')
    .trim();
}

/** Rocket.Chat's tally under a version heading: "2019-09-27 · 1 ⚠️ · 13 🎉 · 22 🐛": a date, then counts with symbols only. */
function statsLine(plain: string): boolean {
  const parts = plain.split('·');
  if (parts.length < 2 || !/^\d{4}-\d{2}-\d{2}$/.test(parts[0].trim())) return false;
  return parts.slice(1).every((p) => /^\s*\d{1,9}(?:\s+[^\p{L}\p{N}\s]+)?\s*$/u.test(p));
}

/** "@alice, @bob and @carol": nothing but mentions (bots too) and the words between them. */
function mentionsOnly(plain: string): boolean {
  const words = plain.split(/[\s,;]+/).filter(Boolean);
  let mentions = 0;
  for (const w of words) {
    if (/^@[A-Za-z0-9][\w.-]*[.!]?$/.test(w)) mentions++;
    else if (!/^(?:and|&|by|from)$/i.test(w)) return false;
  }
  return mentions > 0;
}
