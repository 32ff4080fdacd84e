/**
 * `github:OWNER/REPO[#PACKAGE]`: versions from GitHub Releases and tags, of one package when the
 * repository tags several (see packages.ts); notes from the release bodies and from the
 * release-note files at the `to` tag and on the default branch (upgrade notes are often amended
 * after a release), and at the tags of versions in the range that none of them mentions (see
 * intermediate.ts), read through the GitHub port.
 *
 * Requests are made one at a time, as GitHub asks of API clients. When GitHub could not answer and
 * an earlier answer was used instead, the bundle says so in a problem.
 */
import type { GitHubApi, GitHubError, GitHubErrorKind, GitHubResult, Page, Release, RepoRef, Repository, Tag, TreeFile } from '../../github/ports';
import { discoverNoteFiles } from '../discovery';
import type { Problem, Result } from '../model';
import { fail, ok } from '../model';
import type { NoteBundle, NoteDocument, ReadOptions, ReleaseSource, VersionRange, VersionRef } from '../ports';
import { canonicalVersion, compareVersions, samePackage, sortNewestFirst, tagPackage, tagRank } from '../version';
import { isoDay } from '../dates';
import { apiErrorCode, encodePath, listingReader } from './codeHost';
import { decodeText } from './decode';
import { searchLog } from './search';
import { MAX_EXTRA_REFS, orderNoteFiles, readIntermediateTags } from './intermediate';
import type { PackageSelection } from './packages';

export interface GitHubSourceOptions {
  api: GitHubApi;
  /** Release-note files or folders (`notes/`) to read besides the ones found by name. */
  files?: readonly string[];
  /** The package whose releases and tags to list, in a repository that tags several (`@babel/core`). */
  package?: string;
  /** How many tags besides the default branch and the `to` tag may be read for versions without notes (8). */
  maxExtraRefs?: number;
}

interface Listing {
  releases: Release[];
  tags: Tag[];
}

const REPO_RE = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)(?:\.git)?$/;

export function parseRepoSpec(spec: string): RepoRef | null {
  const m = REPO_RE.exec(spec.trim());
  return m ? { owner: m[1], repo: m[2] } : null;
}

