/**
 * Version coercion for tags and changelog headings.
 *
 * Canonical form: `MAJOR.MINOR.PATCH[.EXTRA...][-PRE]`, compared with semver rules.
 * - `1.2` and `v1.2` become `1.2.0`; `pkg@1.2.3`, `@scope/pkg@1.2.3`, `release-1.2.3`, `REL_16_1` are accepted.
 *   The version drops the package; tagPackage tells which package a monorepo tag names.
 * - Pre-release identifiers are lower-cased and split at letter/digit boundaries, so `1.4.0rc1`,
 *   `1.4.0-rc1` and `1.4.0-rc.1` are the same version; `1.4.0.dev1` is `1.4.0-dev.1`. Letters are kept
 *   as written (`b` is not renamed `beta`), so tags round-trip. Ordering between kinds is semver's
 *   (alphabetical: `a` < `b` < `dev` < `rc`), which differs from PEP 440 only for `.dev` releases.
 * - Four-part versions (`1.2.3.4`) keep their extra parts: `1.2.3.4` is a final release that sorts after
 *   `1.2.3` and before `1.2.4`; trailing zero parts are dropped (`1.2.3.0` is `1.2.3`).
 * - A single number (`v3`) is not a version: too many headings and tags are bare numbers or dates.
 * - Build metadata (`+build.5`) is ignored.
 */
import { SemVer } from 'semver';

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** Numeric parts after the third (`1.2.3.4` -> [4]). */
  extra: number[];
  /** Pre-release identifiers; empty for a final release. */
  prerelease: (string | number)[];
  canonical: string;
}

const NUM = String.raw`\d{1,9}`;
const CORE = String.raw`(${NUM}(?:[._]${NUM})+)`;
// A pre-release is either semver's `-ident.ident` or Python's `rc1`, `b2`, `.dev1`, `-alpha`. Without
// a separator it starts with a letter: were `1.2.34` readable as `1.2.3` + `4`, a long run of `.1`
// would have a split for every digit to try.
const PRE = String.raw`((?:(?:-|_|\.(?=dev|rc|a|b|c|alpha|beta|pre|preview))[0-9A-Za-z]+|[A-Za-z][0-9A-Za-z]*)(?:[-.][0-9A-Za-z]+)*)?`;
const BUILD = String.raw`(?:\+[0-9A-Za-z.-]+)?`;
/** A bare version (`v1.2.3-rc.1+build`); exported for the time-budget test. */
export const BARE_VERSION_RE = new RegExp(String.raw`^[vV]?${CORE}${PRE}${BUILD}$`);
const PRE_WORD_RE = /^(?:dev|rc|a|b|c|alpha|beta|pre|preview|snapshot|canary|next|nightly|m|milestone|ea|test)\d*$/i;

const cache = new Map<string, Version | null>();

// No tag or version is this long; longer input (a registry key, a file name) is not a version and is
// neither parsed nor cached.
const MAX_VERSION_LENGTH = 256;

/**
 * Parses a tag or a bare version: `v1.2.3`, `1.2`, `pkg@1.2.3`, `@scope/pkg@1.2.3`, `release-1.2.3`,
 * `rel_1_2_3`, `1.4.0rc1`, `1.4.0-rc.2`. Returns null for anything else (never a substring match).
 */
export function parseVersion(input: string): Version | null {
  const key = input.trim();
  if (key.length > MAX_VERSION_LENGTH) return null;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const parsed = parseUncached(key);
  if (cache.size > 50_000) cache.clear();
  cache.set(key, parsed);
  return parsed;
}

// Java and release-channel qualifiers: `7.1.8.Final`, `5.3.2.RELEASE`, `2.0.0.GA` and `v21.3.2.5-lts`,
// `20.12.5.14-stable` are final releases; `7.1.0.CR1`, `6.0.0.Beta2`, `2.0.0.M1` are pre-releases.
const FINAL_QUALIFIER = /[.-](?:final|ga|release|stable|lts)$/i;
const JAVA_PRE = /\.(cr|rc|beta|alpha|m)(\d{1,9})$/i;

function parseUncached(input: string): Version | null {
  return tagParts(input)?.version ?? null;
}

/** A tag split into the name before an `@`, the word before the version and its separator, and the version. */
interface TagParts {
  version: Version;
  /** `pkg` of `pkg@1.2.3`, `@scope/pkg` of `@scope/pkg@1.2.3`. */
  scope?: string;
  /** `release` of `release-1.2.3`, `pkg` of `pkg-v1.2.3` and `pkg/v1.2.3`, `REL` of `REL_16_1`. */
  word?: string;
  /** What stands between the word and the version: `-`, `_`, `/`, or nothing (`REL9_6_0`). */
  separator?: string;
}

