/**
 * A local stand-in for the GitLab REST API v4 (gitlab.com, or a self-managed GitLab) serving
 * fixture projects, for tests and benchmarks. Every request is matched to one of the operations
 * written down in gitlab/api.ts, its query checked against the documented parameters and its answer
 * against the documented fields; mismatches land in `violations`, which tests assert is empty.
 *
 * Simulated as GitLab does it: offset pagination (X-Page, X-Next-Page, X-Total, Link) and, for the
 * tree with `pagination=keyset`, keyset pagination (Link only); ETags with 304s; PRIVATE-TOKEN and
 * Bearer tokens, 401 for unknown ones; private projects that are 404 to everyone but their readers;
 * the rate limit (429 "Retry later" with RateLimit-* and Retry-After); forced answers (faults).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkAnswer, checkQuery, OPERATIONS, type GitLabOperation } from './gitlab/api';

export interface GitLabFixtureRelease {
  tag: string;
  name?: string;
  description?: string;
  /** ISO 8601; releases are listed newest first by this date. */
  releasedAt: string;
}

export interface GitLabFixtureProject {
  defaultBranch: string | null;
  releases: GitLabFixtureRelease[];
  /** Tag names, newest first. */
  tags: string[];
  /** Files by ref (branch or tag), then by path. */
  files: Record<string, Record<string, string>>;
  /** Tokens that can see this private project; public when unset. */
  readers?: string[];
}

export interface GitLabFault {
  path?: string | RegExp;
  status: number;
  retryAfter?: number;
  times?: number;
}

export interface GitLabFixture {
  /** By `group/project` path. */
  projects: Record<string, GitLabFixtureProject>;
  tokens: string[];
  rateLimit: { limit: number; remaining: number; /** epoch seconds */ reset: number };
  faults: GitLabFault[];
}

export interface GitLabRequest {
  path: string;
  query: Record<string, string>;
  status: number;
  operationId?: string;
  /** Whether it carried a token (never the token itself). */
  authenticated: boolean;
}

export interface GitLabServer {
  readonly url: string;
  readonly state: GitLabFixture;
  readonly requests: GitLabRequest[];
  readonly violations: string[];
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body?: unknown;
  raw?: Buffer | string;
  headers?: Record<string, string>;
}

