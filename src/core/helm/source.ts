/**
 * `helm:REPOSITORY#CHART` and `helm:oci://REGISTRY/PATH/CHART`: a Helm chart's versions, from its
 * repository's index.yaml or its OCI registry's tags, and its release notes: the chart's own
 * changes (each version's `artifacthub.io/changes`) and the release notes of the app it ships (the
 * `appVersion`s, read from the app's GitHub repository named in the chart's `sources` or `home`),
 * shown together. Each item's headings start with where it came from: `Chart`, or `App 1.25.4`
 * for the app version it belongs to, under the chart version that first ships that app version.
 */
import type { Fetch } from '../http/ports';
import type { Problem, Result } from '../releases/model';
import { fail, ok } from '../releases/model';
import type { NoteDocument, ReadOptions, ReleaseSource, VersionRange, VersionRef } from '../releases/ports';
import { githubRepo } from '../releases/sources/npm';
import { canonicalVersion, compareVersions, describeUnknown, inRange, sortNewestFirst } from '../releases/version';
import type { VersionMap } from '../releases/versionMap';
import { changesMarkdown, parseChanges } from './changes';
import { chartVersionsFromIndex, MAX_INDEX_BYTES, type ChartVersion } from './index';
import { ociClient } from './oci';
import { parseChartSpec, type ChartLocation } from './spec';

/** OCI chart versions whose metadata a review reads (one manifest and one config each). */
export const MAX_OCI_VERSIONS = 40;

export interface HelmSourceOptions {
  /** Through the HTTP cache and retries (src/app/sources.ts). */
  fetch: Fetch;
  /** Makes the `github:` source of the app (`OWNER/REPO`); without it only the chart's own changes are read. */
  github?: (repo: string) => Result<ReleaseSource>;
  /** A `#CHART` suffix split off by the source registry. */
  package?: string;
}

/** What a chart version ships: the app's source and versions, for "review the app's notes". */
export interface AppRange {
  source: string;
  from: string;
  to: string;
}

export interface HelmSource extends ReleaseSource {
  readonly chart: ChartLocation;
  /** The app versions two chart versions ship, and where the app's notes are. */
  appRange(range: VersionRange, opts?: ReadOptions): Promise<Result<AppRange>>;
}

export function createHelmSource(spec: string, opts: HelmSourceOptions): Result<HelmSource> {
  const parsed = parseChartSpec(spec, opts.package);
  if (!parsed.ok) return parsed;
  const loc = parsed.value;
  const id = loc.kind === 'index' ? `helm:${loc.repository}#${loc.chart}` : `helm:oci://${loc.registry}/${loc.repository}`;
  const oci = loc.kind === 'oci' ? ociClient(opts.fetch, loc) : undefined;

  let listed: Promise<Result<ChartVersion[]>> | undefined;
  const versions = (signal?: AbortSignal) => (listed ??= loc.kind === 'index' ? readIndex(opts.fetch, loc, signal) : listOci(oci!, signal));
  const metadata = new Map<string, Promise<Result<ChartVersion>>>();
  /** One version's metadata: from the index, or (OCI) from its config, read once. */
  const meta = async (v: ChartVersion, signal?: AbortSignal): Promise<Result<ChartVersion>> => {
    if (!oci) return ok(v);
    let p = metadata.get(v.raw);
    if (!p) metadata.set(v.raw, (p = oci.metadata(v.raw, signal).then((r) => (r.ok ? ok({ ...r.value, date: r.value.date ?? v.date }) : r))));
    return p;
  };
  const endpoints = async (range: VersionRange, signal?: AbortSignal) => {
    const all = await versions(signal);
    if (!all.ok) return all;
    const find = (v: string) => all.value.find((c) => c.version === v);
    for (const v of [range.from, range.to]) if (!find(v)) return fail<never>('unknown-version', `${id}: ${describeUnknown(v, all.value.map((c) => c.version))}`);
    const from = await meta(find(range.from)!, signal);
    if (!from.ok) return from;
    const to = await meta(find(range.to)!, signal);
    return to.ok ? ok({ all: all.value, from: from.value, to: to.value }) : to;
  };

  const source: HelmSource = {
    id,
    package: loc.chart,
    chart: loc,
    async listVersions(ro) {
      const all = await versions(ro?.signal);
      return all.ok ? ok(all.value.map((v): VersionRef => ({ version: v.version, tag: v.raw, date: v.date }))) : all;
    },
    async appRange(range, ro) {
      const ends = await endpoints(range, ro?.signal);
      if (!ends.ok) return ends;
      return appOf(id, ends.value.from, ends.value.to);
    },
    async readNotes(range, ro) {
      const ends = await endpoints(range, ro?.signal);
      if (!ends.ok) return ends;
      const problems: Problem[] = [];
      // Oldest first: the version map needs them in order.
      let inside = ends.value.all.filter((v) => inRange(v.version, range.from, range.to)).sort((a, b) => compareVersions(a.version, b.version));
      if (oci && inside.length > MAX_OCI_VERSIONS) {
        problems.push({ message: `${id}: ${inside.length} chart versions in the range; the changes of the newest ${MAX_OCI_VERSIONS} are read` });
        inside = inside.slice(-MAX_OCI_VERSIONS);
      }
      const shipped: ChartVersion[] = [];
      for (const v of inside) {
        const m = await meta(v, ro?.signal);
        if (!m.ok) return m;
        shipped.push(m.value);
      }
      const documents: NoteDocument[] = [];
      for (const v of shipped) {
        const changes = v.changes ? parseChanges(v.changes) : [];
        if (changes.length) documents.push({ file: `${loc.chart}-${v.raw} (artifacthub.io/changes)`, text: changesMarkdown(changes), version: v.version, kind: 'release', ref: v.raw, origin: 'Chart' });
      }
      const app = appOf(id, ends.value.from, ends.value.to);
      if (!app.ok) problems.push({ message: app.error.message });
      else if (opts.github) {
        const repo = app.value.source.slice('github:'.length);
        const notes = await readApp(opts.github(repo), app.value, shipped, ro);
        if (notes.ok) {
          documents.push(...notes.value.documents);
          for (const p of notes.value.problems) problems.push({ ...p, message: `${app.value.source}: ${p.message}` });
        } else problems.push({ message: `${app.value.source}: ${notes.error.message}; only the chart's own changes are shown` });
      }
      if (!documents.length) return fail('no-notes', `no release notes found for ${id} ${range.from} → ${range.to}: ${problems.map((p) => p.message).join('; ') || "the chart's versions list no artifacthub.io/changes"}`);
      return ok({ documents, problems });
    },
  };
  return ok(source);
}

