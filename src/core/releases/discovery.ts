/**
 * Finds release-note files in a repository listing (a pure function over paths, so any source that
 * can list files at a ref can use it).
 *
 * - changelog: CHANGELOG, CHANGES, HISTORY, NEWS, RELEASES, RELEASE_NOTES, "release notes"
 *   (any case, with .md/.markdown/.rst/.txt or no extension, optionally suffixed: CHANGELOG-3.x.md)
 *   in the root or in doc/, docs/;
 * - version-file: one file per version in a changelog folder (`changelogs/1.2.3.md`,
 *   `docs/releases/4.2.txt`); the version comes from the file name;
 * - changelog also: per-period files in such folders (`changelog/2023.md`);
 * - upgrade: UPGRADE*, UPGRADING*, MIGRATION*, MIGRATING* in the root or docs (`UPGRADE-6.0.md` holds
 *   the notes of 6.0), and files under docs/upgrade*, docs/update*, docs/migration* folders.
 *
 * `extra` names files the rules miss (the `preflight.releaseNotes.files` setting, `--files`): an exact
 * path (a version-file when its name is a version, an upgrade guide when it is named like one, else a
 * changelog; any extension or none), or a folder ending with `/` (its .md/.markdown/.rst/.txt files,
 * directly or one level below: version-files when named by a version, else changelogs).
 */
import { canonicalVersion, rangeTarget } from './version';

export type NoteFileKind = 'changelog' | 'version-file' | 'upgrade';

export interface NoteFile {
  path: string;
  kind: NoteFileKind;
  /** The canonical version named by the file (version-files, `UPGRADE-6.0.md`). */
  version?: string;
}

const ALLOWED_EXT = /\.(?:md|mdx|markdown|mdown|mkd|rst|txt|adoc|asciidoc)$/i;
// A leading number orders the file first in a listing (`00-RELEASENOTES`, Redis).
const CHANGELOG_STEM = /^(?:\d{1,3}[-_])?(?:changelog|changes|history|news|releases|release[-_ ]?notes)(?:[-_.][\w.-]*)?$/i;
// A leading number orders a docs page (`91-migrations.md`, Docusaurus).
const UPGRADE_STEM = /^(?:upgrade|upgrading|updating|migration|migrating)(?:[-_.][\w.-]*)?$|^\d{1,3}[-_](?:upgrade|upgrading|updating|migrations?|migrating)(?:[-_.][\w.-]*)?$/i;
// `6.0-Upgrade.md`, `v2-migration.md`: a version, then the guide's name.
const VERSION_UPGRADE_STEM = /^v?\d[\w.]{0,30}?[-_ ](?:upgrade|upgrading|updating|migration|migrating)(?:[-_ ]guide)?$/i;
const FOLDER = /^(?:changelogs?|changes|history|news|releases|release[-_ ]?notes|releasenotes|relnotes)$/i;
const DOC_DIR = /^(?:docs?|documentation)$/i;
// A docs site's folders around its pages: `website/content/docs/`, `docs/docs/`, `docs/sources/`.
const SITE_DIR = /^(?:website|site|www|content|master)$/i;
const PAGES_DIR = /^(?:docs?|content|sources|pages|src)$/i;
const UPGRADE_DIR = /^(?:upgrade|upgrading|upgrades|migration|migrations|migrating|update|updating)(?:[-_][\w-]*)?$/i;
const FOLDER_EXT = /\.(?:md|mdx|markdown|rst|txt|adoc|asciidoc)$/i;
const PERIOD = /^(?:\d{4}(?:[-_]\d{2})?|v?\d+\.x)$/i;

/** The name without an allowed extension; null for other extensions (CHANGELOG.yml, changes.py). */
function stemOf(name: string): string | null {
  if (ALLOWED_EXT.test(name)) return name.replace(ALLOWED_EXT, '');
  return /\.[A-Za-z][A-Za-z0-9]{0,7}$/.test(name) ? null : name;
}

export function discoverNoteFiles(paths: readonly string[], extra: readonly string[] = []): NoteFile[] {
  const out: NoteFile[] = [];
  for (const path of paths) {
    const parts = path.split('/');
    const name = parts[parts.length - 1];
    const dirs = parts.slice(0, -1);
    const stem = stemOf(name);
    if (stem === null) continue;
    const docs = docsRoot(dirs);
    const inRootOrDocs = dirs.length === 0 || (docs > 0 && (dirs.length === docs || (dirs.length === docs + 1 && PAGES_DIR.test(dirs[docs]))));
    if (inRootOrDocs && CHANGELOG_STEM.test(stem)) {
      out.push({ path, kind: 'changelog' });
      continue;
    }
    if (inRootOrDocs && (UPGRADE_STEM.test(stem) || VERSION_UPGRADE_STEM.test(stem))) {
      // UPGRADE-6.0.md, 6.0-Upgrade.md, UPGRADE-5.x-to-6.0.md: the guide for upgrading to 6.0.
      const version = upgradeVersion(stem);
      out.push(version ? { path, kind: 'upgrade', version } : { path, kind: 'upgrade' });
      continue;
    }
    const folderAt = changelogFolderIndex(dirs, docs);
    if (folderAt !== -1 && dirs.length - folderAt <= 2) {
      const version = canonicalVersion(stem);
      if (version) out.push({ path, kind: 'version-file', version });
      else if (PERIOD.test(stem) || CHANGELOG_STEM.test(stem)) out.push({ path, kind: 'changelog' });
      continue;
    }
    if (docs > 0 && dirs.length > docs && dirs.slice(docs).some((d) => UPGRADE_DIR.test(d)) && ALLOWED_EXT.test(name)) {
      const version = upgradeVersion(stem);
      out.push(version ? { path, kind: 'upgrade', version } : { path, kind: 'upgrade' });
    }
  }
  if (extra.length) addExplicit(out, paths, extra);
  return out.sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind) || a.path.localeCompare(b.path));
}

