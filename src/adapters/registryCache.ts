/**
 * The registry client's HTTP cache, as a `fetch` wrapper over the on-disk EtagCache (one folder per
 * identity, 0700, entries 0600, written atomically; see http/etagCache.ts):
 *
 * - manifests and blobs fetched by digest never change: once cached they are answered from the
 *   cache without a request;
 * - other answers (a tag's manifest, tag lists) are reused for `maxAgeMs` (10 minutes), then asked
 *   again with their ETag, and a 304 is answered with the cached body as a 200;
 * - a request with `cache-control: no-cache` always reaches the registry (still conditionally), so
 *   a check that a tag or digest exists is never answered from memory of an earlier one;
 * - an answer that says the thing is gone (404, 410) or refuses the identity (403, or 401 to a
 *   request that carried credentials) removes the entry.
 *
 * The identity is the user's registry credential (its hash), not the short-lived token a request
 * carries, so that one login's entries outlive its tokens and are never another's.
 */
import { type CachedResponse, EtagCache } from './http/etagCache';
import type { Fetch, HttpCounters } from '../core/http/ports';

export const REGISTRY_MAX_AGE_MS = 10 * 60 * 1000;

const KEPT_HEADERS = ['content-type', 'etag', 'last-modified', 'link', 'docker-content-digest'];
const STORED_AT = 'x-preflight-stored-at';
const BY_DIGEST = /\/(?:manifests|blobs)\/sha(?:256|512):[0-9a-f]{64,128}$/;

export interface RegistryCacheOptions {
  cache?: EtagCache;
  /** `cacheIdentity(credential)`, or `anonymous`. */
  identity: string;
  counters?: HttpCounters;
  maxAgeMs?: number;
  now?: () => number;
}

export function cachedRegistryFetch(fetch: Fetch, opts: RegistryCacheOptions): Fetch {
  const { cache, identity, counters } = opts;
  const maxAge = opts.maxAgeMs ?? REGISTRY_MAX_AGE_MS;
  const now = opts.now ?? Date.now;
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? 'GET').toUpperCase();
    const headers = new Headers(init?.headers);
    const live = /\bno-cache\b/i.test(headers.get('cache-control') ?? '');
    headers.delete('cache-control');
    const accept = headers.get('accept') ?? '';
    const cached = method === 'GET' && cache ? await cache.get(identity, url, accept) : undefined;
    if (cached && !live) {
      const age = now() - Number(cached.headers[STORED_AT]);
      if (BY_DIGEST.test(new URL(url).pathname) || (age >= 0 && age < maxAge)) return respond(cached);
    }
    if (cached?.headers.etag) headers.set('if-none-match', cached.headers.etag);
    else if (cached?.headers['last-modified']) headers.set('if-modified-since', cached.headers['last-modified']);

    const response = await fetch(input, { ...init, headers });
    if (counters) {
      counters.requests++;
      if (response.status === 304) counters.notModified++;
      else counters.counted++;
    }
    if (method !== 'GET' || !cache) return response;
    if (response.status === 304 && cached) {
      const renewed = { ...cached, headers: { ...cached.headers, [STORED_AT]: String(now()) } };
      await cache.put(identity, url, accept, renewed);
      return respond(renewed);
    }
    const { status } = response;
    if (status === 404 || status === 410 || status === 403 || (status === 401 && headers.has('authorization'))) {
      await cache.delete(identity, url, accept);
      return response;
    }
    if (status !== 200) return response;
    const body = Buffer.from(await response.arrayBuffer());
    const kept: Record<string, string> = { [STORED_AT]: String(now()) };
    for (const name of KEPT_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) kept[name] = value;
    }
    await cache.put(identity, url, accept, { status: 200, headers: kept, body });
    return new Response(new Uint8Array(body), { status: 200, statusText: response.statusText, headers: response.headers });
  };
}

function respond(entry: CachedResponse): Response {
  const headers = { ...entry.headers };
  delete headers[STORED_AT];
  return new Response(new Uint8Array(entry.body), { status: entry.status, headers });
}

export { EtagCache };
