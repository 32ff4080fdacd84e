/**
 * The highlighter: which risks a release-note item carries, and why.
 *
 * 1. Structure: the role of the nearest heading that has one (context.ts), the kind of document
 *    (every item of an upgrade guide is an upgrade step unless it is trivial) and admonitions.
 * 2. Vocabulary: the rules in rules.ts (and the user's), on the cleaned text (text.ts).
 *
 * Each risk comes with its reasons: the rule that fired and a sentence for the reader. One scan
 * of the item finds the rules worth running (their hints); the rest are skipped.
 */
import type { Callout, Risk, RiskReason } from '../model';
import { isEngineTableRow } from '../engines';
import { RISKS } from '../model';
import type { SectionRole } from './context';
import { sectionContext } from './context';
import type { HighlightRule } from './rules';
import { DB_ENGINES, NOTHING_TO_DO, RULES } from './rules';
import { readable } from './text';
import type { HeadingRule } from './userRules';

export interface Classifiable {
  text: string;
  heading: readonly string[];
  callout?: Callout;
  /** The document the item comes from: an upgrade guide makes every item an upgrade step. */
  kind?: 'changelog' | 'version-file' | 'upgrade' | 'release';
}

/** For a reader: "says it is a breaking change", "under the heading “Deprecations”". */
export type Reason = RiskReason;

export interface Highlight {
  risks: Risk[];
  reasons: Reason[];
}

export interface Classifier {
  classify(item: Classifiable): Risk[];
  explain(item: Classifiable): Highlight;
}

const ROLE_RISK: Partial<Record<SectionRole, Risk>> = {
  breaking: 'breaking',
  // Keep a Changelog's "Removed": features removed in this release.
  removal: 'breaking',
  deprecation: 'deprecation',
  security: 'security',
  upgrade: 'upgrade_path',
  database: 'db_migration',
};

// A code block, alone or under a short lead-in ("Before:", "Example:") it belongs to.
const CODE_SAMPLE = /^\s{0,3}(?:[^\n`]{1,40}:[ \t]*\n(?:[ \t]*\n){0,3}\s{0,3})?(?:```|~~~)/;
const ALARM_CALLOUTS: ReadonlySet<Callout> = new Set(['warning', 'danger', 'caution', 'important']);
// An item phrased as a fix ("Fixed ...", "Bugfix: ...", "Defect #123: ...") is read as if it sat
// under a fixes heading: the problem it names is gone after the upgrade.
const PHRASED_AS_FIX = /^\W{0,8}(?:\[[^\]\n]{1,40}\]\s{0,3}|[\w-]{1,30}(?:\([^)\n]{0,40}\))?:\s{0,3})?(?:bug\s?fix(?:es|ed)?|fix(?:e[sd]|ing)?|hot\s?fix|defect|bug|regression|resolved?|corrected)\b/;
// Conventional-commit scopes of work that does not reach the operator: docs, types, tests, tooling.
const NOT_FOR_OPERATORS = /^\W{0,8}(?:docs?|types?|typings|tests?|ci|chore|build|style|refactor|lint|typo|examples?|website|deps-dev|dev-deps)(?:\([^)\n]{0,40}\))?!?:/;
const DB_NAMED = new RegExp(String.raw`\b${DB_ENGINES}\b`);
const ENGINE_LIST_ENTRY = /^\W{0,4}[a-z][\w .+/-]{0,40}:\s{0,3}\W{0,3}(?:[<>=^~≥]{0,2}\s?v?\d)/;
// "Django 4.2 supports Python 3.8 to 3.12": what still works is no new floor.
const STILL_SUPPORTED = /\b(?:supports?|is\s+compatible|are\s+compatible|works\s+with|tested\s+(?:with|on|against)|recommend\w*)\b/;
const HAS_VERSION = /\bv?\d{1,4}\.(?:\d{1,4}|x)\b|\b(?:version|v)\s?\d{1,4}\b/;
// Nothing to act on: a table-of-contents entry, a pointer elsewhere, a bare label.
const POINTER = /^\W{0,6}(?:(?:also\s+)?see|for\s+(?:more\s+)?(?:details|information)(?:,\s*|\s+)(?:see|read))\s+(?:also\s+)?(?:<<[^>\n]{0,200}>>|\[[^\]\n]{0,200}\](?:\([^)\n]{0,500}\))?)(?:\s{1,3}for\s+(?:more\s+)?(?:details|information))?\W{0,3}$/;
const TRIVIAL = /^\W{0,6}(?:\[[^\]\n]{0,200}\]\W{0,6}){1,30}$|^(?:\W{0,6}(?:closes|fixes|resolves|refs?)\b){1,20}\W{0,6}$|^\W{0,6}(?:for\s+(?:more\s+)?(?:details|information)|(?:also\s+)?see\s+(?:also|the|our|<<)|read\s+more|likelihood\s+of\s+impact|before:?|after:?)\b(?:[^.\n]|\.(?=\w)){0,120}\W{0,3}$/;

