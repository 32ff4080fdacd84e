import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GitHubApi } from '../../../../src/core/github/ports';
import { conditionalFetch, EtagCache } from '../../../../src/adapters/http/etagCache';
import { buildReview, createGitHubSource } from '../../../../src/core/releases';
import { createOctokitGitHub, type OctokitGitHubOptions } from '../../../../src/github/octokit';
import { type GitHubServer, startGitHubServer } from '../../../support/githubServer';

const ALICE = 'ghp_alice_can_read_the_secret_repo';
const BOB = 'ghp_bob_cannot_read_it';
const SECRET = 'Rotate the HSM signing keys before upgrading.';

/** Every file and folder under `dir`, relative to it. */
function walk(dir: string, rel = ''): { rel: string; dir: boolean; mode: number }[] {
  return readdirSync(path.join(dir, rel)).flatMap((name) => {
    const r = path.join(rel, name);
    const st = statSync(path.join(dir, r));
    return st.isDirectory() ? [{ rel: r, dir: true, mode: st.mode & 0o777 }, ...walk(dir, r)] : [{ rel: r, dir: false, mode: st.mode & 0o777 }];
  });
}

const failingFetch: typeof fetch = async () => {
  throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
};

describe('http: the conditional-request cache keeps identities apart', function () {
  this.timeout(30_000);
  let server: GitHubServer;
  let root: string;
  let cacheDir: string;
  let n = 0;

  const api = (token: string | undefined, opts: OctokitGitHubOptions = {}): GitHubApi =>
    createOctokitGitHub({ baseUrl: server.apiUrl, token, cacheDir, network: { baseDelayMs: 1, maxDelayMs: 5 }, ...opts });
  const review = async (gh: GitHubApi) => {
    const source = createGitHubSource('acme/secret', { api: gh });
    assert.ok(source.ok);
    return buildReview(source.value, '1.0.0', '1.1.0');
  };
  const texts = (r: Awaited<ReturnType<typeof review>>) => (r.ok ? r.value.versions.flatMap((v) => v.items.map((i) => i.text)) : []);

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'preflight-cache-'));
    server = await startGitHubServer();
  });

  beforeEach(() => {
    cacheDir = path.join(root, `cache-${++n}`);
    server.requests.length = 0;
    server.state.tokens = [ALICE, BOB];
    server.state.faults = [];
    server.state.rateLimit = { limit: 5000, remaining: 5000, reset: Math.floor(Date.now() / 1000) + 3600 };
    server.state.repos = {
      'acme/secret': {
        defaultBranch: 'main',
        readers: [ALICE],
        releases: [
          { tag: 'v1.0.0', body: '- First.\n', createdAt: '2024-01-01T00:00:00Z' },
          { tag: 'v1.1.0', body: `- ${SECRET}\n`, createdAt: '2024-02-01T00:00:00Z' },
        ],
        tags: ['v1.1.0', 'v1.0.0'],
        files: { main: { 'README.md': '# secret\n' }, 'v1.1.0': { 'README.md': '# secret\n' } },
      },
    };
  });

  afterEach(() => assert.deepEqual(server.violations, []));

  after(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('never gives one token\'s private answers to another token or to anonymous requests', async () => {
    const alice = await review(api(ALICE));
    assert.ok(alice.ok, !alice.ok ? alice.error.message : '');
    assert.deepEqual(texts(alice), [`- ${SECRET}`]);

    // Bob shares the cache folder (one user, two tokens) but not Alice's entries: no ETag of hers is sent.
    server.requests.length = 0;
    const bob = await review(api(BOB));
    assert.deepEqual(!bob.ok && bob.error.code, 'not-found');
    assert.ok(server.requests.length > 0);
    assert.deepEqual(server.requests.filter((r) => r.headers['if-none-match']), []);

    // Rate-limited, neither Bob nor an anonymous request is answered with Alice's cached review...
    server.state.rateLimit.remaining = 0;
    for (const token of [BOB, undefined]) {
      const limited = await review(api(token));
      assert.ok(!limited.ok, `${token ?? 'anonymous'} was served another identity's cache: ${texts(limited).join(' ')}`);
      assert.equal(limited.error.code, 'rate-limited');
    }
    // ...nor when GitHub cannot be reached.
    for (const token of [BOB, undefined]) {
      const offline = await review(api(token, { fetch: failingFetch }));
      assert.ok(!offline.ok, `${token ?? 'anonymous'} was served another identity's cache: ${texts(offline).join(' ')}`);
      assert.equal(offline.error.code, 'network');
    }

    // Alice still gets her own earlier answer, marked stale, in both cases.
    for (const opts of [{}, { fetch: failingFetch }]) {
      const stale = await review(api(ALICE, opts));
      assert.ok(stale.ok, !stale.ok ? stale.error.message : '');
      assert.deepEqual(texts(stale), [`- ${SECRET}`]);
      assert.equal(stale.value.problems.length, 1);
    }
  });

  it('never answers a 401 or a 403 from the cache, and forgets what a refusal hid', async () => {
    assert.ok((await review(api(ALICE))).ok);

    server.state.tokens = [BOB];
    const revoked = await review(api(ALICE));
    assert.deepEqual(!revoked.ok && revoked.error.code, 'auth');

    server.state.tokens = [ALICE, BOB];
    server.state.faults.push({ path: '/repos/acme/secret', status: 403, message: 'Resource protected by organization SAML enforcement.' });
    const denied = await review(api(ALICE));
    assert.deepEqual(!denied.ok && denied.error.code, 'auth');

    // GitHub refused: a later outage must not bring the refused answer back from the disk.
    server.state.faults = [];
    const offline = await review(api(ALICE, { fetch: failingFetch }));
    assert.ok(!offline.ok, `served after a refusal: ${texts(offline).join(' ')}`);
    assert.equal(offline.error.code, 'network');
  });

  it('keeps the cache private on disk: folders 0700, files 0600, the token nowhere, an older cache tightened', async () => {
    // A cache left by an earlier version: world-readable, its entries keyed by URL alone.
    mkdirSync(cacheDir, { recursive: true, mode: 0o755 });
    chmodSync(cacheDir, 0o755);
    const legacy = path.join(cacheDir, `${'a'.repeat(64)}`);
    writeFileSync(`${legacy}.json`, JSON.stringify({ url: 'x', status: 200, headers: {} }), { mode: 0o644 });
    writeFileSync(`${legacy}.body`, SECRET, { mode: 0o644 });

    assert.ok((await review(api(ALICE))).ok);
    assert.ok((await review(api(undefined))).ok === false);
    const entries = walk(cacheDir);
    assert.equal(statSync(cacheDir).mode & 0o777, 0o700);
    assert.ok(entries.some((e) => !e.dir), 'entries were written');
    for (const e of entries) assert.equal(e.mode, e.dir ? 0o700 : 0o600, `${e.rel} is ${e.mode.toString(8)}`);
    // The legacy entries cannot be told apart by identity, so they are gone.
    assert.deepEqual(entries.filter((e) => !e.dir && !e.rel.includes(path.sep)), []);
    // One folder per identity, named by a hash; no temporary files; the token in no name and no file.
    const folders = entries.filter((e) => e.dir).map((e) => e.rel);
    assert.ok(folders.every((f) => /^[0-9a-f]{32}$|^anonymous$/.test(f)), folders.join(', '));
    assert.ok(entries.every((e) => !e.rel.endsWith('.tmp')));
    for (const e of entries) {
      assert.ok(!e.rel.includes(ALICE));
      if (!e.dir) assert.ok(!readFileSync(path.join(cacheDir, e.rel), 'latin1').includes(ALICE), e.rel);
    }

    // Loosened by hand (or by a copy), the next run tightens it again.
    for (const e of entries) chmodSync(path.join(cacheDir, e.rel), e.dir ? 0o755 : 0o644);
    chmodSync(cacheDir, 0o755);
    const warm = api(ALICE);
    assert.ok((await review(warm)).ok);
    assert.equal(warm.counters().counted, 0);
    assert.equal(statSync(cacheDir).mode & 0o777, 0o700);
    for (const e of walk(cacheDir)) assert.equal(e.mode, e.dir ? 0o700 : 0o600, `${e.rel} is ${e.mode.toString(8)}`);
  });
});

