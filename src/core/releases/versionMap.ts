/**
 * Notes of one project reviewed under the versions of another that ships it: a Helm chart's review
 * shows its app's release notes under the chart version that first ships each app version. Chart
 * 15.1.0 ships nginx 1.25.3 and 15.2.0 ships 1.25.4: nginx's notes for 1.25.4 belong to chart 15.2.0.
 */
import type { VersionSection } from './model';
import type { NoteDocument } from './ports';
import { compareVersions } from './version';

export interface VersionMap {
  /** Versions at or below this one (the app version the review starts from) are left out. */
  after: string;
  /** The review's versions, oldest first, each with the newest other version it ships. */
  map: readonly { upTo: string; version: string }[];
}

/** The review version a section of version `v` belongs to, or undefined when none ships it. */
export function mapVersion(m: VersionMap, v: string): string | undefined {
  if (compareVersions(v, m.after) <= 0) return undefined;
  for (const entry of m.map) if (compareVersions(v, entry.upTo) <= 0) return entry.version;
  return undefined;
}

/**
 * Puts a section of another project's notes under the review version that ships it, its items'
 * headings led by where they come from (`App 1.25.4`, `Chart`); false when no review version ships it.
 */
export function relabel(section: VersionSection, doc: Pick<NoteDocument, 'origin' | 'versionMap'>): boolean {
  const own = section.version;
  if (doc.versionMap) {
    const mapped = mapVersion(doc.versionMap, own);
    if (!mapped) return false;
    section.version = mapped;
    delete section.package;
  }
  const label = doc.origin === undefined ? undefined : doc.versionMap ? `${doc.origin} ${own}` : doc.origin;
  if (label !== undefined) for (const item of section.items) item.heading = [label, ...item.heading];
  return true;
}
