/**
 * `npm:PACKAGE`: versions (and their dates) from the registry's packument. Notes come from the
 * package's GitHub repository when its `repository` is on github.com and a GitHub source factory is
 * given; otherwise, or when GitHub has nothing, from the release-note files inside the `to`
 * version's tarball.
 *
 * A package published from a monorepo folder (`repository.directory`) reads its tarball: the
 * repository's releases and root changelog describe other packages too.
 *
 * Credentials in the registry URL (`https://user:password@npm.example.com/`) become a Basic
 * Authorization header for the registry's host, never part of a requested URL or a message. What is
 * read of the packument is checked: a wrongly shaped one is reported as malformed.
 */
import { createHash } from 'node:crypto';
import type { Fetch } from '../../http/ports';
import { redactSecrets, splitCredentials } from '../../http/redact';
import { timeoutMessage, timeoutOf } from '../../http/retry';
import { discoverNoteFiles, missingExtraFiles } from '../discovery';
import type { NotesSearch, Problem, Result } from '../model';
import { fail, ok } from '../model';
import type { NoteBundle, NoteDocument, ReadOptions, ReleaseSource, VersionRange, VersionRef } from '../ports';
import { canonicalVersion, compareVersions, describeUnknown, sortNewestFirst } from '../version';
import { isoDay } from '../dates';
import { decodeText } from './decode';
import { parseRepoSpec } from './github';

export const NPM_REGISTRY_URL = 'https://registry.npmjs.org';

export interface NpmSourceOptions {
  fetch: Fetch;
  /** A package tarball's files by path inside the package (src/adapters/tarball.ts); throws on a broken one. */
  unpack: (tgz: Buffer) => Map<string, Buffer>;
  /** `https://registry.npmjs.org` by default; may hold `user:password@`. */
  registryUrl?: string;
  /**
   * Makes the `github:` source for `OWNER/REPO`; without it notes always come from the tarball. It is
   * given the package's npm name as the package, for repositories that tag several.
   */
  github?: (repo: string, opts?: { files?: readonly string[]; package?: string }) => Result<ReleaseSource>;
  /**
   * The package whose notes to keep (`#name` in the spec); the npm name by default. Changelog
   * sections of other packages (`## other@1.2.0`) are left out of the review.
   */
  package?: string;
  /** Release-note files or folders (`notes/`) to read besides the ones found by name, in the tarball and on GitHub. */
  files?: readonly string[];
}

type Repository = string | { type?: string; url?: string; directory?: string };

interface PackageVersion {
  version: string;
  repository?: Repository;
  dist?: { tarball?: string; integrity?: string };
}

interface Packument {
  name: string;
  versions?: Record<string, PackageVersion>;
  time?: Record<string, string>;
  repository?: Repository;
}

const NAME_RE = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/i;

