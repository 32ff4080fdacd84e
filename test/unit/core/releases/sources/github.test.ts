import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildReview, createGitHubSource } from '../../../../../src/core/releases';
import { createOctokitGitHub } from '../../../../../src/github/octokit';
import { type FixtureRepo, type GitHubServer, startGitHubServer, webUrl } from '../../../../support/githubServer';
import { runCli } from '../../../../support/fixtures';

const TOKEN = 'ghp_review_token';

const CHANGELOG_AT_TAG = `# Changelog

## 2.4.1 (2024-04-20)

- Fix a crash on startup.

## 2.4.0 (2024-04-10)

- The migration adds an index to \`events\` and locks the table.

## 2.3.1 (2024-03-15)

- Fix a typo.

## 2.3.0 (2024-03-01)

- Add dark mode.
`;

const UPGRADE_ON_MAIN = `# Upgrade notes

## Upgrading to 2.4.0

- Back up the database first: the migration cannot be undone.
`;

function appRepo(): FixtureRepo {
  return {
    defaultBranch: 'main',
    releases: [
      { tag: 'v2.3.0', body: '- Add dark mode.\n', createdAt: '2024-03-01T10:00:00Z' },
      { tag: 'v2.4.0-rc.1', prerelease: true, body: '- Add the `--dry-run` flag.\n', createdAt: '2024-04-01T10:00:00Z' },
      { tag: 'v2.4.0', name: 'Version 2.4.0', body: '## Breaking changes\n\n- Requires PostgreSQL 14 or later.\n\n## Changes\n\n- Faster search.\n', createdAt: '2024-04-10T10:00:00Z' },
      { tag: 'v2.4.1', body: '- Fix a security issue in session handling (CVE-2024-0001).\n', createdAt: '2024-04-20T10:00:00Z' },
      { tag: 'v2.5.0', draft: true, body: '- Not released yet.\n', createdAt: '2024-05-01T10:00:00Z' },
    ],
    tags: ['v2.4.1', 'v2.4.0', 'v2.4.0-rc.1', 'v2.3.1', 'v2.3.0'],
    files: {
      main: { 'CHANGELOG.md': '# Changelog\n\n## Unreleased\n\n- Work in progress.\n', 'docs/UPGRADE.md': UPGRADE_ON_MAIN, 'src/index.ts': '' },
      'v2.4.1': { 'CHANGELOG.md': CHANGELOG_AT_TAG, 'docs/UPGRADE.md': UPGRADE_ON_MAIN, 'src/index.ts': '' },
    },
  };
}

