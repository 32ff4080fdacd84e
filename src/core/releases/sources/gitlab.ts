/**
 * `gitlab:GROUP/PROJECT[#PACKAGE]` (subgroups too: `gitlab:group/sub/project`), on gitlab.com or a
 * self-managed GitLab: versions from the project's releases and tags, notes from the release
 * descriptions and from the release-note files at the `to` tag and on the default branch, and at
 * the tags of versions in the range that none of them mentions (see intermediate.ts), read through
 * the GitLab port. The same rules as the `github:` source: releases win over bare tags, a package of
 * several is chosen with `#PACKAGE`, an answer GitLab could not give is taken from the cache with a
 * problem saying so.
 */
import type { GitLabApi, GitLabRelease, GitLabResult, GitLabTag, Page, Project, TreeBlob } from '../../gitlab/ports';
import { discoverNoteFiles } from '../discovery';
import type { Problem, Result } from '../model';
import { fail, ok } from '../model';
import type { NoteBundle, NoteDocument, ReadOptions, ReleaseSource, VersionRange, VersionRef } from '../ports';
import { canonicalVersion, compareVersions, sortNewestFirst, tagPackage, tagRank } from '../version';
import { isoDay } from '../dates';
import { apiErrorCode, encodePath, listingReader } from './codeHost';
import { decodeText } from './decode';
import { MAX_EXTRA_REFS, orderNoteFiles, readIntermediateTags } from './intermediate';
import type { PackageSelection } from './packages';

export interface GitLabSourceOptions {
  api: GitLabApi;
  files?: readonly string[];
  package?: string;
  maxExtraRefs?: number;
}

/** Pages of one listing followed at most (100 items each). */
export const MAX_PAGES = 200;

const SEGMENT = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/;

/** `group/sub/project` from a spec, or null. */
export function parseProjectSpec(spec: string): string | null {
  const parts = spec.trim().replace(/\.git$/, '').replace(/^\/+|\/+$/g, '').split('/');
  return parts.length >= 2 && parts.every((p) => SEGMENT.test(p) && p !== '.' && p !== '..') ? parts.join('/') : null;
}

interface Listing {
  releases: GitLabRelease[];
  tags: GitLabTag[];
}

export function createGitLabSource(spec: string, opts: GitLabSourceOptions): Result<ReleaseSource> {
  const project = parseProjectSpec(spec);
  if (!project) return fail('source', `gitlab: needs GROUP/PROJECT (gitlab:gitlab-org/gitlab-runner), not "${spec}"`);
  const { api } = opts;
  const base = `gitlab:${project}`;
  const chosen = opts.package;
  const staleReasons = new Set<string>();
  const take = <T>(r: GitLabResult<T>): Result<T> => {
    if (!r.ok) return fail(apiErrorCode(r.error.kind), r.error.message);
    if (r.stale) staleReasons.add(r.stale.message);
    return ok(r.value);
  };
  let info: Promise<Result<Project>> | undefined;
  const projectInfo = (signal?: AbortSignal) => (info ??= api.getProject(project, { signal }).then(take));
  const selected = listingReader<Listing>({ base, chosen, info: projectInfo, packagesOf, list: (from, signal) => list(api, project, from, signal).then(take) });

  const source: ReleaseSource = {
    id: chosen ? `${base}#${chosen}` : base,
    async listVersions(ro) {
      const listed = await selected(ro);
      return listed.ok ? ok(versionsOf(listed.value.listing, listed.value.selection)) : listed;
    },
    async readNotes(range: VersionRange, ro?: ReadOptions) {
      const listed = await selected({ ...ro, range: ro?.range ?? range });
      if (!listed.ok) return listed;
      const known = await projectInfo(ro?.signal);
      if (!known.ok) return known;
      const { listing: found, selection } = listed.value;
      const { defaultBranch, webUrl } = known.value;
      const problems: Problem[] = selection.problem ? [selection.problem] : [];
      const releases = releaseDocuments(found.releases, range, selection, webUrl);
      const versions = versionsOf(found, selection);

      const seen = new Set<string>();
      const blobs = new Map<string, Buffer>();
      const readAt = async (ref: string): Promise<Result<NoteBundle>> => {
        const tree = await allPages((page) => api.getTree(project, ref, page, { signal: ro?.signal }));
        if (!tree.ok && (tree.error.kind === 'not-found' || tree.error.kind === 'unexpected')) {
          return ok({ documents: [], problems: [{ message: `release-note files at ${ref} not read: ${tree.error.message}` }] });
        }
        const files = take(tree);
        if (!files.ok) return files;
        const out: NoteBundle = { documents: [], problems: [] };
        if (files.value.truncated) out.problems.push({ message: `the tree of ${project} at ${ref} has more files than Preflight lists; some release notes may be missing` });
        const byPath = new Map<string, TreeBlob>(files.value.items.map((f) => [f.path, f]));
        for (const file of discoverNoteFiles([...byPath.keys()], opts.files)) {
          if (file.version && (compareVersions(file.version, range.from) < 0 || compareVersions(file.version, range.to) > 0)) continue;
          const sha = byPath.get(file.path)!.id;
          const key = `${file.path}\0${sha}`;
          if (seen.has(key)) continue;
          seen.add(key);
          let bytes = blobs.get(sha);
          if (!bytes) {
            const blob = take(await api.getBlob(project, sha, { signal: ro?.signal }));
            if (!blob.ok) return blob;
            blobs.set(sha, (bytes = blob.value));
          }
          const { text, problem } = decodeText(bytes, file.path);
          if (problem) out.problems.push(problem);
          const doc: NoteDocument = { file: file.path, text, kind: file.kind, ref, url: `${webUrl}/-/blob/${encodePath(ref)}/${encodePath(file.path)}` };
          if (file.version) doc.version = file.version;
          out.documents.push(doc);
        }
        return ok(out);
      };

      const toTag = ro?.toTag ?? versions.find((v) => v.version === range.to)?.tag;
      const refs = [...(defaultBranch ? [defaultBranch] : []), ...(toTag && toTag !== defaultBranch ? [toTag] : [])];
      const files: NoteDocument[] = [];
      for (const ref of refs) {
        const read = await readAt(ref);
        if (!read.ok) return read;
        files.push(...read.value.documents);
        problems.push(...read.value.problems);
      }
      const extra = await readIntermediateTags({ range, versions, documents: releases.concat(files), refsRead: refs, maxRefs: opts.maxExtraRefs ?? MAX_EXTRA_REFS.github, readAt, signal: ro?.signal });
      if (!extra.ok) return extra;
      files.push(...extra.value.documents);
      problems.push(...extra.value.problems);
      for (const reason of staleReasons) problems.push({ message: `${reason}; showing what GitLab answered to an earlier review` });
      return ok({ documents: releases.concat(orderNoteFiles(files)), problems });
    },
  };
  return ok(chosen ? { ...source, package: chosen } : source);
}

