import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createGitLabClient } from '../../../../../src/adapters/gitlab/client';
import { buildReview } from '../../../../../src/core/releases';
import { createGitLabSource, parseProjectSpec } from '../../../../../src/core/releases/sources/gitlab';
import { type GitLabFixtureProject, type GitLabServer, startGitLabServer } from '../../../../support/gitlabServer';
import { runCli } from '../../../../support/fixtures';

const TOKEN = 'glpat-review-token';

const CHANGELOG_AT_TAG = `# Changelog

## 2.4.1 (2024-04-20)

- Fix a crash on startup.

## 2.4.0 (2024-04-10)

- The migration adds an index to \`events\` and locks the table.

## 2.3.1 (2024-03-15)

- Fix a typo.
`;

const UPGRADE_ON_MAIN = `# Upgrade notes

## Upgrading to 2.4.0

- Back up the database first: the migration cannot be undone.
`;

function project(): GitLabFixtureProject {
  // 150 old releases: the listing takes two pages.
  const old = Array.from({ length: 150 }, (_, i) => ({ tag: `v1.${i}.0`, description: `- Old change ${i}.\n`, releasedAt: new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString() }));
  return {
    defaultBranch: 'main',
    releases: [
      { tag: 'v2.4.1', description: '- Fix a security issue in session handling (CVE-2024-0001).\n', releasedAt: '2024-04-20T10:00:00Z' },
      { tag: 'v2.4.0', name: 'Version 2.4.0', description: '## Breaking changes\n\n- Requires PostgreSQL 14 or later.\n', releasedAt: '2024-04-10T10:00:00Z' },
      { tag: 'v2.3.0', description: '- Add dark mode.\n', releasedAt: '2024-03-01T10:00:00Z' },
      ...old.reverse(),
    ],
    tags: ['v2.4.1', 'v2.4.0', 'v2.3.1', 'v2.3.0', ...old.map((r) => r.tag)],
    files: {
      main: { 'CHANGELOG.md': '# Changelog\n\n## Unreleased\n\n- Work in progress.\n', 'docs/UPGRADE.md': UPGRADE_ON_MAIN, 'src/index.ts': '' },
      'v2.4.1': { 'CHANGELOG.md': CHANGELOG_AT_TAG, 'docs/UPGRADE.md': UPGRADE_ON_MAIN, 'src/index.ts': '' },
    },
  };
}