describe('github source: end-to-end review', function () {
  this.timeout(30_000);
  let server: GitHubServer;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'preflight-ghreview-'));
    server = await startGitHubServer({ fixture: { tokens: [TOKEN], repos: { 'acme/app': appRepo() } } });
  });

  beforeEach(() => {
    server.state.rateLimit.remaining = 5000;
    server.state.faults = [];
  });

  afterEach(() => assert.deepEqual(server.violations, []));

  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('merges release bodies, the changelog at the tag and the upgrade guide on the default branch', async () => {
    const source = createGitHubSource('acme/app', { api: createOctokitGitHub({ baseUrl: server.apiUrl, token: TOKEN }) });
    assert.ok(source.ok);
    assert.equal(source.value.id, 'github:acme/app');
    const r = await buildReview(source.value, '2.3.0', 'v2.4.1');
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    const review = r.value;
    const web = webUrl(server.apiUrl, 'acme/app');

    assert.deepEqual(
      review.versions.map((v) => [v.version, v.date, v.tag, v.prereleases]),
      [
        ['2.4.1', '2024-04-20', 'v2.4.1', undefined],
        ['2.4.0', '2024-04-10', 'v2.4.0', ['2.4.0-rc.1']],
        ['2.3.1', '2024-03-15', 'v2.3.1', undefined],
      ],
    );
    const items = (v: number) => review.versions[v].items.map((i) => [i.file, i.ref, i.text, i.risks]);
    assert.deepEqual(items(0), [
      ['releases/v2.4.1', 'v2.4.1', '- Fix a security issue in session handling (CVE-2024-0001).', ['security']],
      ['CHANGELOG.md', 'v2.4.1', '- Fix a crash on startup.', []],
    ]);
    assert.deepEqual(items(1), [
      ['releases/v2.4.0', 'v2.4.0', '- Requires PostgreSQL 14 or later.', ['breaking', 'db_engine_requirement']],
      ['releases/v2.4.0', 'v2.4.0', '- Faster search.', []],
      ['CHANGELOG.md', 'v2.4.1', '- The migration adds an index to `events` and locks the table.', ['db_migration', 'db_lock_or_downtime']],
      ['docs/UPGRADE.md', 'main', '- Back up the database first: the migration cannot be undone.', ['db_migration', 'data_loss', 'upgrade_path']],
      ['releases/v2.4.0-rc.1', 'v2.4.0-rc.1', '- Add the `--dry-run` flag.', []],
    ]);
    assert.deepEqual(items(2), [['CHANGELOG.md', 'v2.4.1', '- Fix a typo.', []]]);

    const [release, changelog, upgrade] = [review.versions[0].items[0], review.versions[0].items[1], review.versions[1].items[3]];
    assert.equal(release.url, `${web}/releases/tag/v2.4.1`);
    assert.equal(changelog.url, `${web}/blob/v2.4.1/CHANGELOG.md`);
    assert.equal(upgrade.url, `${web}/blob/main/docs/UPGRADE.md`);
    assert.equal(review.versions[1].items[4].prerelease, '2.4.0-rc.1');
    assert.deepEqual(review.summary, { breaking: 1, db_migration: 2, db_lock_or_downtime: 1, db_engine_requirement: 1, data_loss: 1, upgrade_path: 1, security: 1 });
    assert.deepEqual(review.problems, []);
    // The draft is no version; the upgrade guide, the same at both refs, is fetched once.
    assert.ok(!review.versions.some((v) => v.version === '2.5.0'));
    assert.equal(server.requests.filter((q) => q.operationId === 'git/get-blob').length, 3);
  });

  it('lists releases and tags once per review: the version pickers\' listing serves the range', async () => {
    const source = createGitHubSource('acme/app', { api: createOctokitGitHub({ baseUrl: server.apiUrl, token: TOKEN }) });
    assert.ok(source.ok);
    const listOps = () => server.requests.filter((q) => q.operationId === 'repos/list-releases' || q.operationId === 'repos/list-tags').length;
    const before = listOps();
    const versions = await source.value.listVersions();
    assert.ok(versions.ok);
    const afterPickers = listOps();
    assert.ok(afterPickers > before);
    const r = await buildReview(source.value, '2.3.0', '2.4.1');
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.equal(listOps(), afterPickers, 'no second listing for the range');
  });

  describe('preflight notes --source github:', () => {
    const run = (argv: string[], env: NodeJS.ProcessEnv = { GITHUB_TOKEN: TOKEN }) => runCli(argv, dir, { XDG_CACHE_HOME: path.join(dir, 'cache'), ...env });
    const notes = (extra: string[] = []) => ['notes', '--source', 'github:acme/app', '--from', '2.3.0', '--to', '2.4.1', '--api-url', server.url, ...extra];

    it('prints the review as JSON', async () => {
      const r = await run(notes(['--json']));
      assert.equal(r.stderr, '');
      assert.equal(r.code, 0);
      const review = JSON.parse(r.stdout);
      assert.deepEqual(Object.keys(review), ['source', 'from', 'to', 'versions', 'summary', 'engines', 'problems']);
      assert.equal(review.source, 'github:acme/app');
      assert.deepEqual(review.versions.map((v: { version: string }) => v.version), ['2.4.1', '2.4.0', '2.3.1']);
      assert.deepEqual(review.versions[0].items[0], {
        text: '- Fix a security issue in session handling (CVE-2024-0001).',
        file: 'releases/v2.4.1',
        line: 1,
        endLine: 1,
        risks: ['security'],
        reasons: [
          { risk: 'security', source: 'rule:security-id', why: 'cites a security advisory' },
          { risk: 'security', source: 'rule:security-words', why: 'fixes or hardens security' },
        ],
        heading: [],
        ref: 'v2.4.1',
        url: `${webUrl(server.apiUrl, 'acme/app')}/releases/tag/v2.4.1`,
      });
    });

    it('prints a readable review and exits 3 on --fail-on', async () => {
      const r = await run(notes(['--fail-on', 'data_loss']));
      assert.equal(r.code, 3);
      assert.match(r.stdout, /^Release notes from github:acme\/app: 2\.3\.0 -> 2\.4\.1$/m);
      assert.match(r.stdout, /^ {2}docs\/UPGRADE\.md:5 @main {2}\[db_migration, data_loss, upgrade_path\] {2}- Back up the database first/m);
    });

    it('fails with one line and exit code 2 for bad tokens, unknown repositories, rate limits and no network', async () => {
      const host = new URL(server.url).host;
      const bad = await run(notes(), { GITHUB_TOKEN: 'ghp_expired' });
      assert.deepEqual([bad.code, bad.stderr], [2, 'preflight: GitHub rejected the token (401): set GITHUB_TOKEN to a valid token\n']);

      const missing = await run(['notes', '--source', 'github:acme/gone', '--from', '1.0', '--to', '2.0', '--api-url', server.url]);
      assert.deepEqual([missing.code, missing.stderr], [2, `preflight: repository acme/gone not found on ${host} (404)\n`]);

      server.state.faults.push({ path: '/repos/acme/app', status: 429, retryAfter: 300 });
      const limited = await run(notes(), { GITHUB_TOKEN: TOKEN, XDG_CACHE_HOME: path.join(dir, 'cold-cache') });
      assert.equal(limited.code, 2);
      assert.match(limited.stderr, /^preflight: GitHub rate limit reached \(429\); it resets at \d\d:\d\d \(in 5 minutes\)\n$/);

      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const offline = await run(['notes', '--source', 'github:acme/app', '--from', '2.3.0', '--to', '2.4.1', '--api-url', `http://127.0.0.1:${port}`]);
      assert.deepEqual([offline.code, offline.stderr], [2, `preflight: cannot reach 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`]);

      const malformed = await run(['notes', '--source', 'github:acme', '--from', '1.0', '--to', '2.0']);
      assert.deepEqual([malformed.code, malformed.stderr], [2, 'preflight: github: needs OWNER/REPO (github:nodejs/node), not "acme"\n']);
    });

    it('warns that a rate-limited review comes from the cache', async () => {
      assert.equal((await run(notes())).code, 0);
      server.state.rateLimit.remaining = 0;
      const r = await run(notes());
      assert.equal(r.code, 0);
      assert.match(r.stderr, /^preflight: warning: GitHub rate limit reached \(403\); it resets at \d\d:\d\d \(in \d+ minutes?\); showing what GitHub answered to an earlier review\n$/);
      assert.match(r.stdout, /^2\.4\.1 \(2024-04-20, tag v2\.4\.1\): 2 items, 1 flagged$/m);
    });
  });
});
