import * as assert from 'node:assert/strict';
import { type GitHubServer, startGitHubServer } from '../../support/githubServer';
import { OpenApi } from '../../support/openapi';

describe('github: test server checks traffic against the OpenAPI description', function () {
  this.timeout(30_000);
  let server: GitHubServer;

  before(async () => {
    server = await startGitHubServer({
      fixture: {
        repos: {
          'acme/app': {
            defaultBranch: 'main',
            releases: [{ tag: 'v1.0.0', body: 'First.', createdAt: '2024-01-01T00:00:00Z' }],
            tags: ['v1.0.0'],
            files: { main: { 'CHANGELOG.md': '# Changelog\n' } },
          },
        },
      },
    });
  });

  after(() => server.close());

  beforeEach(() => {
    server.violations.length = 0;
  });

  it('matches operations by the description paths, literals before parameters', () => {
    const api = OpenApi.load('api.github.com');
    assert.equal(api.match('GET', '/repos/a/b/releases/latest')?.operation.operationId, 'repos/get-latest-release');
    assert.equal(api.match('GET', '/repos/a/b/releases/12')?.operation.operationId, 'repos/get-release');
    const tree = api.match('GET', '/repos/a/b/git/trees/release/1.x');
    assert.deepEqual(tree && [tree.operation.operationId, tree.params], ['git/get-tree', { owner: 'a', repo: 'b', tree_sha: 'release/1.x' }]);
    assert.equal(api.match('GET', '/repos/a/b/no-such-thing'), null);
    assert.ok(api.operation('pulls/create'), 'write operations are there for later handlers');
  });

  it('accepts well-formed traffic', async () => {
    const res = await fetch(`${server.url}/repos/acme/app/releases?per_page=100&page=1`);
    assert.equal(res.status, 200);
    assert.deepEqual(server.violations, []);
  });

  it('records a response body that does not fit the schema', async () => {
    server.state.repos['acme/app'].releases[0].extra = { id: 'not-a-number', draft: 'no' };
    try {
      await fetch(`${server.url}/repos/acme/app/releases`);
    } finally {
      delete server.state.repos['acme/app'].releases[0].extra;
    }
    assert.equal(server.violations.length, 1);
    assert.match(server.violations[0], /^GET \/repos\/\{owner\}\/\{repo\}\/releases \(repos\/list-releases\) -> 200: response body \/0\/id must be integer; \/0\/draft must be boolean$/);
  });

  it('records wrong parameters, unknown paths and invalid bodies', async () => {
    await fetch(`${server.url}/repos/acme/app/releases?per_page=lots&bogus=1`);
    await fetch(`${server.url}/repos/acme/app/no-such-thing`);
    await fetch(`${server.url}/repos/acme/app/releases`, { method: 'POST', body: JSON.stringify({ name: 'no tag' }), headers: { 'content-type': 'application/json' } });
    assert.deepEqual(server.violations, [
      'GET /repos/{owner}/{repo}/releases (repos/list-releases): query parameter per_page="lots" (root) must be integer',
      'GET /repos/{owner}/{repo}/releases (repos/list-releases): undocumented query parameter bogus',
      'GET /repos/acme/app/no-such-thing: no operation in the api.github.com description',
      "POST /repos/{owner}/{repo}/releases (repos/create-release): request body (root) must have required property 'tag_name'",
      'POST /repos/acme/app/releases: the test server has no handler for repos/create-release',
    ]);
  });

  it('answers conditional requests with 304 and pages with Link headers', async () => {
    server.state.repos['acme/app'].tags = Array.from({ length: 5 }, (_, i) => `v1.0.${i}`);
    const first = await fetch(`${server.url}/repos/acme/app/tags?per_page=2&page=2`);
    assert.equal(
      first.headers.get('link'),
      [1, 1, 3, 3].map((p, i) => `<${server.url}/repos/acme/app/tags?per_page=2&page=${p}>; rel="${['prev', 'first', 'next', 'last'][i]}"`).join(', '),
    );
    const again = await fetch(`${server.url}/repos/acme/app/tags?per_page=2&page=2`, { headers: { 'if-none-match': first.headers.get('etag')! } });
    assert.equal(again.status, 304);
    assert.deepEqual(server.violations, []);
  });
});