describe('gitlab source', function () {
  this.timeout(30_000);
  let server: GitLabServer;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'preflight-glreview-'));
    server = await startGitLabServer({ tokens: [TOKEN], projects: { 'acme/platform/app': project(), 'acme/secret': { ...project(), readers: [TOKEN] } } });
  });

  beforeEach(() => {
    server.state.rateLimit.remaining = 2000;
    server.state.faults = [];
  });

  afterEach(() => assert.deepEqual(server.violations, []));

  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads GROUP/SUBGROUP/PROJECT specs and refuses others', () => {
    assert.equal(parseProjectSpec('acme/platform/app'), 'acme/platform/app');
    assert.equal(parseProjectSpec('acme'), null);
    assert.equal(parseProjectSpec('acme/../x'), null);
    const bad = createGitLabSource('acme', { api: createGitLabClient({ baseUrl: server.url }) });
    assert.ok(!bad.ok);
    assert.match(bad.error.message, /gitlab: needs GROUP\/PROJECT/);
  });

  it('merges paged releases, the changelog at the tag and the upgrade guide on the default branch', async () => {
    const source = createGitLabSource('acme/platform/app', { api: createGitLabClient({ baseUrl: server.url, token: TOKEN }) });
    assert.ok(source.ok);
    assert.equal(source.value.id, 'gitlab:acme/platform/app');
    const r = await buildReview(source.value, '2.3.0', 'v2.4.1');
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    const review = r.value;
    assert.deepEqual(review.versions.map((v) => v.version), ['2.4.1', '2.4.0', '2.3.1']);
    const texts = review.versions.flatMap((v) => v.items.map((i) => [v.version, i.file, i.ref, i.text]));
    assert.deepEqual(texts, [
      ['2.4.1', 'releases/v2.4.1', 'v2.4.1', '- Fix a security issue in session handling (CVE-2024-0001).'],
      ['2.4.1', 'CHANGELOG.md', 'v2.4.1', '- Fix a crash on startup.'],
      ['2.4.0', 'releases/v2.4.0', 'v2.4.0', '- Requires PostgreSQL 14 or later.'],
      ['2.4.0', 'CHANGELOG.md', 'v2.4.1', '- The migration adds an index to `events` and locks the table.'],
      ['2.4.0', 'docs/UPGRADE.md', 'main', '- Back up the database first: the migration cannot be undone.'],
      ['2.3.1', 'CHANGELOG.md', 'v2.4.1', '- Fix a typo.'],
    ]);
    assert.deepEqual(review.problems, []);
    const versions = await source.value.listVersions();
    assert.ok(versions.ok);
    assert.ok(versions.value.some((v) => v.version === '1.0.0'), 'the second page of releases is read');
    const pages = server.requests.filter((q) => /\/releases$/.test(q.path)).map((q) => q.query.page ?? '1');
    assert.ok(pages.includes('2'), `pages read: ${pages.join(',')}`);
  });

  it('answers again from the ETag cache with 304s, per token', async () => {
    const cacheDir = path.join(dir, 'etag');
    const review = async () => {
      const source = createGitLabSource('acme/platform/app', { api: createGitLabClient({ baseUrl: server.url, token: TOKEN, cacheDir }) });
      assert.ok(source.ok);
      const r = await buildReview(source.value, '2.3.0', '2.4.1');
      assert.ok(r.ok, !r.ok ? r.error.message : '');
      return r.value.versions.length;
    };
    const first = server.requests.length;
    assert.equal(await review(), 3);
    const middle = server.requests.length;
    assert.equal(await review(), 3);
    const second = server.requests.slice(middle);
    assert.ok(middle > first);
    assert.ok(second.length > 0 && second.every((q) => q.status === 304 || q.status === 200));
    assert.ok(second.filter((q) => q.status === 304).length >= second.length / 2, 'the warm run is answered by 304s');
  });

  it('sees a private project with its reader\'s token only, and says a token is needed without one', async () => {
    const anonymous = createGitLabSource('acme/secret', { api: createGitLabClient({ baseUrl: server.url, hints: { anonymous: 'set GITLAB_TOKEN' } }) });
    assert.ok(anonymous.ok);
    const refused = await anonymous.value.listVersions();
    assert.ok(!refused.ok);
    assert.match(refused.error.message, /not found on 127\.0\.0\.1:\d+ \(404\) \(a private project needs a token: set GITLAB_TOKEN\)/);
    const reader = createGitLabSource('acme/secret', { api: createGitLabClient({ baseUrl: server.url, token: TOKEN }) });
    assert.ok(reader.ok);
    assert.ok((await reader.value.listVersions()).ok);
  });

  describe('preflight notes --source gitlab:', () => {
    const run = (argv: string[], env: NodeJS.ProcessEnv = { GITLAB_TOKEN: TOKEN }) => runCli(argv, dir, { XDG_CACHE_HOME: path.join(dir, 'cache'), ...env });
    const notes = (extra: string[] = []) => ['notes', '--source', 'gitlab:acme/platform/app', '--from', '2.3.0', '--to', '2.4.1', '--api-url', server.url, ...extra];

    it('prints the review, with GITLAB_URL for a self-managed GitLab', async () => {
      const r = await run(['notes', '--source', 'gitlab:acme/platform/app', '--from', '2.3.0', '--to', '2.4.1', '--json'], { GITLAB_TOKEN: TOKEN, GITLAB_URL: server.url });
      assert.equal(r.stderr, '');
      assert.equal(r.code, 0);
      const review = JSON.parse(r.stdout);
      assert.equal(review.source, 'gitlab:acme/platform/app');
      assert.deepEqual(review.versions.map((v: { version: string }) => v.version), ['2.4.1', '2.4.0', '2.3.1']);
    });

    it('fails with one line and exit code 2 for bad tokens, unknown projects and rate limits', async () => {
      const host = new URL(server.url).host;
      const bad = await run(notes(), { GITLAB_TOKEN: 'glpat-expired' });
      assert.deepEqual([bad.code, bad.stderr], [2, 'preflight: GitLab rejected the token (401): set GITLAB_TOKEN to a valid token\n']);

      const missing = await run(['notes', '--source', 'gitlab:acme/gone', '--from', '1.0', '--to', '2.0', '--api-url', server.url]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, new RegExp(`^preflight: .*acme/gone.* not found on ${host.replace(/\./g, '\\.')} \\(404\\)`));

      server.state.faults.push({ path: /\/projects\//, status: 429, retryAfter: 300 });
      const limited = await run(notes(), { GITLAB_TOKEN: TOKEN, XDG_CACHE_HOME: path.join(dir, 'cold-cache') });
      assert.equal(limited.code, 2);
      assert.match(limited.stderr, /^preflight: GitLab rate limit reached \(429\); it resets at \d\d:\d\d \(in 5 minutes\)\n$/);
    });
  });
});
