/** The test server's answers, one handler per OpenAPI operationId. */
import { addCommit, blobSha, type FixturePull, type FixtureRepo, type GitHubFixture, git, treeAt, treeSha } from './fixture';
import { commitJson, error, fileJson, fullPullJson, labelJson, nodeId, pullJson, refJson, release, repository, tagJson, tree } from './shapes';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface HandlerContext {
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

export type Handler = (ctx: HandlerContext) => Reply;


export const HANDLERS: Record<string, Handler> = {
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

  'rate-limit/get': (c) => {
    const core = { ...c.state.rateLimit, used: c.state.rateLimit.limit - c.state.rateLimit.remaining };
    const search = { limit: 30, remaining: 30, reset: c.state.rateLimit.reset, used: 0 };
    return { status: 200, body: { resources: { core, search }, rate: core } };
  },
};


export function withRepo(c: HandlerContext, fn: (repo: FixtureRepo, name: string) => Reply): Reply {
  const name = `${c.params.owner}/${c.params.repo}`;
  const repo = c.state.repos[name];
  if (repo?.readers && !(c.token !== undefined && repo.readers.includes(c.token))) return notFound();
  return repo ? fn(repo, name) : notFound();
}

/** One page of `items` with GitHub's Link header (first, prev, next, last). */
export function paginate<T>(c: HandlerContext, items: T[], toJson: (item: T) => unknown): Reply {
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

export function withPull(c: HandlerContext, fn: (repo: FixtureRepo, name: string, pull: FixturePull) => Reply): Reply {
  return withRepo(c, (repo, name) => {
    const pull = repo.pulls?.find((p) => p.number === Number(c.params.pull_number ?? c.params.issue_number));
    return pull ? fn(repo, name, pull) : notFound();
  });
}


export function notFound(message = 'Not Found'): Reply {
  return { status: 404, body: error(message, '404') };
}

export function validationFailed(message: string, ...errors: Record<string, string>[]): Reply {
  const documentation_url = 'https://docs.github.com/rest';
  return { status: 422, body: errors.length ? { message, errors, documentation_url } : { message, documentation_url } };
}
