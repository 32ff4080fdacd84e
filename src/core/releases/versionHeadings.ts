/** Which headings of a document start version sections (see changelog.ts for the rules). */
import type { Block, HeadingBlock } from './blocks';
import { DETAILS_LEVEL } from './blocks';
import { parseUpgradeHeading, parseVersionHeading } from './headings';
import { canonicalVersion, parseVersion } from './version';

export interface VersionHeadingAt {
  block: HeadingBlock;
  version: string;
  package?: string;
  label: string;
  date: string | null;
  /** A second version the heading names after a slash. */
  also?: string;
  /** Read as an upgrade heading ("Upgrade notes for 1.39"). */
  upgrade?: boolean;
  /** The other releases the heading names ("Upgrading to v2.16.2, v2.15.4, or v2.14.9", "0.47.2 and 0.46.3"). */
  others?: string[];
}

/**
 * Version headings, keeping only levels at most one deeper than the most common one. Outside
 * upgrade guides, an upgrade heading ("Upgrade notes for 1.39") counts only at the level of the
 * version headings or above: deeper, it is a sub-section of a version ("#### Upgrade notes for 8.0").
 */
export function versionHeadings(blocks: Block[], upgradeGuide: boolean): Map<HeadingBlock, VersionHeadingAt> {
  const found: VersionHeadingAt[] = [];
  const upgrades: VersionHeadingAt[] = [];
  for (const block of blocks) {
    if (block.kind !== 'heading' || block.level === DETAILS_LEVEL) continue;
    const parsed = parseVersionHeading(block.text);
    if (parsed) {
      found.push({ block, ...parsed });
      continue;
    }
    const upgrade = parseUpgradeHeading(block.text);
    if (upgrade) (upgradeGuide ? found : upgrades).push({ block, ...upgrade, upgrade: true });
  }
  const dominant = dominantLevel(found);
  const kept = [...found, ...upgrades.filter((u) => found.length && u.block.level <= dominant)].filter((f) => f.block.level <= dominant + 1);
  return new Map(kept.map((f) => [f.block, f]));
}

function dominantLevel(found: readonly VersionHeadingAt[]): number {
  const counts = new Map<number, number>();
  for (const f of found) counts.set(f.block.level, (counts.get(f.block.level) ?? 0) + 1);
  let dominant = 0;
  let best = -1;
  for (const [level, n] of [...counts].sort((x, y) => x[0] - y[0])) {
    if (n > best) [dominant, best] = [level, n];
  }
  return dominant;
}

/**
 * The version headings of a one-version document that also names other versions of its family:
 * `v1.26.md` (1.26.0) with `## Version 1.26.3`; `2022.7.md` with `## Fixed in 2022.7.2`. Undefined
 * when every version heading names the document's own version (its title) or none of the family.
 */
export function familyHeadings(blocks: Block[], version: string, upgradeGuide: boolean): Map<HeadingBlock, VersionHeadingAt> | undefined {
  const own = parseVersion(canonicalVersion(version) ?? version);
  if (!own) return undefined;
  const all = versionHeadings(blocks, upgradeGuide);
  let others = false;
  for (const v of all.values()) {
    const p = parseVersion(v.version);
    if (!p || p.major !== own.major || (p.minor !== own.minor && own.patch === 0 && own.minor !== 0)) return undefined;
    if (v.version !== own.canonical) others = true;
  }
  return others ? all : undefined;
}

/** In a one-version document, a heading naming that version is its title, not a sub-heading. */
export function singleVersionHeadings(blocks: Block[], version: string): Map<HeadingBlock, VersionHeadingAt> {
  const out = new Map<HeadingBlock, VersionHeadingAt>();
  const canonical = canonicalVersion(version) ?? version;
  for (const block of blocks) {
    if (block.kind !== 'heading') continue;
    const parsed = parseVersionHeading(block.text) ?? parseUpgradeHeading(block.text);
    if (parsed && parsed.version === canonical) out.set(block, { block, ...parsed });
  }
  return out;
}