/** The app's GitHub repository and the app versions two chart versions ship. */
function appOf(id: string, from: ChartVersion, to: ChartVersion): Result<AppRange> {
  const repo = [...to.sources, ...from.sources, ...(to.home ? [to.home] : [])].map((s) => githubRepo(s)).find((r): r is string => !!r);
  if (!repo) return fail('source', `${id}: the chart names no GitHub repository in its sources; only its own changes are shown`);
  const a = to.appVersion && canonicalVersion(to.appVersion);
  const b = from.appVersion && canonicalVersion(from.appVersion);
  if (!a || !b) return fail('source', `${id}: the chart ${!b ? from.raw : to.raw} has no app version (appVersion) that is a version`);
  if (compareVersions(b, a) >= 0) return fail('source', `${id}: the chart ${from.raw} → ${to.raw} ships the same app version (${from.appVersion})${compareVersions(b, a) > 0 ? ' or an older one' : ''}`);
  return ok({ source: `github:${repo}`, from: b, to: a });
}

async function readApp(app: Result<ReleaseSource>, range: AppRange, shipped: readonly ChartVersion[], ro?: ReadOptions) {
  if (!app.ok) return app;
  const notes = await app.value.readNotes({ from: range.from, to: range.to }, { signal: ro?.signal, logger: ro?.logger, range: { from: range.from, to: range.to } });
  if (!notes.ok) return notes;
  const map: VersionMap = { after: range.from, map: [] };
  const entries: { upTo: string; version: string }[] = [];
  for (const v of shipped) {
    const upTo = v.appVersion && canonicalVersion(v.appVersion);
    if (upTo) entries.push({ upTo, version: v.version });
  }
  map.map = entries;
  return ok({ documents: notes.value.documents.map((d) => ({ ...d, origin: 'App', versionMap: map })), problems: notes.value.problems });
}

async function readIndex(fetch: Fetch, loc: Extract<ChartLocation, { kind: 'index' }>, signal?: AbortSignal): Promise<Result<ChartVersion[]>> {
  const url = `${loc.repository}/index.yaml`;
  const host = new URL(url).host;
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/yaml, text/yaml, application/json;q=0.9, */*;q=0.5' }, signal });
  } catch (err) {
    const e = err as Error & { cause?: { message?: string } };
    if (e.name === 'AbortError') return fail('cancelled', `the request for the index of ${loc.repository} was cancelled`);
    return fail('network', `cannot reach ${host}: ${e.cause?.message ?? e.message}`);
  }
  if (res.status === 404) return fail('not-found', `${url} not found (404): is ${loc.repository} a chart repository?`);
  if (res.status === 401 || res.status === 403) return fail('auth', `${host} refused access to ${url} (${res.status}); private chart repositories are not read`);
  if (!res.ok) return fail('network', `${host} answered ${res.status} for ${url}`);
  if (Number(res.headers.get('content-length') ?? 0) > MAX_INDEX_BYTES) return fail('too-large', `${url} is larger than ${MAX_INDEX_BYTES / 1024 / 1024} MB`);
  const text = await res.text();
  if (text.length > MAX_INDEX_BYTES) return fail('too-large', `${url} is larger than ${MAX_INDEX_BYTES / 1024 / 1024} MB`);
  const found = chartVersionsFromIndex(text, loc.chart);
  if (!found) return fail('not-found', `${url} lists no chart ${loc.chart}`);
  return ok(found);
}

async function listOci(oci: ReturnType<typeof ociClient>, signal?: AbortSignal): Promise<Result<ChartVersion[]>> {
  const tags = await oci.tags(signal);
  if (!tags.ok) return tags;
  // Helm writes `+` of a version as `_` in tags, which cannot hold a `+`.
  const out = tags.value.flatMap((raw) => {
    const version = canonicalVersion(raw.replace(/_/g, '+'));
    return version ? [{ version, raw, date: null, sources: [] } satisfies ChartVersion] : [];
  });
  return ok(sortNewestFirst(out, (v) => v.version));
}
