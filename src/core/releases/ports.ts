/**
 * Where release notes come from: `file:`, `git:`, `github:` (releases, plus files at a ref, through
 * the GitHub port) and `npm:` (versions from the registry, files from the tarball or the package's
 * GitHub repository).
 */
import type { Logger } from '../log';
import type { NoteFormat, NotesSearch, Problem, Result } from './model';
import type { VersionMap } from './versionMap';

export interface VersionRef {
  /** Canonical version (see version.ts). */
  version: string;
  /** The tag or dist-tag the version came from, as written. */
  tag?: string;
  /** YYYY-MM-DD. */
  date?: string | null;
  /** The package the tag names, in a repository of several (`pg-pool` of `pg-pool@3.5.0`). */
  package?: string;
}

/** The versions a review is about: `(from, to]`, canonical. */
export interface VersionRange {
  from: string;
  to: string;
}

/** One text to parse: a changelog file, an upgrade guide, or a release body that belongs to one version. */
export interface NoteDocument {
  /** Shown to the user: a path relative to the source root, or e.g. `releases/v1.2.3` for a release body. */
  file: string;
  text: string;
  /** Set when the whole document is the notes of one version (GitHub release body, `changelogs/1.2.3.md`). */
  version?: string;
  format?: NoteFormat;
  /** The ref the document was read at (tag or branch), when the source reads several. */
  ref?: string;
  /** Where a person can read the document (a GitHub release page, a file on GitHub). */
  url?: string;
  /** Upgrade guides are often version-less prose; they only contribute what has version headings. */
  kind?: 'changelog' | 'version-file' | 'upgrade' | 'release';
  /** Where the document comes from in a review of several projects ("Chart", "App"): put before its items' headings. */
  origin?: string;
  /** The document's versions are another project's (the app a chart ships): see versionMap.ts. */
  versionMap?: VersionMap;
}

export interface ReadOptions {
  signal?: AbortSignal;
  logger?: Logger;
  /** The tag the `to` version was released as, when listVersions reported one. */
  toTag?: string;
  /** The range under review: a source may stop listing versions older than `from`. */
  range?: VersionRange;
}

export interface NoteBundle {
  documents: NoteDocument[];
  problems: Problem[];
  /** Where the source looked: said when no notes were found. */
  searched?: NotesSearch;
}

export interface ReleaseSource {
  /** `git:/path/to/clone`, `file:CHANGELOG.md`, `github:owner/repo`... */
  readonly id: string;
  /**
   * The one package of a repository of several that the source is about (`#@babel/core` in the
   * spec): only its versions are listed, and the review leaves out notes of other packages.
   */
  readonly package?: string;
  /** Versions known without reading notes (tags, registry versions); may be empty. */
  listVersions(opts?: ReadOptions): Promise<Result<VersionRef[]>>;
  /** Documents that may hold notes for the range; extra versions are filtered out by the caller. */
  readNotes(range: VersionRange, opts?: ReadOptions): Promise<Result<NoteBundle>>;
}
