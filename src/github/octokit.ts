/**
 * The GitHub port implemented with Octokit: the only module that imports @octokit/rest.
 *
 * GETs of what Preflight reads (releases, tags, trees, blobs) go through the conditional-request
 * cache when a cache directory is given, in the token's own part of it. When GitHub cannot answer
 * (rate limit, network) the token's last cached answer is used and marked stale, so a review that
 * was done before still works; a refusal (401, 403) is never answered from the cache. Writes, and
 * the reads that decide what to write (refs, file contents, pull requests), always go to GitHub.
 */
import { Octokit } from '@octokit/rest';
import type {
  CallOptions,
  FileChange,
  FileCommit,
  GitBlob,
  GitHubApi,
  GitHubError,
  GitHubResult,
  GitRef,
  NewPullRequest,
  Page,
  PageRequest,
  PullRequest,
  PullRequestFilter,
  RateLimit,
  Release,
  RepoFile,
  RepoRef,
  Repository,
  Tag,
  Tree,
} from '../core/github/ports';
import type { Fetch, HttpCounters } from '../core/http/etagCache';
import { cacheIdentity, conditionalFetch, EtagCache, newCounters } from '../core/http/etagCache';
import { redactSecrets, splitCredentials } from '../core/http/redact';
import { type NetworkOptions, resilientFetch, timeoutMessage, timeoutOf } from '../core/http/retry';

export const GITHUB_API_URL = 'https://api.github.com';

export interface OctokitGitHubOptions {
  token?: string;
  /**
   * `https://api.github.com` by default; `https://ghe.example.com/api/v3` for GitHub Enterprise Server.
   * Credentials in it (`https://user:TOKEN@ghe.example.com/api/v3`) are never sent in URLs: the
   * password (or a lone user name) is the token when `token` is not given.
   */
  baseUrl?: string;
  /** Conditional-request cache directory; without one every request is a full one. */
  cacheDir?: string;
  fetch?: Fetch;
  /** Timeout of each attempt (30 s by default) and retries of reads; see core/http/retry. */
  network?: NetworkOptions;
  userAgent?: string;
  /** How the user fixes a token, appended to error messages. */
  hints?: {
    /** After a 401, e.g. "set GITHUB_TOKEN to a valid token". */
    invalidToken?: string;
    /** After an anonymous rate limit, e.g. "set GITHUB_TOKEN for a higher limit". */
    anonymousRateLimit?: string;
  };
  /** The clock for "resets in N minutes". */
  now?: () => number;
}

/** `live` requests bypass the cache both ways: nothing is stored, and no stale answer stands in. */
type Source = 'cached' | 'live';

interface Response<D> {
  data: D;
  headers: Record<string, string | number | undefined>;
}

/** What Octokit's RequestError carries, read structurally. */
interface OctokitFailure {
  name?: string;
  status?: number;
  message?: string;
  request?: { url?: string; method?: string; headers?: Record<string, string | undefined> };
  response?: { headers: Record<string, string | number | undefined>; data: unknown };
}