export async function startGitLabServer(fixture: Partial<GitLabFixture> = {}): Promise<GitLabServer> {
  const state: GitLabFixture = { projects: {}, tokens: [], rateLimit: { limit: 2000, remaining: 2000, reset: Math.floor(Date.now() / 1000) + 60 }, faults: [], ...fixture };
  const requests: GitLabRequest[] = [];
  const violations: string[] = [];
  let base = '';

  const server = createServer((req, res) => handle(req, res));

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', base);
    const token = (req.headers['private-token'] as string | undefined) ?? /^bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const record: GitLabRequest = { path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0, authenticated: token !== undefined };
    requests.push(record);
    let op: GitLabOperation | undefined;
    const send = (reply: Reply) => {
      record.status = reply.status;
      if (op && reply.body !== undefined) violations.push(...checkAnswer(op, reply.status, reply.body));
      const text = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
      res.writeHead(reply.status, { ...(reply.body !== undefined ? { 'content-type': 'application/json' } : {}), ...rateHeaders(), ...reply.headers });
      res.end(text);
    };
    const rateHeaders = () => ({ 'ratelimit-limit': String(state.rateLimit.limit), 'ratelimit-remaining': String(Math.max(0, state.rateLimit.remaining)), 'ratelimit-reset': String(state.rateLimit.reset) });

    if (req.method !== 'GET') {
      violations.push(`${req.method} ${url.pathname}: Preflight only reads`);
      return send({ status: 405, body: { message: '405 Method Not Allowed' } });
    }
    if (!url.pathname.startsWith('/api/v4/')) {
      violations.push(`GET ${url.pathname}: outside /api/v4`);
      return send({ status: 404, body: { error: '404 Not Found' } });
    }
    const rest = url.pathname.slice('/api/v4'.length);
    let m: RegExpExecArray | null = null;
    op = OPERATIONS.find((o) => (m = o.path.exec(rest)) !== null);
    if (!op || !m) {
      violations.push(`GET ${rest}: not an operation the test server knows`);
      return send({ status: 404, body: { error: '404 Not Found' } });
    }
    record.operationId = op.operationId;
    violations.push(...checkQuery(op, url.searchParams));
    const match = m as RegExpExecArray;

    if (token !== undefined && !state.tokens.includes(token)) return send({ status: 401, body: { message: '401 Unauthorized' } });
    const fault = state.faults.find((f) => f.path === undefined || (typeof f.path === 'string' ? rest.startsWith(f.path) : f.path.test(rest)));
    if (fault) {
      if (fault.times !== undefined && --fault.times <= 0) state.faults.splice(state.faults.indexOf(fault), 1);
      return send({ status: fault.status, body: { message: `${fault.status} Fault` }, headers: fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) } });
    }
    if (state.rateLimit.remaining <= 0) {
      record.status = 429;
      res.writeHead(429, { 'content-type': 'text/plain', ...rateHeaders(), 'retry-after': String(Math.max(0, state.rateLimit.reset - Math.floor(Date.now() / 1000))) });
      return void res.end('Retry later\n');
    }
    state.rateLimit.remaining--;

    const id = decodeURIComponent(match[1]);
    const name = /^\d+$/.test(id) ? Object.keys(state.projects)[Number(id) - 1] : id;
    const project = name ? state.projects[name] : undefined;
    if (!project || (project.readers && (token === undefined || !project.readers.includes(token)))) return send({ status: 404, body: { message: '404 Project Not Found' } });

    const reply = answer(op.operationId, name!, project, url, match);
    if (reply.status === 200) {
      const etag = `W/"${createHash('sha1').update(reply.raw ?? JSON.stringify(reply.body)).digest('hex')}"`;
      reply.headers = { ...reply.headers, etag };
      if (req.headers['if-none-match'] === etag) return send({ status: 304, headers: { etag } });
    }
    send(reply);
  }

  function answer(operationId: string, name: string, project: GitLabFixtureProject, url: URL, m: RegExpExecArray): Reply {
    const web = `${base}/${name}`;
    switch (operationId) {
      case 'getApiV4ProjectsId':
        return {
          status: 200,
          body: { id: Object.keys(state.projects).indexOf(name) + 1, description: null, name: name.split('/').pop(), name_with_namespace: name.split('/').join(' / '), path: name.split('/').pop(), path_with_namespace: name, default_branch: project.defaultBranch, web_url: web, visibility: project.readers ? 'private' : 'public', created_at: '2020-01-01T00:00:00.000Z' },
        };
      case 'getApiV4ProjectsIdReleases': {
        const sorted = [...project.releases].sort((a, b) => (a.releasedAt < b.releasedAt ? 1 : -1));
        return paged(url, sorted.map((r) => releaseJson(r, name, web)));
      }
      case 'getApiV4ProjectsIdRepositoryTags':
        return paged(url, project.tags.map((t) => tagJson(t, project)));
      case 'getApiV4ProjectsIdRepositoryTree': {
        const files = project.files[url.searchParams.get('ref') ?? project.defaultBranch ?? ''];
        if (!files) return { status: 404, body: { message: '404 Tree Not Found' } };
        const entries = treeOf(files, url.searchParams.get('recursive') === 'true');
        if (url.searchParams.get('pagination') !== 'keyset') return paged(url, entries);
        const perPage = Number(url.searchParams.get('per_page') ?? 20);
        const after = url.searchParams.get('page_token');
        // The token is opaque to clients: here, a hash of the last path served.
        const start = after ? entries.findIndex((e) => sha(e.path) === after) + 1 : 0;
        const slice = entries.slice(start, start + perPage);
        const headers: Record<string, string> = {};
        if (start + perPage < entries.length) {
          const next = new URL(url.href);
          next.searchParams.set('page_token', sha(slice[slice.length - 1].path));
          headers.link = `<${next.href}>; rel="next"`;
        }
        return { status: 200, body: slice, headers };
      }
      case 'getApiV4ProjectsIdRepositoryBlobsShaRaw': {
        const sha = decodeURIComponent(m[2]);
        for (const files of Object.values(project.files)) for (const content of Object.values(files)) if (blobSha(content) === sha) return { status: 200, raw: content, headers: { 'content-type': 'text/plain; charset=utf-8' } };
        return { status: 404, body: { message: '404 Blob Not Found' } };
      }
      default:
        return { status: 404, body: { error: '404 Not Found' } };
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    state,
    requests,
    violations,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Offset pagination as GitLab answers it: X-* headers and a Link header with first, next and last. */
function paged(url: URL, items: unknown[]): Reply {
  const perPage = Number(url.searchParams.get('per_page') ?? 20);
  const page = Number(url.searchParams.get('page') ?? 1);
  const pages = Math.max(1, Math.ceil(items.length / perPage));
  const link = (p: number, rel: string) => {
    const u = new URL(url.href);
    u.searchParams.set('page', String(p));
    return `<${u.href}>; rel="${rel}"`;
  };
  const headers: Record<string, string> = {
    'x-page': String(page),
    'x-per-page': String(perPage),
    'x-total': String(items.length),
    'x-total-pages': String(pages),
    'x-next-page': page < pages ? String(page + 1) : '',
    'x-prev-page': page > 1 ? String(page - 1) : '',
    link: [...(page < pages ? [link(page + 1, 'next')] : []), link(1, 'first'), link(pages, 'last')].join(', '),
  };
  return { status: 200, body: items.slice((page - 1) * perPage, page * perPage), headers };
}

export function blobSha(content: string): string {
  const bytes = Buffer.from(content);
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

function sha(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function commitJson(id: string, web: string) {
  return { id, short_id: id.slice(0, 8), title: 'Release', created_at: '2024-01-01T00:00:00.000Z', parent_ids: [], message: 'Release', author_name: 'Maintainer', authored_date: '2024-01-01T00:00:00.000Z', committed_date: '2024-01-01T00:00:00.000Z', web_url: `${web}/-/commit/${id}` };
}

function releaseJson(r: GitLabFixtureRelease, name: string, web: string) {
  return {
    tag_name: r.tag,
    description: r.description ?? null,
    name: r.name ?? r.tag,
    created_at: r.releasedAt,
    released_at: r.releasedAt,
    upcoming_release: false,
    author: { id: 1, username: 'maintainer' },
    commit: commitJson(sha(`${name}@${r.tag}`), web),
    commit_path: `/${name}/-/commit/${sha(`${name}@${r.tag}`)}`,
    tag_path: `/${name}/-/tags/${r.tag}`,
    assets: { count: 0, sources: [], links: [] },
    evidences: [],
    _links: { self: `${web}/-/releases/${encodeURIComponent(r.tag)}`, edit_url: `${web}/-/releases/${encodeURIComponent(r.tag)}/edit` },
  };
}

function tagJson(t: string, project: GitLabFixtureProject) {
  const release = project.releases.find((r) => r.tag === t);
  const id = sha(`tag ${t}`);
  return { name: t, message: null, target: id, commit: commitJson(id, ''), release: release ? { tag_name: t, description: release.description ?? null } : null, protected: false, created_at: null };
}

function treeOf(files: Record<string, string>, recursive: boolean): { id: string; name: string; type: string; path: string; mode: string }[] {
  const out = new Map<string, { id: string; name: string; type: string; path: string; mode: string }>();
  for (const [path, content] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!out.has(dir) && (recursive || i === 1)) out.set(dir, { id: sha(`tree ${dir}`), name: parts[i - 1], type: 'tree', path: dir, mode: '040000' });
    }
    if (recursive || parts.length === 1) out.set(path, { id: blobSha(content), name: parts[parts.length - 1], type: 'blob', path, mode: '100644' });
  }
  return [...out.values()];
}
