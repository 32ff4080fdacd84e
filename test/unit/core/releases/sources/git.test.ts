import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildReview, createGitSource } from '../../../../../src/core/releases';
import { gitRepo } from '../../../../../src/adapters/git';
import { ROOT as REPO_ROOT } from '../../../../support/fixtures';

const ROOT = REPO_ROOT;
const CLI = path.join(ROOT, 'dist/cli.js');

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run node scripts/build.mjs first`);
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const CHANGELOG_1_0 = `# Changelog

## 1.0.0 (2024-01-10)

- First release.
`;

const CHANGELOG_1_1 = `# Changelog

## 1.1.0 (2024-02-01)

### Breaking changes

- Requires PostgreSQL 14 or later.

### Changed

- The migration adds a NOT NULL column to \`events\` and locks the table.
- Fix dropdown alignment.

## 1.1.0-rc.1 (2024-01-25)

- Add the \`--dry-run\` flag.

## 1.0.0 (2024-01-10)

- First release.
`;

const UPGRADE_AT_TAG = `# Upgrade notes

## Upgrading to 1.1.0

- Run \`./manage.py migrate\` after installing.
`;

// The default branch amends the 1.1.0 notes after the release and keeps no released versions in
// the changelog (as saleor does), so the review must read both the tag and HEAD.
const UPGRADE_AMENDED = `# Upgrade notes

## Upgrading to 1.2.0

- Nothing to do.

## Upgrading to 1.1.0

- Run \`./manage.py migrate\` after installing.
- Back up the database first: the migration cannot be undone.
`;

