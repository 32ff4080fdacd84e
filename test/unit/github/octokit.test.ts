import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GitHubApi } from '../../../src/core/github/ports';
import { buildReview, createGitHubSource, listAllReleases, type Review } from '../../../src/core/releases';
import { createOctokitGitHub, type OctokitGitHubOptions } from '../../../src/github/octokit';
import { type GitHubServer, releaseSeries, seriesVersion, startGitHubServer } from '../../support/githubServer';

const TOKEN = 'ghp_test_token_1234567890';
const HINTS = { invalidToken: 'set GITHUB_TOKEN to a valid token', anonymousRateLimit: 'set GITHUB_TOKEN for a higher limit' };
const REPO = { owner: 'acme', repo: 'app' };
/** Retries without the production backoff, to keep the tests quick. */
const FAST_RETRIES = { baseDelayMs: 1, maxDelayMs: 5 };

function hhmm(epochMs: number): string {
  const t = new Date(epochMs);
  return `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`;
}

describe('github: Octokit adapter against the test server', function () {
  this.timeout(30_000);
  let server: GitHubServer;
  let cacheRoot: string;
  let cacheCount = 0;

  const api = (opts: OctokitGitHubOptions = {}): GitHubApi => createOctokitGitHub({ baseUrl: server.apiUrl, token: TOKEN, hints: HINTS, network: FAST_RETRIES, ...opts });
  const freshCache = () => path.join(cacheRoot, `cache-${++cacheCount}`);
  const review = async (gh: GitHubApi, from = seriesVersion(240), to = seriesVersion(249)) => {
    const source = createGitHubSource('acme/app', { api: gh });
    assert.ok(source.ok);
    return buildReview(source.value, from, to);
  };

  before(async () => {
    cacheRoot = mkdtempSync(path.join(tmpdir(), 'preflight-gh-'));
    server = await startGitHubServer();
  });

  beforeEach(() => {
    server.requests.length = 0;
    server.state.tokens = [TOKEN];
    server.state.faults = [];
    server.state.rateLimit = { limit: 5000, remaining: 5000, reset: Math.floor(Date.now() / 1000) + 3600 };
    server.state.repos = {
      'acme/app': {
        defaultBranch: 'main',
        releases: releaseSeries(250),
        tags: releaseSeries(250).map((r) => r.tag).reverse(),
        files: {
          main: { 'README.md': '# app\n', 'docs/UPGRADE.md': '# Upgrading\n\n## Upgrading to 3.4.9\n\n- Run the migrations.\n' },
          'v3.4.9': { 'README.md': '# app\n', 'CHANGELOG.md': '# Changelog\n\n## 3.4.9\n\n- Faster startup.\n' },
        },
      },
    };
  });

  afterEach(() => assert.deepEqual(server.violations, []));

  after(async () => {
    await server.close();
    rmSync(cacheRoot, { recursive: true, force: true });
  });

  it('lists 250 releases in 3 requests of 100, following the Link header', async () => {
    const gh = api();
    const releases = await listAllReleases(gh, REPO);
    assert.ok(releases.ok);
    assert.equal(releases.value.length, 250);
    assert.equal(releases.value[0].tagName, `v${seriesVersion(249)}`);
    const lists = server.requests.filter((r) => r.operationId === 'repos/list-releases');
    assert.deepEqual(
      lists.map((r) => r.query),
      [1, 2, 3].map((page) => ({ per_page: '100', page: String(page) })),
    );
    assert.deepEqual(gh.counters(), { requests: 3, notModified: 0, counted: 3 });
    // No credential in what the server recorded, and the token was sent.
    assert.ok(lists.every((r) => !('authorization' in r.headers)));
  });

  it('stops paging once a whole page is at or below the range', async () => {
    const gh = api();
    // Page 1 holds 249..150; page 2 (149..50) is all below 200: no third request.
    const releases = await listAllReleases(gh, REPO, { from: seriesVersion(200) });
    assert.ok(releases.ok);
    assert.equal(releases.value.length, 200);
    assert.equal(server.requests.filter((r) => r.operationId === 'repos/list-releases').length, 2);
  });

  it('keeps paging past a page that mixes backports with releases in the range', async () => {
    // Newest first by creation: 1.0.x backports fill the pages; 2.x releases sit among them.
    let patch = 0;
    const backports = (n: number) => Array.from({ length: n }, () => `v1.0.${patch++}`);
    const order = ['v2.2.0', ...backports(99), ...backports(99), 'v2.1.0', 'v2.0.0', ...backports(99), ...backports(50), 'v1.5.0'];
    server.state.repos['acme/app'].releases = order.map((tag, i) => ({ tag, createdAt: new Date(Date.UTC(2025, 0, 1) - i * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z') }));
    const listed = await listAllReleases(api(), REPO, { from: '2.0.0' });
    assert.ok(listed.ok);
    assert.deepEqual(
      listed.value.filter((r) => r.tagName.startsWith('v2')).map((r) => r.tagName),
      ['v2.2.0', 'v2.1.0', 'v2.0.0'],
    );
    // Page 2 ends with 2.1.0, so page 3 is read; page 3 is all at or below 2.0.0, so page 4 is not.
    assert.deepEqual(
      server.requests.filter((r) => r.operationId === 'repos/list-releases').map((r) => r.query.page),
      ['1', '2', '3'],
    );
  });

  it('answers a repeated review from the disk cache with 304s that cost no rate limit', async () => {
    const cacheDir = freshCache();
    const first = api({ cacheDir });
    const cold = await review(first);
    assert.ok(cold.ok, !cold.ok ? cold.error.message : '');
    assert.equal(first.counters().notModified, 0);
    const countedBefore = server.countedRequests();

    // A new adapter, as in a new process: only the disk cache is shared.
    const second = api({ cacheDir });
    const warm = await review(second);
    assert.ok(warm.ok);
    assert.deepEqual(warm.value, cold.value);
    const counters = second.counters();
    assert.equal(counters.counted, 0);
    assert.equal(counters.notModified, counters.requests);
    assert.equal(counters.requests, first.counters().requests);
    assert.equal(server.countedRequests(), countedBefore);
    assert.ok(server.requests.filter((r) => r.status === 304).every((r) => r.headers['if-none-match']?.startsWith('W/"')));

    // The token is never written to disk.
    const files = readdirSync(cacheDir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(path.join(cacheDir, f)).isFile());
    assert.ok(files.length > 0);
    for (const file of files) assert.ok(!`${file}\n${readFileSync(path.join(cacheDir, file), 'latin1')}`.includes(TOKEN), file);
  });

  it('says when the rate limit resets, and serves a cached review with a warning', async () => {
    const reset = Math.floor(Date.now() / 1000) + 600;
    const cacheDir = freshCache();
    server.state.rateLimit = { limit: 5000, remaining: 0, reset };
    const limited = await review(api({ cacheDir }));
    assert.ok(!limited.ok);
    assert.equal(limited.error.code, 'rate-limited');
    assert.equal(limited.error.message, `GitHub rate limit reached (403); it resets at ${hhmm(reset * 1000)} (in 10 minutes)`);

    server.state.rateLimit.remaining = 5000;
    const fresh = await review(api({ cacheDir }));
    assert.ok(fresh.ok);
    server.state.rateLimit.remaining = 0;
    const cached = await review(api({ cacheDir }));
    assert.ok(cached.ok, !cached.ok ? cached.error.message : '');
    assert.deepEqual(cached.value.versions, fresh.value.versions);
    assert.deepEqual(cached.value.problems, [
      { message: `GitHub rate limit reached (403); it resets at ${hhmm(reset * 1000)} (in 10 minutes); showing what GitHub answered to an earlier review` },
    ]);
  });

  it('reads a secondary rate limit (429) from retry-after, and suggests a token when anonymous', async () => {
    server.state.faults.push({ path: '/repos/acme/app/releases', status: 429, retryAfter: 120 });
    const before = Date.now();
    const r = await listAllReleases(api({ token: undefined }), REPO);
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'rate-limited');
    assert.ok(r.error.resetAt! >= before + 120_000 && r.error.resetAt! <= Date.now() + 120_000);
    assert.equal(r.error.message, `GitHub rate limit reached (429); it resets at ${hhmm(r.error.resetAt!)} (in 2 minutes); set GITHUB_TOKEN for a higher limit`);
  });

  it('classifies 401, 403, 404 and 5xx answers with one-line messages', async () => {
    const host = new URL(server.url).host;
    const bad = await review(api({ token: 'ghp_wrong' }));
    assert.deepEqual(!bad.ok && bad.error, { code: 'auth', message: 'GitHub rejected the token (401): set GITHUB_TOKEN to a valid token' });

    const missing = createGitHubSource('acme/nope', { api: api() });
    assert.ok(missing.ok);
    const notFound = await buildReview(missing.value, '1.0.0', '2.0.0');
    assert.deepEqual(!notFound.ok && notFound.error, { code: 'not-found', message: `repository acme/nope not found on ${host} (404)` });

    // Reads are tried three times: the answer stands when all three fail.
    server.state.faults.push({ path: '/repos/acme/app/releases', status: 502, times: 3 });
    const failed = await review(api());
    assert.deepEqual(!failed.ok && failed.error, { code: 'network', message: `${host} failed with 502 for releases of acme/app; try again later` });

    server.state.faults.push({ path: '/repos/acme/app/tags', status: 403, message: 'Resource not accessible by integration' });
    const denied = await api().listTags(REPO);
    assert.deepEqual(!denied.ok && denied.error, { kind: 'permission', status: 403, message: 'GitHub denied access to tags of acme/app (403): Resource not accessible by integration' });
  });

  it('reports an unreachable API in one line', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const gh = createOctokitGitHub({ baseUrl: `http://127.0.0.1:${port}`, token: TOKEN, network: FAST_RETRIES });
    const r = await gh.getRepository(REPO);
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'network');
    assert.equal(r.error.message, `cannot reach 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('reads the rate limit without spending it', async () => {
    server.state.rateLimit.remaining = 4321;
    const gh = api();
    const r = await gh.getRateLimit();
    assert.ok(r.ok);
    assert.equal(r.value.remaining, 4321);
    assert.equal(r.value.resetAt, server.state.rateLimit.reset * 1000);
    assert.deepEqual(gh.counters(), { requests: 1, notModified: 0, counted: 0 });
  });
});

describe('github: Enterprise Server base URL', function () {
  this.timeout(30_000);
  let server: GitHubServer;

  before(async () => {
    server = await startGitHubServer({
      prefix: '/api/v3',
      fixture: {
        tokens: [TOKEN],
        repos: {
          'ops/db': {
            defaultBranch: 'trunk',
            releases: [
              { tag: 'v1.0.0', body: '- First.\n', createdAt: '2024-01-01T00:00:00Z' },
              { tag: 'v1.1.0', body: '- Requires PostgreSQL 15.\n', createdAt: '2024-02-01T00:00:00Z' },
            ],
            tags: ['v1.1.0', 'v1.0.0'],
            files: { trunk: { 'CHANGELOG.md': '# Changelog\n\n## 1.1.0\n\n- Drops the legacy API.\n' } },
          },
        },
      },
    });
  });

  after(() => server.close());

  it('serves the API under /api/v3, checked against the GHES description', async () => {
    assert.equal(server.api.description, 'ghes-3.19');
    const gh = createOctokitGitHub({ baseUrl: `${server.apiUrl}/`, token: TOKEN });
    assert.equal(gh.host, new URL(server.url).host);
    const source = createGitHubSource('ops/db', { api: gh });
    assert.ok(source.ok);
    const r = await buildReview(source.value, '1.0.0', '1.1.0');
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    const review: Review = r.value;
    assert.deepEqual(
      review.versions[0].items.map((i) => [i.file, i.ref, i.text]),
      [
        ['releases/v1.1.0', 'v1.1.0', '- Requires PostgreSQL 15.'],
        ['CHANGELOG.md', 'trunk', '- Drops the legacy API.'],
      ],
    );
    assert.ok(server.requests.length > 0);
    assert.ok(server.requests.every((req) => !req.path.startsWith('/api/v3')));
    assert.deepEqual(server.violations, []);
  });
});
