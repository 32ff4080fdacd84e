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
  IssueComment,
  PullRequestReview,
  ReviewerRequest,
  FileCommit,
  GitBlob,
  GitHubApi,
  GitHubResult,
  NewPullRequest,
  Page,
  PageRequest,
  PullRequestFilter,
  RateLimit,
  Release,
  RepoFile,
  RepoRef,
  Repository,
  Tag,
  Tree,
} from '../core/github/ports';
import type { Fetch, HttpCounters } from '../adapters/http/etagCache';
import { cacheIdentity, conditionalFetch, EtagCache, newCounters } from '../adapters/http/etagCache';
import { splitCredentials } from '../core/http/redact';
import { type NetworkOptions, resilientFetch } from '../core/http/retry';
import { classify, type Describe, type ErrorHints, type OctokitFailure, redacted, refName } from './errors';
import { arr, bool, gitRef, issueComment, mapped, num, obj, pageLinks, parseJson, pullRequest, review, str, strOrNull } from './responses';

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
  hints?: ErrorHints;
  /** The clock for "resets in N minutes". */
  now?: () => number;
}

/** `live` requests bypass the cache both ways: nothing is stored, and no stale answer stands in. */
type Source = 'cached' | 'live';

interface Response<D> {
  data: D;
  headers: Record<string, string | number | undefined>;
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
        (gh) => gh.rest.pulls.list({ owner: r.owner, repo: r.repo, ...(f.head ? { head: `${r.owner}:${f.head}` } : {}), state: f.state, per_page: 100, request: { signal: o?.signal } }),
        (d) => arr(d).map(pullRequest),
      ),

    getPullRequest: (r: RepoRef, number: number, o?: CallOptions) =>
      call(`pull request #${number} of ${name(r)}`, (gh) => gh.rest.pulls.get({ owner: r.owner, repo: r.repo, pull_number: number, request: { signal: o?.signal } }), pullRequest),

    listReviews: (r: RepoRef, number: number, page?: PageRequest, o?: CallOptions) =>
      call(
        `reviews of #${number} of ${name(r)}`,
        (gh) => gh.rest.pulls.listReviews({ owner: r.owner, repo: r.repo, pull_number: number, ...paging(page, o?.signal) }),
        (d, h): Page<PullRequestReview> => ({ ...pageLinks(h.link), items: arr(d).map(review) }),
      ),

    listIssueComments: (r: RepoRef, number: number, page?: PageRequest, o?: CallOptions) =>
      call(
        `comments of #${number} of ${name(r)}`,
        (gh) => gh.rest.issues.listComments({ owner: r.owner, repo: r.repo, issue_number: number, ...paging(page, o?.signal) }),
        (d, h): Page<IssueComment> => ({ ...pageLinks(h.link), items: arr(d).map(issueComment) }),
      ),

    createIssueComment: (r: RepoRef, number: number, body: string, o?: CallOptions) =>
      call(`a comment on #${number} of ${name(r)}`, (gh) => gh.rest.issues.createComment({ owner: r.owner, repo: r.repo, issue_number: number, body, request: { signal: o?.signal } }), issueComment, 'live'),

    updateIssueComment: (r: RepoRef, commentId: number, body: string, o?: CallOptions) =>
      call(`comment ${commentId} of ${name(r)}`, (gh) => gh.rest.issues.updateComment({ owner: r.owner, repo: r.repo, comment_id: commentId, body, request: { signal: o?.signal } }), issueComment, 'live'),

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

    setLabels: (r: RepoRef, number: number, labels: string[], o?: CallOptions) =>
      call(
        `labels of #${number} of ${name(r)}`,
        (gh) => gh.rest.issues.setLabels({ owner: r.owner, repo: r.repo, issue_number: number, labels, request: { signal: o?.signal } }),
        (d) => arr(d).map((l) => str(obj(l).name)),
        'live',
      ),

    requestReviewers: (r: RepoRef, number: number, reviewers: ReviewerRequest, o?: CallOptions) =>
      call(
        `reviewers of #${number} of ${name(r)}`,
        (gh) =>
          gh.rest.pulls.requestReviewers({
            owner: r.owner,
            repo: r.repo,
            pull_number: number,
            ...(reviewers.users.length ? { reviewers: reviewers.users } : {}),
            ...(reviewers.teams.length ? { team_reviewers: reviewers.teams } : {}),
            request: { signal: o?.signal },
          }),
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
