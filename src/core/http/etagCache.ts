/**
 * Conditional GETs backed by an on-disk cache, as a `fetch` wrapper: a cached response's ETag (or
 * Last-Modified) is sent back, and a 304 is answered with the cached body as a 200, so callers never
 * see 304s. GitHub does not count 304s against the rate limit, and registries answer them cheaply.
 *
 * Entries are keyed by URL and Accept header only, and only response headers that describe the body
 * are stored: no credential reaches the disk.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type Fetch = typeof globalThis.fetch;

export interface HttpCounters {
  /** Responses received from the network. */
  requests: number;
  /** Of those, 304 Not Modified answers served from the cache. */
  notModified: number;
  /** Of those, the ones that count against a rate limit. */
  counted: number;
}

export interface CachedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

interface Meta {
  url: string;
  status: number;
  headers: Record<string, string>;
}

const KEPT_HEADERS = ['content-type', 'etag', 'last-modified', 'link'];

export class EtagCache {
  constructor(readonly dir: string) {}

  async get(url: string, accept: string): Promise<CachedResponse | undefined> {
    const base = this.file(url, accept);
    try {
      const meta = JSON.parse(await readFile(`${base}.json`, 'utf8')) as Meta;
      if (meta.url !== url) return undefined;
      return { status: meta.status, headers: meta.headers, body: await readFile(`${base}.body`) };
    } catch {
      return undefined;
    }
  }

  /** Stores a response; a cache that cannot be written only costs the next request its 304. */
  async put(url: string, accept: string, response: CachedResponse): Promise<void> {
    const base = this.file(url, accept);
    const tmp = `${base}.${randomBytes(6).toString('hex')}.tmp`;
    const meta: Meta = { url, status: response.status, headers: response.headers };
    try {
      await mkdir(this.dir, { recursive: true });
      // Body first: a reader that finds the new metadata must find its body.
      await writeFile(tmp, response.body);
      await rename(tmp, `${base}.body`);
      await writeFile(tmp, JSON.stringify(meta));
      await rename(tmp, `${base}.json`);
    } catch {
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  private file(url: string, accept: string): string {
    return path.join(this.dir, createHash('sha256').update(`${accept}\n${url}`).digest('hex'));
  }
}

export interface ConditionalFetchOptions {
  cache?: EtagCache;
  counters?: HttpCounters;
  /** Whether a network response counts against a rate limit; by default every one but a 304. */
  counts?: (url: string, status: number) => boolean;
}

export function newCounters(): HttpCounters {
  return { requests: 0, notModified: 0, counted: 0 };
}

export function conditionalFetch(fetch: Fetch, opts: ConditionalFetchOptions = {}): Fetch {
  const { cache, counters } = opts;
  const counts = opts.counts ?? ((_url: string, status: number) => status !== 304);
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    const accept = headers.get('accept') ?? '';
    const cached = method === 'GET' && cache ? await cache.get(url, accept) : undefined;
    if (cached?.headers.etag) headers.set('if-none-match', cached.headers.etag);
    else if (cached?.headers['last-modified']) headers.set('if-modified-since', cached.headers['last-modified']);

    const response = await fetch(input, { ...init, headers });
    if (counters) {
      counters.requests++;
      if (response.status === 304) counters.notModified++;
      if (counts(url, response.status)) counters.counted++;
    }
    if (response.status === 304 && cached) {
      return new Response(new Uint8Array(cached.body), { status: cached.status, headers: cached.headers });
    }
    if (method !== 'GET' || !cache || response.status !== 200 || !(response.headers.has('etag') || response.headers.has('last-modified'))) {
      return response;
    }
    const body = Buffer.from(await response.arrayBuffer());
    const kept: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) kept[name] = value;
    }
    await cache.put(url, accept, { status: response.status, headers: kept, body });
    return new Response(new Uint8Array(body), { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
