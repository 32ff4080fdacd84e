import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requestTimeout } from '../../../../src/cli/options';
import type { GitHubApi } from '../../../../src/core/github/ports';
import { backoffDelay, parseTimeoutSeconds, requestedDelay, resilientFetch } from '../../../../src/core/http/retry';
import { createNpmSource } from '../../../../src/core/releases';
import { createOctokitGitHub, type OctokitGitHubOptions } from '../../../../src/github/octokit';
import { ROOT, runCli } from '../../../support/fixtures';
import { type GitHubServer, releaseSeries, startGitHubServer } from '../../../support/githubServer';
import { unpackTarball } from '../../../../src/adapters/tarball';

const TOKEN = 'ghp_retry_token';
const REPO = { owner: 'acme', repo: 'app' };
/** Fast enough for tests: 0.2 s deadlines, millisecond backoffs. */
const FAST = { timeoutMs: 200, baseDelayMs: 5, maxDelayMs: 20 };
/** For the server that answers: the same backoffs, and a deadline a loaded machine keeps. */
const ANSWERING = { ...FAST, timeoutMs: 10_000 };
const PULL = { title: 'Plan', body: 'Plan.', head: 'preflight/app-2.0.0', base: 'main', draft: true };

/** A server that takes every request and never answers it; `hits` counts them. */
async function silentServer(): Promise<{ url: string; host: string; hits: () => number; close: () => Promise<void> }> {
  const held: ServerResponse[] = [];
  const server: Server = createServer((_req: IncomingMessage, res: ServerResponse) => void held.push(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `http://${host}`,
    host,
    hits: () => held.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('http: timeouts and retries', function () {
  this.timeout(20_000);
  let server: GitHubServer;
  let host: string;

  const api = (opts: OctokitGitHubOptions = {}): GitHubApi => createOctokitGitHub({ baseUrl: server.apiUrl, token: TOKEN, network: ANSWERING, ...opts });
  const statuses = (operationId: string) => server.requests.filter((r) => r.operationId === operationId).map((r) => r.status);

  before(async () => {
    server = await startGitHubServer();
    host = new URL(server.url).host;
  });

  beforeEach(() => {
    server.requests.length = 0;
    server.state.tokens = [TOKEN];
    server.state.faults = [];
    server.state.rateLimit = { limit: 5000, remaining: 5000, reset: Math.floor(Date.now() / 1000) + 3600 };
    server.state.repos = {
      'acme/app': {
        defaultBranch: 'main',
        releases: releaseSeries(3),
        tags: [],
        files: { main: { 'README.md': '# app\n' }, 'preflight/app-2.0.0': { 'README.md': '# app, planned\n' } },
      },
    };
  });

  afterEach(() => assert.deepEqual(server.violations, []));

  after(() => server.close());

  describe('a server that accepts the connection and never answers', () => {
    let silent: Awaited<ReturnType<typeof silentServer>>;
    beforeEach(async () => (silent = await silentServer()));
    afterEach(() => silent.close());

    it('ends a read at the timeout, tries it three times, and says what did not answer', async () => {
      const started = Date.now();
      const r = await createOctokitGitHub({ baseUrl: silent.url, token: TOKEN, network: FAST }).listReleases(REPO);
      assert.deepEqual(!r.ok && r.error, { kind: 'network', message: `${silent.host} did not answer within 0.2 s for releases of acme/app (3 attempts)` });
      assert.equal(silent.hits(), 3);
      assert.ok(Date.now() - started < 8000, `took ${Date.now() - started} ms: the deadline was not kept`);
    });

    it('sends a write once: it may have been applied', async () => {
      const r = await createOctokitGitHub({ baseUrl: silent.url, token: TOKEN, network: FAST }).createPullRequest(REPO, PULL);
      assert.deepEqual(!r.ok && r.error, { kind: 'network', message: `${silent.host} did not answer within 0.2 s for a pull request on acme/app` });
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(silent.hits(), 1);
    });

    it('gives up on an npm registry too', async () => {
      const source = createNpmSource('acme-cli', { fetch: resilientFetch(fetch, FAST), unpack: unpackTarball, registryUrl: silent.url });
      assert.ok(source.ok);
      const r = await source.value.listVersions();
      assert.deepEqual(!r.ok && r.error, { code: 'network', message: `${silent.host} did not answer within 0.2 s for npm package acme-cli (3 attempts)` });
    });

    it('takes --timeout or PREFLIGHT_TIMEOUT in preflight notes and preflight pr', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'preflight-timeout-'));
      try {
        const env = { XDG_CACHE_HOME: path.join(dir, 'cache'), GITHUB_TOKEN: TOKEN };
        const notes = ['notes', '--source', 'github:acme/app', '--from', '1.0.0', '--to', '1.0.2', '--api-url', silent.url];
        const expected = `preflight: ${silent.host} did not answer within 0.2 s for repository acme/app (3 attempts)\n`;
        assert.deepEqual(await runCli([...notes, '--timeout', '0.2'], dir, env), { code: 2, stdout: '', stderr: expected });
        assert.deepEqual(await runCli(notes, dir, { ...env, PREFLIGHT_TIMEOUT: '0.2' }), { code: 2, stdout: '', stderr: expected });

        const plan = path.join(dir, 'plan.md');
        writeFileSync(plan, '# Plan\n');
        const pr = ['pr', '--file', plan, '--app', 'app', '--from', '1.0.0', '--to', '2.0.0', '--repo', 'acme/app', '--path', 'plan.md', '--api-url', silent.url, '--timeout', '0.2'];
        assert.deepEqual(await runCli(pr, dir, env), {
          code: 2,
          stdout: '',
          stderr: `preflight: ${silent.host} did not answer within 0.2 s for pull requests of acme/app (3 attempts)\n`,
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('retries a read that fails twice, then succeeds', async () => {
    server.state.faults.push({ path: '/repos/acme/app/releases', status: 503, times: 2 });
    const r = await api().listReleases(REPO);
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.equal(r.value.items.length, 3);
    assert.deepEqual(statuses('repos/list-releases'), [503, 503, 200]);

    // Network errors too.
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      if (++calls <= 2) throw new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
      return fetch(input, init);
    };
    const again = await api({ fetch: flaky }).listTags(REPO);
    assert.ok(again.ok, !again.ok ? again.error.message : '');
    assert.equal(calls, 3);
  });

  it('waits for a short Retry-After of a secondary rate limit, and not for a long one', async () => {
    server.state.faults.push({ path: '/repos/acme/app/releases', status: 429, retryAfter: 1, times: 1 });
    const started = Date.now();
    const r = await api().listReleases(REPO);
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.ok(Date.now() - started >= 1000, `waited ${Date.now() - started} ms`);
    assert.deepEqual(statuses('repos/list-releases'), [429, 200]);

    server.requests.length = 0;
    server.state.faults.push({ path: '/repos/acme/app/releases', status: 403, retryAfter: 1, times: 1, message: 'You have exceeded a secondary rate limit.' });
    assert.ok((await api().listReleases(REPO)).ok);
    assert.deepEqual(statuses('repos/list-releases'), [403, 200]);

    server.requests.length = 0;
    server.state.faults.push({ path: '/repos/acme/app/releases', status: 429, retryAfter: 120 });
    const quick = Date.now();
    const limited = await api().listReleases(REPO);
    assert.deepEqual(!limited.ok && limited.error.kind, 'rate-limited');
    assert.ok(Date.now() - quick < 1000);
    assert.deepEqual(statuses('repos/list-releases'), [429]);

    // An exhausted primary limit, and a 403 that refuses, are answers: asked once.
    server.requests.length = 0;
    server.state.faults = [{ path: '/repos/acme/app/tags', status: 403, message: 'Resource not accessible by integration' }];
    server.state.rateLimit.remaining = 0;
    assert.deepEqual((await api().listReleases(REPO)).ok, false);
    assert.deepEqual((await api().listTags(REPO)).ok, false);
    assert.deepEqual([statuses('repos/list-releases'), statuses('repos/list-tags')], [[403], [403]]);
  });

  it('gives up on a read that always fails with 503 after three attempts, and never repeats a write', async () => {
    server.state.faults.push({ path: '/repos/acme/app', status: 503 });
    const r = await api().listReleases(REPO);
    assert.deepEqual(!r.ok && r.error, { kind: 'server', status: 503, message: `${host} failed with 503 for releases of acme/app; try again later` });
    assert.deepEqual(statuses('repos/list-releases'), [503, 503, 503]);

    const w = await api().createPullRequest(REPO, PULL);
    assert.deepEqual(!w.ok && w.error.kind, 'server');
    assert.deepEqual(statuses('pulls/create'), [503]);
  });

  it('sends a write again only when the connection was never made', async () => {
    let calls = 0;
    const refusedOnce: typeof fetch = async (input, init) => {
      if (++calls === 1) throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
      return fetch(input, init);
    };
    const r = await api({ fetch: refusedOnce }).createPullRequest(REPO, PULL);
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.equal(calls, 2);
    assert.deepEqual(statuses('pulls/create'), [201]);

    let reset = 0;
    const resetOnce: typeof fetch = async (input, init) => {
      if (++reset === 1) throw new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
      return fetch(input, init);
    };
    const w = await api({ fetch: resetOnce }).updatePullRequest(REPO, 1, { title: 'Plan, again' });
    assert.deepEqual(!w.ok && w.error.kind, 'network');
    assert.equal(reset, 1);
  });

  it('stops waiting when the caller cancels', async () => {
    server.state.faults.push({ path: '/repos/acme/app/releases', status: 503 });
    const controller = new AbortController();
    const gh = api({ network: { ...ANSWERING, baseDelayMs: 5000, maxDelayMs: 5000 } });
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const r = await gh.listReleases(REPO, undefined, { signal: controller.signal });
    assert.deepEqual(!r.ok && r.error.kind, 'cancelled');
    assert.ok(Date.now() - started < 1000);
  });

  it('backs off exponentially, with jitter, up to a bound', () => {
    const opts = { baseDelayMs: 500, maxDelayMs: 4000 };
    assert.deepEqual([1, 2, 3, 4, 5, 10].map((n) => backoffDelay(n, { ...opts, random: () => 0.999999 })), [500, 1000, 2000, 4000, 4000, 4000]);
    assert.deepEqual([1, 2, 3, 4, 5, 10].map((n) => backoffDelay(n, { ...opts, random: () => 0 })), [250, 500, 1000, 2000, 2000, 2000]);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(3, opts);
      assert.ok(d >= 1000 && d <= 2000, String(d));
    }
    const now = Date.UTC(2025, 0, 1);
    assert.equal(requestedDelay(new Headers({ 'retry-after': '3' }), now), 3000);
    assert.equal(requestedDelay(new Headers({ 'retry-after': new Date(now + 5000).toUTCString() }), now), 5000);
    assert.equal(requestedDelay(new Headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 60) }), now), 60_000);
    assert.equal(requestedDelay(new Headers({ 'x-ratelimit-remaining': '12' }), now), undefined);
  });

  it('reads timeouts as seconds in (0, 3600], from the setting to the CLI', async () => {
    assert.deepEqual(['30', '0.5', ' 2 ', '3600', 45].map(parseTimeoutSeconds), [30, 0.5, 2, 3600, 45]);
    assert.deepEqual(['0', '-1', 'abc', '', '1e3', '3601', '30s', undefined].map(parseTimeoutSeconds), Array(8).fill(undefined));
    // --timeout wins over PREFLIGHT_TIMEOUT, which wins over the default.
    assert.deepEqual(
      [requestTimeout('5', { PREFLIGHT_TIMEOUT: '600' }), requestTimeout(undefined, { PREFLIGHT_TIMEOUT: '600' }), requestTimeout(undefined, {}), requestTimeout(undefined, { PREFLIGHT_TIMEOUT: '' })],
      [5000, 600_000, 30_000, 30_000],
    );

    const setting = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).contributes.configuration.properties['preflight.network.timeout'];
    assert.deepEqual([setting.type, setting.default, setting.minimum, setting.maximum], ['number', 30, 1, 3600]);

    for (const command of [['notes', '--source', 'git:.', '--from', '1', '--to', '2'], ['pr', '--file', 'x.md', '--app', 'a', '--from', '1', '--to', '2']]) {
      assert.deepEqual(await runCli([...command, '--timeout', 'soon'], ROOT), {
        code: 2,
        stdout: '',
        stderr: `preflight: --timeout needs seconds, a number greater than 0 and at most 3600, not "soon"\n`,
      });
      assert.deepEqual(await runCli(command, ROOT, { PREFLIGHT_TIMEOUT: '0' }), {
        code: 2,
        stdout: '',
        stderr: `preflight: PREFLIGHT_TIMEOUT needs seconds, a number greater than 0 and at most 3600, not "0"\n`,
      });
    }
  });
});