function tagParts(input: string): TagParts | null {
  let s = input;
  let scope: string | undefined;
  const at = s.lastIndexOf('@');
  if (at > 0) {
    scope = s.slice(0, at);
    s = s.slice(at + 1);
  }
  if (FINAL_QUALIFIER.test(s) && /\d[.-][A-Za-z]+$/.test(s)) s = s.replace(FINAL_QUALIFIER, '');
  else s = s.replace(JAVA_PRE, (_m, kind: string, n: string) => `-${kind.toLowerCase()}.${n}`);
  const direct = fromBare(s);
  if (direct) return scope === undefined ? { version: direct } : { version: direct, scope };
  // `release-1.2.3`, `pkg-v1.2.3`, `release/1.2.3`, `REL_16_1`, `REL9_6_0`: a word, then the version.
  const prefixed = /^([A-Za-z][A-Za-z0-9.-]*?)(?:([-_/])|(?=\d))(?=[vV]?\d)(.*)$/.exec(s);
  if (!prefixed) return null;
  const version = fromBare(prefixed[3]);
  if (!version) return null;
  const parts: TagParts = { version, word: prefixed[1], separator: prefixed[2] ?? '' };
  if (scope !== undefined) parts.scope = scope;
  return parts;
}

// Words before a version that name a release, not a package: `release-1.2.3`, `rel-1.2`, `stable/1.2`.
const RELEASE_WORDS = new Set([
  'v', 'r', 'rel', 'release', 'releases', 'version', 'versions', 'ver', 'stable', 'tag', 'tags', 'final', 'lts',
  'hotfix', 'patch', 'build', 'prod', 'production', 'snapshot', 'deploy', 'update',
]);
const MAX_PACKAGE_LENGTH = 214;
// npm names (`pg-pool`, `@babel/core`, `lodash.merge`), release-please components, Go module folders
// (`sdk/go`). Each part starts with a letter or digit; `/` is in no part, so a name is read once.
const PACKAGE_RE = /^(?:@[A-Za-z0-9][\w.~-]*\/)?[A-Za-z0-9][\w.~-]*(?:\/[A-Za-z0-9][\w.~-]*)*$/;

/** Whether `name` can be a package named in a tag or a source spec (`pg`, `@babel/core`, `sdk/go`). */
export function isPackageName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_PACKAGE_LENGTH && PACKAGE_RE.test(name);
}

/**
 * The package a tag of a repository of several packages names: `pkg` for `pkg@1.2.3`, `pkg-v1.2.3`
 * (release-please), `pkg-1.2.3` and `pkg/v1.2.3` (Go); `@scope/pkg` for `@scope/pkg@1.2.3`. None for
 * plain tags (`v1.2.3`, `1.2.3`), release words (`release-1.2.3`, `rel-1.2`, `version-1.2`,
 * `stable-1.2`), names joined by `_` (`REL_16_1`, `OpenSSL_1_1_1`) or by nothing (`go1.21.0`), and
 * anything that is no version.
 */
export function tagPackage(tag: string): string | undefined {
  const key = tag.trim();
  if (key.length > MAX_VERSION_LENGTH) return undefined;
  const parts = tagParts(key);
  if (!parts) return undefined;
  if (parts.scope !== undefined) return isPackageName(parts.scope) ? parts.scope : undefined;
  if (!parts.word || (parts.separator !== '-' && parts.separator !== '/')) return undefined;
  if (RELEASE_WORDS.has(parts.word.toLowerCase())) return undefined;
  return isPackageName(parts.word) ? parts.word : undefined;
}

/**
 * Whether two package names mean one package: equal, or equal but for an npm scope that one of
 * them leaves out (`@babel/core` and `core`, as release-please names its tags).
 */
export function samePackage(a: string, b: string): boolean {
  if (a === b) return true;
  const bare = (n: string) => (n.startsWith('@') && n.includes('/') ? n.slice(n.indexOf('/') + 1) : n);
  return (a.startsWith('@') !== b.startsWith('@')) && bare(a) === bare(b);
}

function fromBare(s: string): Version | null {
  const m = BARE_VERSION_RE.exec(s);
  if (!m) return null;
  const nums = m[1].split(/[._]/).map(Number);
  const pre = m[2] ? splitPre(m[2]) : [];
  if (pre === null) return null;
  const [major, minor, patch = 0, ...extra] = nums;
  while (extra.length && extra[extra.length - 1] === 0) extra.pop();
  return build(major, minor, patch, extra, pre);
}

/** `-rc1` / `rc.1` / `.dev1` -> ['rc', 1]; null when the suffix is not a plausible pre-release. */
function splitPre(raw: string): (string | number)[] | null {
  const body = raw.replace(/^[-_.]/, '');
  const idents: (string | number)[] = [];
  for (const part of body.split(/[-._]/)) {
    if (!part) return null;
    for (const piece of part.match(/\d+|[A-Za-z]+/g) ?? []) {
      idents.push(/^\d+$/.test(piece) ? Number(piece) : piece.toLowerCase());
    }
  }
  // Python-style suffixes without a separator (`1.4.0rc1`) must look like a pre-release word.
  if (!/^[-_.]/.test(raw) && !PRE_WORD_RE.test(body)) return null;
  if (idents.some((i) => typeof i === 'number' && !Number.isSafeInteger(i))) return null;
  return idents;
}

