import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { CliIO } from '../../../../../src/cli/main';
import { main } from '../../../../../src/cli/main';
import { conditionalFetch, EtagCache, newCounters } from '../../../../../src/adapters/http/etagCache';
import { buildReview, createGitHubSource, createNpmSource, githubRepo, type NpmSourceOptions } from '../../../../../src/core/releases';
import { readTar } from '../../../../../src/adapters/tarball';
import { CLI_WORDING, reviewErrorText } from '../../../../../src/app/noNotes';
import { createOctokitGitHub } from '../../../../../src/github/octokit';
import { fakeGitHub } from '../../../../support/fakeGitHub';
import { type GitHubServer, startGitHubServer } from '../../../../support/githubServer';
import { type FixturePackage, type NpmRegistry, startNpmRegistry, tgzOf, writeTar } from '../../../../support/npmRegistry';
import { unpackTarball } from '../../../../../src/adapters/tarball';

const CHANGELOG = `# Changelog

## 1.2.0 (2024-03-01)

- Drops support for Node.js 16.
- The cache table gets a new column; run the migration.

## 1.2.0-beta.1 (2024-02-20)

- Adds \`--watch\`.

## 1.1.0 (2024-02-01)

- Adds \`--quiet\`.
`;

const PACKAGES: FixturePackage[] = [
  {
    name: 'acme-cli',
    repository: { type: 'git', url: 'git+https://gitlab.com/acme/cli.git' },
    versions: {
      '1.0.0': { date: '2024-01-10T09:00:00.000Z', files: { 'package.json': '{}', 'CHANGELOG.md': '# Changelog\n\n## 1.0.0\n\n- First.\n' } },
      '1.1.0': { date: '2024-02-01T09:00:00.000Z', files: { 'package.json': '{}', 'CHANGELOG.md': CHANGELOG.replace(/## 1\.2\.0[\s\S]*?(?=## 1\.1\.0)/, '') } },
      '1.2.0-beta.1': { date: '2024-02-20T09:00:00.000Z', files: { 'package.json': '{}' } },
      '1.2.0': { date: '2024-03-01T09:00:00.000Z', files: { 'package.json': '{}', 'CHANGELOG.md': CHANGELOG, 'lib/index.js': '' } },
    },
  },
  {
    name: '@acme/db-tools',
    versions: {
      '3.0.0': { date: '2024-01-01T00:00:00.000Z', files: { 'package.json': '{}' } },
      '3.1.0': { date: '2024-02-01T00:00:00.000Z', files: { 'package.json': '{}', 'docs/UPGRADING.md': '# Upgrading\n\n## 3.1.0\n\n- Run `db-tools migrate` before starting.\n' } },
    },
  },
  {
    name: 'acme-app',
    repository: 'git+https://github.com/acme/app.git',
    versions: {
      '2.0.0': { date: '2024-01-01T00:00:00.000Z', files: { 'package.json': '{}' } },
      '2.1.0': { date: '2024-02-01T00:00:00.000Z', files: { 'package.json': '{}', 'CHANGELOG.md': '# Changelog\n\n## 2.1.0\n\n- From the tarball.\n' } },
    },
  },
  {
    name: 'acme-moved',
    repository: { type: 'git', url: 'https://github.com/acme/moved' },
    versions: {
      '1.0.0': { date: '2024-01-01T00:00:00.000Z', files: { 'package.json': '{}' } },
      '1.1.0': { date: '2024-02-01T00:00:00.000Z', files: { 'package.json': '{}', 'HISTORY.md': '# History\n\n## 1.1.0\n\n- From the tarball.\n' } },
    },
  },
  {
    name: 'acme-bare',
    repository: 'git+https://github.com/acme/bare.git',
    versions: {
      '1.0.0': { date: '2024-01-01T00:00:00.000Z', files: { 'package.json': '{}' } },
      '1.1.0': { date: '2024-02-01T00:00:00.000Z', files: { 'package.json': '{}', 'README.md': '# bare\n' } },
    },
  },
];

describe('npm source', function () {
  this.timeout(30_000);
  let registry: NpmRegistry;
  let github: GitHubServer;

  const source = (name: string, opts: Partial<NpmSourceOptions> = {}) => {
    const s = createNpmSource(name, { fetch, unpack: unpackTarball, registryUrl: registry.url, ...opts });
    assert.ok(s.ok);
    return s.value;
  };
  const viaGitHub: NpmSourceOptions['github'] = (repo) => createGitHubSource(repo, { api: createOctokitGitHub({ baseUrl: github.apiUrl }) });

  before(async () => {
    registry = await startNpmRegistry(PACKAGES);
    github = await startGitHubServer({
      fixture: {
        repos: {
          'acme/app': {
            defaultBranch: 'main',
            releases: [
              { tag: 'v2.0.0', body: '- First.\n', createdAt: '2024-01-01T00:00:00Z' },
              { tag: 'v2.1.0', body: '- Removes the deprecated `--legacy` flag.\n', createdAt: '2024-02-01T00:00:00Z' },
            ],
            tags: ['v2.1.0', 'v2.0.0'],
            files: { main: { 'README.md': '# app\n' }, 'v2.1.0': { 'README.md': '# app\n' } },
          },
          'acme/bare': {
            defaultBranch: 'main',
            releases: [{ tag: 'v1.1.0', body: '', createdAt: '2024-02-01T00:00:00Z' }],
            tags: ['v1.1.0', 'v1.0.0'],
            files: { main: { 'README.md': '# bare\n' }, 'v1.1.0': { 'README.md': '# bare\n' } },
          },
        },
      },
    });
  });

  beforeEach(() => {
    registry.requests.length = 0;
    github.requests.length = 0;
  });

  afterEach(() => assert.deepEqual(github.violations, []));

  after(async () => {
    await registry.close();
    await github.close();
  });

  it('lists the packument versions with their publish dates', async () => {
    const versions = await source('acme-cli').listVersions();
    assert.deepEqual(versions.ok && versions.value, [
      { version: '1.2.0', date: '2024-03-01' },
      { version: '1.2.0-beta.1', date: '2024-02-20' },
      { version: '1.1.0', date: '2024-02-01' },
      { version: '1.0.0', date: '2024-01-10' },
    ]);
  });

  it('reads the changelog inside the target version tarball', async () => {
    const r = await buildReview(source('acme-cli'), '1.0.0', '1.2.0');
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.deepEqual(
      r.value.versions.map((v) => [v.version, v.prereleases, v.items.map((i) => [i.file, i.ref, i.text, i.risks])]),
      [
        [
          '1.2.0',
          ['1.2.0-beta.1'],
          [
            ['CHANGELOG.md', '1.2.0', '- Drops support for Node.js 16.', ['breaking', 'requirement']],
            ['CHANGELOG.md', '1.2.0', '- The cache table gets a new column; run the migration.', ['db_migration']],
            ['CHANGELOG.md', '1.2.0', '- Adds `--watch`.', []],
          ],
        ],
        ['1.1.0', undefined, [['CHANGELOG.md', '1.2.0', '- Adds `--quiet`.', []]]],
      ],
    );
    assert.deepEqual(
      registry.requests.map((q) => q.path),
      ['/acme-cli', '/acme-cli/-/acme-cli-1.2.0.tgz'],
    );
  });

  it('fetches scoped packages as @scope%2Fname', async () => {
    const r = await buildReview(source('@acme/db-tools'), '3.0.0', '3.1.0');
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.equal(r.value.source, 'npm:@acme/db-tools');
    assert.deepEqual(r.value.versions[0].items.map((i) => [i.file, i.text]), [['docs/UPGRADING.md', '- Run `db-tools migrate` before starting.']]);
    assert.equal(registry.requests[0].path, '/@acme%2Fdb-tools');
  });

  it('reads the notes from GitHub when the repository is on github.com', async () => {
    const r = await buildReview(source('acme-app', { github: viaGitHub }), '2.0.0', '2.1.0');
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.deepEqual(r.value.versions[0].items.map((i) => [i.file, i.text, i.risks]), [['releases/v2.1.0', '- Removes the deprecated `--legacy` flag.', ['breaking']]]);
    assert.deepEqual(registry.requests.map((q) => q.path), ['/acme-app']);
    assert.ok(github.requests.some((q) => q.operationId === 'repos/list-releases'));
    // Without a GitHub factory the tarball is the only place left.
    const offline = await buildReview(source('acme-app'), '2.0.0', '2.1.0');
    assert.ok(offline.ok);
    assert.deepEqual(offline.value.versions[0].items.map((i) => i.text), ['- From the tarball.']);
  });

  it("gives GitHub its npm name as the package, so a repository of several packages yields that package's notes", async () => {
    const seen: (string | undefined)[] = [];
    const api = fakeGitHub({
      releases: [
        { tag: 'acme-app@2.0.0', body: '- First.\n', createdAt: '2024-01-01T00:00:00Z' },
        { tag: 'acme-worker@2.1.0', body: '- Worker: drops the queue table.\n', createdAt: '2024-01-20T00:00:00Z' },
        { tag: 'acme-app@2.1.0', body: '- App: new settings page.\n', createdAt: '2024-02-01T00:00:00Z' },
      ],
      tags: ['acme-app@2.0.0', 'acme-app@2.1.0', 'acme-worker@2.1.0'],
      files: { main: { 'README.md': '# mono\n' }, 'acme-app@2.1.0': { 'README.md': '# mono\n' } },
    });
    const github: NpmSourceOptions['github'] = (repo, o) => (seen.push(o?.package), createGitHubSource(repo, { api, package: o?.package }));
    const npm = source('acme-app', { github });
    assert.equal(npm.package, 'acme-app');
    const r = await buildReview(npm, '2.0.0', '2.1.0');
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.deepEqual(seen, ['acme-app']);
    assert.deepEqual(r.value.versions[0].items.map((i) => [i.file, i.text]), [['releases/acme-app@2.1.0', '- App: new settings page.']]);
    assert.deepEqual(r.value.problems, []);
  });

  it('falls back to the tarball when GitHub has no such repository', async () => {
    const r = await buildReview(source('acme-moved', { github: viaGitHub }), '1.0.0', '1.1.0');
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.deepEqual(r.value.versions[0].items.map((i) => [i.file, i.text]), [['HISTORY.md', '- From the tarball.']]);
    assert.deepEqual(r.value.problems, [
      { message: `github:acme/moved: repository acme/moved not found on ${new URL(github.url).host} (404); reading the notes in the acme-moved@1.1.0 tarball instead` },
    ]);
  });

  it('says where it looked when neither the repository nor the tarball has notes', async () => {
    const r = await buildReview(source('acme-bare', { github: viaGitHub }), '1.0.0', '1.1.0');
    assert.ok(!r.ok);
    assert.deepEqual(r.error.noNotes, {
      kind: 'no-documents',
      source: 'npm:acme-bare',
      scheme: 'npm',
      searched: {
        repository: { source: 'github:acme/bare', reason: 'no release notes there', searched: { refs: ['main', 'v1.1.0'], releases: { inRange: 1, empty: 1 } } },
        tarball: 'acme-bare@1.1.0',
      },
    });
    assert.equal(
      reviewErrorText(r.error, CLI_WORDING),
      'no release notes found in npm:acme-bare: github:acme/bare, its repository, has none (its one release in the range has no notes; ' +
        'no release-note file (CHANGELOG, CHANGES, HISTORY, NEWS, RELEASES, release notes, UPGRADE or MIGRATION guides, in the root, doc/ or docs/, or changelog folders) is at main or v1.1.0); ' +
        'the acme-bare@1.1.0 tarball from the registry has no changelog or upgrade guide. ' +
        'If the notes are in other files, name them in --files docs/whats-new.md; or try another source: github:OWNER/REPO (GitHub releases and changelogs), gitlab:GROUP/PROJECT, git:PATH (a local clone), file:PATH (a changelog file).',
    );
  });

  it('reports unknown packages and versions in one line', async () => {
    const host = new URL(registry.url).host;
    const missing = await buildReview(source('no-such-package'), '1.0.0', '2.0.0');
    assert.deepEqual(!missing.ok && missing.error, { code: 'not-found', message: `npm package no-such-package not found on ${host} (404)` });
    const unknown = await buildReview(source('acme-cli'), '1.0.0', '1.3.0');
    assert.deepEqual(!unknown.ok && unknown.error.code, 'unknown-version');
    assert.deepEqual(createNpmSource('Not A Name!', { fetch, unpack: unpackTarball }), { ok: false, error: { code: 'source', message: 'npm: needs a package name (npm:express, npm:@scope/name), not "Not A Name!"' } });
  });

  it('revalidates the packument and tarball with ETags through the disk cache', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'preflight-npm-'));
    try {
      const counters = newCounters();
      const cached = () => conditionalFetch(fetch, { cache: new EtagCache(dir), counters });
      assert.ok((await buildReview(source('acme-cli', { fetch: cached() }), '1.0.0', '1.2.0')).ok);
      assert.ok((await buildReview(source('acme-cli', { fetch: cached() }), '1.0.0', '1.2.0')).ok);
      assert.deepEqual(counters, { requests: 4, notModified: 2, counted: 2 });
      assert.deepEqual(registry.requests.map((q) => q.status), [200, 200, 304, 304]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('works from the CLI with --api-url naming the registry', async () => {
    let stdout = '';
    const io: CliIO = {
      out: (t) => void (stdout += t),
      error: (m) => {
        throw new Error(m);
      },
      warn: () => undefined,
      cwd: process.cwd(),
      env: { XDG_CACHE_HOME: path.join(tmpdir(), 'preflight-npm-cli-cache') },
    };
    const code = await main(['notes', '--source', 'npm:acme-cli', '--from', '1.1.0', '--to', '1.2.0', '--api-url', registry.url, '--json'], io);
    rmSync(path.join(tmpdir(), 'preflight-npm-cli-cache'), { recursive: true, force: true });
    assert.equal(code, 0);
    assert.equal(JSON.parse(stdout).source, 'npm:acme-cli');
  });
});

describe('npm: repository URLs', () => {
  it('recognises the forms package.json allows for GitHub', () => {
    const cases: [Parameters<typeof githubRepo>[0], string | null][] = [
      ['git+https://github.com/acme/app.git', 'acme/app'],
      ['https://github.com/acme/app', 'acme/app'],
      ['git://github.com/acme/app.git', 'acme/app'],
      ['git@github.com:acme/app.git', 'acme/app'],
      ['git+ssh://git@github.com/acme/app.git', 'acme/app'],
      ['https://github.com/acme/app/tree/main#readme', 'acme/app'],
      ['github:acme/app', 'acme/app'],
      ['acme/app', 'acme/app'],
      [{ type: 'git', url: 'https://www.github.com/acme/app.js.git' }, 'acme/app.js'],
      [{ type: 'git', url: 'https://github.com/acme/mono.git', directory: 'packages/cli' }, null],
      ['gitlab:acme/app', null],
      ['https://gitlab.com/acme/app.git', null],
      [undefined, null],
    ];
    for (const [input, expected] of cases) assert.equal(githubRepo(input), expected, JSON.stringify(input));
  });
});

describe('npm: tar reader', () => {
  it('reads ustar entries, pax long names and UTF-8 names back', () => {
    const long = `package/${'docs/'.repeat(25)}CHANGELOG.md`;
    const files = { 'package/CHANGELOG.md': '# Changelog\n', [long]: 'deep', 'package/notes/ünïcode.md': 'ü', 'package/empty': '' };
    const entries = readTar(gunzipSync(tgzOf(files)));
    assert.deepEqual(
      entries.map((e) => [e.path, e.type, e.data.toString('utf8')]),
      Object.entries(files).map(([p, c]) => [p, 'file', c]),
    );
  });

  it('rejects corrupt and truncated archives', () => {
    const tar = writeTar([{ path: 'package/a.md', data: Buffer.alloc(2000, 0x61) }]);
    const corrupt = Buffer.from(tar);
    corrupt[10] ^= 0xff;
    assert.throws(() => readTar(corrupt), /^Error: corrupt tar header at byte 0$/);
    assert.throws(() => readTar(tar.subarray(0, 1024)), /^Error: truncated tar archive at byte 0$/);
  });
});
