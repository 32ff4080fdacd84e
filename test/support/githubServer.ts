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
 * labels (missing repository labels are created, or all replaced) and requested reviewers and teams,
 * reviews (an approval names the head commit it was given on), conversation comments, with GitHub's
 * refusals ("Reference already exists", "sha" wasn't supplied, drafts unsupported, non-collaborator
 * reviewers).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApiDescription, type MatchedOperation, OpenApi, type Operation } from './openapi';
import { emptyFixture, type GitHubFixture, type RecordedRequest } from './github/fixture';
import { HANDLERS, notFound, type Reply } from './github/handlers';
import { REVIEW_HANDLERS } from './github/reviewHandlers';
import { error } from './github/shapes';
import { type SignInOptions, signInRoutes } from './github/signIn';

export interface GitHubServerOptions {
  fixture?: Partial<GitHubFixture>;
  /** `/api/v3` serves like a GitHub Enterprise Server, checked against its description. */
  prefix?: '' | '/api/v3';
  description?: ApiDescription;
  /** The port on 127.0.0.1; any free one by default. */
  port?: number;
  /** Also the web pages to sign in with VS Code's GitHub Enterprise account and to approve pull requests (the demo's). */
  signIn?: SignInOptions;
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


export async function startGitHubServer(opts: GitHubServerOptions = {}): Promise<GitHubServer> {
  const prefix = opts.prefix ?? '';
  const api = OpenApi.load(opts.description ?? (prefix ? 'ghes-3.19' : 'api.github.com'));
  const state: GitHubFixture = { ...emptyFixture(), ...opts.fixture };
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const web = opts.signIn ? signInRoutes(state, opts.signIn, prefix) : undefined;

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
    if (web?.(req, res, url, raw)) return;
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
        // Signing in from VS Code for the Web reads the API from another origin.
        ...(web ? { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'x-oauth-scopes, link, etag' } : {}),
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
    if (body !== undefined) record.body = body;
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

    const handler = HANDLERS[m.operation.operationId] ?? REVIEW_HANDLERS[m.operation.operationId];
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

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
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


function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export * from './github/fixture';
export { webUrl } from './github/shapes';
