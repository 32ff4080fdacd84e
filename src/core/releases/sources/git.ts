/**
 * `git:PATH[#PACKAGE]`: a local clone, bare or not. Versions are the tags (with their dates), of one
 * package when the repository tags several (see packages.ts); notes are the release-note files found
 * at the `to` tag and on the default branch (HEAD), because upgrade notes are often amended after a
 * release, and at the tags of versions in the range that neither mentions (see intermediate.ts).
 * HEAD's copy comes first so its line numbers win when the review drops identical items.
 */
import path from 'node:path';
import { discoverNoteFiles } from '../discovery';
import type { Problem, Result } from '../model';
import { fail, ok } from '../model';
import type { NoteBundle, NoteDocument, ReadOptions, ReleaseSource, VersionRange, VersionRef } from '../ports';
import { canonicalVersion, compareVersions, sortNewestFirst, tagPackage, tagRank } from '../version';
import { isoDay } from '../dates';
import { decodeText } from './decode';
import { searchLog } from './search';
import { MAX_EXTRA_REFS, orderNoteFiles, readIntermediateTags } from './intermediate';
import { selectPackage } from './packages';

export interface GitSourceOptions {
  cwd?: string;
  /** Runs git in a directory (src/adapters/git.ts). */
  git: (dir: string) => GitRepo;
  /** Release-note files or folders (`notes/`) to read besides the ones found by name. */
  files?: readonly string[];
  /** The package whose tags to list, in a repository that tags several (`pg-pool` for `pg-pool@3.5.0`). */
  package?: string;
  /** How many tags besides HEAD and the `to` tag may be read for versions without notes (24). */
  maxExtraRefs?: number;
}

interface Listed {
  versions: VersionRef[];
  problem?: Problem;
}

/** A local clone, as the git source reads it; errors are values with one-line messages. */
export interface GitRepo {
  /** Whether the directory exists, is a repository and has a commit. */
  check(): Promise<Result<void>>;
  /** A read-only git command's standard output. */
  run(args: string[], signal?: AbortSignal): Promise<Result<Buffer>>;
  /** Many blobs at once, by object id; missing ones are left out. */
  catBlobs(oids: string[], signal?: AbortSignal): Promise<Result<Map<string, Buffer>>>;
}

export function createGitSource(spec: string, opts: GitSourceOptions): Result<ReleaseSource> {
  if (!spec.trim()) return fail('source', 'git: needs the path of a local clone (git:/path/to/repo)');
  const dir = path.resolve(opts.cwd ?? process.cwd(), spec.trim());
  const git = opts.git(dir);
  let checked: Promise<Result<void>> | undefined;
  const check = () => (checked ??= git.check());
  const base = `git:${dir}`;
  const chosen = opts.package;

  const listTags = async (signal?: AbortSignal): Promise<Result<Listed>> => {
    const ready = await check();
    if (!ready.ok) return ready;
    const out = await git.run(['for-each-ref', '--format=%(refname:strip=2)%00%(creatordate:iso-strict)', 'refs/tags'], signal);
    if (!out.ok) return out;
    const found: { tag: string; version: string; date: string; package?: string }[] = [];
    for (const line of out.value.toString('utf8').split('\n')) {
      const [tag, date] = line.split('\0');
      const version = tag ? canonicalVersion(tag) : null;
      if (version) found.push({ tag, version, date, package: tagPackage(tag) });
    }
    const selection = selectPackage(base, found.map((f) => f.package), chosen);
    if (!selection.ok) return selection;
    const byVersion = new Map<string, VersionRef>();
    for (const { tag, version, date, package: pkg } of found) {
      if (!selection.value.accepts(pkg)) continue;
      const seen = byVersion.get(version);
      if (seen && tagRank(tag, version) >= tagRank(seen.tag!, version)) continue;
      const ref: VersionRef = { version, tag, date: isoDay(date) };
      if (pkg !== undefined) ref.package = pkg;
      byVersion.set(version, ref);
    }
    const versions = sortNewestFirst([...byVersion.values()], (v) => v.version);
    return ok(selection.value.problem ? { versions, problem: selection.value.problem } : { versions });
  };

  const source: ReleaseSource = {
    id: chosen ? `${base}#${chosen}` : base,
    async listVersions(ro?: ReadOptions) {
      const listed = await listTags(ro?.signal);
      return listed.ok ? ok(listed.value.versions) : listed;
    },
    async readNotes(range: VersionRange, ro?: ReadOptions) {
      const listed = await listTags(ro?.signal);
      if (!listed.ok) return listed;
      const problems: Problem[] = listed.value.problem ? [listed.value.problem] : [];
      const search = searchLog(opts.files);
      const readAt = refReader(git, range, opts.files ?? [], search, ro?.signal);
      const documents: NoteDocument[] = [];
      const refsRead: string[] = [];
      const toTag = ro?.toTag ?? listed.value.versions.find((v) => v.version === range.to)?.tag;
      for (const ref of ['HEAD', ...(toTag ? [`refs/tags/${toTag}`] : [])]) {
        const read = await readAt(ref);
        if (!read.ok) return read;
        for (const doc of read.value.documents) documents.push(doc);
        for (const p of read.value.problems) problems.push(p);
        refsRead.push(shortRef(ref));
      }
      const extra = await readIntermediateTags({
        range,
        versions: listed.value.versions,
        documents,
        refsRead,
        maxRefs: opts.maxExtraRefs ?? MAX_EXTRA_REFS.git,
        readAt: (tag) => readAt(`refs/tags/${tag}`),
        signal: ro?.signal,
      });
      if (!extra.ok) return extra;
      for (const doc of extra.value.documents) documents.push(doc);
      for (const p of extra.value.problems) problems.push(p);
      return ok({ documents: orderNoteFiles(documents), problems, searched: search.result() });
    },
  };
  return ok(chosen ? { ...source, package: chosen } : source);
}


