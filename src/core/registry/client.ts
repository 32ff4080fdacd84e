/**
 * A client of one registry's HTTP API v2 (the OCI distribution spec), over the Fetch port: manifests,
 * blobs and paged tag lists, and the token flow of Docker Hub, GHCR and Quay.
 *
 * A request goes out without credentials; a 401 names how to authenticate (`WWW-Authenticate`):
 * - `Bearer realm=…,service=…,scope=…`: a token is asked from the realm, with the user's Basic
 *   credentials when there are some (an anonymous pull token otherwise), kept in memory for the
 *   repository until it expires, and the request is sent again with it;
 * - `Basic`: the user's credentials are sent to the registry itself.
 * Credentials never go over plain HTTP to a host that is neither loopback nor listed as insecure,
 * and never appear in a message. Manifests and blobs fetched by digest are checked against it.
 */
import { createHash } from 'node:crypto';
import type { Fetch } from '../http/ports';
import { redactSecrets } from '../http/redact';
import { timeoutMessage, timeoutOf } from '../http/retry';
import { fail, ok, type Result } from '../releases/model';
import { parseChallenges, type Challenge } from './challenge';
import { MANIFEST_ACCEPT } from './mediaTypes';
import { parseManifest, type Manifest } from './manifest';

export interface Credentials {
  username: string;
  password: string;
}

/** What the user's Docker config holds for a registry: credentials, a reason they cannot be used, or nothing. */
export type CredentialLookup = Credentials | { unsupported: string } | undefined;

export interface RegistryClientOptions {
  /** Where the API answers: `registry-1.docker.io`, `ghcr.io`, `127.0.0.1:5000`. */
  host: string;
  /** Requests to the registry's API. An adapter may answer them from its cache, except those with `cache-control: no-cache`. */
  fetch: Fetch;
  /** Requests to token servers: never cached. */
  tokenFetch: Fetch;
  /** Whether a host (the registry's, a token realm's) may be reached over plain HTTP: loopback, or listed as insecure. */
  plainHttp: (host: string) => boolean;
  credentials?: CredentialLookup;
  userAgent?: string;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Ask the registry, whatever a cache holds (existence checks). */
  live?: boolean;
}

export interface FetchedManifest {
  /** The digest of the manifest's bytes. */
  digest: string;
  manifest: Manifest;
}

/** Largest answers read: manifests 4 MiB (as containerd), configs 16 MiB, a page of tags 16 MiB. */
export const LIMITS = { manifest: 4 << 20, blob: 16 << 20, tagPage: 16 << 20, tags: 100_000, pages: 1_000 };

