import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GitHubApi, GitHubResult } from '../../../../src/core/github/ports';
import { buildReview, createGitHubSource, createNpmSource } from '../../../../src/core/releases';
import { createOctokitGitHub } from '../../../../src/github/octokit';
import { runCli } from '../../../support/fixtures';
import { type GitHubServer, startGitHubServer } from '../../../support/githubServer';
import { unpackTarball } from '../../../../src/adapters/tarball';

const TOKEN = 'ghp_malformed_token';
const REPO = { owner: 'acme', repo: 'app' };

describe('http: malformed answers are reported plainly', function () {
  this.timeout(30_000);
  let server: GitHubServer;
  let host: string;
  const api = (): GitHubApi => createOctokitGitHub({ baseUrl: server.apiUrl, token: TOKEN, network: { baseDelayMs: 1, maxDelayMs: 5 } });

  before(async () => {
    server = await startGitHubServer();
    host = new URL(server.url).host;
  });

  beforeEach(() => {
    server.requests.length = 0;
    server.state.tokens = [TOKEN];
    server.state.faults = [];
    server.state.repos = {
      'acme/app': {
        defaultBranch: 'main',
        releases: [
          { tag: 'v1.0.0', body: '- First.\n', createdAt: '2024-01-01T00:00:00Z' },
          { tag: 'v1.1.0', body: '- Second.\n', createdAt: '2024-02-01T00:00:00Z' },
        ],
        tags: ['v1.1.0', 'v1.0.0'],
        files: { main: { 'README.md': '# app\n' } },
      },
    };
  });

  afterEach(() => assert.deepEqual(server.violations, []));

  after(() => server.close());

  it('says which answer was malformed instead of "d.map is not a function"', async () => {
    const cases: [string, string, (gh: GitHubApi) => Promise<GitHubResult<unknown>>, string][] = [
      ['/repos/acme/app/releases', '{"releases": [', (gh) => gh.listReleases(REPO), 'releases of acme/app'],
      ['/repos/acme/app/releases', '{"message": "this is not a list"}', (gh) => gh.listReleases(REPO), 'releases of acme/app'],
      ['/repos/acme/app/releases', '[{"id": 1, "name": "v1"}]', (gh) => gh.listReleases(REPO), 'releases of acme/app'],
      ['/repos/acme/app/releases', '[{"id": 1, "tag_name": 7, "draft": false, "prerelease": false, "created_at": "2024-01-01T00:00:00Z", "html_url": "x"}]', (gh) => gh.listReleases(REPO), 'releases of acme/app'],
      ['/repos/acme/app/tags', '[{"name": "v1.0.0"}]', (gh) => gh.listTags(REPO), 'tags of acme/app'],
      ['/repos/acme/app/git/trees', '{"sha": "abc", "tree": "everything", "truncated": false}', (gh) => gh.getTree(REPO, 'main'), 'ref main of acme/app'],
      ['/repos/acme/app/git/blobs', '{"sha": "abc", "content": 12, "encoding": "base64"}', (gh) => gh.getBlob(REPO, 'abc'), 'blob abc of acme/app'],
      ['/repos/acme/app/pulls', '[{"number": "one"}]', (gh) => gh.listPullRequests(REPO, { head: 'x', state: 'open' }), 'pull requests of acme/app'],
      ['/repos/acme/app', '"a string"', (gh) => gh.getRepository(REPO), 'repository acme/app'],
      ['/rate_limit', '{}', (gh) => gh.getRateLimit(), 'the rate limit'],
      ['/repos/acme/app/git/ref', '<html>Sign in to the proxy</html>', (gh) => gh.getRef(REPO, 'refs/heads/main'), 'branch main of acme/app'],
    ];
    for (const [path, raw, call, what] of cases) {
      server.state.faults = [{ path, status: 200, raw }];
      const r = await call(api());
      assert.deepEqual(!r.ok && r.error, { kind: 'malformed', message: `${host} sent a malformed response for ${what}` }, `${path}: ${raw}`);
    }
  });

  it('ends a review with that message, in the CLI too', async () => {
    server.state.faults = [{ path: '/repos/acme/app/releases', status: 200, raw: '[1, 2, 3]' }];
    const source = createGitHubSource('acme/app', { api: api() });
    assert.ok(source.ok);
    const r = await buildReview(source.value, '1.0.0', '1.1.0');
    assert.deepEqual(!r.ok && r.error, { code: 'source', message: `${host} sent a malformed response for releases of acme/app` });

    const cli = await runCli(['notes', '--source', 'github:acme/app', '--from', '1.0.0', '--to', '1.1.0', '--api-url', server.url], process.cwd(), { GITHUB_TOKEN: TOKEN });
    assert.deepEqual(cli, { code: 2, stdout: '', stderr: `preflight: ${host} sent a malformed response for releases of acme/app\n` });
  });
});

describe('npm: malformed packuments are reported plainly', () => {
  let server: Server;
  let url: string;
  let body = '';

  before(async () => {
    server = createServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('checks what it reads of the packument', async () => {
    const host = new URL(url).host;
    const packuments = [
      'not json',
      '[]',
      '{"name": "acme-cli", "versions": null}',
      '{"name": "acme-cli", "versions": {"1.0.0": 5}}',
      '{"name": "acme-cli", "versions": {"1.0.0": {"version": 1}}}',
      '{"name": "acme-cli", "versions": {"1.0.0": {"version": "1.0.0"}}, "time": "yesterday"}',
      '{"name": "acme-cli", "versions": {"1.0.0": {"version": "1.0.0"}, "1.1.0": {"version": "1.1.0", "dist": {"tarball": 42}}}}',
      '{"name": "acme-cli", "versions": {"1.0.0": {"version": "1.0.0"}, "1.1.0": {"version": "1.1.0", "repository": {"url": ["x"]}}}}',
    ];
    for (const packument of packuments) {
      body = packument;
      const source = createNpmSource('acme-cli', { fetch, unpack: unpackTarball, registryUrl: url });
      assert.ok(source.ok);
      const r = await buildReview(source.value, '1.0.0', '1.1.0');
      assert.deepEqual(!r.ok && r.error, { code: 'source', message: `${host} sent a malformed response for npm package acme-cli` }, packument);
    }
  });
});
