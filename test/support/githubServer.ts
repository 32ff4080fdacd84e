/**
 * A local stand-in for the GitHub REST API (api.github.com, or an Enterprise Server under /api/v3)
 * serving fixture data, for tests and benchmarks.
 *
 * Every request and response is checked against GitHub's OpenAPI description: requests are matched
 * to operations through the description's paths, parameters and bodies are validated, and so are
 * response bodies against the schema of their status. Mismatches land in `violations`, which tests
 * assert is empty. Handlers are keyed by operationId; new endpoints only need a handler and, for
 * new kinds of data, a field in the fixture.
 *
 * Simulated: pagination with Link headers, ETag / If-None-Match (304s are free, as on GitHub),
 * the primary rate limit (403 with x-ratelimit-remaining: 0), forced answers such as 429 with
 * retry-after, 404, 5xx or a malformed body, 401 for unknown tokens, and private repositories that
 * only some tokens can see (404 to the others).
 *
 * Writes change the fixture in place, the way GitHub would: branches and commits (each commit holds
 * its whole tree; `files[branch]` follows the branch head), file contents, pull requests, their
 * labels (missing repository labels are created) and requested reviewers, with GitHub's refusals
 * ("Reference already exists", "sha" wasn't supplied, drafts unsupported, non-collaborator reviewers).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApiDescription, type MatchedOperation, OpenApi, type Operation } from './openapi';

export interface FixtureRelease {
  tag: string;
  name?: string;
  body?: string;
  draft?: boolean;
  prerelease?: boolean;
  /** ISO 8601; releases are listed newest first by this date. */
  createdAt: string;
  /** Merged into the JSON as is, to make invalid responses on purpose. */
  extra?: Record<string, unknown>;
}

export interface FixtureRepo {
  defaultBranch: string;
  releases: FixtureRelease[];
  /** Tag names, listed in this order. */
  tags: string[];
  /** Files by ref (branch or tag name), then by path. */
  files: Record<string, Record<string, string | Buffer>>;
  /** Branch heads (commit shas). A branch `files` lists without one gets a root commit of its files on first use. */
  heads?: Record<string, string>;
  /** Commits by sha. */
  commits?: Record<string, FixtureCommit>;
  pulls?: FixturePull[];
  /** Label names; adding a missing one to a pull request creates it, as GitHub does. */
  labels?: string[];
  /** Logins reviews may be requested from; anyone when unset. */
  collaborators?: string[];
  /** False for a repository whose plan has no draft pull requests (a private one on GitHub Free). */
  drafts?: boolean;
  /**
   * Tokens that can see this private repository. To any other token, and to anonymous requests, it
   * does not exist (404), as on GitHub. Public when unset.
   */
  readers?: string[];
}

export interface FixtureCommit {
  message: string;
  parents: string[];
  /** The whole tree, by path. */
  files: Record<string, string | Buffer>;
}

export interface FixturePull {
  number: number;
  title: string;
  body: string | null;
  /** Branch names in the repository itself. */
  head: string;
  base: string;
  draft: boolean;
  state: 'open' | 'closed';
  labels: string[];
  requestedReviewers: string[];
}

/** A forced answer for the requests that match every criterion given. */
export interface Fault {
  /** Matched against the path without the /api/v3 prefix; a string matches a prefix. */
  path?: string | RegExp;
  method?: string;
  /** The operationId in the description: `pulls/create`. */
  operation?: string;
  status: number;
  /** Seconds, sent as retry-after (secondary rate limits, 429). */
  retryAfter?: number;
  message?: string;
  /** How many requests get this answer; every one when unset. */
  times?: number;
  /**
   * A body sent as is with `content-type: application/json` instead of GitHub's error JSON: a
   * malformed or wrongly shaped answer on purpose, so it is not checked against the description.
   */
  raw?: string;
}

export interface GitHubFixture {
  /** By `owner/repo`. */
  repos: Record<string, FixtureRepo>;
  /** Tokens GitHub accepts; any other token gets 401. Requests without one are anonymous. */
  tokens: string[];
  rateLimit: { limit: number; remaining: number; /** epoch seconds */ reset: number };
  /** Forced answers, checked in order before anything else. */
  faults: Fault[];
}

export interface RecordedRequest {
  method: string;
  /** Without the /api/v3 prefix. */
  path: string;
  query: Record<string, string>;
  /** Request headers, without Authorization. */
  headers: Record<string, string>;
  status: number;
  operationId?: string;
}