function build(major: number, minor: number, patch: number, extra: number[], prerelease: (string | number)[]): Version {
  const core = [major, minor, patch, ...extra].join('.');
  const canonical = prerelease.length ? `${core}-${prerelease.join('.')}` : core;
  return { major, minor, patch, extra, prerelease, canonical };
}

export function canonicalVersion(input: string): string | null {
  return parseVersion(input)?.canonical ?? null;
}

export function isPrerelease(canonical: string): boolean {
  return (parseVersion(canonical)?.prerelease.length ?? 0) > 0;
}

/** The final release a pre-release leads to (`2.0.0-rc.1` -> `2.0.0`); a final release returns itself. */
export function finalRelease(canonical: string): string {
  const v = parseVersion(canonical);
  if (!v) return canonical;
  return build(v.major, v.minor, v.patch, v.extra, []).canonical;
}

/** Orders canonical versions; unparsable strings sort first, by text. */
export function compareVersions(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (!va || !vb) return va ? 1 : vb ? -1 : a < b ? -1 : a > b ? 1 : 0;
  const pa = [va.major, va.minor, va.patch, ...va.extra];
  const pb = [vb.major, vb.minor, vb.patch, ...vb.extra];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d < 0 ? -1 : 1;
  }
  if (!va.prerelease.length || !vb.prerelease.length) {
    return va.prerelease.length === vb.prerelease.length ? 0 : va.prerelease.length ? -1 : 1;
  }
  return preSemver(va).comparePre(preSemver(vb));
}

function preSemver(v: Version): SemVer {
  return new SemVer(`0.0.0-${v.prerelease.join('.')}`);
}

// `2.3-2.4`, `2.3..2.4`, `from-5.x-to-6.0`, `v1_to_v2`, `upgrading-4.2-to-5.0`.
const RANGE = /(?:^|[^\d.])v?(\d{1,9}(?:[._](?:\d{1,9}|x)){0,3})\s{0,3}(?:-|_|\.\.|\s)\s{0,3}(?:to\s{0,3}(?:-|_|\s)\s{0,3})?v?(\d{1,9}(?:[._](?:\d{1,9}|x)){0,3})$|(?:^|[^\d.])v?(\d{1,9}(?:[._](?:\d{1,9}|x)){0,3})[-_\s]{1,3}to[-_\s]{1,3}v?(\d{1,9}(?:[._](?:\d{1,9}|x)){0,3})$/i;

/**
 * The version a range names as its end, when `text` ends in a range of versions (an upgrade guide's
 * file name `2.3-2.4`, `from-5.x-to-6.0`): `2.4.0`, `6.0.0`. Null when it is no range, or the end is
 * not after the start.
 */
export function rangeTarget(text: string): string | null {
  const m = RANGE.exec(text.length > 200 ? text.slice(-200) : text);
  if (!m) return null;
  const [from, to] = m[1] !== undefined ? [m[1], m[2]] : [m[3], m[4]];
  const norm = (v: string) => {
    const s = v.replace(/_/g, '.').replace(/\.x$/i, '.0');
    return canonicalVersion(/^\d+$/.test(s) ? `${s}.0` : s);
  };
  const a = norm(from);
  const b = norm(to);
  return a && b && compareVersions(a, b) < 0 ? b : null;
}

/** Newest first. */
export function sortNewestFirst<T>(items: T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => compareVersions(key(b), key(a)));
}

// ---------------------------------------------------------------------------------------------
// Ranges

/** True when `from < v <= to`. */
export function inRange(v: string, from: string, to: string): boolean {
  return compareVersions(v, from) > 0 && compareVersions(v, to) <= 0;
}

/** A message naming the closest known versions, for "unknown version" errors. */
export function describeUnknown(requested: string, known: string[]): string {
  const sorted = [...new Set(known)].sort(compareVersions);
  if (sorted.length === 0) return `unknown version ${requested} (no versions known)`;
  const list =
    sorted.length <= 8
      ? sorted.join(', ')
      : `${sorted.length} versions from ${sorted[0]} to ${sorted[sorted.length - 1]}`;
  const canonical = canonicalVersion(requested);
  if (!canonical) return `unknown version ${requested} (known: ${list})`;
  const after = sorted.findIndex((v) => compareVersions(v, canonical) > 0);
  const nearest =
    after === -1 ? [sorted[sorted.length - 1]] : after === 0 ? [sorted[0]] : [sorted[after - 1], sorted[after]];
  return `unknown version ${requested} (known: ${list}; nearest: ${nearest.join(', ')})`;
}

/** Several tags can name one version (`2.0.0`, `v2.0.0`, `demo/2.0.0`): lower ranks are plainer. */
export function tagRank(tag: string, version: string): number {
  const kind = tag === version ? 0 : /^v?\d/i.test(tag) ? 1 : 2;
  return kind * 1000 + tag.length;
}
