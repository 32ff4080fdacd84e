/**
 * A local Helm chart repository for tests: `/index.yaml` as `helm repo index` writes it (with
 * ETags), and an OCI registry under `/v2/` serving charts the way `helm push` stores them (a
 * manifest whose config is the chart's metadata as JSON), with tags paged by Link and the anonymous
 * token flow of Docker Hub and GHCR (401 with `WWW-Authenticate: Bearer realm=...`, `/token`).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';

export interface FixtureChartVersion {
  version: string;
  appVersion?: string;
  created?: string;
  sources?: string[];
  home?: string;
  /** The artifacthub.io/changes annotation, as written. */
  changes?: string;
}

export interface ChartRepositoryFixture {
  /** Charts of index.yaml, by name. */
  charts: Record<string, FixtureChartVersion[]>;
  /** OCI repositories (`charts/nginx`) and their versions. */
  oci?: Record<string, FixtureChartVersion[]>;
  /** OCI requests need the anonymous pull token when set. */
  requireToken?: boolean;
  /** Other charts in the index, to make it large. */
  filler?: number;
}

export interface ChartRepository {
  readonly url: string;
  readonly requests: { path: string; status: number; auth?: string }[];
  readonly state: ChartRepositoryFixture;
  close(): Promise<void>;
}

const TOKEN = 'anonymous-pull-token';

export function indexYaml(fixture: ChartRepositoryFixture, base: string): string {
  const entries: Record<string, unknown[]> = {};
  for (let i = 0; i < (fixture.filler ?? 0); i++) {
    entries[`filler-${i}`] = [{ apiVersion: 'v2', name: `filler-${i}`, version: '1.0.0', appVersion: '1.0.0', created: '2024-01-01T00:00:00Z', digest: 'a'.repeat(64), urls: [`${base}/filler-${i}-1.0.0.tgz`] }];
  }
  for (const [name, versions] of Object.entries(fixture.charts)) entries[name] = versions.map((v) => entry(name, v, base));
  return stringify({ apiVersion: 'v1', entries, generated: '2024-06-01T00:00:00Z' });
}

function entry(name: string, v: FixtureChartVersion, base: string): Record<string, unknown> {
  return {
    apiVersion: 'v2',
    name,
    version: v.version,
    ...(v.appVersion ? { appVersion: v.appVersion } : {}),
    ...(v.changes ? { annotations: { 'artifacthub.io/changes': v.changes, category: 'Infrastructure' } } : {}),
    created: v.created ?? '2024-01-01T00:00:00Z',
    description: `The ${name} chart`,
    digest: createHash('sha256').update(`${name}-${v.version}`).digest('hex'),
    ...(v.home ? { home: v.home } : {}),
    ...(v.sources ? { sources: v.sources } : {}),
    urls: [`${base}/${name}-${v.version}.tgz`],
  };
}

export async function startChartRepository(fixture: ChartRepositoryFixture): Promise<ChartRepository> {
  const requests: ChartRepository['requests'] = [];
  let base = '';
  const server = createServer((req, res) => handle(req, res));

  function send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}, record?: { path: string; status: number }): void {
    if (record) record.status = status;
    res.writeHead(status, headers);
    res.end(body);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', base);
    const record = { path: url.pathname + url.search, status: 0, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) };
    requests.push(record);
    if (url.pathname === '/index.yaml') {
      const text = indexYaml(fixture, base);
      const etag = `"${createHash('sha1').update(text).digest('hex')}"`;
      if (req.headers['if-none-match'] === etag) return send(res, 304, '', { etag }, record);
      return send(res, 200, text, { 'content-type': 'application/x-yaml', etag }, record);
    }
    if (url.pathname === '/token') {
      const scope = url.searchParams.get('scope') ?? '';
      if (url.searchParams.get('service') !== 'test-registry' || !/^repository:[\w/.-]+:pull$/.test(scope)) return send(res, 400, '{"errors":[{"code":"UNSUPPORTED"}]}', {}, record);
      return send(res, 200, JSON.stringify({ token: TOKEN, expires_in: 300 }), { 'content-type': 'application/json' }, record);
    }
    const m = /^\/v2\/(.+)\/(tags\/list|manifests\/[^/]+|blobs\/sha256:[0-9a-f]{64})$/.exec(url.pathname);
    if (!m) return send(res, 404, 'not found', {}, record);
    const [, repo, what] = m;
    if (fixture.requireToken && req.headers.authorization !== `Bearer ${TOKEN}`) {
      return send(res, 401, '{"errors":[{"code":"UNAUTHORIZED"}]}', { 'www-authenticate': `Bearer realm="${base}/token",service="test-registry",scope="repository:${repo}:pull"`, 'content-type': 'application/json' }, record);
    }
    const versions = fixture.oci?.[repo];
    if (!versions) return send(res, 404, '{"errors":[{"code":"NAME_UNKNOWN"}]}', { 'content-type': 'application/json' }, record);
    const name = repo.split('/').pop()!;
    if (what === 'tags/list') {
      const n = Number(url.searchParams.get('n') ?? 100);
      const last = url.searchParams.get('last');
      const tags = versions.map((v) => v.version.replace(/\+/g, '_')).sort();
      const start = last ? tags.indexOf(last) + 1 : 0;
      const page = tags.slice(start, start + n);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (start + n < tags.length) headers.link = `</v2/${repo}/tags/list?n=${n}&last=${encodeURIComponent(page[page.length - 1])}>; rel="next"`;
      return send(res, 200, JSON.stringify({ name: repo, tags: page }), headers, record);
    }
    const configs = new Map(versions.map((v) => [v.version.replace(/\+/g, '_'), Buffer.from(JSON.stringify(configOf(name, v)))]));
    if (what.startsWith('manifests/')) {
      const tag = decodeURIComponent(what.slice('manifests/'.length));
      const config = configs.get(tag);
      if (!config) return send(res, 404, '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}', { 'content-type': 'application/json' }, record);
      const manifest = {
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: digest(config), size: config.length },
        layers: [{ mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', digest: digest(Buffer.from(tag)), size: 1 }],
      };
      return send(res, 200, JSON.stringify(manifest), { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, record);
    }
    const wanted = what.slice('blobs/'.length);
    const blob = [...configs.values()].find((c) => digest(c) === wanted);
    if (!blob) return send(res, 404, '{"errors":[{"code":"BLOB_UNKNOWN"}]}', { 'content-type': 'application/json' }, record);
    return send(res, 200, blob, { 'content-type': 'application/vnd.cncf.helm.config.v1+json' }, record);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    state: fixture,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** What `helm push` stores as a chart's config: Chart.yaml as JSON. */
function configOf(name: string, v: FixtureChartVersion): Record<string, unknown> {
  return {
    name,
    version: v.version,
    ...(v.appVersion ? { appVersion: v.appVersion } : {}),
    apiVersion: 'v2',
    ...(v.home ? { home: v.home } : {}),
    ...(v.sources ? { sources: v.sources } : {}),
    ...(v.changes ? { annotations: { 'artifacthub.io/changes': v.changes } } : {}),
  };
}

function digest(b: Buffer): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}