/**
 * Reads the release-note files at one ref at a time; a file whose blob was read at an earlier ref
 * (the same path and object) is read and parsed once. A missing tag is no error: HEAD may still hold
 * the notes.
 */
function refReader(git: GitRepo, range: VersionRange, files: readonly string[], search: ReturnType<typeof searchLog>, signal?: AbortSignal): (ref: string) => Promise<Result<NoteBundle>> {
  const seen = new Set<string>();
  return async (ref) => {
    const listing = await git.run(['ls-tree', '-r', '-z', '--full-tree', ref], signal);
    if (!listing.ok) {
      if (ref === 'HEAD' || signal?.aborted) return listing;
      return ok({ documents: [], problems: [{ message: `cannot list files at ${shortRef(ref)}: ${listing.error.message}` }] });
    }
    const oids = new Map<string, string>();
    for (const record of listing.value.toString('utf8').split('\0')) {
      // Symlinks (mode 120000) are blobs holding a path; their target is listed on its own.
      const m = /^(\d+) blob ([0-9a-f]+)\t(.+)$/s.exec(record);
      if (m && m[1] !== '120000') oids.set(m[3], m[2]);
    }
    search.listed(shortRef(ref), [...oids.keys()]);
    const entries: { path: string; kind: NonNullable<NoteDocument['kind']>; version?: string; oid: string }[] = [];
    for (const file of discoverNoteFiles([...oids.keys()], files)) {
      // One file per version: only the versions the review needs (`from` too, for engine diffs).
      if (file.version && (compareVersions(file.version, range.from) < 0 || compareVersions(file.version, range.to) > 0)) continue;
      const oid = oids.get(file.path)!;
      const key = `${file.path}\0${oid}`;
      if (seen.has(key)) continue;
      seen.add(key);
      entries.push({ path: file.path, kind: file.kind, version: file.version, oid });
    }
    const blobs = await git.catBlobs([...new Set(entries.map((e) => e.oid))], signal);
    if (!blobs.ok) return blobs;
    const documents: NoteDocument[] = [];
    const problems: Problem[] = [];
    for (const e of entries) {
      const bytes = blobs.value.get(e.oid);
      if (!bytes) continue;
      const { text, problem } = decodeText(bytes, e.path);
      if (problem) problems.push(problem);
      documents.push({ file: e.path, text, version: e.version, kind: e.kind, ref: shortRef(ref) });
    }
    return ok({ documents, problems });
  };
}

function shortRef(ref: string): string {
  return ref.replace(/^refs\/tags\//, '');
}