describe('github: the test server signs VS Code in and lets a reviewer approve (the demo)', function () {
  this.timeout(30_000);
  let server: GitHubServer;
  const token = 'demo-token';

  before(async () => {
    server = await startGitHubServer({
      prefix: '/api/v3',
      signIn: { token, scopes: ['repo'], reviewer: 'reviewer' },
      fixture: {
        tokens: [token],
        logins: { [token]: 'operator' },
        repos: {
          'demo/app': {
            defaultBranch: 'main',
            releases: [],
            tags: [],
            files: { main: { 'README.md': '# app\n' }, plan: { 'README.md': '# app\n' } },
            pulls: [{ number: 1, title: 'Upgrade plan: <b>app</b>', body: null, head: 'plan', base: 'main', draft: true, state: 'open', labels: [], requestedReviewers: [] }],
          },
        },
      },
    });
  });
  after(() => server.close());

  it('gives the token through the device flow once the code page is opened, and names its account and scopes', async () => {
    const post = (path: string) => fetch(`${server.url}${path}`, { method: 'POST', headers: { accept: 'application/json' } }).then((r) => r.json() as Promise<Record<string, string>>);
    const code = await post('/login/device/code?client_id=x&scope=repo');
    assert.equal(code.verification_uri, `${server.url}/login/device`);
    const poll = `/login/oauth/access_token?client_id=x&device_code=${code.device_code}&grant_type=urn:ietf:params:oauth:grant-type:device_code`;
    assert.equal((await post(poll)).error, 'authorization_pending');
    // The root of the server accepts the pending code too (VS Code for the Web opens local addresses without their path).
    const page = await fetch(`${server.url}/`).then((r) => r.text());
    assert.match(page, /signed in as <b>operator<\/b>/);
    assert.equal((await post(poll)).access_token, token);
    assert.equal((await post(poll)).error, 'expired_token');

    const user = await fetch(`${server.apiUrl}/user`, { headers: { authorization: `token ${token}` } });
    assert.equal(user.status, 200);
    assert.equal(user.headers.get('x-oauth-scopes'), 'repo');
    assert.equal(((await user.json()) as { login: string }).login, 'operator');
    assert.equal((await fetch(`${server.apiUrl}/user`)).status, 401);
    assert.equal((await fetch(`${server.apiUrl}/user`, { headers: { authorization: 'token wrong' } })).status, 401);
    const root = await fetch(server.apiUrl, { headers: { authorization: `token ${token}` } });
    assert.equal(root.headers.get('x-oauth-scopes'), 'repo');
    assert.deepEqual(server.violations, []);
  });

  it('lists open pull requests with their titles escaped, and approves one as the reviewer', async () => {
    const page = await fetch(`${server.url}/demo/app/pulls`).then((r) => r.text());
    assert.match(page, /#1 Upgrade plan: &#60;b&#62;app&#60;\/b&#62;/);
    assert.doesNotMatch(page, /<b>app<\/b>/);
    const approved = await fetch(`${server.url}/demo/app/pull/1/approve`, { method: 'POST', redirect: 'manual' });
    assert.equal(approved.status, 303);
    assert.equal(approved.headers.get('location'), '/demo/app/pulls');
    const reviews = (await fetch(`${server.apiUrl}/repos/demo/app/pulls/1/reviews`).then((r) => r.json())) as { user: { login: string }; state: string }[];
    assert.deepEqual(reviews.map((r) => [r.user.login, r.state]), [['reviewer', 'APPROVED']]);
    assert.match(await fetch(`${server.url}/demo/app/pull/1`).then((r) => r.text()), /reviewer: approved/);
    assert.equal((await fetch(`${server.url}/demo/app/pull/2/approve`, { method: 'POST' })).status, 404);
    assert.deepEqual(server.violations.filter((v) => !v.includes('/demo/app/pull/2/approve')), []);
  });
});
