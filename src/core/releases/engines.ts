/**
 * Engine versions listed per release (Rocket.Chat's "### Engine versions" with "- MongoDB: `3.4, 3.6`").
 * The review reports what changed between `from` and `to`, and marks the list entry of the release
 * that dropped a database version as `db_engine_requirement`, a runtime version as `requirement`.
 */
import type { NoteItem, VersionSection } from './model';
import { RISKS } from './model';
import { compareVersions } from './version';

export interface EngineChange {
  name: string;
  from: string | null;
  to: string | null;
}

interface EngineEntry {
  value: string;
  item: NoteItem;
}

const ENGINE_HEADING = /\bengines?\b|\bsupported\s+versions\b|\bsystem\s+requirements\b|\bcompatibility\b|\bsupported\s+(?:databases?|database\s+(?:servers?|versions?|engines?))\b/i;
// After the colon, blanks and bold markers alternate (no two blank runs side by side), and the value
// is everything to the end, line separators included, so the match never backtracks into them.
const ENTRY = /^(?:[-*+]\s+)?(?:\*\*|__)?([A-Za-z][\w .+/-]{0,40}?)(?:\*\*|__)?\s*:\s*(?:(?:\*\*|__)\s*)?([\s\S]*)$/;
// "12.16.1", "`3.4, 3.6, 4.0`", ">= 14", "4.x or later". Versions are separated by a comma, `;`, `|`,
// "or", "and" or blanks, never by nothing: were "1234" readable as "1" "2" "3" "4", a run of digits
// followed by anything else would have a split for every digit to try.
const ONE_VERSION = String.raw`(?:[<>=^~≥]+\s*)?v?\d[\w.*+-]*`;
const SEPARATOR = String.raw`\s*(?:,\s*(?:and|or)\b|,|;|\||\bor\b|\band\b)\s*|\s+`;
const VERSIONS = new RegExp(String.raw`^${ONE_VERSION}(?:(?:${SEPARATOR})${ONE_VERSION})*(?:\s*(?:,|;|\||\bor\s+later\b|\bor\s+newer\b))?$`, 'i');
// Engines whose dropped versions make an upgrade impossible until the operator upgrades them:
// databases and stores (`db_engine_requirement`) and runtimes (`requirement`).
// PostgreSQL and its derivatives: from 10 on, major.patch (12.16 and 12.17 are one series, 12).
const POSTGRES = String.raw`postgres(?:ql)?|(?:edb\s+)?(?:postgres\s+)?advanced\s+server`;
const DATABASES = new RegExp(String.raw`^(?:mongo(?:db)?|${POSTGRES}|mysql|mariadb|redis|valkey|elasticsearch|opensearch|sqlite|(?:microsoft\s+)?sql\s+server|mssql|oracle(?:\s+database)?|cassandra|clickhouse|cockroach(?:db)?)$`, 'i');
const RUNTIMES = /^(?:node(?:\.?js)?|python|ruby|php|java|go(?:lang)?|erlang|elixir)$/i;
// For these a new major is what forces an upgrade; elsewhere major.minor series differ (MongoDB 3.4/3.6).
const MAJOR_ONLY = /^node(?:\.?js)?$/i;
const MAJOR_FROM_10 = new RegExp(`^(?:${POSTGRES})$`, 'i');

/** Engine list of one section: name -> entry. */
function enginesOf(section: VersionSection): Map<string, EngineEntry> {
  const out = new Map<string, EngineEntry>();
  for (const item of section.items) {
    const entry = tableRow(item);
    if (entry) out.set(entry.name, { value: entry.value, item });
  }
  return out;
}

/** `- MongoDB: \`3.4, 3.6\`` (or a line of its own, `**PostgreSQL**: 12, 13`): an engine's name and its versions, or undefined for any other text. */
function engineEntry(text: string): { name: string; value: string } | undefined {
  if (text.includes('\n')) return undefined;
  const m = ENTRY.exec(text);
  const value = m?.[2].replace(/[`*_]/g, '').trim();
  return m && value && VERSIONS.test(value) ? { name: m[1].trim(), value } : undefined;
}

/**
 * Whether a note is a row of a release's engine table (`- PostgreSQL: 12.17` under "Supported
 * database servers"): the review judges it against the table before it, so a floor read in the row
 * alone is no change.
 */
export function isEngineTableRow(item: { text: string; heading: readonly string[] }): boolean {
  return tableRow(item) !== undefined;
}

/** The engine and versions of a row under an engine-table heading, or undefined for any other note. */
function tableRow(item: { text: string; heading: readonly string[] }): { name: string; value: string } | undefined {
  const innermost = item.heading[item.heading.length - 1];
  return innermost && ENGINE_HEADING.test(innermost) ? engineEntry(item.text) : undefined;
}

/** Whether a list entry reads like a row of an engine table (`- Node: \`12.16.1\``). */
export function isEngineEntry(text: string): boolean {
  return engineEntry(text) !== undefined;
}

/**
 * `sections`: every parsed section (any version). Returns the changes between the engine lists in
 * force at `from` and at `to`, and marks items in `(from, to]` that drop an engine version.
 */
export function reviewEngines(sections: VersionSection[], from: string, to: string): EngineChange[] {
  const byVersion = new Map<string, Map<string, EngineEntry>>();
  for (const section of sections) {
    const engines = enginesOf(section);
    if (engines.size && !byVersion.has(section.version)) byVersion.set(section.version, engines);
  }
  if (byVersion.size === 0) return [];
  const ordered = [...byVersion.keys()].sort(compareVersions);
  const atOrBefore = (v: string) => {
    const found = ordered.filter((o) => compareVersions(o, v) <= 0).pop();
    return found ? byVersion.get(found)! : new Map<string, EngineEntry>();
  };

  let previous = atOrBefore(from);
  for (const version of ordered) {
    if (compareVersions(version, from) <= 0 || compareVersions(version, to) > 0) continue;
    const current = byVersion.get(version)!;
    for (const [name, entry] of current) {
      const before = previous.get(name);
      const risk = DATABASES.test(name) ? 'db_engine_requirement' : RUNTIMES.test(name) ? 'requirement' : undefined;
      if (before && risk && drops(name, before.value, entry.value) && !entry.item.risks.includes(risk)) {
        entry.item.risks = RISKS.filter((r) => r === risk || entry.item.risks.includes(r));
      }
    }
    previous = current;
  }

  const start = atOrBefore(from);
  const end = atOrBefore(to);
  const changes: EngineChange[] = [];
  for (const name of new Set([...start.keys(), ...end.keys()])) {
    const a = start.get(name)?.value ?? null;
    const b = end.get(name)?.value ?? null;
    if (a !== b) changes.push({ name, from: a, to: b });
  }
  return changes;
}

/** True when a series supported before is missing afterwards. */
function drops(name: string, before: string, after: string): boolean {
  const series = (value: string) =>
    new Set(
      value
        .split(/[,;]|\s+(?:and|or)\s+/)
        .map((v) => /\d+(?:\.\d+)?/.exec(v)?.[0])
        .filter((v): v is string => !!v)
        .map((v) => (MAJOR_ONLY.test(name) || (MAJOR_FROM_10.test(name) && Number(v.split('.')[0]) >= 10) ? v.split('.')[0] : v)),
    );
  const kept = series(after);
  return [...series(before)].some((s) => !kept.has(s));
}