interface Answer {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

interface Token {
  value: string;
  /** Epoch ms; undefined when the realm gave no lifetime. */
  expiresAt?: number;
}

const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export class RegistryClient {
  private readonly base: string;
  private readonly tokens = new Map<string, Token>();
  private basic = false;

  constructor(private readonly opts: RegistryClientOptions) {
    this.base = `${opts.plainHttp(opts.host) ? 'http' : 'https'}://${opts.host}`;
  }

  get host(): string {
    return this.opts.host;
  }

  /** The manifest `reference` (a tag or a digest) names; `what` names it in messages (`tag 1.2 of acme/app`). */
  async manifest(repository: string, reference: string, what: string, ro: RequestOptions = {}): Promise<Result<FetchedManifest>> {
    const res = await this.get(repository, `/v2/${repository}/manifests/${reference}`, MANIFEST_ACCEPT, what, LIMITS.manifest, ro);
    if (!res.ok) return res;
    const digest = digestOf(res.value.body, reference.includes(':') ? reference.split(':')[0] : 'sha256');
    if (reference.includes(':') && digest !== reference) return fail('source', `${this.host} sent a manifest for ${what} whose digest is ${digest}`);
    const manifest = parseManifest(new TextDecoder().decode(res.value.body), res.value.headers.get('content-type'));
    if (typeof manifest === 'string') return fail('source', `${this.host}: ${manifest} (${what})`);
    return ok({ digest, manifest });
  }

  /** A blob by digest, checked against it. */
  async blob(repository: string, digest: string, what: string, ro: RequestOptions = {}): Promise<Result<Uint8Array>> {
    const res = await this.get(repository, `/v2/${repository}/blobs/${digest}`, '*/*', what, LIMITS.blob, ro);
    if (!res.ok) return res;
    if (digestOf(res.value.body, digest.split(':')[0]) !== digest) return fail('source', `${this.host} sent ${what} that does not match its digest ${digest}`);
    return ok(res.value.body);
  }

  /** Every tag of the repository, following the `Link` header's next pages. */
  async tags(repository: string, what: string, ro: RequestOptions = {}): Promise<Result<string[]>> {
    const out: string[] = [];
    const seen = new Set<string>();
    let path: string | undefined = `/v2/${repository}/tags/list`;
    for (let page = 0; path; page++) {
      if (page >= LIMITS.pages || seen.has(path)) return fail('too-large', `${this.host} lists the tags of ${what} in more than ${seen.size} pages; Preflight stops there`);
      seen.add(path);
      const res = await this.get(repository, path, 'application/json', `the tags of ${what}`, LIMITS.tagPage, ro);
      if (!res.ok) return res;
      let data: unknown;
      try {
        data = JSON.parse(new TextDecoder().decode(res.value.body));
      } catch {
        data = undefined;
      }
      const tags = typeof data === 'object' && data !== null ? (data as { tags?: unknown }).tags : undefined;
      if (tags !== null && !(Array.isArray(tags) && tags.every((t) => typeof t === 'string'))) return fail('source', `${this.host} sent a malformed tag list for ${what}`);
      for (const t of tags ?? []) if (TAG_RE.test(t)) out.push(t);
      if (out.length > LIMITS.tags) return fail('too-large', `${what} has more than ${LIMITS.tags} tags; Preflight reads no more`);
      const next = nextLink(res.value.headers.get('link'));
      path = next === undefined ? undefined : this.sameOriginPath(next);
      if (next !== undefined && path === undefined) return fail('source', `${this.host} sent the next page of the tags of ${what} to another host`);
    }
    return ok(out);
  }

  /** One GET of the API, authenticated as the registry asks. */
  private async get(repository: string, path: string, accept: string, what: string, maxBytes: number, ro: RequestOptions): Promise<Result<Answer>> {
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { accept };
      if (this.opts.userAgent) headers['user-agent'] = this.opts.userAgent;
      if (ro.live) headers['cache-control'] = 'no-cache';
      const authorization = this.authorization(repository);
      if (authorization) headers.authorization = authorization;
      const res = await this.send(this.opts.fetch, `${this.base}${path}`, headers, what, ro.signal);
      if (!res.ok) return res;
      const { status } = res.value;
      if (status === 401 && attempt < 2) {
        const authed = await this.authenticate(parseChallenges(res.value.headers.get('www-authenticate')), repository, !!authorization, ro.signal);
        if (!authed.ok) return authed;
        continue;
      }
      if (status === 200) {
        if (res.value.body.length > maxBytes) return fail('too-large', `${this.host} sent more than ${maxBytes >> 20} MiB for ${what}`);
        return res;
      }
      return this.failure(res.value, repository, what);
    }
  }

  private async send(fetch: Fetch, url: string, headers: Record<string, string>, what: string, signal?: AbortSignal): Promise<Result<Answer>> {
    const host = new URL(url).host;
    try {
      const res = await fetch(url, { headers, signal });
      return ok({ status: res.status, headers: res.headers, body: new Uint8Array(await res.arrayBuffer()) });
    } catch (e) {
      const error = e as Error & { cause?: { message?: string } };
      if (signal?.aborted || error.name === 'AbortError') return fail('cancelled', `the request for ${what} was cancelled`);
      const timeout = timeoutOf(e);
      if (timeout) return fail('network', timeoutMessage(timeout, host, what));
      return fail('network', redactSecrets(`cannot reach ${host}: ${error.cause?.message ?? error.message}`));
    }
  }

  private authorization(repository: string): string | undefined {
    const token = this.tokens.get(repository);
    if (token && (token.expiresAt === undefined || token.expiresAt > Date.now())) return `Bearer ${token.value}`;
    const creds = this.creds();
    if (this.basic && creds) return basicHeader(creds);
    return undefined;
  }

  /** Gets what a 401's challenges ask for; a failure says why access cannot be had. */
  private async authenticate(challenges: Challenge[], repository: string, hadAuthorization: boolean, signal?: AbortSignal): Promise<Result<void>> {
    const creds = this.creds();
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    if (bearer) {
      if (hadAuthorization && this.tokens.has(repository)) return this.refused(repository);
      return this.fetchToken(bearer, repository, signal);
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      if (!creds) return this.needsCredentials(repository);
      if (this.basic) return fail('auth', `${this.host} refused the credentials of ${creds.username} from the Docker config for ${repository}`);
      // The base is HTTPS, or plain HTTP to a loopback or insecure registry the user chose.
      this.basic = true;
      return ok(undefined);
    }
    return fail('auth', `${this.host} refused access to ${repository} (401) without saying how to authenticate`);
  }