/** Every page of a listing, up to MAX_PAGES; `truncated` when there were more. */
async function allPages<T>(fetchPage: (page: string | null) => Promise<GitLabResult<Page<T>>>, stopAfter?: (page: T[]) => boolean): Promise<GitLabResult<{ items: T[]; truncated: boolean }>> {
  const items: T[] = [];
  let stale;
  let page: string | null = null;
  for (let n = 0; n < MAX_PAGES; n++) {
    const r = await fetchPage(page);
    if (!r.ok) return r;
    stale ??= r.stale;
    items.push(...r.value.items);
    page = r.value.next;
    if (page === null || stopAfter?.(r.value.items)) return stale ? { ok: true, value: { items, truncated: false }, stale } : { ok: true, value: { items, truncated: false } };
  }
  return stale ? { ok: true, value: { items, truncated: true }, stale } : { ok: true, value: { items, truncated: true } };
}

async function list(api: GitLabApi, project: string, from: string | undefined, signal?: AbortSignal): Promise<GitLabResult<Listing>> {
  // Releases come newest first by date, which is not version order: stop after a page wholly at or below `from`.
  const below = (page: GitLabRelease[]) => {
    if (!from) return false;
    const versions = page.map((r) => canonicalVersion(r.tagName)).filter((v): v is string => v !== null);
    return versions.length > 0 && versions.every((v) => compareVersions(v, from) <= 0);
  };
  const releases = await allPages((page) => api.listReleases(project, page, { signal }), below);
  if (!releases.ok) return releases;
  const tags = await allPages((page) => api.listTags(project, page, { signal }));
  if (!tags.ok) return tags;
  const stale = releases.stale ?? tags.stale;
  const value = { releases: releases.value.items, tags: tags.value.items };
  return stale ? { ok: true, value, stale } : { ok: true, value };
}

function* packagesOf({ releases, tags }: Listing): Iterable<string | undefined> {
  for (const r of releases) if (canonicalVersion(r.tagName)) yield tagPackage(r.tagName);
  for (const t of tags) if (canonicalVersion(t.name)) yield tagPackage(t.name);
}

/** Releases win over bare tags; several tags of one version keep the plainest. Only the selected package's count. */
function versionsOf({ releases, tags }: Listing, selection: PackageSelection): VersionRef[] {
  const pick = (into: Map<string, VersionRef>, name: string, date: string | null) => {
    const version = canonicalVersion(name);
    const pkg = version ? tagPackage(name) : undefined;
    if (!version || !selection.accepts(pkg)) return;
    const seen = into.get(version);
    if (seen && tagRank(name, version) >= tagRank(seen.tag!, version)) return;
    into.set(version, pkg === undefined ? { version, tag: name, date } : { version, tag: name, date, package: pkg });
  };
  const fromReleases = new Map<string, VersionRef>();
  for (const r of releases) pick(fromReleases, r.tagName, isoDay(r.releasedAt ?? r.createdAt));
  const fromTags = new Map<string, VersionRef>();
  for (const t of tags) if (!fromReleases.has(canonicalVersion(t.name) ?? '')) pick(fromTags, t.name, null);
  return sortNewestFirst([...fromReleases.values(), ...fromTags.values()], (v) => v.version);
}

function releaseDocuments(releases: GitLabRelease[], range: VersionRange, selection: PackageSelection, webUrl: string): NoteDocument[] {
  const out: NoteDocument[] = [];
  for (const r of releases) {
    const version = canonicalVersion(r.tagName);
    if (!version || !r.description?.trim() || compareVersions(version, range.from) < 0 || compareVersions(version, range.to) > 0) continue;
    if (!selection.accepts(tagPackage(r.tagName))) continue;
    out.push({ file: `releases/${r.tagName}`, text: r.description, version, kind: 'release', ref: r.tagName, url: r.webUrl ?? `${webUrl}/-/releases/${encodeURIComponent(r.tagName)}` });
  }
  return out;
}
