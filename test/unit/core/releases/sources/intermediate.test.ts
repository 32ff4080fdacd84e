/**
 * Notes that exist only at a version's own tag (MediaWiki's RELEASE-NOTES-1.40, a trimmed
 * changelog, a deleted version-file): the git: and github: sources read the tags of the versions
 * nothing else mentions, up to a cap.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildReview, createGitHubSource, createGitSource, type Review } from '../../../../../src/core/releases';
import { MentionIndex, versionNeedles } from '../../../../../src/core/releases/sources/intermediate';
import { fakeGitHub, type FakeRepo } from '../../../../support/fakeGitHub';
import { gitRepo } from '../../../../../src/adapters/git';

const NOTES_1_0 = '# MediaWiki 1.0\n\n## 1.0.0\n\n- First release.\n';
const NOTES_1_1 = '# Release notes\n\n## 1.1.0\n\n- The update script adds a column to the `page` table.\n- Faster parser.\n';
const NOTES_1_2 = '# Release notes\n\n## 1.2.0\n\n- New skin.\n';

function items(review: Review): [string, string, string | undefined, string][] {
  return review.versions.flatMap((v) => v.items.map((i): [string, string, string | undefined, string] => [v.version, i.file, i.ref, i.text]));
}

describe('release notes at intermediate tags', function () {
  this.timeout(60_000);

  describe('mentions', () => {
    it('looks for the version, its tag without prefix and X.Y for X.Y.0', () => {
      assert.deepEqual(versionNeedles('1.1.0', 'v1.1.0'), ['1.1.0', '1.1']);
      assert.deepEqual(versionNeedles('1.40.0', 'REL1_40'), ['1.40.0', '1.40', '1_40']);
      assert.deepEqual(versionNeedles('16.1.0', 'REL_16_1'), ['16.1.0', '16.1', '16_1']);
      assert.deepEqual(versionNeedles('2.0.1', '@scope/pkg@2.0.1'), ['2.0.1']);
      assert.deepEqual(versionNeedles('7.1.8', '7.1.8.Final'), ['7.1.8']);
    });

    it('counts a version only where no digit or .digit touches it', () => {
      const mentioned = (text: string, version = '1.1.0', tag = `v${version}`) => {
        const index = new MentionIndex([{ version, tag }]);
        index.add({ text });
        return index.has(version);
      };
      assert.equal(mentioned('Released 1.1.0.'), true);
      assert.equal(mentioned('see v1.1.0-rc.1 and later'), true);
      assert.equal(mentioned('## [1.1] - 2024-02-01'), true);
      assert.equal(mentioned('upgrade from 1.1 first'), true);
      assert.equal(mentioned('2.1.1.0 is a four-part version'), false);
      assert.equal(mentioned('1.1.0.5 is a four-part version'), false);
      assert.equal(mentioned('11.1.0 and 1.1.01'), false);
      assert.equal(mentioned('1.1.5 and 1.10'), false);
      assert.equal(mentioned('nothing here'), false);
      assert.equal(mentioned('REL1_40 branch', '1.40.0', 'REL1_40'), true);
      assert.equal(mentioned('version 1.40.1', '1.40.0', 'REL1_40'), false);
      // A document of the version's own mentions it whatever its text.
      const index = new MentionIndex([{ version: '1.1.0', tag: 'v1.1.0' }]);
      index.add({ text: '- Faster.', version: '1.1.0' });
      assert.equal(index.has('1.1.0'), true);
    });

    it('scans a long run of digits and separators in linear time', () => {
      const versions = Array.from({ length: 500 }, (_, i) => ({ version: `1.${i}.0`, tag: `v1.${i}.0` }));
      const index = new MentionIndex(versions);
      const started = performance.now();
      index.add({ text: '1_'.repeat(500_000) + '1.'.repeat(500_000) + '9'.repeat(500_000) + ' (1.7)' });
      assert.ok(performance.now() - started < 2000, `took ${performance.now() - started} ms`);
      assert.equal(index.missing(versions).length, 499);
    });
  });

  describe('git:', () => {
    let dir: string;
    let repo: string;
    let gitLog: string;
    let loggingGit: string;

    const git = (args: string[], cwd = repo) =>
      execFileSync('git', args, { cwd, env: { ...process.env, GIT_AUTHOR_DATE: '2024-01-10T12:00:00Z', GIT_COMMITTER_DATE: '2024-01-10T12:00:00Z', GIT_CONFIG_NOSYSTEM: '1', HOME: dir }, encoding: 'utf8' });
    const init = (at: string) => {
      mkdirSync(at, { recursive: true });
      git(['init', '-q', '-b', 'main'], at);
      git(['config', 'user.email', 'dev@example.com'], at);
      git(['config', 'user.name', 'Dev'], at);
      git(['config', 'commit.gpgsign', 'false'], at);
      git(['config', 'tag.gpgsign', 'false'], at);
    };
    /** Commits exactly these files (every other file removed) and tags the commit. */
    const release = (at: string, tag: string, files: Record<string, string>) => {
      git(['rm', '-rq', '--ignore-unmatch', '.'], at);
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(at, file)), { recursive: true });
        writeFileSync(path.join(at, file), text);
      }
      git(['add', '-A'], at);
      git(['commit', '-q', '--allow-empty', '-m', tag], at);
      git(['tag', tag], at);
    };
    const extraRefsRead = () =>
      readFileSync(gitLog, 'utf8')
        .split('\n')
        .filter((l) => l.includes('ls-tree'))
        .map((l) => l.split(' ').pop());

    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'preflight-intermediate-'));
      repo = path.join(dir, 'wiki');
      init(repo);
      release(repo, 'v1.0.0', { 'RELEASE-NOTES-1.0': NOTES_1_0, 'README.md': '# Wiki\n' });
      // 1.1's notes exist only at its tag: the next release replaces the file.
      release(repo, 'v1.1.0', { 'RELEASE-NOTES-1.1': NOTES_1_1, 'README.md': '# Wiki\n' });
      release(repo, 'v1.2.0', { 'RELEASE-NOTES-1.2': NOTES_1_2, 'README.md': '# Wiki\n' });
      gitLog = path.join(dir, 'git.log');
      loggingGit = path.join(dir, 'logging-git');
      writeFileSync(loggingGit, `#!/bin/sh\necho "$@" >> "${gitLog}"\nexec git "$@"\n`);
      chmodSync(loggingGit, 0o755);
    });

    after(() => rmSync(dir, { recursive: true, force: true }));

    it("shows the items of a version whose notes exist only at its tag", async () => {
      const source = createGitSource(repo, { git: gitRepo });
      assert.ok(source.ok);
      const r = await buildReview(source.value, '1.0.0', '1.2.0');
      assert.ok(r.ok, !r.ok ? r.error.message : '');
      assert.deepEqual(items(r.value), [
        ['1.2.0', 'RELEASE-NOTES-1.2', 'HEAD', '- New skin.'],
        ['1.1.0', 'RELEASE-NOTES-1.1', 'v1.1.0', '- The update script adds a column to the `page` table.'],
        ['1.1.0', 'RELEASE-NOTES-1.1', 'v1.1.0', '- Faster parser.'],
      ]);
      assert.ok(r.value.versions[1].items[0].risks.includes('db_migration'));
      assert.deepEqual(r.value.problems, []);
    });

    it('reads nothing more when every version is mentioned', async () => {
      writeFileSync(gitLog, '');
      const source = createGitSource(repo, { git: (d) => gitRepo(d, loggingGit) });
      assert.ok(source.ok);
      const r = await buildReview(source.value, '1.1.0', '1.2.0');
      assert.ok(r.ok, !r.ok ? r.error.message : '');
      assert.deepEqual(extraRefsRead(), ['HEAD', 'refs/tags/v1.2.0']);

      writeFileSync(gitLog, '');
      const wide = await buildReview(source.value, '1.0.0', '1.2.0');
      assert.ok(wide.ok);
      assert.deepEqual(extraRefsRead(), ['HEAD', 'refs/tags/v1.2.0', 'refs/tags/v1.1.0']);
    });

    it('stops after the cap and names the versions still without notes', async () => {
      const many = path.join(dir, 'many');
      init(many);
      release(many, 'v1.0.0', { 'CHANGELOG.md': '# Changelog\n\n## 1.0.0\n\n- First.\n' });
      for (let minor = 1; minor <= 14; minor++) release(many, `v1.${minor}.0`, { 'CHANGELOG.md': '# Changelog\n\nSee the website.\n' });
      release(many, 'v1.15.0', { 'CHANGELOG.md': '# Changelog\n\n## 1.15.0\n\n- Latest.\n' });
      writeFileSync(gitLog, '');
      const source = createGitSource(many, { git: (d) => gitRepo(d, loggingGit), maxExtraRefs: 3 });
      assert.ok(source.ok);
      const r = await buildReview(source.value, '1.0.0', '1.15.0');
      assert.ok(r.ok, !r.ok ? r.error.message : '');
      assert.deepEqual(extraRefsRead(), ['HEAD', 'refs/tags/v1.15.0', 'refs/tags/v1.14.0', 'refs/tags/v1.13.0', 'refs/tags/v1.12.0']);
      assert.deepEqual(r.value.problems, [
        {
          message:
            'no release notes found for 1.14.0, 1.13.0, 1.12.0, 1.11.0, 1.10.0, 1.9.0, 1.8.0, 1.7.0, 1.6.0, 1.5.0 and 4 more: ' +
            'the release-note files at HEAD, v1.15.0, v1.14.0, v1.13.0, v1.12.0 do not mention them ' +
            "(a review reads at most 3 tags besides the default branch and the target's)",
        },
      ]);
      // The default cap reads every tag of this range, and finds no more: no problem then.
      const wide = createGitSource(many, { git: gitRepo });
      assert.ok(wide.ok);
      const all = await buildReview(wide.value, '1.0.0', '1.15.0');
      assert.ok(all.ok);
      assert.deepEqual(all.value.problems, []);
    });
  });

  describe('github:', () => {
    const shape = (): FakeRepo => ({
      tags: ['v1.2.0', 'v1.1.0', 'v1.0.0'],
      files: {
        main: { 'RELEASE-NOTES-1.2': NOTES_1_2, 'README.md': '# Wiki\n' },
        'v1.2.0': { 'RELEASE-NOTES-1.2': NOTES_1_2, 'README.md': '# Wiki\n' },
        'v1.1.0': { 'RELEASE-NOTES-1.1': NOTES_1_1, 'README.md': '# Wiki\n' },
        'v1.0.0': { 'RELEASE-NOTES-1.0': NOTES_1_0, 'README.md': '# Wiki\n' },
      },
    });

    it("shows the items of a version whose notes exist only at its tag, with the tag's blob URL", async () => {
      const api = fakeGitHub(shape());
      const source = createGitHubSource('acme/mono', { api });
      assert.ok(source.ok);
      const r = await buildReview(source.value, '1.0.0', '1.2.0');
      assert.ok(r.ok, !r.ok ? r.error.message : '');
      assert.deepEqual(items(r.value), [
        ['1.2.0', 'RELEASE-NOTES-1.2', 'main', '- New skin.'],
        ['1.1.0', 'RELEASE-NOTES-1.1', 'v1.1.0', '- The update script adds a column to the `page` table.'],
        ['1.1.0', 'RELEASE-NOTES-1.1', 'v1.1.0', '- Faster parser.'],
      ]);
      assert.equal(r.value.versions[1].items[0].url, 'https://github.com/acme/mono/blob/v1.1.0/RELEASE-NOTES-1.1');
      assert.deepEqual(api.calls.filter((c) => c.startsWith('getTree')), ['getTree main', 'getTree v1.2.0', 'getTree v1.1.0']);
      // The same file on main and at v1.2.0 is fetched once.
      assert.equal(api.count('getBlob'), 2);
      assert.deepEqual(r.value.problems, []);
    });

    it('reads nothing more when every version is mentioned, by a release body or a file', async () => {
      const fixture = shape();
      fixture.releases = [{ tag: 'v1.1.0', body: '- Faster parser.\n' }];
      const api = fakeGitHub(fixture);
      const source = createGitHubSource('acme/mono', { api });
      assert.ok(source.ok);
      const r = await buildReview(source.value, '1.0.0', '1.2.0');
      assert.ok(r.ok, !r.ok ? r.error.message : '');
      assert.equal(api.count('getTree'), 2);
      assert.deepEqual(items(r.value), [
        ['1.2.0', 'RELEASE-NOTES-1.2', 'main', '- New skin.'],
        ['1.1.0', 'releases/v1.1.0', 'v1.1.0', '- Faster parser.'],
      ]);
    });

    it('keeps the tree requests within the cap and says which versions stay without notes', async () => {
      const files: FakeRepo['files'] = { main: { 'CHANGELOG.md': '# Changelog\n\n## 2.0.0\n\n- Latest.\n' } };
      const tags = ['v1.0.0'];
      for (let minor = 1; minor <= 12; minor++) {
        tags.push(`v1.${minor}.0`);
        files[`v1.${minor}.0`] = { 'README.md': '# App\n' };
      }
      tags.push('v2.0.0');
      files['v2.0.0'] = files.main;
      const api = fakeGitHub({ tags, files });
      const source = createGitHubSource('acme/mono', { api });
      assert.ok(source.ok);
      const r = await buildReview(source.value, '1.0.0', '2.0.0');
      assert.ok(r.ok, !r.ok ? r.error.message : '');
      assert.equal(api.count('getTree'), 2 + 8);
      assert.deepEqual(
        api.calls.filter((c) => c.startsWith('getTree')).slice(2),
        ['v1.12.0', 'v1.11.0', 'v1.10.0', 'v1.9.0', 'v1.8.0', 'v1.7.0', 'v1.6.0', 'v1.5.0'].map((t) => `getTree ${t}`),
      );
      assert.deepEqual(r.value.problems, [
        {
          message:
            'no release notes found for 1.12.0, 1.11.0, 1.10.0, 1.9.0, 1.8.0, 1.7.0, 1.6.0, 1.5.0, 1.4.0, 1.3.0 and 2 more: ' +
            'the release-note files at main, v2.0.0, v1.12.0, v1.11.0, v1.10.0, v1.9.0, v1.8.0, v1.7.0, v1.6.0, v1.5.0 do not mention them ' +
            "(a review reads at most 8 tags besides the default branch and the target's)",
        },
      ]);
    });
  });
});
