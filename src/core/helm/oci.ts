/**
 * The little of the OCI Distribution API (Registry HTTP API v2) a Helm chart needs: its tags
 * (paged by Link), and a version's chart metadata from the config blob its manifest names. An
 * anonymous pull token is fetched when the registry asks for one (401 with `WWW-Authenticate:
 * Bearer realm=...`), as Helm, Docker Hub, GHCR and Quay do it; private registries are not read.
 * This is no image client: images are resolved elsewhere.
 */
import type { Fetch } from '../http/ports';
import type { Result } from '../releases/model';
import { fail, ok } from '../releases/model';
import { chartVersion, type ChartVersion } from './index';
import type { ChartLocation } from './spec';
import { isLoopback } from './spec';

type OciLocation = Extract<ChartLocation, { kind: 'oci' }>;

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const HELM_CONFIG = 'application/vnd.cncf.helm.config.v1+json';
/** Pages of tags followed at most, and the largest answer read. */
const MAX_TAG_PAGES = 50;
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

export interface OciClient {
  tags(signal?: AbortSignal): Promise<Result<string[]>>;
  /** A version's Chart.yaml fields, from the config blob of the manifest its tag names. */
  metadata(tag: string, signal?: AbortSignal): Promise<Result<ChartVersion>>;
}

export function ociClient(fetch: Fetch, loc: OciLocation): OciClient {
  const base = `${loc.plainHttp ? 'http' : 'https'}://${loc.registry}/v2/${loc.repository}`;
  let token: string | undefined;
  const what = `chart ${loc.registry}/${loc.repository}`;

  async function get(url: string, accept: string, signal?: AbortSignal): Promise<Result<Response>> {
    for (let attempt = 0; attempt < 2; attempt++) {
      let res: Response;
      try {
        res = await fetch(url, { headers: { accept, ...(token ? { authorization: `Bearer ${token}` } : {}) }, signal });
      } catch (err) {
        const e = err as Error & { cause?: { message?: string } };
        if (e.name === 'AbortError') return fail('cancelled', `the request for ${what} was cancelled`);
        return fail('network', `cannot reach ${loc.registry}: ${e.message}`);
      }
      if (res.status === 401 && attempt === 0 && !token) {
        const got = await pullToken(res.headers.get('www-authenticate'), signal);
        if (!got.ok) return got;
        token = got.value;
        continue;
      }
      if (res.status === 401 || res.status === 403) return fail('auth', `${loc.registry} refused anonymous access to ${what} (${res.status}); private chart registries are not read`);
      if (res.status === 404) return fail('not-found', `${what} not found on ${loc.registry} (404)`);
      if (res.status === 429) return fail('rate-limited', `${loc.registry} rate limit reached (429)${res.headers.get('retry-after') ? `; try again in ${res.headers.get('retry-after')} s` : ''}`);
      if (!res.ok) return fail('network', `${loc.registry} answered ${res.status} for ${what}`);
      if (Number(res.headers.get('content-length') ?? 0) > MAX_ANSWER_BYTES) return fail('too-large', `${loc.registry} sent more than ${MAX_ANSWER_BYTES} bytes for ${what}`);
      return ok(res);
    }
    return fail('auth', `${loc.registry} refused the pull token for ${what}`);
  }

  async function pullToken(challenge: string | null, signal?: AbortSignal): Promise<Result<string>> {
    const params = parseChallenge(challenge ?? '');
    const realm = params?.realm;
    let url: URL;
    try {
      url = new URL(realm ?? '');
    } catch {
      return fail('auth', `${loc.registry} asks for credentials (401) without a token service; private chart registries are not read`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) return fail('auth', `${loc.registry} names a token service that is not https (${url.protocol})`);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', params.scope ?? `repository:${loc.repository}:pull`);
    let res: Response;
    try {
      res = await fetch(url.href, { headers: { accept: 'application/json' }, signal });
    } catch (err) {
      return fail('network', `cannot reach ${url.host}: ${(err as Error).message}`);
    }
    if (!res.ok) return fail('auth', `${url.host} gave no anonymous pull token for ${what} (${res.status})`);
    const body = (await res.json().catch(() => undefined)) as { token?: unknown; access_token?: unknown } | undefined;
    const t = typeof body?.token === 'string' ? body.token : typeof body?.access_token === 'string' ? body.access_token : undefined;
    return t ? ok(t) : fail('auth', `${url.host} sent a malformed token answer for ${what}`);
  }

  async function json(url: string, accept: string, signal?: AbortSignal): Promise<Result<{ data: unknown; link: string | null }>> {
    const res = await get(url, accept, signal);
    if (!res.ok) return res;
    const text = await res.value.text();
    if (text.length > MAX_ANSWER_BYTES) return fail('too-large', `${loc.registry} sent more than ${MAX_ANSWER_BYTES} bytes for ${what}`);
    try {
      return ok({ data: JSON.parse(text) as unknown, link: res.value.headers.get('link') });
    } catch {
      return fail('source', `${loc.registry} sent a malformed response for ${what}`);
    }
  }

  return {
    async tags(signal) {
      const out: string[] = [];
      let url: string | undefined = `${base}/tags/list?n=1000`;
      for (let page = 0; url && page < MAX_TAG_PAGES; page++) {
        const r = await json(url, 'application/json', signal);
        if (!r.ok) return r;
        const tags = (r.value.data as { tags?: unknown } | null)?.tags;
        if (tags !== null && tags !== undefined && !Array.isArray(tags)) return fail('source', `${loc.registry} sent a malformed tag list for ${what}`);
        for (const t of tags ?? []) if (typeof t === 'string') out.push(t);
        url = nextPage(r.value.link, base);
      }
      return ok(out);
    },
    async metadata(tag, signal) {
      const manifest = await json(`${base}/manifests/${encodeURIComponent(tag)}`, OCI_MANIFEST, signal);
      if (!manifest.ok) return manifest;
      const config = (manifest.value.data as { config?: { mediaType?: unknown; digest?: unknown } } | null)?.config;
      if (typeof config?.digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(config.digest)) return fail('source', `${loc.registry} sent a manifest without a config for ${what}:${tag}`);
      if (config.mediaType !== HELM_CONFIG) return fail('source', `${loc.registry}/${loc.repository}:${tag} is not a Helm chart (its config is ${String(config.mediaType)})`);
      const blob = await json(`${base}/blobs/${config.digest}`, HELM_CONFIG, signal);
      if (!blob.ok) return blob;
      const v = chartVersion(blob.value.data);
      return v ? ok(v) : fail('source', `${loc.registry}/${loc.repository}:${tag} has no chart version in its config`);
    },
  };
}

/** `Bearer realm="...",service="...",scope="..."` -> its parameters. */
export function parseChallenge(header: string): Record<string, string> {
  const m = /^\s*bearer\s+(.*)$/i.exec(header);
  const out: Record<string, string> = {};
  if (!m) return out;
  for (const part of m[1].matchAll(/([a-z_]+)\s*=\s*"([^"]*)"/gi)) out[part[1].toLowerCase()] = part[2];
  return out;
}

/** The next page from a Link header, on the registry itself only. */
function nextPage(link: string | null, base: string): string | undefined {
  const m = link && /<([^>]+)>\s*;\s*rel="?next"?/i.exec(link);
  if (!m) return undefined;
  const next = new URL(m[1], base);
  return next.origin === new URL(base).origin ? next.href : undefined;
}