export function createGitHubSource(spec: string, opts: GitHubSourceOptions): Result<ReleaseSource> {
  const repo = parseRepoSpec(spec);
  if (!repo) return fail('source', `github: needs OWNER/REPO (github:nodejs/node), not "${spec}"`);
  const { api } = opts;
  const base = `github:${repo.owner}/${repo.repo}`;
  const chosen = opts.package;
  // Messages of errors that were answered from the cache instead.
  const staleReasons = new Set<string>();
  const take = <T>(r: GitHubResult<T>): Result<T> => {
    if (!r.ok) return fail(apiErrorCode(r.error.kind), r.error.message);
    if (r.stale) staleReasons.add(r.stale.message);
    return ok(r.value);
  };
  let repository: Promise<Result<Repository>> | undefined;
  const info = (signal?: AbortSignal) => (repository ??= api.getRepository(repo, { signal }).then(take));
  const selected = listingReader<Listing>({ base, chosen, info, packagesOf, list: (from, signal) => list(api, repo, from, chosen, signal).then(take) });

  const source: ReleaseSource = {
    id: chosen ? `${base}#${chosen}` : base,
    async listVersions(ro?: ReadOptions) {
      const listed = await selected(ro);
      return listed.ok ? ok(versionsOf(listed.value.listing, listed.value.selection)) : listed;
    },
    async readNotes(range: VersionRange, ro?: ReadOptions) {
      const listed = await selected({ ...ro, range: ro?.range ?? range });
      if (!listed.ok) return listed;
      const { listing: found, selection } = listed.value;
      const repoInfo = await info(ro?.signal);
      if (!repoInfo.ok) return repoInfo;
      const { defaultBranch, htmlUrl } = repoInfo.value;
      const problems: Problem[] = selection.problem ? [selection.problem] : [];
      const releases = releaseDocuments(found.releases, range, selection);
      const versions = versionsOf(found, selection);

      // The same blob on the default branch and at the tags is fetched and parsed once.
      const seen = new Set<string>();
      const blobs = new Map<string, Buffer>();
      const search = searchLog(opts.files);
      const readAt = async (ref: string): Promise<Result<NoteBundle>> => {
        const tree = await api.getTree(repo, ref, { signal: ro?.signal });
        // A missing tag or an empty repository (409) still leaves the release bodies.
        if (!tree.ok && SKIPPABLE.has(tree.error.kind)) {
          return ok({ documents: [], problems: [{ message: `release-note files at ${ref} not read: ${tree.error.message}` }] });
        }
        const files = take(tree);
        if (!files.ok) return files;
        const out: NoteBundle = { documents: [], problems: [] };
        if (files.value.truncated) out.problems.push({ message: `GitHub listed only part of the files of ${repo.owner}/${repo.repo} at ${ref}; some release notes may be missing` });
        const byPath = new Map<string, TreeFile>(files.value.files.map((f) => [f.path, f]));
        search.listed(ref, [...byPath.keys()]);
        for (const file of discoverNoteFiles([...byPath.keys()], opts.files)) {
          // One file per version: only the versions the review needs (`from` too, for engine diffs).
          if (file.version && (compareVersions(file.version, range.from) < 0 || compareVersions(file.version, range.to) > 0)) continue;
          const sha = byPath.get(file.path)!.sha;
          const key = `${file.path}\0${sha}`;
          if (seen.has(key)) continue;
          seen.add(key);
          let bytes = blobs.get(sha);
          if (!bytes) {
            const blob = take(await api.getBlob(repo, sha, { signal: ro?.signal }));
            if (!blob.ok) return blob;
            blobs.set(sha, (bytes = blob.value.content));
          }
          const { text, problem } = decodeText(bytes, file.path);
          if (problem) out.problems.push(problem);
          const doc: NoteDocument = { file: file.path, text, kind: file.kind, ref, url: `${htmlUrl}/blob/${encodePath(ref)}/${encodePath(file.path)}` };
          if (file.version) doc.version = file.version;
          out.documents.push(doc);
        }
        return ok(out);
      };

      const toTag = ro?.toTag ?? versions.find((v) => v.version === range.to)?.tag;
      const refs = [defaultBranch, ...(toTag && toTag !== defaultBranch ? [toTag] : [])];
      const files: NoteDocument[] = [];
      for (const ref of refs) {
        const read = await readAt(ref);
        if (!read.ok) return read;
        for (const doc of read.value.documents) files.push(doc);
        for (const p of read.value.problems) problems.push(p);
      }
      const extra = await readIntermediateTags({
        range,
        versions,
        documents: releases.concat(files),
        refsRead: refs,
        maxRefs: opts.maxExtraRefs ?? MAX_EXTRA_REFS.github,
        readAt,
        signal: ro?.signal,
      });
      if (!extra.ok) return extra;
      for (const doc of extra.value.documents) files.push(doc);
      for (const p of extra.value.problems) problems.push(p);
      for (const reason of staleReasons) problems.push({ message: `${reason}; showing what GitHub answered to an earlier review` });
      const inRange = found.releases.filter((r) => {
        const version = r.draft ? null : versionOfRelease(r);
        return version !== null && inRangeOf(version, range) && selection.accepts(packageOfRelease(r));
      }).length;
      const searched = { ...search.result(), releases: { inRange, empty: inRange - releases.filter((d) => d.version && inRangeOf(d.version, range)).length } };
      return ok({ documents: releases.concat(orderNoteFiles(files)), problems, searched });
    },
  };
  return ok(chosen ? { ...source, package: chosen } : source);
}

const SKIPPABLE = new Set<GitHubErrorKind>(['not-found', 'unexpected', 'validation']);

/** `(from, to]`: the versions a review is about. */
function inRangeOf(version: string, range: VersionRange): boolean {
  return compareVersions(version, range.from) > 0 && compareVersions(version, range.to) <= 0;
}

export interface ListReleasesOptions {
  /** Stop paging once a whole page is at or below this canonical version. */
  from?: string;
  /**
   * Only releases of this package (and plain ones) decide where paging stops; without it, only plain
   * releases do: `a@1.0.0` says nothing about where the releases of `b` or of the project end.
   */
  package?: string;
  signal?: AbortSignal;
}

/**
 * Every release, 100 a page. Releases come newest first by creation date, which is not version
 * order (a backport is created after newer majors), so paging stops only after a page whose
 * releases are all at or below `from`.
 */
export function listAllReleases(api: GitHubApi, repo: RepoRef, opts: ListReleasesOptions = {}): Promise<GitHubResult<Release[]>> {
  const counts = (r: Release) => {
    const pkg = packageOfRelease(r);
    return pkg === undefined || (opts.package !== undefined && samePackage(pkg, opts.package));
  };
  return collectPages((page) => api.listReleases(repo, { page, perPage: 100 }, { signal: opts.signal }), (r) => (r.draft || !counts(r) ? null : versionOfRelease(r)), opts.from);
}

