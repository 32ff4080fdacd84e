/**
 * Repositories that release several packages and tag them `pkg@1.2.3`, `@scope/pkg@1.2.3`,
 * `pkg-v1.2.3` or `pkg/v1.2.3`: `#PACKAGE` at the end of a source spec chooses one.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  analyzeReview,
  buildReview,
  createFileSource,
  createGitHubSource,
  createGitSource,
  ok,
  type ReleaseSource,
  type ReviewInput,
  SourceRegistry,
  type SourceContext,
  splitPackage,
} from '../../../../../src/core/releases';
import { fakeGitHub, type FakeRepo } from '../../../../support/fakeGitHub';
import { gitRepo } from '../../../../../src/adapters/git';
import { readLocalFile } from '../../../../../src/adapters/localFiles';
import { releaseSources } from '../../../../../src/app/sources';
import { ROOT as REPO_ROOT } from '../../../../support/fixtures';

const ROOT = REPO_ROOT;
const CLI = path.join(ROOT, 'dist/cli.js');

const MIXED = `# Changelog

## a@1.1.0

- A: the migration adds a column to \`jobs\`.

## b@1.1.0

- B: faster start-up.

## a@1.0.0

- A: first release.

## b@1.0.0

- B: first release.
`;

describe('release sources of one package of several', function () {
  this.timeout(60_000);

  describe('spec suffix', () => {
    it('splits #PACKAGE off when it is a package name', () => {
      assert.deepEqual(splitPackage('babel/babel#@babel/core'), { rest: 'babel/babel', pkg: '@babel/core' });
      assert.deepEqual(splitPackage('.#pg-pool'), { rest: '.', pkg: 'pg-pool' });
      assert.deepEqual(splitPackage('CHANGELOG.md#pg'), { rest: 'CHANGELOG.md', pkg: 'pg' });
      assert.deepEqual(splitPackage('@scope/x'), { rest: '@scope/x' });
      assert.deepEqual(splitPackage('acme/app#'), { rest: 'acme/app#' });
      assert.deepEqual(splitPackage('notes#a b'), { rest: 'notes#a b' });
      // A suffix named like a release-note file is part of the path.
      assert.deepEqual(splitPackage('a#b.md'), { rest: 'a#b.md' });
      assert.deepEqual(splitPackage('docs/notes#2.rst'), { rest: 'docs/notes#2.rst' });
    });

    it('gives the package to the factories, and refuses it where a factory ignores it', async () => {
      const registry = new SourceRegistry();
      const seen: [string, string | undefined][] = [];
      const memory = (spec: string, c: SourceContext, pkg?: string): ReleaseSource => {
        seen.push([spec, c.package]);
        return { id: `github:${spec}`, ...(pkg ? { package: pkg } : {}), listVersions: async () => ok([]), readNotes: async () => ok({ documents: [], problems: [] }) };
      };
      registry.register('github', (spec, c) => ok(memory(spec, c, c.package)));
      registry.register('npm', (spec, c) => ok(memory(spec, c, spec)));
      registry.register('plain', (spec, c) => ok(memory(spec, c)));
      const ctx = { cwd: process.cwd(), env: {} };
      const gh = await registry.create('github:babel/babel#@babel/core', ctx);
      assert.equal(gh.ok && gh.value.package, '@babel/core');
      const npm = await registry.create('npm:@scope/x', ctx);
      assert.equal(npm.ok && npm.value.package, '@scope/x');
      assert.deepEqual(seen, [
        ['babel/babel', '@babel/core'],
        ['@scope/x', undefined],
      ]);
      assert.deepEqual(await registry.create('plain:thing#pkg', ctx), { ok: false, error: { code: 'source', message: 'plain: sources do not take a #PACKAGE suffix ("plain:thing#pkg")' } });
      assert.ok((await registry.create('plain:thing', ctx)).ok);
    });

    it('keeps a file source to one package of a changelog of several', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'preflight-pkgfile-'));
      try {
        writeFileSync(path.join(dir, 'CHANGELOG.md'), MIXED);
        writeFileSync(path.join(dir, 'a#b.md'), '# Changelog\n\n## 2.0.0\n\n- Odd name.\n');
        const registry = releaseSources({ cacheDir: dir, userAgent: 'preflight-test', hints: {} });
        const ctx = { cwd: dir, env: {} };
        const file = await registry.create('file:CHANGELOG.md#a', ctx);
        assert.ok(file.ok);
        assert.equal(file.value.id, 'file:CHANGELOG.md#a');
        assert.equal(file.value.package, 'a');
        const versions = await file.value.listVersions();
        assert.deepEqual(versions.ok && versions.value.map((v) => v.version), ['1.1.0', '1.0.0']);
        const r = await buildReview(file.value, '1.0.0', '1.1.0');
        assert.ok(r.ok, !r.ok ? r.error.message : '');
        assert.deepEqual(r.value.versions[0].items.map((i) => i.text), ['- A: the migration adds a column to `jobs`.']);
        assert.deepEqual(r.value.problems, []);

        const odd = await registry.create('file:a#b.md', ctx);
        assert.ok(odd.ok);
        assert.equal(odd.value.id, 'file:a#b.md');
        assert.equal(odd.value.package, undefined);
        assert.ok((await odd.value.listVersions()).ok);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('github:', () => {
    const mono = (): FakeRepo => ({
      releases: [
        { tag: 'a@1.0.0', body: '- A: first release.\n', createdAt: '2024-01-01T00:00:00Z' },
        { tag: 'b@2.0.0', body: '- B: 2.0.0 drops the `--legacy` flag.\n', createdAt: '2024-01-15T00:00:00Z' },
        { tag: 'a@1.1.0', body: '- A: faster start-up.\n', createdAt: '2024-02-01T00:00:00Z' },
      ],
      tags: ['a@1.0.0', 'a@1.1.0', 'b@2.0.0'],
      files: { main: { 'README.md': '# Mono\n' }, 'a@1.1.0': { 'README.md': '# Mono\n' } },
    });

    it('fails without a package and shows the spec to type', async () => {
      const source = createGitHubSource('acme/mono', { api: fakeGitHub(mono()) });
      assert.ok(source.ok);
      assert.deepEqual(await source.value.listVersions(), {
        ok: false,
        error: { code: 'source', message: 'github:acme/mono has tags of several packages (a, b); choose one by adding #PACKAGE to the source: github:acme/mono#a' },
      });
    });

    it("lists and reviews one package's tags and releases only", async () => {
      const api = fakeGitHub(mono());
      const source = createGitHubSource('acme/mono', { api, package: 'a' });
      assert.ok(source.ok);
      assert.equal(source.value.id, 'github:acme/mono#a');
      assert.equal(source.value.package, 'a');
      const versions = await source.value.listVersions();
      assert.deepEqual(versions.ok && versions.value, [
        { version: '1.1.0', tag: 'a@1.1.0', date: '2024-02-01', package: 'a' },
        { version: '1.0.0', tag: 'a@1.0.0', date: '2024-01-01', package: 'a' },
      ]);
      const r = await buildReview(source.value, '1.0.0', '1.1.0');
      assert.ok(r.ok, !r.ok ? r.error.message : '');
      assert.equal(r.value.source, 'github:acme/mono#a');
      assert.deepEqual(
        r.value.versions.map((v) => [v.version, v.tag, v.items.map((i) => i.file)]),
        [['1.1.0', 'a@1.1.0', ['releases/a@1.1.0']]],
      );
      assert.deepEqual(r.value.problems, []);
      assert.deepEqual(api.calls.filter((c) => c.startsWith('getTree')), ['getTree main', 'getTree a@1.1.0']);

      const b = createGitHubSource('acme/mono', { api: fakeGitHub(mono()), package: 'b' });
      assert.ok(b.ok);
      const bVersions = await b.value.listVersions();
      assert.deepEqual(bVersions.ok && bVersions.value.map((v) => v.tag), ['b@2.0.0']);
    });

    it('does not read the release bodies of other packages', async () => {
      const fixture = mono();
      fixture.releases!.push({ tag: 'b@1.1.0', body: '- B: removes the cache table.\n', createdAt: '2024-02-02T00:00:00Z' });
      fixture.tags!.push('b@1.1.0');
      const source = createGitHubSource('acme/mono', { api: fakeGitHub(fixture), package: 'a' });
      assert.ok(source.ok);
      const notes = await source.value.readNotes({ from: '1.0.0', to: '1.1.0' });
      assert.deepEqual(notes.ok && notes.value.documents.map((d) => d.file), ['releases/a@1.1.0', 'releases/a@1.0.0']);
    });

    it('fails for a package that has no tags, listing the packages', async () => {
      const source = createGitHubSource('acme/mono', { api: fakeGitHub(mono()), package: 'c' });
      assert.ok(source.ok);
      assert.deepEqual(await source.value.listVersions(), { ok: false, error: { code: 'source', message: 'github:acme/mono has no tags of package c; its tags name a, b' } });
    });

    it('uses the plain tags next to several packages, and says which packages it left out', async () => {
      const fixture = mono();
      fixture.tags!.push('v3.0.0', 'v3.1.0');
      fixture.releases!.push({ tag: 'v3.1.0', body: '- The project: new dashboard.\n', createdAt: '2024-03-01T00:00:00Z' });
      fixture.files['v3.1.0'] = { 'README.md': '# Mono\n' };
      const source = createGitHubSource('acme/mono', { api: fakeGitHub(fixture) });
      assert.ok(source.ok);
      const versions = await source.value.listVersions();
      assert.deepEqual(versions.ok && versions.value.map((v) => v.tag), ['v3.1.0', 'v3.0.0']);
      const r = await buildReview(source.value, '3.0.0', '3.1.0');
      assert.ok(r.ok, !r.ok ? r.error.message : '');
      assert.deepEqual(r.value.versions[0].items.map((i) => i.text), ['- The project: new dashboard.']);
      assert.deepEqual(r.value.problems, [
        { message: 'github:acme/mono has tags of several packages (a, b); only its plain version tags are used: review one package with github:acme/mono#a' },
      ]);
    });

    it('uses the tags of one package as the tags of the project', async () => {
      const source = createGitHubSource('acme/mono', { api: fakeGitHub({ tags: ['tool-v1.0.0', 'tool-v1.1.0'], files: { main: { 'CHANGELOG.md': '# Changelog\n\n## 1.1.0\n\n- New.\n' } } }) });
      assert.ok(source.ok);
      const versions = await source.value.listVersions();
      assert.deepEqual(versions.ok && versions.value.map((v) => [v.tag, v.package]), [
        ['tool-v1.1.0', 'tool'],
        ['tool-v1.0.0', 'tool'],
      ]);
      // A scoped npm name matches release-please's tags without the scope.
      const scoped = createGitHubSource('acme/mono', { api: fakeGitHub({ tags: ['tool-v1.0.0', 'other-v2.0.0'], files: { main: {} } }), package: '@acme/tool' });
      assert.ok(scoped.ok);
      const scopedVersions = await scoped.value.listVersions();
      assert.deepEqual(scopedVersions.ok && scopedVersions.value.map((v) => v.tag), ['tool-v1.0.0']);
    });
  });

  describe('git:', () => {
    let dir: string;
    let repo: string;
    const git = (args: string[]) =>
      execFileSync('git', args, { cwd: repo, env: { ...process.env, GIT_AUTHOR_DATE: '2024-01-10T12:00:00Z', GIT_COMMITTER_DATE: '2024-01-10T12:00:00Z', GIT_CONFIG_NOSYSTEM: '1', HOME: dir }, encoding: 'utf8' });

    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'preflight-pkggit-'));
      repo = path.join(dir, 'node-postgres');
      mkdirSync(repo);
      git(['init', '-q', '-b', 'main']);
      git(['config', 'user.email', 'dev@example.com']);
      git(['config', 'user.name', 'Dev']);
      git(['config', 'commit.gpgsign', 'false']);
      writeFileSync(path.join(repo, 'CHANGELOG.md'), MIXED.replace(/## a@/g, '## pg@').replace(/## b@/g, '## pg-pool@'));
      git(['add', '-A']);
      git(['commit', '-q', '-m', 'notes']);
      for (const tag of ['pg@1.0.0', 'pg@1.1.0', 'pg-pool@1.0.0', 'pg-pool@1.1.0']) git(['tag', tag]);
    });

    after(() => rmSync(dir, { recursive: true, force: true }));

    it('fails without a package and shows the spec to type', async () => {
      const source = createGitSource(repo, { git: gitRepo });
      assert.ok(source.ok);
      assert.deepEqual(await source.value.listVersions(), {
        ok: false,
        error: { code: 'source', message: `git:${repo} has tags of several packages (pg, pg-pool); choose one by adding #PACKAGE to the source: git:${repo}#pg` },
      });
    });

    it("reviews one package: its tags, and its changelog sections only", async () => {
      const created = await releaseSources({ cacheDir: dir, userAgent: 'preflight-test', hints: {} }).create(`git:${repo}#pg-pool`, { cwd: dir, env: {} });
      assert.ok(created.ok, !created.ok ? created.error.message : '');
      assert.equal(created.value.id, `git:${repo}#pg-pool`);
      const versions = await created.value.listVersions();
      assert.deepEqual(versions.ok && versions.value, [
        { version: '1.1.0', tag: 'pg-pool@1.1.0', date: '2024-01-10', package: 'pg-pool' },
        { version: '1.0.0', tag: 'pg-pool@1.0.0', date: '2024-01-10', package: 'pg-pool' },
      ]);
      const r = await buildReview(created.value, '1.0.0', '1.1.0');
      assert.ok(r.ok, !r.ok ? r.error.message : '');
      assert.deepEqual(
        r.value.versions.map((v) => [v.version, v.tag, v.items.map((i) => i.text)]),
        [['1.1.0', 'pg-pool@1.1.0', ['- B: faster start-up.']]],
      );
      assert.deepEqual(r.value.problems, []);
    });

    it('takes the suffix on the command line', () => {
      if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run node scripts/build.mjs first`);
      const run = spawnSync(process.execPath, [CLI, 'notes', '--source', `git:${repo}#pg`, '--from', '1.0.0', '--to', '1.1.0', '--json'], { encoding: 'utf8' });
      assert.equal(run.stderr, '');
      assert.equal(run.status, 0);
      const review = JSON.parse(run.stdout);
      assert.equal(review.source, `git:${repo}#pg`);
      assert.deepEqual(review.versions[0].items.map((i: { text: string }) => i.text), ['- A: the migration adds a column to `jobs`.']);
      const help = spawnSync(process.execPath, [CLI, 'notes', '--help'], { encoding: 'utf8' });
      assert.match(help.stdout, /add #PACKAGE for one\s+package of a repository that releases several/);

      const without = spawnSync(process.execPath, [CLI, 'notes', '--source', `git:${repo}`, '--from', '1.0.0', '--to', '1.1.0'], { encoding: 'utf8' });
      assert.equal(without.status, 2);
      assert.equal(without.stderr, `preflight: git:${repo} has tags of several packages (pg, pg-pool); choose one by adding #PACKAGE to the source: git:${repo}#pg\n`);
    });
  });

  describe('review', () => {
    const input = (pkg?: string): ReviewInput => ({
      source: 'git:/src/mono',
      ...(pkg ? { package: pkg } : {}),
      from: '1.0.0',
      to: '1.1.0',
      fromInput: '1.0.0',
      toInput: '1.1.0',
      versions: [],
      documents: [{ file: 'CHANGELOG.md', text: MIXED, kind: 'changelog' }],
      problems: [],
    });

    it('leaves out the sections of other packages', () => {
      const r = analyzeReview(input('a'));
      assert.ok(r.ok, !r.ok ? r.error.message : '');
      assert.deepEqual(r.value.versions.map((v) => [v.version, v.items.map((i) => i.text)]), [['1.1.0', ['- A: the migration adds a column to `jobs`.']]]);
      assert.deepEqual(r.value.summary, { db_migration: 1 });
      assert.deepEqual(r.value.problems, []);
    });

    it('keeps the sections of several packages without a package, and says how to choose one', () => {
      const r = analyzeReview(input());
      assert.ok(r.ok, !r.ok ? r.error.message : '');
      assert.deepEqual(r.value.versions.map((v) => [v.version, v.items.map((i) => i.text)]), [['1.1.0', ['- A: the migration adds a column to `jobs`.', '- B: faster start-up.']]]);
      assert.deepEqual(r.value.problems, [
        { message: 'the release notes of git:/src/mono mix the versions of several packages (a, b); review one package with git:/src/mono#a' },
      ]);
    });

    it('says so when no section is of the package', () => {
      assert.deepEqual(analyzeReview(input('c')), {
        ok: false,
        error: {
          code: 'no-notes',
          message: 'the release notes of git:/src/mono have no versions of c; their headings name a, b',
          noNotes: { kind: 'other-packages', source: 'git:/src/mono', scheme: 'git', searched: {}, packages: ['a', 'b'], package: 'c' },
        },
      });
    });

    it('takes the package from the source', async () => {
      const created = createFileSource('CHANGELOG.md', { read: readLocalFile, cwd: ROOT, package: 'b' });
      assert.ok(created.ok);
      const source: ReleaseSource = { ...created.value, readNotes: async () => ok({ documents: [{ file: 'CHANGELOG.md', text: MIXED, kind: 'changelog' }], problems: [] }), listVersions: async () => ok([]) };
      const r = await buildReview(source, '1.0.0', '1.1.0');
      assert.ok(r.ok, !r.ok ? r.error.message : '');
      assert.deepEqual(r.value.versions[0].items.map((i) => i.text), ['- B: faster start-up.']);
    });
  });
});