function wordCount(text: string): number {
  let n = 0;
  for (const _ of text.matchAll(/\p{L}{2,}/gu)) if (++n > 3) break;
  return n;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface HighlighterOptions {
  /** The built-in rules by default. */
  rules?: readonly HighlightRule[];
  /** The user's rules: on the item's text, and on each heading above it. */
  user?: { text: readonly HighlightRule[]; heading: readonly HeadingRule[] };
}

/** Precompiles a rule set. */
export function createHighlighter(opts: HighlighterOptions = {}): Classifier {
  const all = [...(opts.rules ?? RULES), ...(opts.user?.text ?? [])];
  const headingRules = opts.user?.heading ?? [];
  // One alternation of every hint, longest first; a found fragment also stands for the fragments
  // inside it ("longer" holds "long"), since the alternation reports the longest at a position.
  const hints = [...new Set(all.flatMap((r) => r.hints ?? []))].sort((a, b) => b.length - a.length);
  const hintRe = hints.length ? new RegExp(hints.map(escapeRegExp).join('|'), 'g') : undefined;
  const enables = new Map<string, number[]>();
  for (const found of hints) {
    const inside = hints.filter((h) => found.includes(h));
    enables.set(found, all.flatMap((r, i) => (r.hints?.some((h) => inside.includes(h)) ? [i] : [])));
  }
  const always = all.flatMap((r, i) => (r.hints ? [] : [i]));
  const candidate = new Uint8Array(all.length);

  function explain(item: Classifiable): Highlight {
    const reasons: Reason[] = [];
    const add = (risk: Risk, source: string, why: string) => reasons.push({ risk, source, why });
    const { lower, cased } = readable(item.text);
    const nothing = NOTHING_TO_DO.test(lower);
    // "Also see <<breaking-changes-8.10,Breaking changes in 8.10>>.": a pointer to the changes, not one.
    const pointer = POINTER.test(lower.trim());
    const trivial = nothing || pointer || wordCount(lower) < 1 || TRIVIAL.test(lower.trim()) || markupOnly(item.text);
    const ctx = sectionContext(item.heading);

    if (!trivial) {
      // An upgrade guide's sections are named after components ("Security", "Console"), not risks.
      // A code sample under "Breaking changes" or "Deprecations" shows the change its prose states
      // ("Before:", the code, "Now:", the code); under upgrade notes it may be a command to run.
      const example = CODE_SAMPLE.test(item.text) && ctx.role !== 'upgrade' && item.kind !== 'upgrade';
      const fromHeading = ctx.role && !example && !(item.kind === 'upgrade' && ctx.role === 'security') ? ROLE_RISK[ctx.role] : undefined;
      if (fromHeading) add(fromHeading, 'heading', `under the heading “${ctx.heading}”`);
      // An engine list entry ("- MongoDB: `3.4, 3.6`") is judged against the previous release's
      // list instead (engines.ts): repeated in every release, it is not news in each.
      if (ctx.role === 'requirements' && HAS_VERSION.test(lower) && !ENGINE_LIST_ENTRY.test(lower) && !STILL_SUPPORTED.test(lower)) {
        add(DB_NAMED.test(lower) ? 'db_engine_requirement' : 'requirement', 'heading', `a version under the heading “${ctx.heading}”`);
      }
      if (item.kind === 'upgrade') add('upgrade_path', 'upgrade-guide', 'a step of the upgrade guide');
    }

    candidate.fill(0);
    for (const i of always) candidate[i] = 1;
    if (hintRe) {
      hintRe.lastIndex = 0;
      for (let m = hintRe.exec(lower); m; m = hintRe.exec(lower)) {
        for (const i of enables.get(m[0])!) candidate[i] = 1;
        hintRe.lastIndex = m.index + 1;
      }
    }
    const asFix = PHRASED_AS_FIX.test(lower);
    // A row of an engine table is judged against the table before it (engines.ts), not as a floor.
    const engineRow = isEngineTableRow(item);
    const tooling = NOT_FOR_OPERATORS.test(lower);
    for (let i = 0; i < all.length; i++) {
      if (!candidate[i]) continue;
      const rule = all[i];
      if ((nothing || tooling || pointer) && rule.risk !== 'security') continue;
      if (engineRow && (rule.risk === 'db_engine_requirement' || rule.risk === 'requirement')) continue;
      if (rule.notUnder && ((ctx.role && rule.notUnder.includes(ctx.role)) || (asFix && rule.notUnder.includes('fixes')))) continue;
      const text = rule.cased ? cased : lower;
      rule.pattern.lastIndex = 0;
      if (!rule.pattern.test(text)) continue;
      if (rule.unless) {
        rule.unless.lastIndex = 0;
        if (rule.unless.test(text)) continue;
      }
      add(rule.risk, `rule:${rule.id}`, rule.why);
    }

    for (const rule of headingRules) {
      const heading = item.heading.find((h) => rule.pattern.test(h) && !rule.unless?.test(h));
      if (heading !== undefined) add(rule.risk, `user:${rule.id}`, `${rule.why}, under the heading “${heading}”`);
    }
    if (!trivial && item.callout && ALARM_CALLOUTS.has(item.callout) && reasons.length === 0) {
      add('breaking', 'callout', `in a ${item.callout} admonition`);
    }
    const found = new Set(reasons.map((r) => r.risk));
    return { risks: RISKS.filter((r) => found.has(r)), reasons };
  }

  return { explain, classify: (item) => explain(item).risks };
}

const defaultHighlighter = createHighlighter();

export function highlight(item: Classifiable): Highlight {
  return defaultHighlighter.explain(item);
}

// Only HTML wrappers and styles (`<div class="content-list">`, `</div>`, `<style>...</style>`): layout, not a note.
const STYLE_BLOCK = /<style\b[^>]{0,200}>[^<]{0,4000}<\/style>/gi;
const TAG = /<\/?[a-z][^<>]{0,400}>/gi;
// Hugo shortcodes: `{{< details >}}`, `{{< tab title="Docker" >}}`, `{{% alert %}}`.
const SHORTCODE = /\{\{[<%][^{}]{0,400}[%>]\}\}/g;

// AsciiDoc that renders no prose: a passthrough block (`++++ <titleabbrev>8.10</titleabbrev> ++++`)
// or a block macro alone (`coming::[8.10.0]`, `include::{es-repo-dir}/x.asciidoc[]`).
const ASCIIDOC_MARKUP = /^(?:\+{4}[^+]{0,2000}\+{4}|[a-z][\w-]{0,30}::[^\s[\]]{0,200}\[[^\]\n]{0,200}\])$/;

function markupOnly(text: string): boolean {
  if (text.length < 2400 && ASCIIDOC_MARKUP.test(text.trim())) return true;
  if (text.length > 8000 || (!text.includes('<') && !text.includes('{{'))) return false;
  return !/[\p{L}\p{N}]/u.test(text.replace(STYLE_BLOCK, ' ').replace(TAG, ' ').replace(SHORTCODE, ' '));
}
