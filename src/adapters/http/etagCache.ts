/**
 * Conditional GETs backed by an on-disk cache, as a `fetch` wrapper: a cached response's ETag (or
 * Last-Modified) is sent back, and a 304 is answered with the cached body as a 200, so callers never
 * see 304s. GitHub does not count 304s against the rate limit, and registries answer them cheaply.
 *
 * Every entry belongs to an identity: a hash of the credential its request carried (never the
 * credential itself), or `anonymous`. One identity's entries are never used for another's requests,
 * neither as a validator for a 304 nor as the stale answer a caller falls back to; a token that can
 * read a private repository never shares what it read with another token, or with anonymous requests.
 * An answer that refuses access (401, 403 other than a rate limit, 404, 410) removes the entry.
 *
 * Layout: `<dir>/<identity>/<sha256 of accept and URL>.entry`, one line of JSON metadata followed by
 * the body, written atomically (temporary file, fsync, rename). Folders are 0700 and files 0600;
 * an older, looser cache is tightened on first use, and its entries from before identities existed
 * are removed. Only response headers that describe the body are stored: no credential reaches the disk.
 */
import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../atomicWrite';
import { type Fetch, type HttpCounters, newCounters } from '../../core/http/ports';

export { type Fetch, type HttpCounters, newCounters };



export interface CachedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

interface Meta {
  v: 2;
  identity: string;
  url: string;
  accept: string;
  status: number;
  headers: Record<string, string>;
  size: number;
}

/** The identity of requests without a credential. */
export const ANONYMOUS = 'anonymous';

/**
 * The cache identity of a credential (a token, or the base64 of Basic credentials): a hash that
 * tells credentials apart without revealing them. No credential is `anonymous`.
 */
export function cacheIdentity(credential: string | undefined | null): string {
  const c = credential?.trim();
  if (!c) return ANONYMOUS;
  return createHash('sha256').update('preflight cache identity\0').update(c).digest('hex').slice(0, 32);
}

/** The identity of a request from its Authorization header (`token X`, `Bearer X`, `Basic X`). */
export function identityOfAuthorization(header: string | null | undefined): string {
  if (!header?.trim()) return ANONYMOUS;
  const m = /^\s*(?:token|bearer|basic)\s+(.+)$/i.exec(header);
  return cacheIdentity(m ? m[1] : header);
}

const KEPT_HEADERS = ['content-type', 'etag', 'last-modified', 'link'];
const IDENTITY_RE = /^(?:anonymous|[0-9a-f]{32})$/;
/** Entries and temporary files of the cache before identities: keyed by URL alone. */
const LEGACY_RE = /^[0-9a-f]{64}(?:\.json|\.body|\.[0-9a-f]{12}\.tmp)$/;
const POSIX = process.platform !== 'win32';

export class EtagCache {
  private root: Promise<boolean> | undefined;
  private readonly folders = new Map<string, Promise<string | undefined>>();

  constructor(readonly dir: string) {}

  async get(identity: string, url: string, accept: string): Promise<CachedResponse | undefined> {
    const folder = await this.folder(identity);
    if (!folder) return undefined;
    try {
      const raw = await readFile(path.join(folder, entryName(url, accept)));
      const eol = raw.indexOf(0x0a);
      if (eol < 0) return undefined;
      const meta = JSON.parse(raw.subarray(0, eol).toString('utf8')) as Meta;
      const body = raw.subarray(eol + 1);
      if (meta.v !== 2 || meta.identity !== identity || meta.url !== url || meta.accept !== accept || meta.size !== body.length) return undefined;
      return { status: meta.status, headers: meta.headers, body: Buffer.from(body) };
    } catch {
      return undefined;
    }
  }

  /** Stores a response; a cache that cannot be written only costs the next request its 304. */
  async put(identity: string, url: string, accept: string, response: CachedResponse): Promise<void> {
    const folder = await this.folder(identity);
    if (!folder) return;
    const meta: Meta = { v: 2, identity, url, accept, status: response.status, headers: response.headers, size: response.body.length };
    try {
      await writeFileAtomic(path.join(folder, entryName(url, accept)), Buffer.concat([Buffer.from(`${JSON.stringify(meta)}\n`, 'utf8'), response.body]), { mode: 0o600 });
    } catch {
      // best effort
    }
  }

