/**
 * Engine and runtime floors: the lowest version of a database, runtime or platform the target
 * version runs on, as the release notes state it. Each becomes a pre-check step of the plan that
 * fails while the running version is below it.
 *
 * Read from items flagged `db_engine_requirement` or `requirement` ("requires PHP 7.4.3 or later",
 * "PostgreSQL 11 is no longer supported", "Drop support for node < 4.x") and from the engine lists'
 * change between the two versions (Rocket.Chat's "MongoDB: 3.4, 3.6, 4.0"). Upstream text: every
 * pattern looks at a window of bounded size around an engine's name, so the work is linear.
 */
import { itemLocation } from '../releases/model';
import type { Review } from '../releases/review';
import { compareVersions } from '../releases/version';
import { ENGINE_NAME, engineOf, ENGINES, type EngineId } from './stack';

export interface EngineFloor {
  engine: EngineId;
  /** The lowest version that passes, for `sort -V`: `3.4`, `12` (newer than 11). */
  min: string;
  /** The floor in words: "3.4 or later", "newer than 11". */
  shown: string;
  /** Where the notes say so, one line each: "4.0.0 (CHANGELOG.md:70-71)", "the engine list of 2.0.0". */
  sources: string[];
}

/** How much of one item is read, and how far around an engine's name. */
const ITEM_CHARS = 4000;
const WINDOW = 60;

const NUMBER = String.raw`v?(\d{1,4}(?:\.\d{1,4}){0,2})(?:\.x)?`;
// After the name: "versions older than 10.6", "< 4.x", ">= 14", "9.6, 10 and 11", "version is 3.12".
const AFTER_NAME = new RegExp(
  String.raw`^\s*(?:versions?\s+(?:is\s+(?:now\s+)?|of\s+)?|server\s+)?(?:(>=|≥|=>|<=|<|>)\s*|(older\s+than|below|before|prior\s+to|earlier\s+than|lower\s+than)\s+)?${NUMBER}((?:\s*(?:,|\band\b|\bor\b|&)\s*${NUMBER}){0,8})`,
  'i',
);
const OR_LATER = /^\s*(?:\+|(?:or|and)\s+(?:any\s+)?(?:later|newer|higher|above|greater|up)\b|(?:is|are)\s+(?:now\s+)?(?:the\s+)?(?:minimum|required|needed)\b)/i;
const NO_LONGER = /^\s*(?:and\s+(?:below|older|earlier|lower)\b|support\b|(?:is|are|was|were|has\s+been|have\s+been)\s+(?:now\s+)?(?:no\s+longer\s+supported|not\s+supported|unsupported|dropped|removed)\b)/i;
const DROP_BEFORE = /\b(?:drop(?:s|ped|ping)?|remov(?:e|es|ed|ing)|no\s+longer|discontinu\w*|unsupported|end\s+of\s+support\s+for)\b/i;
const REQUIRE_BEFORE = /\b(?:requires?|required|requirement|needs?|minimum|minimal|at\s+least|must\s+(?:use|run|be))\b/i;
// Where a clause before the name starts: the cues of one clause do not reach the next.
const CLAUSE_START = /[.;:,()]|\b(?:and|but|while)\b/gi;

/** The floors the review states, one per engine (the highest), in the order of ENGINES. */
export function engineFloors(review: Review): EngineFloor[] {
  const found = new Map<EngineId, EngineFloor>();
  const add = (engine: EngineId, min: string, shown: string, source: string) => {
    const known = found.get(engine);
    if (!known) return void found.set(engine, { engine, min, shown, sources: [source] });
    if (!known.sources.includes(source)) known.sources.push(source);
    if (compareVersions(padded(min), padded(known.min)) > 0) Object.assign(known, { min, shown });
  };
  for (const change of review.engines) {
    const engine = engineOf(change.name);
    if (!engine || ENGINES[engine].kind === 'platform' || change.to === null) continue;
    const before = lowest(change.from, engine);
    const after = lowest(change.to, engine);
    // A list that only grew keeps the floor the running version already meets.
    if (after && (!before || compareVersions(padded(after), padded(before)) > 0)) add(engine, after, `${after} or later`, `the engine list of ${review.to} (${change.to})`);
  }
  for (const version of review.versions) {
    for (const item of version.items) {
      if (!item.risks.includes('db_engine_requirement') && !item.risks.includes('requirement')) continue;
      for (const floor of floorsIn(item.text)) add(floor.engine, floor.min, floor.shown, `${version.version} (${itemLocation(item)})`);
    }
  }
  return (Object.keys(ENGINES) as EngineId[]).filter((id) => found.has(id)).map((id) => found.get(id)!);
}

/** The floors one release-note item states. */
export function floorsIn(text: string): Omit<EngineFloor, 'sources'>[] {
  const plain = text
    .slice(0, ITEM_CHARS)
    .replace(/\[([^\]\n]{0,200})\]\([^)\s]{0,500}\)/g, '$1')
    .replace(/[`*_]/g, '');
  const out: Omit<EngineFloor, 'sources'>[] = [];
  for (const m of plain.matchAll(ENGINE_NAME)) {
    const engine = engineOf(m[1]);
    if (!engine) continue;
    const end = m.index + m[0].length;
    const after = AFTER_NAME.exec(plain.slice(end, end + WINDOW));
    if (!after) continue;
    const [matched, op, words, first, rest] = after;
    const tail = plain.slice(end + matched.length, end + matched.length + WINDOW);
    const clause = clauseBefore(plain.slice(Math.max(0, m.index - WINDOW), m.index));
    const versions = [first, ...[...(rest ?? '').matchAll(/\d{1,4}(?:\.\d{1,4}){0,2}/g)].map((v) => v[0])];
    const below = op === '<' || words !== undefined;
    if (op === '<=' || op === '>') continue;
    if (op && op !== '<') out.push({ engine, min: first, shown: `${first} or later` });
    else if (below) out.push({ engine, min: first, shown: `${first} or later` });
    else if (DROP_BEFORE.test(clause) || NO_LONGER.test(tail)) {
      const newest = versions.sort((a, b) => compareVersions(padded(b), padded(a)))[0];
      out.push({ engine, min: next(newest), shown: `newer than ${newest}` });
    } else if (OR_LATER.test(tail) || REQUIRE_BEFORE.test(clause)) out.push({ engine, min: first, shown: `${first} or later` });
  }
  return out;
}

/** The text of the clause the name stands in, up to the name. */
function clauseBefore(text: string): string {
  let start = 0;
  for (const m of text.matchAll(CLAUSE_START)) start = m.index + m[0].length;
  return text.slice(start);
}

/** `3.2` -> `3.3`, `11` -> `12`: the first version after a dropped series. */
function next(version: string): string {
  const parts = version.split('.').map(Number);
  parts[parts.length - 1]++;
  return parts.join('.');
}

/** The lowest version of an engine list's entry ("3.4, 3.6, 4.0", ">= 14", "12.16.1"); Node's floor is its major. */
function lowest(list: string | null, engine: EngineId): string | undefined {
  if (!list) return undefined;
  const versions = [...list.matchAll(/\d{1,4}(?:\.\d{1,4}){0,3}/g)].map((m) => m[0]).sort((a, b) => compareVersions(padded(a), padded(b)));
  const min = versions[0];
  return min && engine === 'node' ? min.split('.')[0] : min;
}

/** A dotted number in the three parts compareVersions reads: `11` -> `11.0.0`. */
function padded(v: string): string {
  const parts = v.split('.');
  while (parts.length < 3) parts.push('0');
  return parts.join('.');
}
