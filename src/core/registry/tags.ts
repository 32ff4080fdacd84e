/**
 * Image tags as versions. A tag is a version, written with 1 to 4 numbers (`16`, `1.25`, `1.25.3`,
 * `v2.0.0`), maybe a pre-release (`2.0.0-rc.1`, `3.12.0b1`), and then a variant: `1.25-alpine` is
 * version 1.25.0 of the family `-alpine`, `16.1-bookworm` of `-bookworm`, `1.25.3` of the plain
 * family. Versions are compared within a family only: `1.26-alpine` follows `1.25.3-alpine`, and
 * says nothing of `1.26-bookworm`.
 *
 * A tag with fewer numbers than another of its family that starts the same (`1.25-alpine` beside
 * `1.25.3-alpine`, `1` beside `1.2.0`) moves with each release: an alias, not a release of its own.
 */
import { canonicalVersion, compareVersions } from '../releases/version';

export interface TagVersion {
  tag: string;
  /** Canonical version (`1.25.0`, `2.0.0-rc.1`). */
  version: string;
  /** What follows the version, lower case: `-alpine`, `-alpine3.19`, `` for plain versions. */
  family: string;
  /** The numbers as written: [1, 25] for `1.25-alpine`. */
  parts: number[];
  prerelease: boolean;
}

const CORE = /^[vV]?(\d{1,9})(?:\.(\d{1,9}))?(?:\.(\d{1,9}))?(?:\.(\d{1,9}))?/;
// One reading only: a word, digits, then separated runs of digits, up to a `-` or the end.
const PRE = /^[-.]?((?:alpha|beta|rc|pre|preview|dev|a|b)\d*(?:[.-]\d+)*)(?=$|-)/i;

/** The version a tag names, or null (`latest`, `alpine`, `sha-1f2e3d`). */
export function parseTag(tag: string): TagVersion | null {
  const m = CORE.exec(tag);
  if (!m) return null;
  const parts = m.slice(1).filter((p) => p !== undefined).map(Number);
  let rest = tag.slice(m[0].length);
  let pre = '';
  const p = PRE.exec(rest);
  if (p) {
    pre = p[1];
    rest = rest.slice(p[0].length);
  }
  if (rest && !/^[-_.]/.test(rest)) return null;
  const [major, minor = 0, patch = 0, ...extra] = parts;
  const version = canonicalVersion(`${[major, minor, patch, ...extra].join('.')}${pre ? `-${pre}` : ''}`);
  if (!version) return null;
  return { tag, version, family: rest.toLowerCase(), parts, prerelease: pre !== '' };
}

/**
 * The family a tag belongs to: a version's own variant; for another tag, `-TAG` when versions of
 * that variant exist (`alpine` beside `1.25-alpine`), else the plain family (`latest`).
 */
export function tagFamily(tag: string, tags: readonly string[]): string {
  const parsed = parseTag(tag);
  if (parsed) return parsed.family;
  const variant = `-${tag.toLowerCase()}`;
  return tags.some((t) => parseTag(t)?.family === variant) ? variant : '';
}

/** `*-alpine`, or `plain versions`. */
export function describeFamily(family: string): string {
  return family ? `*${family}` : 'plain versions';
}

/** Oldest first by version; a tag with fewer numbers (an alias) before the release it names; then by text. */
export function compareTags(a: TagVersion, b: TagVersion): number {
  return compareVersions(a.version, b.version) || a.parts.length - b.parts.length || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0);
}

/** The tags of `family`, oldest first. */
export function familyTags(tags: readonly string[], family: string): TagVersion[] {
  const out: TagVersion[] = [];
  for (const tag of tags) {
    const t = parseTag(tag);
    if (t && t.family === family) out.push(t);
  }
  return out.sort(compareTags);
}

/**
 * One tag per release, oldest first: aliases left out (see above), and of tags naming the same
 * version (`v1.2.0`, `1.2.0`) the one with most numbers, then the shortest.
 */
export function releaseTags(tags: readonly TagVersion[]): TagVersion[] {
  // Every prefix of the numbers of a final release with more numbers: `1` and `1.25` of `1.25.3`.
  const longer = new Set<string>();
  for (const t of tags) {
    if (t.prerelease) continue;
    for (let n = 1; n < t.parts.length; n++) longer.add(t.parts.slice(0, n).join('.'));
  }
  const byVersion = new Map<string, TagVersion>();
  for (const t of tags) {
    if (!t.prerelease && longer.has(t.parts.join('.'))) continue;
    const seen = byVersion.get(t.version);
    if (!seen || t.parts.length > seen.parts.length || (t.parts.length === seen.parts.length && t.tag.length < seen.tag.length)) byVersion.set(t.version, t);
  }
  return [...byVersion.values()].sort(compareTags);
}