  private async fetchToken(challenge: Challenge, repository: string, signal?: AbortSignal): Promise<Result<void>> {
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm);
    } catch {
      return fail('auth', `${this.host} names a token service that is not a URL`);
    }
    if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && this.opts.plainHttp(realm.host))) {
      return fail('auth', `${this.host} sends token requests to ${realm.protocol}//${realm.host}, which is neither HTTPS nor a loopback or insecure registry`);
    }
    if (challenge.params.service) realm.searchParams.set('service', challenge.params.service);
    realm.searchParams.set('scope', challenge.params.scope || `repository:${repository}:pull`);
    const creds = this.creds();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.opts.userAgent) headers['user-agent'] = this.opts.userAgent;
    if (creds) headers.authorization = basicHeader(creds);
    const res = await this.send(this.opts.tokenFetch, realm.href, headers, `a token for ${repository}`, signal);
    if (!res.ok) return res;
    const { status, body } = res.value;
    if (status === 401 || status === 403) {
      return creds ? fail('auth', `${realm.host} refused the credentials of ${creds.username} from the Docker config for ${repository} (${status})`) : this.needsCredentials(repository);
    }
    if (status === 429) return fail('rate-limited', `${realm.host} refused more token requests for now (429)`);
    if (status !== 200) return fail('auth', `${realm.host} answered ${status} to the token request for ${repository}`);
    let data: unknown;
    try {
      data = JSON.parse(new TextDecoder().decode(body));
    } catch {
      data = undefined;
    }
    const d = (typeof data === 'object' && data !== null ? data : {}) as { token?: unknown; access_token?: unknown; expires_in?: unknown };
    const value = typeof d.token === 'string' && d.token ? d.token : typeof d.access_token === 'string' ? d.access_token : '';
    if (!value || /[\r\n]/.test(value)) return fail('auth', `${realm.host} sent no token for ${repository}`);
    const lifetime = typeof d.expires_in === 'number' && d.expires_in > 0 ? d.expires_in * 1000 : undefined;
    // Asked again a little before it ends, so that no request carries a token about to expire.
    this.tokens.set(repository, { value, expiresAt: lifetime === undefined ? undefined : Date.now() + Math.max(lifetime - 10_000, lifetime / 2) });
    return ok(undefined);
  }

  private creds(): Credentials | undefined {
    const c = this.opts.credentials;
    return c && 'username' in c ? c : undefined;
  }

  private needsCredentials(repository: string): Result<never> {
    const c = this.opts.credentials;
    const why = c && 'unsupported' in c ? c.unsupported : 'the Docker config has none for it (docker login writes them)';
    return fail('auth', `${this.host} needs credentials for ${repository}: ${why}`);
  }

  private refused(repository: string): Result<never> {
    const creds = this.creds();
    const as = creds ? `the credentials of ${creds.username}` : 'anonymous access';
    const hint = creds ? '' : `; it may not exist, or be private (${this.opts.credentials && 'unsupported' in this.opts.credentials ? this.opts.credentials.unsupported : 'docker login writes credentials to the Docker config'})`;
    return fail('auth', `${this.host} refused ${as} to ${repository}${hint}`);
  }

  private failure(res: Answer, repository: string, what: string): Result<never> {
    const codes = errorCodes(res.body);
    if (res.status === 404 || codes.some((c) => c.endsWith('_UNKNOWN'))) {
      if (codes.includes('NAME_UNKNOWN')) return fail('not-found', `repository ${repository} does not exist on ${this.host}`);
      return fail('not-found', `${what} does not exist${what.includes(this.host) ? '' : ` on ${this.host}`}`);
    }
    if (res.status === 401 || res.status === 403 || codes.includes('DENIED') || codes.includes('UNAUTHORIZED')) return this.refused(repository);
    if (res.status === 429 || codes.includes('TOOMANYREQUESTS')) return fail('rate-limited', `${this.host} refused more requests for now (429) while reading ${what}`);
    return fail('network', `${this.host} answered ${res.status} for ${what}`);
  }

  /** A same-origin next-page link as a path, or undefined. */
  private sameOriginPath(link: string): string | undefined {
    try {
      const url = new URL(link, this.base);
      return url.origin === new URL(this.base).origin ? `${url.pathname}${url.search}` : undefined;
    } catch {
      return undefined;
    }
  }
}

function basicHeader(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64')}`;
}

function digestOf(body: Uint8Array, algorithm: string): string {
  const algo = algorithm === 'sha512' ? 'sha512' : 'sha256';
  return `${algo}:${createHash(algo).update(body).digest('hex')}`;
}

/** The registry's error codes from an error body (`{"errors":[{"code":"MANIFEST_UNKNOWN"}]}`). */
function errorCodes(body: Uint8Array): string[] {
  if (body.length > 65536) return [];
  try {
    const data = JSON.parse(new TextDecoder().decode(body)) as { errors?: unknown };
    return Array.isArray(data.errors) ? data.errors.map((e) => (typeof e?.code === 'string' ? e.code.toUpperCase() : '')).filter(Boolean) : [];
  } catch {
    return [];
  }
}

/** The `rel="next"` target of a Link header. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const m of header.slice(0, 8192).matchAll(/<([^>]*)>([^<]*)/g)) {
    if (/;\s*rel\s*=\s*"?next"?/i.test(m[2])) return m[1];
  }
  return undefined;
}