export interface GitHubServerOptions {
  fixture?: Partial<GitHubFixture>;
  /** `/api/v3` serves like a GitHub Enterprise Server, checked against its description. */
  prefix?: '' | '/api/v3';
  description?: ApiDescription;
}

export interface GitHubServer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** The API base URL to give a client: `url` plus the prefix. */
  readonly apiUrl: string;
  readonly state: GitHubFixture;
  readonly requests: RecordedRequest[];
  readonly violations: string[];
  readonly api: OpenApi;
  /** Requests that count against the rate limit (not 304s, not /rate_limit). */
  countedRequests(): number;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface HandlerContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  state: GitHubFixture;
  /** Absolute URL of the API root, for the URLs inside responses. */
  base: string;
  /** The path as requested, for Link headers. */
  path: string;
  /** The token the request carried, if any (already accepted). */
  token?: string;
}

type Handler = (ctx: HandlerContext) => Reply;

export function emptyFixture(): GitHubFixture {
  return { repos: {}, tokens: [], rateLimit: { limit: 5000, remaining: 5000, reset: Math.floor(Date.now() / 1000) + 3600 }, faults: [] };
}

export async function startGitHubServer(opts: GitHubServerOptions = {}): Promise<GitHubServer> {
  const prefix = opts.prefix ?? '';
  const api = OpenApi.load(opts.description ?? (prefix ? 'ghes-3.19' : 'api.github.com'));
  const state: GitHubFixture = { ...emptyFixture(), ...opts.fixture };
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];

  const server = createServer((req, res) => {
    readBody(req).then(
      (raw) => handle(req, res, raw),
      (err: Error) => {
        violations.push(`${req.method} ${req.url}: cannot read the request body: ${err.message}`);
        res.writeHead(400).end();
      },
    );
  });

  function handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'authorization').map(([k, v]) => [k, String(v)]));
    const record: RecordedRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers, status: 0 };
    requests.push(record);
    const send = (reply: Reply, m?: MatchedOperation) => {
      record.status = reply.status;
      if (m) violations.push(...checkResponse(api, m.operation, reply.status, reply.body));
      const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
        ...rateLimitHeaders(state),
        ...reply.headers,
      });
      res.end(text);
    };

    if (!url.pathname.startsWith(`${prefix}/`)) {
      violations.push(`${method} ${url.pathname}: outside the API prefix ${prefix}`);
      return send(notFound());
    }
    const rawPath = url.pathname.slice(prefix.length);
    record.path = rawPath;
    const m = api.match(method, rawPath);
    if (!m) {
      violations.push(`${method} ${rawPath}: no operation in the ${api.description} description`);
      return send(notFound());
    }
    record.operationId = m.operation.operationId;
    let body: unknown;
    if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        violations.push(`${method} ${rawPath}: the request body is not JSON`);
      }
    }
    violations.push(...api.checkRequest(m, url.searchParams, body));

    const token = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (token !== undefined && !state.tokens.includes(token)) {
      return send({ status: 401, body: error('Bad credentials', '401', 'https://docs.github.com/rest') }, m);
    }
    const fault = state.faults.find(
      (f) =>
        (f.path === undefined || (typeof f.path === 'string' ? rawPath.startsWith(f.path) : f.path.test(rawPath))) &&
        (f.method === undefined || f.method.toUpperCase() === method) &&
        (f.operation === undefined || f.operation === m.operation.operationId),
    );
    if (fault) {
      if (fault.times !== undefined && --fault.times <= 0) state.faults.splice(state.faults.indexOf(fault), 1);
      const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
      if (fault.raw !== undefined) {
        record.status = fault.status;
        res.writeHead(fault.status, { 'content-type': 'application/json; charset=utf-8', ...rateLimitHeaders(state), ...headers });
        return void res.end(fault.raw);
      }
      return send({ status: fault.status, body: error(fault.message ?? defaultMessage(fault.status), String(fault.status)), headers }, m);
    }
    const counts = m.operation.operationId !== 'rate-limit/get';
    if (counts && state.rateLimit.remaining <= 0) {
      return send({ status: 403, body: error(`API rate limit exceeded for ${token ? 'user' : '127.0.0.1'}.`, '403', 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api') }, m);
    }

    const handler = HANDLERS[m.operation.operationId];
    if (!handler) {
      violations.push(`${method} ${rawPath}: the test server has no handler for ${m.operation.operationId}`);
      return send(notFound(), m);
    }
    const host = req.headers.host ?? '127.0.0.1';
    const reply = handler({ params: m.params, query: url.searchParams, body, state, base: `http://${host}${prefix}`, path: `${prefix}${rawPath}`, token });
    if (method === 'GET' && reply.status === 200) {
      const etag = `W/"${createHash('sha1').update(JSON.stringify(reply.body)).digest('hex')}"`;
      reply.headers = { ...reply.headers, etag };
      if (req.headers['if-none-match'] === etag) return send({ status: 304, headers: { etag } }, m);
    }
    if (counts) state.rateLimit.remaining--;
    send(reply, m);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiUrl: `${url}${prefix}`,
    state,
    requests,
    violations,
    api,
    countedRequests: () => requests.filter((r) => r.status !== 304 && r.operationId !== 'rate-limit/get' && r.status !== 0).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const HANDLERS: Record<string, Handler> = {
  'repos/get': (c) => withRepo(c, (repo, name) => ({ status: 200, body: repository(c.base, name, repo) })),

  'repos/list-releases': (c) =>
    withRepo(c, (repo, name) => {
      const sorted = repo.releases.map((r, i) => ({ r, id: i + 1 })).sort((a, b) => b.r.createdAt.localeCompare(a.r.createdAt));
      return paginate(c, sorted, ({ r, id }) => release(c.base, name, r, id));
    }),

  'repos/list-tags': (c) => withRepo(c, (repo, name) => paginate(c, repo.tags, (tag) => tagJson(c.base, name, tag))),

  'git/get-tree': (c) =>
    withRepo(c, (repo, name) => {
      const files = repo.files[c.params.tree_sha] ?? Object.values(repo.files).find((f) => treeSha(f) === c.params.tree_sha);
      if (!files) return notFound();
      return { status: 200, body: tree(c.base, name, files, c.query.has('recursive')) };
    }),

  'git/get-blob': (c) =>
    withRepo(c, (repo, name) => {
      for (const files of Object.values(repo.files)) {
        for (const content of Object.values(files)) {
          const bytes = Buffer.from(content);
          if (blobSha(bytes) !== c.params.file_sha) continue;
          return {
            status: 200,
            body: {
              sha: c.params.file_sha,
              node_id: nodeId('B', c.params.file_sha),
              size: bytes.length,
              url: `${c.base}/repos/${name}/git/blobs/${c.params.file_sha}`,
              // GitHub wraps base64 at 60 characters.
              content: bytes.toString('base64').replace(/.{60}/g, '$&\n'),
              encoding: 'base64',
            },
          };
        }
      }
      return notFound();
    }),

  'git/get-ref': (c) =>
    withRepo(c, (repo, name) => {
      const branch = /^heads\/(.+)$/.exec(c.params.ref)?.[1];
      const sha = branch === undefined ? undefined : git(repo).heads[branch];
      return sha ? { status: 200, body: refJson(c.base, name, `refs/heads/${branch}`, sha) } : notFound();
    }),

  'git/create-ref': (c) =>
    withRepo(c, (repo, name) => {
      const { ref, sha } = c.body as { ref: string; sha: string };
      const { heads, commits } = git(repo);
      const branch = /^refs\/heads\/(.+)$/.exec(ref)?.[1];
      if (!branch) return validationFailed('Reference name is invalid');
      if (heads[branch]) return validationFailed('Reference already exists');
      const commit = commits[sha];
      if (!commit) return validationFailed('Object does not exist');
      heads[branch] = sha;
      repo.files[branch] = { ...commit.files };
      return { status: 201, body: refJson(c.base, name, ref, sha) };
    }),

  'repos/get-content': (c) =>
    withRepo(c, (repo, name) => {
      const ref = c.query.get('ref') ?? repo.defaultBranch;
      const files = treeAt(repo, ref);
      if (!files) return notFound(`No commit found for the ref ${ref}`);
      const content = files[c.params.path];
      if (content === undefined) return notFound();
      const bytes = Buffer.from(content);
      return {
        status: 200,
        body: {
          type: 'file',
          encoding: 'base64',
          ...fileJson(c.base, name, ref, c.params.path, bytes),
          content: bytes.toString('base64').replace(/.{60}/g, '$&\n'),
        },
      };
    }),

  'repos/create-or-update-file-contents': (c) =>
    withRepo(c, (repo, name) => {
      const body = c.body as { message: string; content: string; sha?: string; branch?: string };
      const branch = body.branch ?? repo.defaultBranch;
      const path = c.params.path;
      const { heads, commits } = git(repo);
      const parent = heads[branch];
      if (!parent) return notFound(`Branch ${branch} not found`);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body.content)) return validationFailed('content is not valid Base64');
      const previous = repo.files[branch][path];
      if (previous !== undefined) {
        if (body.sha === undefined) return validationFailed('Invalid request.\n\n"sha" wasn\'t supplied.');
        if (body.sha !== blobSha(Buffer.from(previous))) return { status: 409, body: error(`${path} does not match ${body.sha}`, '409') };
      }
      const bytes = Buffer.from(body.content, 'base64');
      const files = { ...repo.files[branch], [path]: bytes };
      const sha = addCommit(commits, { message: body.message, parents: [parent], files });
      heads[branch] = sha;
      repo.files[branch] = files;
      return { status: previous === undefined ? 201 : 200, body: { content: { type: 'file', ...fileJson(c.base, name, branch, path, bytes) }, commit: commitJson(c.base, name, sha, commits[sha]) } };
    }),

  'pulls/list': (c) =>
    withRepo(c, (repo, name) => {
      const state = c.query.get('state') ?? 'open';
      const head = c.query.get('head');
      const base = c.query.get('base');
      const pulls = (repo.pulls ?? [])
        .filter((p) => (state === 'all' || p.state === state) && (!head || `${c.params.owner}:${p.head}` === head) && (!base || p.base === base))
        .sort((a, b) => b.number - a.number);
      return paginate(c, pulls, (p) => pullJson(c.base, name, repo, p));
    }),

  'pulls/create': (c) =>
    withRepo(c, (repo, name) => {
      const body = c.body as { title?: string; head: string; base: string; body?: string; draft?: boolean };
      const { heads } = git(repo);
      const head = body.head.replace(new RegExp(`^${c.params.owner}:`), '');
      if (!heads[head]) return validationFailed('Validation Failed', { resource: 'PullRequest', field: 'head', code: 'invalid' });
      if (!heads[body.base]) return validationFailed('Validation Failed', { resource: 'PullRequest', field: 'base', code: 'invalid' });
      const pulls = (repo.pulls ??= []);
      if (pulls.some((p) => p.state === 'open' && p.head === head && p.base === body.base)) {
        return validationFailed('Validation Failed', { resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${c.params.owner}:${head}.` });
      }
      if (heads[head] === heads[body.base]) {
        return validationFailed('Validation Failed', { resource: 'PullRequest', code: 'custom', message: `No commits between ${body.base} and ${head}` });
      }
      if (body.draft && repo.drafts === false) return validationFailed('Draft pull requests are not supported in this repository.');
      const pull: FixturePull = {
        number: pulls.reduce((n, p) => Math.max(n, p.number), 0) + 1,
        title: body.title ?? '',
        body: body.body ?? null,
        head,
        base: body.base,
        draft: body.draft ?? false,
        state: 'open',
        labels: [],
        requestedReviewers: [],
      };
      pulls.push(pull);
      return { status: 201, body: fullPullJson(c.base, name, repo, pull) };
    }),

  'pulls/update': (c) =>
    withPull(c, (repo, name, pull) => {
      const body = c.body as { title?: string; body?: string; state?: 'open' | 'closed'; base?: string };
      if (body.title !== undefined) pull.title = body.title;
      if (body.body !== undefined) pull.body = body.body;
      if (body.state !== undefined) pull.state = body.state;
      if (body.base !== undefined) pull.base = body.base;
      return { status: 200, body: fullPullJson(c.base, name, repo, pull) };
    }),

  'issues/add-labels': (c) =>
    withPull(c, (repo, name, pull) => {
      const labels = (repo.labels ??= []);
      for (const wanted of (c.body as { labels: (string | { name: string })[] }).labels.map((l) => (typeof l === 'string' ? l : l.name))) {
        const label = labels.find((l) => l.toLowerCase() === wanted.toLowerCase()) ?? wanted;
        if (!labels.includes(label)) labels.push(label);
        if (!pull.labels.includes(label)) pull.labels.push(label);
      }
      return { status: 200, body: pull.labels.map((l) => labelJson(c.base, name, repo, l)) };
    }),

  'pulls/request-reviewers': (c) =>
    withPull(c, (repo, name, pull) => {
      const reviewers = (c.body as { reviewers?: string[] }).reviewers ?? [];
      const collaborators = repo.collaborators?.map((l) => l.toLowerCase());
      if (collaborators && reviewers.some((r) => !collaborators.includes(r.toLowerCase()))) {
        return validationFailed(`Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${name} repository.`);
      }
      for (const r of reviewers) if (!pull.requestedReviewers.some((p) => p.toLowerCase() === r.toLowerCase())) pull.requestedReviewers.push(r);
      return { status: 201, body: pullJson(c.base, name, repo, pull) };
    }),

  'rate-limit/get': (c) => {
    const core = { ...c.state.rateLimit, used: c.state.rateLimit.limit - c.state.rateLimit.remaining };
    const search = { limit: 30, remaining: 30, reset: c.state.rateLimit.reset, used: 0 };
    return { status: 200, body: { resources: { core, search }, rate: core } };
  },
};

function withRepo(c: HandlerContext, fn: (repo: FixtureRepo, name: string) => Reply): Reply {
  const name = `${c.params.owner}/${c.params.repo}`;
  const repo = c.state.repos[name];
  if (repo?.readers && !(c.token !== undefined && repo.readers.includes(c.token))) return notFound();
  return repo ? fn(repo, name) : notFound();
}

/** One page of `items` with GitHub's Link header (first, prev, next, last). */
function paginate<T>(c: HandlerContext, items: T[], toJson: (item: T) => unknown): Reply {
  const perPage = Math.min(Math.max(Number(c.query.get('per_page') ?? 30) || 30, 1), 100);
  const page = Math.max(Number(c.query.get('page') ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (p: number, rel: string) => `<${c.base.replace(/\/api\/v3$/, '')}${c.path}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
  const links = [
    ...(page > 1 ? [link(page - 1, 'prev'), link(1, 'first')] : []),
    ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
  ];
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage).map(toJson),
    headers: links.length ? { link: links.join(', ') } : {},
  };
}

function withPull(c: HandlerContext, fn: (repo: FixtureRepo, name: string, pull: FixturePull) => Reply): Reply {
  return withRepo(c, (repo, name) => {
    const pull = repo.pulls?.find((p) => p.number === Number(c.params.pull_number ?? c.params.issue_number));
    return pull ? fn(repo, name, pull) : notFound();
  });
}

/** The repository's branches and commits. */
function git(repo: FixtureRepo): { heads: Record<string, string>; commits: Record<string, FixtureCommit> } {
  const heads = (repo.heads ??= {});
  const commits = (repo.commits ??= {});
  for (const [name, files] of Object.entries(repo.files)) {
    if (!heads[name] && !repo.tags.includes(name)) heads[name] = addCommit(commits, { message: 'Initial commit', parents: [], files: { ...files } });
  }
  return { heads, commits };
}

function addCommit(commits: Record<string, FixtureCommit>, commit: FixtureCommit): string {
  // The count stands in for the timestamp: committing the same tree twice makes two commits, as on GitHub.
  const sha = sha1(`commit ${treeSha(commit.files)} ${commit.parents.join(' ')} ${Object.keys(commits).length}\n${commit.message}`);
  commits[sha] = commit;
  return sha;
}

/** The files at a branch, tag or commit. */
function treeAt(repo: FixtureRepo, ref: string): Record<string, string | Buffer> | undefined {
  return repo.files[ref] ?? git(repo).commits[ref]?.files;
}

function notFound(message = 'Not Found'): Reply {
  return { status: 404, body: error(message, '404') };
}

function validationFailed(message: string, ...errors: Record<string, string>[]): Reply {
  const documentation_url = 'https://docs.github.com/rest';
  return { status: 422, body: errors.length ? { message, errors, documentation_url } : { message, documentation_url } };
}

const BASIC_ERROR = { content: { 'application/json': { schema: { $ref: '#/components/schemas/basic-error' } } } };

/**
 * GitHub sends error answers the description leaves out: a 404 from any repository path when the
 * repository (or what the path names) does not exist or the token cannot see it, and a body with
 * errors documented without one (request-reviewers' 422). Both are checked as the basic-error they are.
 */
function checkResponse(api: OpenApi, op: Operation, status: number, body: unknown): string[] {
  const documented = op.responses[String(status)] as { content?: Record<string, unknown> } | undefined;
  const bodiless = documented !== undefined && !documented.content?.['application/json'];
  const unlisted404 = documented === undefined && status === 404 && op.template.startsWith('/repos/{owner}/{repo}/');
  if (status >= 400 && body !== undefined && (bodiless || unlisted404)) {
    return api.checkResponse({ ...op, responses: { [String(status)]: BASIC_ERROR } }, status, body);
  }
  return api.checkResponse(op, status, body);
}

function error(message: string, status: string, documentation = 'https://docs.github.com/rest'): Record<string, string> {
  return { message, documentation_url: documentation, status };
}

function defaultMessage(status: number): string {
  if (status === 429) return 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
  if (status >= 500) return 'Server Error';
  return 'Error';
}

function rateLimitHeaders(state: GitHubFixture): Record<string, string> {
  const { limit, remaining, reset } = state.rateLimit;
  return {
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(Math.max(remaining, 0)),
    'x-ratelimit-used': String(limit - Math.max(remaining, 0)),
    'x-ratelimit-reset': String(reset),
    'x-ratelimit-resource': 'core',
  };
}

function sha1(text: string | Buffer): string {
  return createHash('sha1').update(text).digest('hex');
}

/** Git's blob id: sha1 of `blob <size>\0<content>`. */
export function blobSha(content: Buffer): string {
  return sha1(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]));
}

function treeSha(files: Record<string, string | Buffer>): string {
  return sha1(JSON.stringify(Object.entries(files).map(([p, c]) => [p, blobSha(Buffer.from(c))])));
}

function userId(login: string): number {
  return parseInt(sha1(`user ${login}`).slice(0, 7), 16);
}

function nodeId(kind: string, id: string | number): string {
  return Buffer.from(`${kind}_${id}`).toString('base64');
}

const EPOCH = '2020-01-01T00:00:00Z';

function user(base: string, login: string, id: number): Record<string, unknown> {
  const web = base.replace(/\/api\/v3$/, '').replace('//127.0.0.1', '//github.127.0.0.1');
  const api = `${base}/users/${login}`;
  return {
    login,
    id,
    node_id: nodeId('U', id),
    avatar_url: `${web}/avatars/${login}`,
    gravatar_id: '',
    url: api,
    html_url: `${web}/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: 'User',
    site_admin: false,
  };
}

/** The web URL of a repository, as html_url fields give it. */
export function webUrl(base: string, name: string): string {
  return `${base.replace(/\/api\/v3$/, '').replace('//127.0.0.1', '//github.127.0.0.1')}/${name}`;
}

function repository(base: string, name: string, repo: FixtureRepo): Record<string, unknown> {
  const [owner, short] = name.split('/');
  const api = `${base}/repos/${name}`;
  const html = webUrl(base, name);
  const templated: Record<string, string> = {
    archive_url: '/{archive_format}{/ref}',
    assignees_url: '/assignees{/user}',
    blobs_url: '/git/blobs{/sha}',
    branches_url: '/branches{/branch}',
    collaborators_url: '/collaborators{/collaborator}',
    comments_url: '/comments{/number}',
    commits_url: '/commits{/sha}',
    compare_url: '/compare/{base}...{head}',
    contents_url: '/contents/{+path}',
    contributors_url: '/contributors',
    deployments_url: '/deployments',
    downloads_url: '/downloads',
    events_url: '/events',
    forks_url: '/forks',
    git_commits_url: '/git/commits{/sha}',
    git_refs_url: '/git/refs{/sha}',
    git_tags_url: '/git/tags{/sha}',
    hooks_url: '/hooks',
    issue_comment_url: '/issues/comments{/number}',
    issue_events_url: '/issues/events{/number}',
    issues_url: '/issues{/number}',
    keys_url: '/keys{/key_id}',
    labels_url: '/labels{/name}',
    languages_url: '/languages',
    merges_url: '/merges',
    milestones_url: '/milestones{/number}',
    notifications_url: '/notifications{?since,all,participating}',
    pulls_url: '/pulls{/number}',
    releases_url: '/releases{/id}',
    stargazers_url: '/stargazers',
    statuses_url: '/statuses/{sha}',
    subscribers_url: '/subscribers',
    subscription_url: '/subscription',
    tags_url: '/tags',
    teams_url: '/teams',
    trees_url: '/git/trees{/sha}',
  };
  return {
    id: 1000 + name.length,
    node_id: nodeId('R', name),
    name: short,
    full_name: name,
    owner: user(base, owner, 1),
    private: repo.readers !== undefined,
    html_url: html,
    description: null,
    fork: false,
    url: api,
    ...Object.fromEntries(Object.entries(templated).map(([k, v]) => [k, `${api}${v}`])),
    clone_url: `${html}.git`,
    git_url: `${html.replace(/^http/, 'git')}.git`,
    ssh_url: `git@github.127.0.0.1:${name}.git`,
    svn_url: html,
    mirror_url: null,
    homepage: null,
    language: null,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 1,
    default_branch: repo.defaultBranch,
    open_issues: 0,
    open_issues_count: 0,
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    license: null,
    pushed_at: EPOCH,
    created_at: EPOCH,
    updated_at: EPOCH,
    network_count: 0,
    subscribers_count: 0,
  };
}

function release(base: string, name: string, r: FixtureRelease, id: number): Record<string, unknown> {
  const api = `${base}/repos/${name}`;
  return {
    url: `${api}/releases/${id}`,
    html_url: `${webUrl(base, name)}/releases/tag/${r.tag}`,
    assets_url: `${api}/releases/${id}/assets`,
    upload_url: `${base.replace('//127.0.0.1', '//uploads.127.0.0.1')}/repos/${name}/releases/${id}/assets{?name,label}`,
    tarball_url: `${api}/tarball/${r.tag}`,
    zipball_url: `${api}/zipball/${r.tag}`,
    id,
    node_id: nodeId('RE', id),
    tag_name: r.tag,
    target_commitish: 'main',
    name: r.name ?? r.tag,
    body: r.body ?? null,
    draft: r.draft ?? false,
    prerelease: r.prerelease ?? false,
    created_at: r.createdAt,
    published_at: r.draft ? null : r.createdAt,
    author: user(base, 'releaser', 2),
    assets: [],
    ...r.extra,
  };
}

function refJson(base: string, name: string, ref: string, sha: string): Record<string, unknown> {
  const api = `${base}/repos/${name}`;
  return { ref, node_id: nodeId('REF', ref), url: `${api}/git/${ref}`, object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` } };
}

/** The fields the contents endpoints give for a file. */
function fileJson(base: string, name: string, ref: string, path: string, bytes: Buffer): Record<string, unknown> {
  const sha = blobSha(bytes);
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  const self = `${base}/repos/${name}/contents/${encoded}?ref=${encodeURIComponent(ref)}`;
  const gitUrl = `${base}/repos/${name}/git/blobs/${sha}`;
  const html = `${webUrl(base, name)}/blob/${ref}/${encoded}`;
  return {
    size: bytes.length,
    name: path.split('/').pop(),
    path,
    sha,
    url: self,
    git_url: gitUrl,
    html_url: html,
    download_url: `${webUrl(base, name).replace('//github.', '//raw.github.')}/${ref}/${encoded}`,
    _links: { self, git: gitUrl, html },
  };
}

function commitJson(base: string, name: string, sha: string, commit: FixtureCommit): Record<string, unknown> {
  const api = `${base}/repos/${name}`;
  const web = webUrl(base, name);
  const person = { name: 'Octo Cat', email: 'octocat@example.com', date: EPOCH };
  const tree = treeSha(commit.files);
  return {
    sha,
    node_id: nodeId('C', sha),
    url: `${api}/git/commits/${sha}`,
    html_url: `${web}/commit/${sha}`,
    author: person,
    committer: person,
    message: commit.message,
    tree: { url: `${api}/git/trees/${tree}`, sha: tree },
    parents: commit.parents.map((p) => ({ url: `${api}/git/commits/${p}`, html_url: `${web}/commit/${p}`, sha: p })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

function labelJson(base: string, name: string, repo: FixtureRepo, label: string): Record<string, unknown> {
  const id = 7000 + (repo.labels ?? []).indexOf(label);
  // Labels GitHub creates have no description; the pull-request list schema wants a string.
  return { id, node_id: nodeId('LA', id), url: `${base}/repos/${name}/labels/${encodeURIComponent(label)}`, name: label, description: '', color: 'ededed', default: false };
}

/** A pull request as lists and review requests give it. */
function pullJson(base: string, name: string, repo: FixtureRepo, pull: FixturePull): Record<string, unknown> {
  const [owner] = name.split('/');
  const api = `${base}/repos/${name}`;
  const html = `${webUrl(base, name)}/pull/${pull.number}`;
  const id = 5000 + pull.number;
  const { heads } = git(repo);
  const branch = (ref: string) => ({ label: `${owner}:${ref}`, ref, sha: heads[ref] ?? sha1(`deleted ${ref}`), user: user(base, owner, 1), repo: repository(base, name, repo) });
  const head = branch(pull.head);
  const links = {
    self: `${api}/pulls/${pull.number}`,
    html,
    issue: `${api}/issues/${pull.number}`,
    comments: `${api}/issues/${pull.number}/comments`,
    review_comments: `${api}/pulls/${pull.number}/comments`,
    review_comment: `${api}/pulls/comments{/number}`,
    commits: `${api}/pulls/${pull.number}/commits`,
    statuses: `${api}/statuses/${head.sha}`,
  };
  return {
    url: links.self,
    id,
    node_id: nodeId('PR', id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: links.issue,
    commits_url: links.commits,
    review_comments_url: links.review_comments,
    review_comment_url: links.review_comment,
    comments_url: links.comments,
    statuses_url: links.statuses,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: user(base, 'octocat', 3),
    body: pull.body,
    labels: pull.labels.map((l) => labelJson(base, name, repo, l)),
    milestone: null,
    active_lock_reason: null,
    created_at: EPOCH,
    updated_at: EPOCH,
    closed_at: null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: pull.requestedReviewers.map((login) => user(base, login, userId(login))),
    requested_teams: [],
    head,
    base: branch(pull.base),
    _links: Object.fromEntries(Object.entries(links).map(([k, href]) => [k, { href }])),
    author_association: 'OWNER',
    auto_merge: null,
    draft: pull.draft,
  };
}

/** A pull request as creating and updating one give it. */
function fullPullJson(base: string, name: string, repo: FixtureRepo, pull: FixturePull): Record<string, unknown> {
  return {
    ...pullJson(base, name, repo, pull),
    merged: false,
    mergeable: null,
    rebaseable: null,
    mergeable_state: 'unknown',
    merged_by: null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 0,
    deletions: 0,
    changed_files: 1,
  };
}

function tagJson(base: string, name: string, tag: string): Record<string, unknown> {
  const api = `${base}/repos/${name}`;
  const sha = sha1(`tag ${tag}`);
  return { name: tag, commit: { sha, url: `${api}/commits/${sha}` }, zipball_url: `${api}/zipball/${tag}`, tarball_url: `${api}/tarball/${tag}`, node_id: nodeId('T', tag) };
}

function tree(base: string, name: string, files: Record<string, string | Buffer>, recursive: boolean): Record<string, unknown> {
  const api = `${base}/repos/${name}`;
  const dirs = new Set<string>();
  const entries: Record<string, unknown>[] = [];
  for (const [path, content] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    if (!recursive && parts.length > 1) continue;
    const bytes = Buffer.from(content);
    const sha = blobSha(bytes);
    entries.push({ path, mode: '100644', type: 'blob', sha, size: bytes.length, url: `${api}/git/blobs/${sha}` });
  }
  for (const dir of [...dirs].sort()) {
    if (!recursive && dir.includes('/')) continue;
    const sha = sha1(`tree ${dir}`);
    entries.push({ path: dir, mode: '040000', type: 'tree', sha, url: `${api}/git/trees/${sha}` });
  }
  const sha = treeSha(files);
  return { sha, url: `${api}/git/trees/${sha}`, tree: entries, truncated: false };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The version of the `i`-th release of `releaseSeries`: 1.0.0, 1.0.1, ... 1.0.9, 1.1.0, ... */
export function seriesVersion(i: number): string {
  return `${Math.floor(i / 100) + 1}.${Math.floor(i / 10) % 10}.${i % 10}`;
}

/** `count` releases created an hour apart, oldest first, each body one line naming its version. */
export function releaseSeries(count: number, start = Date.UTC(2024, 0, 1)): FixtureRelease[] {
  return Array.from({ length: count }, (_, i) => ({
    tag: `v${seriesVersion(i)}`,
    body: `- Change ${seriesVersion(i)}.\n`,
    createdAt: new Date(start + i * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  }));
}
