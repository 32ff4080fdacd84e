/**
 * The GitLab port over the REST API v4 (gitlab.com, or a self-managed instance at its base URL).
 *
 * GETs go through the conditional-request cache (src/adapters/http/etagCache.ts) in the token's
 * own part of it, and through the timeouts and retries of core/http/retry. When GitLab cannot answer
 * (rate limit, network, 5xx) the token's last cached answer is used and marked stale; a refusal
 * (401, 403, 404) is never answered from the cache. Pages are followed by GitLab's `X-Next-Page`
 * header, or by the `Link: rel="next"` of keyset pagination, on the same host only.
 */
import type { CallOptions, GitLabApi, GitLabError, GitLabRelease, GitLabResult, GitLabTag, Page, Project, TreeBlob } from '../../core/gitlab/ports';
import { redactSecrets, splitCredentials } from '../../core/http/redact';
import { type NetworkOptions, resilientFetch } from '../../core/http/retry';
import { cacheIdentity, conditionalFetch, EtagCache, type Fetch, newCounters } from '../http/etagCache';
import { classifyResponse, classifyThrown, type Describe, type GitLabHints } from './errors';

export const GITLAB_URL = 'https://gitlab.com';

export interface GitLabClientOptions {
  /** `https://gitlab.com` by default; `https://gitlab.example.com` (with or without `/api/v4`). */
  baseUrl?: string;
  token?: string;
  /** Conditional-request cache directory; without one every request is a full one. */
  cacheDir?: string;
  fetch?: Fetch;
  network?: NetworkOptions;
  userAgent?: string;
  hints?: GitLabHints;
  now?: () => number;
}

const PER_PAGE = 100;
const JSON_TYPE = 'application/json';

/** The API root of a GitLab base URL: `https://gitlab.example.com/api/v4`. */
export function gitlabApiUrl(baseUrl: string): string {
  const trimmed = splitCredentials(baseUrl.trim()).url.replace(/\/+$/, '');
  return /\/api\/v4$/i.test(trimmed) ? trimmed : `${trimmed}/api/v4`;
}

