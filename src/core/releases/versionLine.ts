/**
 * A release line instead of a version: `1.25.x`, `20.x` (what a container tag such as
 * `nginx:1.25-alpine` follows). A review from a line starts at the newest release of that line the
 * source lists.
 */
import type { VersionRef } from './ports';
import { compareVersions, isPrerelease } from './version';

export interface VersionLine {
  /** As written for people: `1.25.x`. */
  label: string;
  /** What the line's versions start with: `1.25.`. */
  prefix: string;
  /** Its first release, for ordering: `1.25.0`. */
  floor: string;
}

/** `1.25.x`, `v1.25.*`, `20.x` -> the line; anything else -> undefined. */
export function versionLine(input: string): VersionLine | undefined {
  const m = /^v?(\d{1,9})(?:\.(\d{1,9}))?\.[xX*]$/.exec(input.trim());
  if (!m) return undefined;
  const numbers = [Number(m[1]), ...(m[2] === undefined ? [] : [Number(m[2])])];
  const prefix = `${numbers.join('.')}.`;
  return { label: `${prefix}x`, prefix, floor: [...numbers, 0, 0].slice(0, 3).join('.') };
}

/** The newest final release of the line older than `before`, or undefined when the listing has none. */
export function newestOfLine(versions: readonly VersionRef[], line: VersionLine, before: string): string | undefined {
  let best: string | undefined;
  for (const { version } of versions) {
    if (!version.startsWith(line.prefix) || isPrerelease(version) || compareVersions(version, before) >= 0) continue;
    if (!best || compareVersions(version, best) > 0) best = version;
  }
  return best;
}