export function createOctokitGitHub(opts: OctokitGitHubOptions = {}): GitHubApi {
  const given = splitCredentials((opts.baseUrl ?? GITHUB_API_URL).trim());
  const baseUrl = given.url.replace(/\/+$/, '');
  const host = new URL(baseUrl).host;
  const token = opts.token || given.password || given.username || undefined;
  const counters = newCounters();
  const cache = opts.cacheDir ? new EtagCache(opts.cacheDir) : undefined;
  // Octokit sends the token without a "token "/"bearer " prefix it was given with.
  const identity = cacheIdentity(token?.replace(/^(?:token|bearer) +/i, ''));
  const counting = {
    identity,
    counters,
    // GitHub counts neither 304s to authorized conditional requests nor rate-limit checks.
    counts: (url: string, status: number) => status !== 304 && !new URL(url).pathname.endsWith('/rate_limit'),
  };
  const client = (fetch: Fetch) =>
    new Octokit({
      auth: token,
      baseUrl,
      userAgent: opts.userAgent ?? 'preflight',
      request: { fetch },
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    });
  // Retries go through the cache, so each attempt is counted and revalidated like a first one.
  const base = opts.fetch ?? globalThis.fetch;
  const clients: Record<Source, Octokit> = {
    cached: client(resilientFetch(conditionalFetch(base, { ...counting, cache }), opts.network)),
    live: client(resilientFetch(conditionalFetch(base, counting), opts.network)),
  };
  const now = opts.now ?? Date.now;
  const describe: Describe = { host, hasToken: Boolean(token), hints: opts.hints ?? {}, now };

  /**
   * One request. `map` reads the answer through the checked readers below, so an answer that is not
   * JSON, or not of the shape it should be, is a `malformed` error rather than a crash.
   */
  async function call<T>(
    what: string,
    send: (octokit: Octokit) => Promise<Response<unknown>>,
    map: (data: unknown, headers: Response<unknown>['headers']) => T,
    source: Source = 'cached',
  ): Promise<GitHubResult<T>> {
    let res: Response<unknown>;
    try {
      res = await send(clients[source]);
    } catch (err) {
      const failure = err as OctokitFailure;
      const error = redacted(classify(failure, what, describe));
      const request = failure.request;
      if (source === 'cached' && cache && request?.url && (request.method ?? 'GET') === 'GET' && (error.kind === 'rate-limited' || error.kind === 'network')) {
        // Only this token's own earlier answer; a refusal (401, 403) never gets here.
        const cached = await cache.get(identity, request.url, request.headers?.accept ?? '');
        const data = cached && parseJson(cached.body);
        if (cached && data !== undefined) {
          const value = mapped(() => map(data, cached.headers));
          if (value.ok) return { ok: true, value: value.value, stale: error };
        }
      }
      return { ok: false, error };
    }
    const value = mapped(() => map(res.data, res.headers));
    return value.ok ? value : { ok: false, error: { kind: 'malformed', message: `${host} sent a malformed response for ${what}` } };
  }

  const name = (r: RepoRef) => `${r.owner}/${r.repo}`;
  const paging = (page: PageRequest | undefined, signal: AbortSignal | undefined) => ({
    per_page: Math.min(page?.perPage ?? 100, 100),
    page: page?.page ?? 1,
    request: { signal },
  });

  return {
    host,
    counters: (): HttpCounters => ({ ...counters }),

    getRepository: (r: RepoRef, o?: CallOptions) =>
      call(
        `repository ${name(r)}`,
        (gh) => gh.rest.repos.get({ owner: r.owner, repo: r.repo, request: { signal: o?.signal } }),
        (d): Repository => {
          const repo = obj(d);
          return { fullName: str(repo.full_name), defaultBranch: str(repo.default_branch), htmlUrl: str(repo.html_url) };
        },
      ),

    listReleases: (r: RepoRef, page?: PageRequest, o?: CallOptions) =>
      call(
        `releases of ${name(r)}`,
        (gh) => gh.rest.repos.listReleases({ owner: r.owner, repo: r.repo, ...paging(page, o?.signal) }),
        (d, h): Page<Release> => ({
          ...pageLinks(h.link),
          items: arr(d).map((item) => {
            const rel = obj(item);
            return {
              id: num(rel.id),
              tagName: str(rel.tag_name),
              name: strOrNull(rel.name),
              body: strOrNull(rel.body),
              draft: bool(rel.draft),
              prerelease: bool(rel.prerelease),
              createdAt: str(rel.created_at),
              publishedAt: strOrNull(rel.published_at),
              htmlUrl: str(rel.html_url),
            };
          }),
        }),
      ),

    listTags: (r: RepoRef, page?: PageRequest, o?: CallOptions) =>
      call(
        `tags of ${name(r)}`,
        (gh) => gh.rest.repos.listTags({ owner: r.owner, repo: r.repo, ...paging(page, o?.signal) }),
        (d, h): Page<Tag> => ({
          ...pageLinks(h.link),
          items: arr(d).map((item) => {
            const t = obj(item);
            return { name: str(t.name), commitSha: str(obj(t.commit).sha) };
          }),
        }),
      ),

    getTree: (r: RepoRef, ref: string, o?: CallOptions) =>
      call(
        `ref ${ref} of ${name(r)}`,
        (gh) => gh.rest.git.getTree({ owner: r.owner, repo: r.repo, tree_sha: ref, recursive: '1', request: { signal: o?.signal } }),
        (d): Tree => {
          const t = obj(d);
          return {
            sha: str(t.sha),
            truncated: t.truncated === undefined ? false : bool(t.truncated),
            // Symlinks (mode 120000) are blobs holding a path; their targets are listed on their own.
            files: arr(t.tree)
              .map(obj)
              .filter((e) => str(e.type) === 'blob' && str(e.mode) !== '120000')
              .map((e) => (e.size === undefined ? { path: str(e.path), sha: str(e.sha) } : { path: str(e.path), sha: str(e.sha), size: num(e.size) })),
          };
        },
      ),

    getBlob: (r: RepoRef, sha: string, o?: CallOptions) =>
      call(
        `blob ${sha.slice(0, 12)} of ${name(r)}`,
        (gh) => gh.rest.git.getBlob({ owner: r.owner, repo: r.repo, file_sha: sha, request: { signal: o?.signal } }),
        (d): GitBlob => {
          const b = obj(d);
          return { sha: str(b.sha), content: Buffer.from(str(b.content), str(b.encoding) === 'base64' ? 'base64' : 'utf8') };
        },
      ),

    getRef: (r: RepoRef, ref: string, o?: CallOptions) =>
      call(
        `${refName(ref)} of ${name(r)}`,
        (gh) => gh.rest.git.getRef({ owner: r.owner, repo: r.repo, ref: ref.replace(/^refs\//, ''), request: { signal: o?.signal } }),
        gitRef,
        'live',
      ),

    createRef: (r: RepoRef, ref: string, sha: string, o?: CallOptions) =>
      call(
        `${refName(ref)} of ${name(r)}`,
        (gh) => gh.rest.git.createRef({ owner: r.owner, repo: r.repo, ref, sha, request: { signal: o?.signal } }),
        gitRef,
        'live',
      ),

    getFile: (r: RepoRef, path: string, ref: string, o?: CallOptions) =>
      call(
        `${path} at ${ref} of ${name(r)}`,
        (gh) => gh.rest.repos.getContent({ owner: r.owner, repo: r.repo, path, ref, request: { signal: o?.signal } }),
        (d): RepoFile | null => {
          if (Array.isArray(d)) return null;
          const f = obj(d);
          return str(f.type) !== 'file' ? null : { path: str(f.path), sha: str(f.sha), content: Buffer.from(f.content === undefined ? '' : str(f.content), 'base64') };
        },
        'live',
      ),

    putFile: (r: RepoRef, c: FileChange, o?: CallOptions) =>
      call(
        `${c.path} on ${c.branch} of ${name(r)}`,
        (gh) =>
          gh.rest.repos.createOrUpdateFileContents({
            owner: r.owner,
            repo: r.repo,
            path: c.path,
            message: c.message,
            content: c.content.toString('base64'),
            branch: c.branch,
            sha: c.sha,
            request: { signal: o?.signal },
          }),
        (d): FileCommit => {
          const c = obj(d);
          const content = c.content === null || c.content === undefined ? undefined : obj(c.content);
          return { commitSha: strOrNull(obj(c.commit).sha) ?? '', fileSha: (content && strOrNull(content.sha)) ?? '' };
        },
        'live',
      ),

    listPullRequests: (r: RepoRef, f: PullRequestFilter, o?: CallOptions) =>
      call(
        `pull requests of ${name(r)}`,
        (gh) => gh.rest.pulls.list({ owner: r.owner, repo: r.repo, head: `${r.owner}:${f.head}`, state: f.state, per_page: 100, request: { signal: o?.signal } }),
        (d) => arr(d).map(pullRequest),
        'live',
      ),

    createPullRequest: (r: RepoRef, p: NewPullRequest, o?: CallOptions) =>
      call(
        `a pull request on ${name(r)}`,
        (gh) => gh.rest.pulls.create({ owner: r.owner, repo: r.repo, title: p.title, body: p.body, head: p.head, base: p.base, draft: p.draft, request: { signal: o?.signal } }),
        pullRequest,
        'live',
      ),

    updatePullRequest: (r: RepoRef, number: number, changes: { title?: string; body?: string }, o?: CallOptions) =>
      call(
        `pull request #${number} of ${name(r)}`,
        (gh) => gh.rest.pulls.update({ owner: r.owner, repo: r.repo, pull_number: number, title: changes.title, body: changes.body, request: { signal: o?.signal } }),
        pullRequest,
        'live',
      ),

    addLabels: (r: RepoRef, number: number, labels: string[], o?: CallOptions) =>
      call(
        `labels of #${number} of ${name(r)}`,
        (gh) => gh.rest.issues.addLabels({ owner: r.owner, repo: r.repo, issue_number: number, labels, request: { signal: o?.signal } }),
        (d) => arr(d).map((l) => str(obj(l).name)),
        'live',
      ),

    requestReviewers: (r: RepoRef, number: number, reviewers: string[], o?: CallOptions) =>
      call(
        `reviewers of #${number} of ${name(r)}`,
        (gh) => gh.rest.pulls.requestReviewers({ owner: r.owner, repo: r.repo, pull_number: number, reviewers, request: { signal: o?.signal } }),
        pullRequest,
        'live',
      ),

    getRateLimit: (o?: CallOptions) =>
      call(
        'the rate limit',
        (gh) => gh.rest.rateLimit.get({ request: { signal: o?.signal } }),
        (d): RateLimit => {
          const rate = obj(obj(d).rate);
          return { limit: num(rate.limit), remaining: num(rate.remaining), used: num(rate.used), resetAt: num(rate.reset) * 1000 };
        },
      ),
  };
}

/** `branch main`, `tag v1.0`, or the ref as given. */
function refName(ref: string): string {
  const m = /^refs\/(heads|tags)\/(.+)$/.exec(ref);
  return m ? `${m[1] === 'heads' ? 'branch' : 'tag'} ${m[2]}` : ref;
}

function gitRef(d: unknown): GitRef {
  const r = obj(d);
  return { ref: str(r.ref), sha: str(obj(r.object).sha) };
}

/** A pull request, in both its full and its list form. */
function pullRequest(d: unknown): PullRequest {
  const p = obj(d);
  const reviewers = p.requested_reviewers === undefined || p.requested_reviewers === null ? [] : arr(p.requested_reviewers);
  return {
    number: num(p.number),
    htmlUrl: str(p.html_url),
    state: str(p.state) === 'closed' ? 'closed' : 'open',
    draft: p.draft === undefined ? false : bool(p.draft),
    title: str(p.title),
    body: strOrNull(p.body),
    head: str(obj(p.head).ref),
    base: str(obj(p.base).ref),
    labels: arr(p.labels).flatMap((l) => {
      const name = obj(l).name;
      return typeof name === 'string' && name ? [name] : [];
    }),
    requestedReviewers: reviewers.map((u) => str(obj(u).login)),
  };
}

/** Thrown by the readers below when an answer is not of the shape it should be. */
class Malformed extends Error {}

function malformed(): never {
  throw new Malformed();
}

function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : malformed();
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : malformed();
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : malformed();
}

function strOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : str(v);
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : malformed();
}

function bool(v: unknown): boolean {
  return typeof v === 'boolean' ? v : malformed();
}

/** A mapping's value, or not ok when it found the answer malformed. */
function mapped<T>(map: () => T): { ok: true; value: T } | { ok: false } {
  try {
    return { ok: true, value: map() };
  } catch (err) {
    // A TypeError is what reading a field of a wrongly shaped answer throws, should a reader miss one.
    if (err instanceof Malformed || err instanceof TypeError) return { ok: false };
    throw err;
  }
}

function redacted(error: GitHubError): GitHubError {
  const out = { ...error, message: redactSecrets(error.message) };
  if (error.detail !== undefined) out.detail = redactSecrets(error.detail);
  return out;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** `<...&page=3>; rel="next", <...&page=7>; rel="last"` */
function pageLinks(link: string | number | undefined): { next: number | null; last: number | null } {
  const out = { next: null as number | null, last: null as number | null };
  for (const m of String(link ?? '').matchAll(/<([^>]+)>\s*;\s*rel="([^"]+)"/g)) {
    const page = Number(new URL(m[1]).searchParams.get('page'));
    if (!Number.isInteger(page) || page < 1) continue;
    if (m[2] === 'next') out.next = page;
    if (m[2] === 'last') out.last = page;
  }
  return out;
}

interface Describe {
  host: string;
  hasToken: boolean;
  hints: NonNullable<OctokitGitHubOptions['hints']>;
  now: () => number;
}

function classify(err: OctokitFailure, what: string, d: Describe): GitHubError {
  if (err.name === 'AbortError') return { kind: 'cancelled', message: `the request for ${what} was cancelled` };
  const status = err.status;
  const timeout = timeoutOf(err);
  if (timeout) return { kind: 'network', message: timeoutMessage(timeout, d.host, what) };
  // Octokit reports a failed fetch as status 500 without a response.
  if (!err.response || status === undefined) return { kind: 'network', message: `cannot reach ${d.host}: ${err.message ?? 'unknown error'}` };
  const headers = err.response.headers;
  const detail = githubMessage(err.response.data);
  if (status === 401) {
    const hint = d.hints.invalidToken ?? 'check the token';
    return d.hasToken
      ? { kind: 'auth', status, message: `GitHub rejected the token (401): ${hint}` }
      : { kind: 'auth', status, message: `GitHub needs a token for ${what} (401): ${hint}` };
  }
  if (status === 429 || (status === 403 && (headers['x-ratelimit-remaining'] === '0' || headers['retry-after'] !== undefined || /rate limit/i.test(detail)))) {
    const resetAt = rateLimitReset(headers, d.now());
    const when = resetAt === undefined ? '' : `; it resets at ${clock(resetAt)} (${fromNow(resetAt, d.now())})`;
    const hint = d.hasToken ? '' : `; ${d.hints.anonymousRateLimit ?? 'use a token for a higher limit'}`;
    const error: GitHubError = { kind: 'rate-limited', status, message: `GitHub rate limit reached (${status})${when}${hint}` };
    if (resetAt !== undefined) error.resetAt = resetAt;
    return error;
  }
  if (status === 403) return { kind: 'permission', status, message: `GitHub denied access to ${what} (403)${detail ? `: ${detail}` : ''}` };
  if (status === 404) return { kind: 'not-found', status, message: `${what} not found on ${d.host} (404)` };
  if (status === 422) {
    const error: GitHubError = { kind: 'validation', status, message: `GitHub refused the request for ${what} (422)${detail ? `: ${detail}` : ''}` };
    if (detail) error.detail = detail;
    return error;
  }
  if (status >= 500) return { kind: 'server', status, message: `${d.host} failed with ${status} for ${what}; try again later` };
  return { kind: 'unexpected', status, message: `${d.host} answered ${status} for ${what}${detail ? `: ${detail}` : ''}` };
}

/** GitHub's message on one line, with what its `errors` say: "Validation Failed: head invalid". */
function githubMessage(data: unknown): string {
  const record = typeof data === 'object' && data !== null ? (data as { message?: unknown; errors?: unknown }) : {};
  const message = record.message !== undefined ? String(record.message) : typeof data === 'string' ? data : '';
  const errors = (Array.isArray(record.errors) ? (record.errors as unknown[]) : []).flatMap((e) => {
    if (typeof e === 'string') return [e];
    if (typeof e !== 'object' || e === null) return [];
    const { message: text, field, code } = e as { message?: unknown; field?: unknown; code?: unknown };
    if (text !== undefined) return [String(text)];
    return field !== undefined || code !== undefined ? [[field, code].filter((x) => x !== undefined).join(' ')] : [];
  });
  return [message, errors.join('; ')].filter(Boolean).join(': ').replace(/\s+/g, ' ').trim();
}

/** retry-after (seconds) for secondary limits, x-ratelimit-reset (epoch seconds) for the primary one. */
function rateLimitReset(headers: Record<string, string | number | undefined>, now: number): number | undefined {
  const retryAfter = Number(headers['retry-after']);
  if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter)) return now + retryAfter * 1000;
  const reset = Number(headers['x-ratelimit-reset']);
  return headers['x-ratelimit-reset'] !== undefined && Number.isFinite(reset) ? reset * 1000 : undefined;
}

/** Local wall-clock time, HH:MM. */
function clock(epochMs: number): string {
  const t = new Date(epochMs);
  return `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`;
}

function fromNow(epochMs: number, now: number): string {
  const minutes = Math.max(1, Math.ceil((epochMs - now) / 60_000));
  return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
}