/** The entries of `extra` (as written) that name no file of the listing: no such file, or a folder without notes files. */
export function missingExtraFiles(paths: readonly string[], extra: readonly string[]): string[] {
  const listed = new Set(paths);
  return extra.filter((raw) => {
    const entry = normalizeExtra(raw);
    if (!entry) return false;
    if (!entry.endsWith('/')) return !listed.has(entry);
    let end = entry.length;
    while (end > 0 && entry[end - 1] === '/') end--;
    const prefix = `${entry.slice(0, end)}/`;
    return !paths.some((p) => p.startsWith(prefix) && FOLDER_EXT.test(p) && p.slice(prefix.length).split('/').length <= 2);
  });
}

/** An entry of `extra` as a path in a listing: forward slashes, no leading `./` or `/`; '' for none. */
function normalizeExtra(raw: string): string {
  const entry = raw.trim().replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').replace(/^\/+/, '');
  return entry === '/' ? '' : entry;
}

/** Adds the files that `extra` names and the rules did not find. */
function addExplicit(out: NoteFile[], paths: readonly string[], extra: readonly string[]): void {
  const seen = new Set(out.map((f) => f.path));
  const listed = new Set(paths);
  const add = (file: NoteFile) => {
    if (seen.has(file.path)) return;
    seen.add(file.path);
    out.push(file);
  };
  for (const raw of extra) {
    const entry = normalizeExtra(raw);
    if (!entry) continue;
    if (entry.endsWith('/')) {
      let end = entry.length;
      while (end > 0 && entry[end - 1] === '/') end--;
      const prefix = `${entry.slice(0, end)}/`;
      for (const path of paths) {
        if (!path.startsWith(prefix)) continue;
        const rest = path.slice(prefix.length).split('/');
        const name = rest[rest.length - 1];
        if (rest.length > 2 || !FOLDER_EXT.test(name)) continue;
        const version = canonicalVersion(name.replace(FOLDER_EXT, ''));
        add(version ? { path, kind: 'version-file', version } : { path, kind: 'changelog' });
      }
      continue;
    }
    if (!listed.has(entry)) continue;
    const name = entry.slice(entry.lastIndexOf('/') + 1);
    const stem = name.replace(ALLOWED_EXT, '');
    const inUpgradeFolder = entry.split('/').slice(0, -1).some((d) => UPGRADE_DIR.test(d));
    if (UPGRADE_STEM.test(stem) || VERSION_UPGRADE_STEM.test(stem) || inUpgradeFolder) {
      const version = upgradeVersion(stem);
      add(version ? { path: entry, kind: 'upgrade', version } : { path: entry, kind: 'upgrade' });
      continue;
    }
    const version = canonicalVersion(stem);
    if (version) add({ path: entry, kind: 'version-file', version });
    else add({ path: entry, kind: 'changelog' });
  }
}

/**
 * The version an upgrade guide is for, from its file name: the version upgraded to when the name is
 * a range (`2.3-2.4`, `from-5.x-to-6.0`, `v1_to_v2`), else the version it names (`UPGRADE-6.0`,
 * `changes-26_0_0`).
 */
function upgradeVersion(stem: string): string | undefined {
  const named = stem
    .replace(/[-_ ](?:upgrade|upgrading|updating|migration|migrating)(?:[-_ ]guide)?$/i, '')
    // `migrate_8_10`, `upgrade-to-2_5`: the words before the version, and `_` between its numbers.
    .replace(/^(?:migrat|upgrad|updat)\w*?[-_ ](?:to[-_ ])?(?=v?\d)/i, '')
    .replace(/(\d)_(?=\d)/g, '$1.')
    // `upgrade-to-1.15.x`: the guide for the 1.15 series.
    .replace(/(\d)\.x$/i, '$1');
  return rangeTarget(named) ?? canonicalVersion(named) ?? (/^v?\d{1,9}$/.test(named) ? canonicalVersion(`${named.replace(/^v/, '')}.0`) : null) ?? undefined;
}

/**
 * How many folders the docs root spans: 1 for `docs/`, 3 for `website/content/docs/`, 2 for
 * `master/docs/`; 0 when the path is not under docs.
 */
function docsRoot(dirs: readonly string[]): number {
  for (let i = 0; i < dirs.length && i < 3; i++) {
    if (DOC_DIR.test(dirs[i])) return i + 1;
    if (!SITE_DIR.test(dirs[i])) return 0;
  }
  return 0;
}

/** Index of a changelog folder at the root (`changelogs/`) or under docs (`docs/releases/`), else -1. */
function changelogFolderIndex(dirs: string[], docs: number): number {
  if (dirs.length >= 1 && FOLDER.test(dirs[0])) return 0;
  if (docs === 0) return -1;
  if (dirs.length > docs && FOLDER.test(dirs[docs])) return docs;
  // One section of the docs between: `docs/reference/release-notes/8.10.0.asciidoc`.
  if (dirs.length > docs + 1 && FOLDER.test(dirs[docs + 1])) return docs + 1;
  return -1;
}

function kindOrder(kind: NoteFileKind): number {
  return kind === 'changelog' ? 0 : kind === 'version-file' ? 1 : 2;
}