describe('git release source', function () {
  this.timeout(60_000);
  let dir: string;
  let repo: string;

  const git = (args: string[], date = '2024-01-10T12:00:00Z') =>
    execFileSync('git', args, {
      cwd: repo,
      env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_CONFIG_NOSYSTEM: '1', HOME: dir },
      encoding: 'utf8',
    });
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    writeFileSync(path.join(repo, file), text);
  };

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'preflight-git-'));
    repo = path.join(dir, 'project');
    mkdirSync(repo);
    git(['init', '-q', '-b', 'main']);
    git(['config', 'user.email', 'dev@example.com']);
    git(['config', 'user.name', 'Dev']);
    git(['config', 'commit.gpgsign', 'false']);
    git(['config', 'tag.gpgsign', 'false']);

    write('CHANGELOG.md', CHANGELOG_1_0);
    git(['add', '-A']);
    git(['commit', '-q', '-m', '1.0.0']);
    git(['tag', 'v1.0.0']);

    write('CHANGELOG.md', CHANGELOG_1_1);
    write('docs/UPGRADE.md', UPGRADE_AT_TAG);
    git(['add', '-A'], '2024-01-25T12:00:00Z');
    git(['commit', '-q', '-m', '1.1.0-rc.1'], '2024-01-25T12:00:00Z');
    git(['tag', 'v1.1.0-rc.1'], '2024-01-25T12:00:00Z');
    git(['commit', '-q', '--allow-empty', '-m', '1.1.0'], '2024-02-01T12:00:00Z');
    git(['tag', '-a', 'v1.1.0', '-m', 'Release 1.1.0'], '2024-02-01T12:00:00Z');

    write('CHANGELOG.md', '# Changelog\n\n## Unreleased\n\n- Work in progress.\n');
    write('docs/UPGRADE.md', UPGRADE_AMENDED);
    git(['add', '-A'], '2024-03-01T12:00:00Z');
    git(['commit', '-q', '-m', 'Amend upgrade notes'], '2024-03-01T12:00:00Z');
    git(['tag', 'v1.2.0'], '2024-03-01T12:00:00Z');
    git(['tag', 'nightly'], '2024-03-01T12:00:00Z');
    git(['clone', '-q', '--bare', repo, path.join(dir, 'project.git')]);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lists version tags with their dates, ignoring other tags', async () => {
    const source = createGitSource(repo, { git: gitRepo });
    assert.ok(source.ok);
    const versions = await source.value.listVersions();
    assert.ok(versions.ok);
    assert.deepEqual(versions.value, [
      { version: '1.2.0', tag: 'v1.2.0', date: '2024-03-01' },
      { version: '1.1.0', tag: 'v1.1.0', date: '2024-02-01' },
      { version: '1.1.0-rc.1', tag: 'v1.1.0-rc.1', date: '2024-01-25' },
      { version: '1.0.0', tag: 'v1.0.0', date: '2024-01-10' },
    ]);
  });

  it('reviews a range end to end through the CLI with --json', () => {
    const { code, stdout, stderr } = cli(['notes', '--source', `git:${repo}`, '--from', '1.0.0', '--to', 'v1.1.0', '--json']);
    assert.equal(stderr, '');
    assert.equal(code, 0);
    const review = JSON.parse(stdout);
    assert.deepEqual(Object.keys(review).slice(0, 5), ['source', 'from', 'to', 'versions', 'summary']);
    assert.equal(review.source, `git:${repo}`);
    assert.deepEqual([review.from, review.to], ['1.0.0', '1.1.0']);
    assert.deepEqual(
      review.versions.map((v: { version: string; date: string | null; tag?: string; prereleases?: string[] }) => [v.version, v.date, v.tag, v.prereleases]),
      [['1.1.0', '2024-02-01', 'v1.1.0', ['1.1.0-rc.1']]],
    );
    const [v110] = review.versions;
    const brief = v110.items.map((i: { text: string; file: string; line: number; endLine: number; ref: string; risks: string[] }) => [
      i.file,
      i.line,
      i.endLine,
      i.ref,
      i.risks,
    ]);
    assert.deepEqual(brief, [
      // The changelog is gone from HEAD: its 1.1.0 section comes from the tag.
      ['CHANGELOG.md', 7, 7, 'v1.1.0', ['breaking', 'db_engine_requirement']],
      ['CHANGELOG.md', 11, 11, 'v1.1.0', ['db_migration', 'db_lock_or_downtime']],
      ['CHANGELOG.md', 12, 12, 'v1.1.0', []],
      // The upgrade guide from HEAD, including the note added after the release; the item present at
      // both refs appears once, with HEAD's line.
      // Every item of an upgrade guide is an upgrade step.
      ['docs/UPGRADE.md', 9, 9, 'HEAD', ['db_migration', 'upgrade_path']],
      ['docs/UPGRADE.md', 10, 10, 'HEAD', ['db_migration', 'data_loss', 'upgrade_path']],
      // The pre-release's notes, folded into 1.1.0.
      ['CHANGELOG.md', 16, 16, 'v1.1.0', []],
    ]);
    assert.equal(v110.items[5].prerelease, '1.1.0-rc.1');
    assert.deepEqual(review.summary, { breaking: 1, db_migration: 3, db_lock_or_downtime: 1, db_engine_requirement: 1, data_loss: 1, upgrade_path: 2 });
    // HEAD's trimmed changelog has no versions, but its copy at the tag has: nothing to report.
    assert.deepEqual(review.problems, []);
  });

  it('shows versions released after the notes moved, from HEAD only', () => {
    const { code, stdout } = cli(['notes', '--source', `git:${repo}`, '--from', '1.1.0', '--to', '1.2.0', '--json']);
    assert.equal(code, 0);
    const review = JSON.parse(stdout);
    assert.deepEqual(
      review.versions.map((v: { version: string; items: { text: string; file: string; line: number; ref: string }[] }) => [
        v.version,
        v.items.map((i) => [i.text, i.file, i.line, i.ref]),
      ]),
      [['1.2.0', [['- Nothing to do.', 'docs/UPGRADE.md', 5, 'HEAD']]]],
    );
  });

  it('reads a bare clone the same way', async () => {
    const { code, stdout } = cli(['notes', '--source', `git:${path.join(dir, 'project.git')}`, '--from', '1.0.0', '--to', '1.1.0', '--json']);
    assert.equal(code, 0);
    const review = JSON.parse(stdout);
    assert.equal(review.versions[0].items.length, 6);
  });

  it('prints a readable summary and exits 3 on --fail-on', () => {
    const { code, stdout } = cli(['notes', '--source', `git:${repo}`, '--from', '1.0.0', '--to', '1.1.0', '--fail-on', 'data_loss,security']);
    assert.equal(code, 3);
    assert.match(stdout, /^1\.1\.0 \(2024-02-01, tag v1\.1\.0, includes 1\.1\.0-rc\.1\): 6 items, 4 flagged$/m);
    assert.match(stdout, /^ {2}docs\/UPGRADE\.md:10 {2}\[db_migration, data_loss, upgrade_path\] {2}- Back up the database first/m);
    assert.match(stdout, /^ {2}CHANGELOG\.md:7 @v1\.1\.0 {2}\[breaking, db_engine_requirement\]/m);
    assert.match(stdout, /^Summary: breaking 1, db_migration 3/m);
    assert.equal(cli(['notes', '--source', `git:${repo}`, '--from', '1.0.0', '--to', '1.1.0', '--fail-on', 'security']).code, 0);
  });

  it('fails with one line for unknown versions, non-repositories and missing directories', () => {
    const unknown = cli(['notes', '--source', `git:${repo}`, '--from', '1.0.1', '--to', '1.1.0']);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, 'preflight: unknown version 1.0.1 (known: 1.0.0, 1.1.0-rc.1, 1.1.0, 1.2.0; nearest: 1.0.0, 1.1.0-rc.1)\n');

    const plain = path.join(dir, 'plain');
    mkdirSync(plain, { recursive: true });
    const notRepo = cli(['notes', '--source', `git:${plain}`, '--from', '1.0.0', '--to', '1.1.0']);
    assert.equal(notRepo.code, 2);
    assert.equal(notRepo.stderr, `preflight: not a git repository: ${plain}\n`);

    const missing = cli(['notes', '--source', `git:${path.join(dir, 'nope')}`, '--from', '1.0.0', '--to', '1.1.0']);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, `preflight: no such directory: ${path.join(dir, 'nope')}\n`);
  });

  it('reports a missing git executable', async () => {
    const source = createGitSource(repo, { git: (d) => gitRepo(d, path.join(dir, 'no-such-git')) });
    assert.ok(source.ok);
    const versions = await source.value.listVersions();
    assert.deepEqual(!versions.ok && versions.error, { code: 'git', message: `git is not installed or not on PATH (${path.join(dir, 'no-such-git')})` });
  });

  it('reports a repository without release notes', () => {
    const empty = path.join(dir, 'no-notes');
    mkdirSync(empty);
    const run = (args: string[]) => execFileSync('git', args, { cwd: empty, env: { ...process.env, HOME: dir, GIT_CONFIG_NOSYSTEM: '1' } });
    run(['init', '-q', '-b', 'main']);
    writeFileSync(path.join(empty, 'README.md'), '# Hello\n');
    run(['add', '-A']);
    run(['-c', 'user.email=a@b.c', '-c', 'user.name=A', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'init']);
    run(['tag', 'v1.0.0']);
    run(['tag', 'v1.1.0']);
    const r = cli(['notes', '--source', `git:${empty}`, '--from', '1.0.0', '--to', '1.1.0']);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      `preflight: no release notes found in git:${empty}: no release-note file (CHANGELOG, CHANGES, HISTORY, NEWS, RELEASES, release notes, UPGRADE or MIGRATION guides, in the root, doc/ or docs/, or changelog folders) is at HEAD or v1.1.0. ` +
        'If the notes are in other files, name them in --files docs/whats-new.md; or try another source: github:OWNER/REPO (GitHub releases and changelogs), gitlab:GROUP/PROJECT, npm:PACKAGE, file:PATH (a changelog file).\n',
    );
    const named = cli(['notes', '--source', `git:${empty}`, '--from', '1.0.0', '--to', '1.1.0', '--files', 'docs/upgrade.md']);
    assert.match(named.stderr, /is at HEAD or v1\.1\.0; docs\/upgrade\.md \(named for this source\) is not there\. /);
  });

  it('reads the files named by the files option that the built-in names miss', async () => {
    const custom = path.join(dir, 'custom-notes');
    mkdirSync(path.join(custom, 'notes'), { recursive: true });
    const run = (args: string[]) => execFileSync('git', args, { cwd: custom, env: { ...process.env, HOME: dir, GIT_CONFIG_NOSYSTEM: '1' } });
    run(['init', '-q', '-b', 'main']);
    writeFileSync(path.join(custom, 'README.md'), '# Hello\n');
    writeFileSync(path.join(custom, 'notes/whats-new.md'), "# What's new\n\n## 1.1.0\n\n- Drops support for Node 18.\n- Faster start-up.\n");
    run(['add', '-A']);
    run(['-c', 'user.email=a@b.c', '-c', 'user.name=A', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'init']);
    run(['tag', 'v1.0.0']);
    run(['tag', 'v1.1.0']);

    const plain = createGitSource(custom, { git: gitRepo });
    assert.ok(plain.ok);
    const missed = await buildReview(plain.value, '1.0.0', '1.1.0');
    assert.deepEqual(!missed.ok && missed.error.message, `no release notes found in git:${custom}`);
    assert.deepEqual(!missed.ok && missed.error.noNotes, { kind: 'no-documents', source: `git:${custom}`, scheme: 'git', searched: { refs: ['HEAD', 'v1.1.0'] } });

    const named = createGitSource(custom, { git: gitRepo, files: ['notes/whats-new.md'] });
    assert.ok(named.ok);
    const review = await buildReview(named.value, '1.0.0', '1.1.0');
    assert.ok(review.ok, !review.ok ? review.error.message : '');
    assert.deepEqual(
      review.value.versions.flatMap((v) => v.items.map((i) => [v.version, i.file, i.line, i.text])),
      [
        ['1.1.0', 'notes/whats-new.md', 5, '- Drops support for Node 18.'],
        ['1.1.0', 'notes/whats-new.md', 6, '- Faster start-up.'],
      ],
    );

    const r = cli(['notes', '--source', `git:${custom}`, '--from', '1.0.0', '--to', '1.1.0', '--files', 'notes/', '--json']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(JSON.parse(r.stdout).versions[0].items.length, 2);
  });
});
