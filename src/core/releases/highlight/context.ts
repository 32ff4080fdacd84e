/**
 * What the headings above an item say about it. Release notes sort their items under headings
 * ("Breaking changes", "Deprecations", "Upgrade notes", "Bug fixes"); the nearest heading that
 * says something decides, so a "Migrations" sub-heading inside "Deprecations" is a deprecation,
 * and a component heading ("GraphQL API") says nothing and defers to the one above it.
 */
import { readableHeading } from './text';

export type SectionRole =
  | 'breaking'
  | 'deprecation'
  | 'security'
  | 'upgrade'
  | 'database'
  | 'requirements'
  | 'removal'
  | 'fixes'
  | 'features'
  | 'changed'
  | 'other';

interface RoleRule {
  role: SectionRole;
  pattern: RegExp;
  /** A weak role decides only when no heading further out has a strong one. */
  weak?: boolean;
}

const ROLE_RULES: readonly RoleRule[] = [
  // "Minor behavior changes" ("may cause incompatibilities for some users, but should not for most"):
  // changes of behaviour the items must show to be breaking.
  { role: 'changed', pattern: /^minor\s+behaviou?r(?:al)?\s+changes?$|^minor\s+changes?\s+(?:in|of)\s+behaviou?r$/, weak: true },
  { role: 'breaking', pattern: /\bbreaking\b(?![\s-]*fix)|\bbackwards?[\s-]+incompatib|\bincompatib(?:le|ilities)\b|\bbehaviou?r(?:al)?\s+changes?\b|\bchanges?\s+in\s+behaviou?r\b|\baction\s+required\b|\bbc\s+break|\bchanges?\s+to\s+(?:the\s+)?(?:default|api|configuration)/ },
  // changesets: a major bump's changes are the breaking ones.
  { role: 'breaking', pattern: /^major\s+changes?$/ },
  { role: 'features', pattern: /^minor\s+changes?$|^minor\s+features?$/ },
  { role: 'fixes', pattern: /^patch\s+changes?$/ },
  // "Removed deprecated methods", "Deprecation removals": removals, whatever the word says.
  { role: 'breaking', pattern: /\b(?:removed|removal\s+of|dropped)\s+(?:the\s+|all\s+)?(?:previously\s+)?deprecated\b|\bdeprecat\w*\s+removals?\b|\bremoved\s+deprecations\b/ },
  { role: 'deprecation', pattern: /\bdeprecat/ },
  { role: 'security', pattern: /\bsecurity\b|\bvulnerabilit|\bcve\b|\badvisor(?:y|ies)\b/ },
  {
    role: 'upgrade',
    pattern: /\b(?:upgrad(?:e|ing)|updat(?:e|ing)|migrat(?:e|ing|ion))\s+(?:notes?|instructions?|guide|steps?|considerations?|procedure|path|information|warnings?|caveats?|impact)\b|\bbefore\s+(?:you\s+)?(?:upgrad|updat|start|install|begin)|\bhow\s+to\s+(?:upgrad|updat|migrat)|^(?:upgrad(?:e|ing)|updating)$|^(?:upgrad(?:e|ing)|migrat(?:e|ing|ion))\s+(?:from|to)\b|\bupgrading\s+(?:from|to)\b|\bimportant\s+(?:upgrade\s+)?notes?\b|\bknown\s+upgrade\s+issues?\b|\bpost[\s-]upgrade\b|\bafter\s+(?:the\s+)?upgrad|^(?:manual|rolling|in-place)\s+(?:upgrad(?:e|es|ing)|updat(?:e|es|ing)|migrations?)$/,
  },
  { role: 'database', pattern: /\b(?:database|db|schema|data)\s+(?:migrations?|changes?|upgrades?|updates?)\b|\bschema\s+changes?\b/ },
  { role: 'database', pattern: /^(?:migrations?|data\s+migrations?)$/, weak: true },
  { role: 'requirements', pattern: /\brequirements?\b|\bcompatibility\b|\bsupported\s+(?:versions?|platforms?|databases?)\b|\bplatform\s+support\b|\bprerequisites?\b|\bdependenc(?:y|ies)\s+changes?\b/ },
  // "Removed", "Removed Config or Runtime", "Removals": what this release takes away.
  { role: 'removal', pattern: /^(?:removed|removals?)(?:\s+[\w/-]+){0,4}$|^features?\s+removed$|\bremoved\s+in\b|\bremoved\s+(?:features?|settings?|options?|apis?|support)\b/ },
  { role: 'fixes', pattern: /\bbug\s*fix(?:es)?\b|^fix(?:es|ed)?\b|^bugs?\b|\bfixed\s+issues?\b|\bfixes\s+and\s+improvements\b/ },
  // Conventional-commit categories of work that does not reach the operator ("Tests", "Code Generation",
  // "Reverts"): a section of its own, even when generated one level under "## Breaking Changes".
  { role: 'other', pattern: /^(?:code\s+generation|documentation|docs|code\s+refactoring|refactor(?:ing|s)?|tests?|testing|(?:miscellaneous\s+)?chores?|build\s+system|continuous\s+integration|ci|styles?|reverts?|unclassified)$/ },
  { role: 'features', pattern: /^(?:new\s+)?features?\b|^added\b|^new\b|^enhancements?\b|^improvements?\b|\bnew\s+features?\b|\bhighlights?\b|^what'?s\s+new\b/ },
  // "API Changes": what an API gained and lost (often generated); the items say which is breaking.
  { role: 'changed', pattern: /^changed\b|^changes\b|\bapi\s+changes?\b|^changes?\s+and\s+improvements\b|^other\s+changes\b|^modified\b/, weak: true },
];

const cache = new Map<string, { role: SectionRole; weak: boolean } | null>();

/** The role one heading gives its items, or null when it says nothing (a component, a date). */
export function headingRole(heading: string): { role: SectionRole; weak: boolean } | null {
  const hit = cache.get(heading);
  if (hit !== undefined) return hit;
  const text = readableHeading(heading);
  let found: { role: SectionRole; weak: boolean } | null = null;
  for (const r of ROLE_RULES) {
    if (r.pattern.test(text)) {
      found = { role: r.role, weak: !!r.weak };
      break;
    }
  }
  if (cache.size > 5000) cache.clear();
  cache.set(heading, found);
  return found;
}

export interface Context {
  /** The role that decides for the item: the nearest heading's, weak ones deferring to strong ones further out. */
  role: SectionRole | null;
  /** The heading that gave the role. */
  heading?: string;
  /** Every role on the path, innermost first. */
  all: SectionRole[];
}

// "Dependencies" over "Added" / "Changed" / "Removed": the libraries the project builds with.
const DEPENDENCIES = /^(?:dependenc(?:y|ies)|dependency\s+(?:updates?|upgrades?|bumps?))$/;
// The Keep a Changelog roles that, inside a dependencies section, speak of those libraries.
const LISTING_ROLES: ReadonlySet<SectionRole> = new Set(['removal', 'features', 'changed', 'fixes']);

const dependencyHeadings = new Map<string, boolean>();

function isDependencies(heading: string): boolean {
  let hit = dependencyHeadings.get(heading);
  if (hit === undefined) {
    if (dependencyHeadings.size > 5000) dependencyHeadings.clear();
    hit = DEPENDENCIES.test(readableHeading(heading));
    dependencyHeadings.set(heading, hit);
  }
  return hit;
}

const WORK_ROLES: ReadonlySet<SectionRole> = new Set(['features', 'fixes']);

/** Whether a heading further out than `i` sorts its items as features or fixes. */
function insideWork(headings: readonly string[], i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const r = headingRole(headings[j]);
    if (r && WORK_ROLES.has(r.role)) return true;
  }
  return false;
}

export function sectionContext(headings: readonly string[]): Context {
  let weak: { role: SectionRole; heading: string } | undefined;
  const all: SectionRole[] = [];
  let decided: { role: SectionRole; heading: string } | undefined;
  let dependencies = -1;
  for (let i = 0; i < headings.length && dependencies < 0; i++) if (isDependencies(headings[i])) dependencies = i;
  for (let i = headings.length - 1; i >= 0; i--) {
    const r = headingRole(headings[i]);
    if (!r) continue;
    if (dependencies >= 0 && i > dependencies && LISTING_ROLES.has(r.role)) continue;
    // "Bug fixes" > "Security", "Minor features" > "Security": the area the fixes or features are in.
    if (r.role === 'security' && insideWork(headings, i)) continue;
    all.push(r.role);
    if (decided) continue;
    if (r.weak) weak ??= { role: r.role, heading: headings[i] };
    else decided = { role: r.role, heading: headings[i] };
  }
  const pick = decided ?? weak;
  return { role: pick?.role ?? null, heading: pick?.heading, all };
}