/** Every tag: GitHub lists tags by name, not by version, so no page tells where the range ends. */
export function listAllTags(api: GitHubApi, repo: RepoRef, signal?: AbortSignal): Promise<GitHubResult<Tag[]>> {
  return collectPages((page) => api.listTags(repo, { page, perPage: 100 }, { signal }), (t) => canonicalVersion(t.name));
}

async function collectPages<T>(
  fetchPage: (page: number) => Promise<GitHubResult<Page<T>>>,
  versionOf: (item: T) => string | null,
  from?: string,
): Promise<GitHubResult<T[]>> {
  const items: T[] = [];
  let stale: GitHubError | undefined;
  for (let page: number | null = 1; page !== null; ) {
    const r = await fetchPage(page);
    if (!r.ok) return r;
    stale ??= r.stale;
    for (const item of r.value.items) items.push(item);
    page = r.value.next;
    if (from) {
      const versions = r.value.items.map(versionOf).filter((v): v is string => v !== null);
      if (versions.length && versions.every((v) => compareVersions(v, from) <= 0)) break;
    }
  }
  return stale ? { ok: true, value: items, stale } : { ok: true, value: items };
}

async function list(api: GitHubApi, repo: RepoRef, from: string | undefined, pkg: string | undefined, signal?: AbortSignal): Promise<GitHubResult<Listing>> {
  const releases = await listAllReleases(api, repo, { from, package: pkg, signal });
  if (!releases.ok) return releases;
  const tags = await listAllTags(api, repo, signal);
  if (!tags.ok) return tags;
  const stale = releases.stale ?? tags.stale;
  const value = { releases: releases.value, tags: tags.value };
  return stale ? { ok: true, value, stale } : { ok: true, value };
}

function versionOfRelease(r: Release): string | null {
  return canonicalVersion(r.tagName) ?? (r.name ? canonicalVersion(r.name) : null);
}

/** The package a release's tag (or, for a tag that is no version, its name) names. */
function packageOfRelease(r: Release): string | undefined {
  return canonicalVersion(r.tagName) ? tagPackage(r.tagName) : r.name ? tagPackage(r.name) : undefined;
}

/** The package of every version tag and release (undefined for plain ones). */
function* packagesOf({ releases, tags }: Listing): Iterable<string | undefined> {
  for (const r of releases) if (!r.draft && versionOfRelease(r)) yield packageOfRelease(r);
  for (const t of tags) if (canonicalVersion(t.name)) yield tagPackage(t.name);
}

/**
 * Releases (drafts skipped) win over bare tags; several tags for one version keep the plainest.
 * Only the selected package's releases and tags count.
 */
function versionsOf({ releases, tags }: Listing, selection: PackageSelection): VersionRef[] {
  const byVersion = new Map<string, VersionRef>();
  for (const r of releases) {
    const version = r.draft ? null : versionOfRelease(r);
    if (!version) continue;
    const pkg = packageOfRelease(r);
    if (!selection.accepts(pkg)) continue;
    const seen = byVersion.get(version);
    if (!seen || tagRank(r.tagName, version) < tagRank(seen.tag!, version)) {
      byVersion.set(version, withPackage({ version, tag: r.tagName, date: isoDay(r.publishedAt ?? r.createdAt) }, pkg));
    }
  }
  const fromTags = new Map<string, VersionRef>();
  for (const t of tags) {
    const version = canonicalVersion(t.name);
    if (!version || byVersion.has(version)) continue;
    const pkg = tagPackage(t.name);
    if (!selection.accepts(pkg)) continue;
    const seen = fromTags.get(version);
    if (!seen || tagRank(t.name, version) < tagRank(seen.tag!, version)) fromTags.set(version, withPackage({ version, tag: t.name, date: null }, pkg));
  }
  return sortNewestFirst([...byVersion.values(), ...fromTags.values()], (v) => v.version);
}

function withPackage(ref: VersionRef, pkg: string | undefined): VersionRef {
  if (pkg !== undefined) ref.package = pkg;
  return ref;
}

/** Release bodies for `[from, to]` (`from` too, for engine diffs) of the selected package, newest release first. */
function releaseDocuments(releases: Release[], range: VersionRange, selection: PackageSelection): NoteDocument[] {
  const out: NoteDocument[] = [];
  for (const r of releases) {
    const version = r.draft ? null : versionOfRelease(r);
    if (!version || !r.body?.trim() || compareVersions(version, range.from) < 0 || compareVersions(version, range.to) > 0) continue;
    if (!selection.accepts(packageOfRelease(r))) continue;
    out.push({ file: `releases/${r.tagName}`, text: r.body, version, kind: 'release', ref: r.tagName, url: r.htmlUrl });
  }
  return out;
}