export function createNpmSource(spec: string, opts: NpmSourceOptions): Result<ReleaseSource> {
  const name = spec.trim();
  if (!NAME_RE.test(name)) return fail('source', `npm: needs a package name (npm:express, npm:@scope/name), not "${spec}"`);
  const given = splitCredentials((opts.registryUrl ?? NPM_REGISTRY_URL).trim());
  const registry = given.url.replace(/\/+$/, '');
  const host = hostOf(registry);
  const basic = given.username !== undefined ? `Basic ${Buffer.from(`${given.username}:${given.password ?? ''}`).toString('base64')}` : undefined;
  /** Requests to the registry's host carry its credentials; tarballs elsewhere (a CDN) do not. */
  const client: Client = { fetch: opts.fetch, authorization: (u) => (basic && hostOf(u) === host ? basic : undefined) };
  // `@scope/name` is fetched as `@scope%2Fname`, as the npm client does.
  const url = `${registry}/${name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name)}`;
  let loaded: Promise<Result<Packument>> | undefined;
  const packument = (signal?: AbortSignal) => (loaded ??= fetchPackument(client, url, name, host, signal));

  const pkg = opts.package ?? name;
  return ok({
    id: opts.package && opts.package !== name ? `npm:${name}#${opts.package}` : `npm:${name}`,
    package: pkg,
    async listVersions(ro?: ReadOptions) {
      const p = await packument(ro?.signal);
      if (!p.ok) return p;
      return ok(versionsOf(p.value));
    },
    async readNotes(range: VersionRange, ro?: ReadOptions) {
      const p = await packument(ro?.signal);
      if (!p.ok) return p;
      const versions = versionsOf(p.value);
      const target = Object.values(p.value.versions ?? {}).find((v) => canonicalVersion(v.version) === range.to);
      if (!target) return fail('unknown-version', describeUnknown(range.to, versions.map((v) => v.version)));

      const problems: Problem[] = [];
      const repo = githubRepo(target.repository ?? p.value.repository);
      const searched: NotesSearch = repo ? {} : { noRepository: true };
      if (repo && opts.github) {
        const source = opts.github(repo, { files: opts.files, package: pkg });
        const notes = source.ok ? await source.value.readNotes(range, { signal: ro?.signal, range }) : source;
        if (notes.ok && notes.value.documents.length) return notes;
        const why = notes.ok ? 'no release notes there' : notes.error.message;
        problems.push({ message: `github:${repo}: ${why}; reading the notes in the ${name}@${target.version} tarball instead` });
        searched.repository = { source: `github:${repo}`, reason: why, ...(notes.ok && notes.value.searched ? { searched: notes.value.searched } : {}) };
      }
      const fromTarball = await readTarball(client, opts.unpack, target, name, range, opts.files ?? [], ro?.signal);
      if (!fromTarball.ok) return fromTarball;
      return ok({ documents: fromTarball.value.documents, problems: [...problems, ...fromTarball.value.problems], searched: { ...searched, ...fromTarball.value.searched } });
    },
  });
}

interface Client {
  fetch: Fetch;
  authorization(url: string): string | undefined;
}

async function fetchPackument(client: Client, url: string, name: string, host: string, signal?: AbortSignal): Promise<Result<Packument>> {
  // The full document: the abbreviated one lacks `time` and `repository`.
  const res = await get(client, url, 'application/json', `npm package ${name}`, host, signal);
  if (!res.ok) return res;
  let p: unknown;
  try {
    p = JSON.parse(res.value.toString('utf8'));
  } catch {
    p = undefined;
  }
  return isPackument(p) ? ok(p) : fail('source', `${host} sent a malformed response for npm package ${name}`);
}

/** Whether a parsed packument has the shape of what is read of it. */
function isPackument(p: unknown): p is Packument {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const optional = (v: unknown, test: (v: unknown) => boolean) => v === undefined || v === null || test(v);
  const isString = (v: unknown) => typeof v === 'string';
  const isRepository = (v: unknown) => isString(v) || (isObject(v) && optional(v.url, isString) && optional(v.directory, isString) && optional(v.type, isString));
  if (!isObject(p) || !isObject(p.versions) || !optional(p.repository, isRepository)) return false;
  if (!optional(p.time, (t) => isObject(t) && Object.values(t).every((v) => optional(v, isString)))) return false;
  return Object.values(p.versions).every(
    (v) =>
      isObject(v) &&
      isString(v.version) &&
      optional(v.repository, isRepository) &&
      optional(v.dist, (d) => isObject(d) && optional(d.tarball, isString) && optional(d.integrity, isString)),
  );
}

function versionsOf(p: Packument): VersionRef[] {
  const byVersion = new Map<string, VersionRef>();
  for (const raw of Object.keys(p.versions ?? {})) {
    const version = canonicalVersion(raw);
    if (version && !byVersion.has(version)) byVersion.set(version, { version, date: isoDay(p.time?.[raw]) });
  }
  return sortNewestFirst([...byVersion.values()], (v) => v.version);
}