  async delete(identity: string, url: string, accept: string): Promise<void> {
    const folder = await this.folder(identity);
    if (folder) await rm(path.join(folder, entryName(url, accept)), { force: true }).catch(() => undefined);
  }

  /** The identity's folder, made or tightened once per instance; undefined when it cannot be kept private. */
  private folder(identity: string): Promise<string | undefined> {
    if (!IDENTITY_RE.test(identity)) return Promise.resolve(undefined);
    let p = this.folders.get(identity);
    if (!p) {
      p = (async () => {
        if (!(await (this.root ??= this.prepareRoot()))) return undefined;
        const folder = path.join(this.dir, identity);
        return (await privateDir(folder)) ? folder : undefined;
      })();
      this.folders.set(identity, p);
    }
    return p;
  }

  private async prepareRoot(): Promise<boolean> {
    if (!(await privateDir(this.dir))) return false;
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return false;
    }
    for (const name of names) {
      const p = path.join(this.dir, name);
      if (LEGACY_RE.test(name)) await rm(p, { force: true }).catch(() => undefined);
      // Every identity's folder and entries, not only the ones this process uses.
      else if (IDENTITY_RE.test(name) && !((await privateDir(p)) && (await tightenFiles(p)))) return false;
    }
    return true;
  }
}

/** Makes `dir` (and missing parents) 0700, or tightens it; false when it is not a private folder of this user. */
async function privateDir(dir: string): Promise<boolean> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    if (!POSIX) return true;
    let st = await lstat(dir);
    if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid())) return false;
    if ((st.mode & 0o777) !== 0o700) {
      await chmod(dir, 0o700);
      st = await lstat(dir);
    }
    return (st.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

/** Entry files readable by others (an older cache, a copy) are made 0600; false when one cannot be. */
async function tightenFiles(dir: string): Promise<boolean> {
  if (!POSIX) return true;
  try {
    for (const name of await readdir(dir)) {
      const file = path.join(dir, name);
      const st = await lstat(file);
      if (st.isFile() && (st.mode & 0o077) !== 0) await chmod(file, 0o600);
    }
    return true;
  } catch {
    return false;
  }
}

function entryName(url: string, accept: string): string {
  return `${createHash('sha256').update(`${accept}\n${url}`).digest('hex')}.entry`;
}

export interface ConditionalFetchOptions {
  cache?: EtagCache;
  /**
   * Whose entries the requests use: `cacheIdentity(token)`. By default each request's own, from its
   * Authorization header (`anonymous` without one).
   */
  identity?: string;
  counters?: HttpCounters;
  /** Whether a network response counts against a rate limit; by default every one but a 304. */
  counts?: (url: string, status: number) => boolean;
}


export function conditionalFetch(fetch: Fetch, opts: ConditionalFetchOptions = {}): Fetch {
  const { cache, counters } = opts;
  const counts = opts.counts ?? ((_url: string, status: number) => status !== 304);
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    const accept = headers.get('accept') ?? '';
    const identity = opts.identity ?? identityOfAuthorization(headers.get('authorization'));
    const cached = method === 'GET' && cache ? await cache.get(identity, url, accept) : undefined;
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
    if (method !== 'GET' || !cache) return response;
    if (await refusesAccess(response)) {
      await cache.delete(identity, url, accept);
      return response;
    }
    if (response.status !== 200 || !(response.headers.has('etag') || response.headers.has('last-modified'))) return response;
    const body = Buffer.from(await response.arrayBuffer());
    const kept: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) kept[name] = value;
    }
    await cache.put(identity, url, accept, { status: response.status, headers: kept, body });
    return new Response(new Uint8Array(body), { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/** 401, 404, 410, and a 403 that is not a rate limit: what was cached for the request must not be used again. */
async function refusesAccess(response: Response): Promise<boolean> {
  const { status, headers } = response;
  if (status === 401 || status === 404 || status === 410) return true;
  if (status !== 403) return false;
  if (headers.get('x-ratelimit-remaining') === '0' || headers.has('retry-after')) return false;
  const text = await response
    .clone()
    .text()
    .catch(() => '');
  return !/rate limit/i.test(text);
}