describe('http: conditional fetch without a GitHub client', function () {
  let server: Server;
  let url: string;
  let dir: string;
  const seen: { authorization?: string; etag?: string }[] = [];

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'preflight-cache-plain-'));
    server = createServer((req, res) => {
      seen.push({ authorization: req.headers.authorization, etag: req.headers['if-none-match'] });
      const etag = `"${req.headers.authorization ?? 'anonymous'}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
      res.writeHead(200, { etag, 'content-type': 'application/json' }).end(JSON.stringify({ for: req.headers.authorization ?? null }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pkg`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes the identity from the Authorization header when it is not given', async () => {
    const cached = conditionalFetch(fetch, { cache: new EtagCache(dir) });
    const get = async (authorization?: string) => (await cached(url, { headers: authorization ? { authorization } : {} })).json();
    assert.deepEqual(await get('Basic dXNlcjpvbmU='), { for: 'Basic dXNlcjpvbmU=' });
    assert.deepEqual(await get('Basic dXNlcjp0d28='), { for: 'Basic dXNlcjp0d28=' });
    assert.deepEqual(await get(), { for: null });
    assert.deepEqual(await get('Basic dXNlcjpvbmU='), { for: 'Basic dXNlcjpvbmU=' });
    // Only the repeated identity sent an ETag, its own.
    assert.deepEqual(
      seen.map((s) => s.etag),
      [undefined, undefined, undefined, '"Basic dXNlcjpvbmU="'],
    );
  });
});