async function readTarball(client: Client, unpack: NpmSourceOptions['unpack'], target: PackageVersion, name: string, range: VersionRange, extra: readonly string[], signal?: AbortSignal): Promise<Result<NoteBundle>> {
  const label = `${name}@${target.version}`;
  const tarball = target.dist?.tarball && splitCredentials(target.dist.tarball).url;
  if (!tarball) return fail('source', `the registry lists no tarball for ${label}`);
  const res = await get(client, tarball, 'application/octet-stream', `the tarball of ${label}`, hostOf(tarball), signal);
  if (!res.ok) return res;
  const integrity = /^sha512-(.+)$/.exec(target.dist?.integrity ?? '');
  if (integrity && createHash('sha512').update(res.value).digest('base64') !== integrity[1]) {
    return fail('source', `the tarball of ${label} does not match its published integrity`);
  }
  let files: Map<string, Buffer>;
  try {
    files = unpack(res.value);
  } catch (err) {
    return fail('source', `cannot read the tarball of ${label}: ${(err as Error).message}`);
  }
  const documents: NoteDocument[] = [];
  const problems: Problem[] = [];
  const searched: NotesSearch = { tarball: label };
  if (extra.length) {
    searched.extraFiles = [...extra];
    searched.missingFiles = missingExtraFiles([...files.keys()], extra);
  }
  for (const file of discoverNoteFiles([...files.keys()], extra)) {
    if (file.version && (compareVersions(file.version, range.from) < 0 || compareVersions(file.version, range.to) > 0)) continue;
    const { text, problem } = decodeText(files.get(file.path)!, file.path);
    if (problem) problems.push(problem);
    const doc: NoteDocument = { file: file.path, text, kind: file.kind, ref: target.version };
    if (file.version) doc.version = file.version;
    documents.push(doc);
  }
  return ok({ documents, problems, searched });
}

async function get(client: Client, url: string, accept: string, what: string, host: string, signal?: AbortSignal): Promise<Result<Buffer>> {
  let res: Response;
  try {
    const authorization = client.authorization(url);
    res = await client.fetch(url, { headers: { accept, ...(authorization ? { authorization } : {}) }, signal });
  } catch (err) {
    const e = err as Error & { cause?: { message?: string } };
    if (e.name === 'AbortError') return fail('network', `the request for ${what} was cancelled`);
    const timeout = timeoutOf(err);
    if (timeout) return fail('network', timeoutMessage(timeout, host, what));
    return fail('network', redactSecrets(`cannot reach ${host}: ${e.cause?.message ?? e.message}`));
  }
  if (res.status === 404) return fail('not-found', `${what} not found on ${host} (404)`);
  if (res.status === 401 || res.status === 403) return fail('auth', `${host} refused access to ${what} (${res.status})`);
  if (!res.ok) return fail('network', `${host} answered ${res.status} for ${what}`);
  return ok(Buffer.from(await res.arrayBuffer()));
}

/** OWNER/REPO when a package's repository is on github.com, in any of the forms package.json allows. */
export function githubRepo(repository: Repository | undefined): string | null {
  if (!repository) return null;
  if (typeof repository === 'object' && repository.directory) return null;
  const raw = (typeof repository === 'string' ? repository : (repository.url ?? '')).trim();
  const shorthand = /^(?:github:)?([\w.-]+\/[\w.-]+)$/i.exec(raw);
  const m = shorthand ?? /^(?:git\+)?(?:[a-z+]+:\/\/)?(?:[^@/]+@)?(?:www\.)?github\.com[/:]([\w.-]+\/[\w.-]+?)(?:\.git)?(?:[/#?].*)?$/i.exec(raw);
  if (!m) return null;
  const ref = parseRepoSpec(m[1]);
  return ref ? `${ref.owner}/${ref.repo}` : null;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