export function createGitLabClient(opts: GitLabClientOptions = {}): GitLabApi {
  const api = gitlabApiUrl(opts.baseUrl ?? GITLAB_URL);
  const origin = new URL(api).origin;
  const host = new URL(api).host;
  const token = opts.token?.trim() || undefined;
  const counters = newCounters();
  const cache = opts.cacheDir ? new EtagCache(opts.cacheDir) : undefined;
  const identity = cacheIdentity(token);
  const fetch = resilientFetch(conditionalFetch(opts.fetch ?? globalThis.fetch, { cache, identity, counters }), opts.network);
  const describe: Describe = { host, hasToken: Boolean(token), hints: opts.hints ?? {}, now: opts.now ?? Date.now };
  const headers = (accept: string): Record<string, string> => ({ accept, 'user-agent': opts.userAgent ?? 'preflight', ...(token ? { 'private-token': token } : {}) });

  async function call<T>(what: string, url: string, accept: string, read: (res: Response) => Promise<T>, signal?: AbortSignal): Promise<GitLabResult<T>> {
    let res: Response;
    let failure: GitLabError;
    try {
      res = await fetch(url, { headers: headers(accept), signal, redirect: 'error' });
      if (res.ok) {
        try {
          return { ok: true, value: await read(res) };
        } catch {
          return { ok: false, error: { kind: 'malformed', message: `${host} sent a malformed response for ${what}` } };
        }
      }
      failure = classifyResponse(res.status, res.headers, await res.text().catch(() => ''), what, describe);
    } catch (err) {
      failure = classifyThrown(err, what, describe);
    }
    failure = { ...failure, message: redactSecrets(failure.message) };
    if (cache && (failure.kind === 'rate-limited' || failure.kind === 'network' || failure.kind === 'server')) {
      // Only this token's own earlier answer; a refusal never gets here.
      const cached = await cache.get(identity, url, accept);
      if (cached) {
        try {
          return { ok: true, value: await read(new Response(new Uint8Array(cached.body), { status: 200, headers: cached.headers })), stale: failure };
        } catch {
          // a cached answer that no longer reads is no answer
        }
      }
    }
    return { ok: false, error: failure };
  }

  const project = (p: string) => `${api}/projects/${encodeURIComponent(p)}`;
  const pageUrl = (first: string, page: string | null) => (page === null ? first : page.startsWith('url:') ? page.slice(4) : withQuery(first, { page: page.slice(5) }));
  const next = (res: Response): string | null => {
    const n = res.headers.get('x-next-page')?.trim();
    if (n && /^\d+$/.test(n)) return `page:${n}`;
    const link = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(res.headers.get('link') ?? '');
    if (!link) return null;
    const url = new URL(link[1], api);
    return url.origin === origin ? `url:${url.href}` : null;
  };
  const list = <T>(what: string, first: string, page: string | null, map: (item: Record<string, unknown>) => T | undefined, o?: CallOptions) =>
    call<Page<T>>(what, pageUrl(first, page), JSON_TYPE, async (res) => {
      const data = (await res.json()) as unknown;
      if (!Array.isArray(data)) throw new Error('not a list');
      const items: T[] = [];
      for (const raw of data) {
        const item = map(obj(raw));
        if (item !== undefined) items.push(item);
      }
      return { items, next: next(res) };
    }, o?.signal);

  return {
    host,
    counters: () => ({ ...counters }),

    getProject: (p, o) =>
      call<Project>(`project ${p}`, project(p), JSON_TYPE, async (res) => {
        const d = obj(await res.json());
        return { pathWithNamespace: str(d.path_with_namespace), defaultBranch: strOrNull(d.default_branch), webUrl: str(d.web_url) };
      }, o?.signal),

    listReleases: (p, page, o) =>
      list<GitLabRelease>(`releases of ${p}`, withQuery(`${project(p)}/releases`, { per_page: String(PER_PAGE), order_by: 'released_at', sort: 'desc' }), page, (r) => {
        const links = r._links === undefined || r._links === null ? {} : obj(r._links);
        const release: GitLabRelease = {
          tagName: str(r.tag_name),
          name: strOrNull(r.name),
          description: strOrNull(r.description),
          createdAt: str(r.created_at),
          releasedAt: strOrNull(r.released_at),
          upcoming: r.upcoming_release === true,
        };
        if (typeof links.self === 'string') release.webUrl = links.self;
        return release;
      }, o),

    listTags: (p, page, o) =>
      list<GitLabTag>(`tags of ${p}`, withQuery(`${project(p)}/repository/tags`, { per_page: String(PER_PAGE), order_by: 'updated', sort: 'desc' }), page, (t) => ({ name: str(t.name), commitSha: str(obj(t.commit).id) }), o),

    getTree: (p, ref, page, o) =>
      list<TreeBlob>(`ref ${ref} of ${p}`, withQuery(`${project(p)}/repository/tree`, { ref, recursive: 'true', per_page: String(PER_PAGE), pagination: 'keyset' }), page, (e) =>
        // Submodules are `commit`s, folders `tree`s; symlinks are blobs (mode 120000) holding a path.
        str(e.type) === 'blob' && e.mode !== '120000' ? { path: str(e.path), id: str(e.id) } : undefined, o),

    getBlob: (p, sha, o) =>
      call<Buffer>(`blob ${sha.slice(0, 12)} of ${p}`, `${project(p)}/repository/blobs/${encodeURIComponent(sha)}/raw`, '*/*', async (res) => Buffer.from(await res.arrayBuffer()), o?.signal),
  };
}

function withQuery(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.href;
}

function obj(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
  return v as Record<string, unknown>;
}

function str(v: unknown): string {
  if (typeof v !== 'string') throw new Error('not a string');
  return v;
}

function strOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : str(v);
}
