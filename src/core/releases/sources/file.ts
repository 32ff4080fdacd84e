/**
 * `file:PATH[,PATH...][#PACKAGE]`: local changelogs and upgrade guides; versions come from their
 * headings (of one package, when a changelog holds several).
 */
import path from 'node:path';
import { parseNotes } from '../changelog';
import type { Classifier } from '../highlight';
import { discoverNoteFiles } from '../discovery';
import { sizeError } from '../limits';
import type { Problem, Result } from '../model';
import { fail, ok } from '../model';
import type { NoteBundle, NoteDocument, ReadOptions, ReleaseSource, VersionRef } from '../ports';
import { canonicalVersion, samePackage, sortNewestFirst } from '../version';
import { decodeText } from './decode';
import { displayNames } from '../sourceLabel';

const UNCLASSIFIED: Classifier = { classify: () => [], explain: () => ({ risks: [], reasons: [] }) };

/** What reading a local file gave: its bytes, or why not. */
export type LocalRead = { bytes: Buffer } | { missing: true } | { notAFile: true } | { error: string };

export interface FileSourceOptions {
  /** Reads a file by its absolute path (src/adapters/localFiles.ts). */
  read: (absolutePath: string) => Promise<LocalRead>;
  /** Relative paths are resolved, and shown, relative to this directory. */
  cwd?: string;
  /**
   * The versions the documents' headings name (default: noteVersions, in this thread), of `pkg`
   * when one is chosen. The extension reads them in a worker: listing a file's versions parses it.
   */
  versions?: (documents: NoteDocument[], opts?: ReadOptions, pkg?: string) => Promise<Result<VersionRef[]>>;
  /** The package whose notes to keep, in a changelog of several (`## pg@8.11.0`, `## pg-pool@3.6.0`). */
  package?: string;
}

/**
 * The versions of the documents' version headings, newest first (items are not classified); with
 * `pkg`, headings that name another package (`## other@1.2.0`) are left out.
 */
export function noteVersions(documents: readonly NoteDocument[], pkg?: string): VersionRef[] {
  const seen = new Map<string, VersionRef>();
  for (const doc of documents) {
    const opts = { version: doc.version, upgradeGuide: doc.kind === 'upgrade', classifier: UNCLASSIFIED };
    for (const section of parseNotes(doc.text, doc.file, opts).sections) {
      if (pkg !== undefined && section.package !== undefined && !samePackage(section.package, pkg)) continue;
      if (!seen.has(section.version)) seen.set(section.version, { version: section.version, date: section.date });
    }
  }
  return sortNewestFirst([...seen.values()], (v) => v.version);
}

export function createFileSource(spec: string, opts: FileSourceOptions): Result<ReleaseSource> {
  const cwd = opts.cwd ?? process.cwd();
  const paths = spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (paths.length === 0) return fail('source', 'file: needs at least one path (file:CHANGELOG.md[,UPGRADE.md])');
  let loaded: Promise<Result<NoteBundle>> | undefined;
  const load = () => (loaded ??= readAll(paths, cwd, opts.read));

  const pkg = opts.package;
  const id = `file:${paths.join(',')}${pkg ? `#${pkg}` : ''}`;
  const source: ReleaseSource = {
    id,
    async listVersions(ro?: ReadOptions) {
      const bundle = await load();
      if (!bundle.ok) return bundle;
      const tooLarge = sizeError(id, bundle.value.documents);
      if (tooLarge) return { ok: false, error: tooLarge };
      return opts.versions ? opts.versions(bundle.value.documents, ro, pkg) : ok(noteVersions(bundle.value.documents, pkg));
    },
    readNotes: () => load(),
  };
  return ok(pkg ? { ...source, package: pkg } : source);
}

/**
 * The files of a `file:` spec: each one's absolute path and how items name it, relative to `cwd`
 * inside it and by its last segments outside it (see sourceLabel.ts): never this machine's path.
 */
export function sourceFiles(paths: readonly string[], cwd: string): { abs: string; shown: string }[] {
  const abs = paths.map((p) => path.resolve(cwd, p));
  const names = displayNames(abs.map((a) => displayPath(a, cwd)));
  return abs.map((a, i) => ({ abs: a, shown: names[i] }));
}

async function readAll(paths: string[], cwd: string, readFile: FileSourceOptions['read']): Promise<Result<NoteBundle>> {
  const documents: NoteDocument[] = [];
  const problems: Problem[] = [];
  const files = sourceFiles(paths, cwd);
  for (let i = 0; i < paths.length; i++) {
    const { abs, shown: name } = files[i];
    // Messages name the file as fully as the user needs to find it; items by its name in the source.
    const shown = displayPath(abs, cwd);
    const read = await readFile(abs);
    if ('missing' in read) return fail('io', `no such file: ${shown}`);
    if ('notAFile' in read) return fail('io', `${shown} is not a file`);
    if ('error' in read) return fail('io', `cannot read ${shown}: ${read.error}`);
    const bytes = read.bytes;
    const { text, problem } = decodeText(bytes, name);
    if (problem) problems.push(problem);
    // `UPGRADE.md` is an upgrade guide; `4.2.txt` (Django's docs/releases) holds the notes of 4.2.
    const base = path.basename(abs);
    const known = discoverNoteFiles([base])[0];
    const version = known?.version ?? canonicalVersion(base.replace(/\.(?:md|markdown|rst|txt)$/i, '')) ?? undefined;
    documents.push({ file: name, text, version, kind: known?.kind ?? (version ? 'version-file' : 'changelog') });
  }
  return ok({ documents, problems });
}

/** A path as the operator can use it from `cwd`: relative inside it, absolute outside it. */
export function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : abs;
}
