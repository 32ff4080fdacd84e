/**
 * How to upgrade: the size of the version bump and the deployment strategy the release notes call for.
 *
 * A rolling upgrade runs old and new versions side by side, which is only safe when the new version
 * does not change the database under the old one. Anything the notes flag about the database, an
 * upgrade path, or a new major version therefore calls for a recreate upgrade: every old instance
 * stops before the new version starts, behind a maintenance instance.
 */
import { itemLocation, type Risk } from '../releases/model';
import type { Review, ReviewItem } from '../releases/review';
import { compareVersions, inRange, isPrerelease, parseVersion } from '../releases/version';

export type BumpKind = 'major' | 'minor' | 'patch';

export interface Strategy {
  kind: 'rolling' | 'recreate';
  /** Why this strategy, one line each: "major bump 2.4.1 → 3.0.0", "database migration in 2.4.0 (HISTORY.md:120)". */
  reasons: string[];
  /** Versions to upgrade through on the way to the target, oldest first. */
  intermediateVersions: string[];
}

/** Risks to the database or its data. */
export const DATABASE_RISKS: readonly Risk[] = ['db_migration', 'db_lock_or_downtime', 'db_engine_requirement', 'data_loss'];

/** Risks that make running the old and the new version side by side unsafe. */
const RECREATE_RISKS: readonly Risk[] = [...DATABASE_RISKS, 'upgrade_path'];

const RISK_PHRASES: Partial<Record<Risk, string>> = {
  db_migration: 'database migration',
  db_lock_or_downtime: 'database lock or downtime',
  db_engine_requirement: 'database version requirement',
  requirement: 'runtime or platform requirement',
  data_loss: 'possible data loss',
  upgrade_path: 'upgrade path',
};

/**
 * The size of the step from `from` to `to`, by their numbers: a pre-release target counts as the
 * release it leads to (`2.4.1` → `3.0.0-rc.1` is major). Versions that do not parse count as major,
 * the bump that asks for the most care.
 */
export function bumpKind(from: string, to: string): BumpKind {
  const a = parseVersion(from);
  const b = parseVersion(to);
  if (!a || !b || a.major !== b.major) return 'major';
  return a.minor !== b.minor ? 'minor' : 'patch';
}

export function chooseStrategy(review: Review): Strategy {
  const { from, to } = review;
  const bump = bumpKind(from, to);
  const reasons: string[] = [];
  if (bump === 'major') reasons.push(`major bump ${from} → ${to}`);

  const upgradePathItems: { version: string; item: ReviewItem }[] = [];
  // A runtime or platform floor does not make running two versions side by side unsafe, but it has
  // to be met before the upgrade starts: it is named whatever the strategy.
  const prerequisites: string[] = [];
  for (const version of review.versions) {
    for (const item of version.items) {
      if (item.risks.includes('requirement')) prerequisites.push(`${RISK_PHRASES.requirement} in ${version.version} (${itemLocation(item)}): meet it before upgrading`);
      const risks = RECREATE_RISKS.filter((r) => item.risks.includes(r));
      if (risks.length === 0) continue;
      if (risks.includes('upgrade_path')) upgradePathItems.push({ version: version.version, item });
      reasons.push(`${risks.map((r) => RISK_PHRASES[r]).join(' and ')} in ${version.version} (${itemLocation(item)})`);
    }
  }

  if (reasons.length === 0) {
    return {
      kind: 'rolling',
      reasons: [`${bump} bump ${from} → ${to}`, 'no database migration, lock, database version requirement, data loss or upgrade path flagged in the release notes', ...prerequisites],
      intermediateVersions: [],
    };
  }

  reasons.push(...prerequisites);
  if (upgradePathItems.length === 0) return { kind: 'recreate', reasons, intermediateVersions: [] };
  const named = mentionedVersions(review, upgradePathItems);
  const intermediateVersions = named.length ? named : lastOfEachMajor(review);
  if (named.length) {
    reasons.push(`upgrade through ${named.join(', ')} as the upgrade-path notes ask`);
  } else if (intermediateVersions.length) {
    reasons.push(`upgrade through ${intermediateVersions.join(', ')}, the last release of each major line on the way (the notes name no version)`);
  }
  return { kind: 'recreate', reasons, intermediateVersions };
}

// "2.9.4", "14.10", "v2.9", "2.9.x", "2.x": a dotted number, or a number with a `.x` wildcard.
const VERSION_MENTION = /(?<![\w.])v?(\d{1,9}(?:\.\d{1,9}){0,3})(\.[xX*])?(?![\w*]|\.\d)/g;

/**
 * Versions strictly between `from` and `to` named in the items' text, oldest first. A note names its
 * own version as the one being upgraded to ("3.0 drops the old migrations"), so that one is no stop.
 */
function mentionedVersions(review: Review, items: readonly { version: string; item: ReviewItem }[]): string[] {
  const { from, to } = review;
  // A sort key per version: a `2.9.x` line that matches no known release is kept as written.
  const found = new Map<string, string>();
  for (const { version: own, item } of items) {
    const between = (v: string) => v !== own && v !== item.prerelease && strictlyBetween(v, from, to);
    // Links hold pull-request numbers and paths, not upgrade stops.
    const text = item.text.replace(/\]\([^)]*\)/g, ']').replace(/\b[a-z][a-z+.-]*:\/\/\S+/gi, ' ');
    for (const m of text.matchAll(VERSION_MENTION)) {
      const [, numbers, wildcard] = m;
      if (!wildcard) {
        const v = parseVersion(numbers);
        if (v && between(v.canonical)) found.set(v.canonical, v.canonical);
        continue;
      }
      const prefix = `${numbers}.`;
      const inLine = (v: string) => v.startsWith(prefix);
      const floor = parseVersion(numbers.includes('.') ? numbers : `${numbers}.0`)!.canonical;
      // Already on that line, or going to it: no stop needed.
      if (inLine(from) || inLine(to) || inLine(own) || !strictlyBetween(floor, from, to)) continue;
      const newest = review.versions.find((rv) => inLine(rv.version) && !isPrerelease(rv.version) && strictlyBetween(rv.version, from, to));
      if (newest) found.set(newest.version, newest.version);
      else found.set(`${numbers}.x`, floor);
    }
  }
  return [...found].sort((a, b) => compareVersions(a[1], b[1])).map(([shown]) => shown);
}

/** The newest final release of each major line from `from`'s up to, not including, `to`'s. */
function lastOfEachMajor(review: Review): string[] {
  const out = new Map<number, string>();
  // review.versions is newest first, so the first release seen of a line is its last.
  for (const { version } of review.versions) {
    const v = parseVersion(version);
    if (!v || isPrerelease(version) || !strictlyBetween(version, review.from, review.to)) continue;
    if (v.major === parseVersion(review.to)?.major || out.has(v.major)) continue;
    out.set(v.major, version);
  }
  return [...out.values()].sort(compareVersions);
}

function strictlyBetween(v: string, from: string, to: string): boolean {
  return inRange(v, from, to) && compareVersions(v, to) < 0;
}
