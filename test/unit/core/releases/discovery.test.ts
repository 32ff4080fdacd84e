import * as assert from 'node:assert/strict';
import { discoverNoteFiles } from '../../../../src/core/releases';

describe('release-note file discovery', () => {
  it('finds changelogs, per-version files and upgrade guides, and nothing else', () => {
    const found = discoverNoteFiles([
      'CHANGELOG.md',
      'HISTORY.md',
      'NEWS',
      'CHANGES.rst',
      'changes.py',
      'CHANGELOG.yml',
      'RELEASE_NOTES.txt',
      '00-RELEASENOTES',
      'docs/changelog.md',
      'docs/release-notes.markdown',
      'docs/releases/4.2.txt',
      'docs/releases/4.2.1.txt',
      'docs/releases/index.txt',
      'changelogs/1.2.3.md',
      'changelogs/unreleased/fix-thing.yml',
      'changelog/2023.md',
      'UPGRADE.md',
      'UPGRADE-6.0.md',
      'UPGRADING',
      'MIGRATION.md',
      'docs/upgrade.md',
      'doc/update/versions/gitlab_16_changes.md',
      'docs/upgrading/from-2.x.md',
      'docs/reference/release-notes/8.10.1.asciidoc',
      'docs/reference/migration/migrate_8_10.asciidoc',
      'db/migrations/0001_init.sql',
      'migrations/0002_add_index.py',
      'src/CHANGELOG.md',
      'packages/a/CHANGELOG.md',
      'README.md',
    ]);
    assert.deepEqual(found, [
      { path: '00-RELEASENOTES', kind: 'changelog' },
      { path: 'CHANGELOG.md', kind: 'changelog' },
      { path: 'changelog/2023.md', kind: 'changelog' },
      { path: 'CHANGES.rst', kind: 'changelog' },
      { path: 'docs/changelog.md', kind: 'changelog' },
      { path: 'docs/release-notes.markdown', kind: 'changelog' },
      { path: 'HISTORY.md', kind: 'changelog' },
      { path: 'NEWS', kind: 'changelog' },
      { path: 'RELEASE_NOTES.txt', kind: 'changelog' },
      { path: 'changelogs/1.2.3.md', kind: 'version-file', version: '1.2.3' },
      { path: 'docs/reference/release-notes/8.10.1.asciidoc', kind: 'version-file', version: '8.10.1' },
      { path: 'docs/releases/4.2.1.txt', kind: 'version-file', version: '4.2.1' },
      { path: 'docs/releases/4.2.txt', kind: 'version-file', version: '4.2.0' },
      { path: 'doc/update/versions/gitlab_16_changes.md', kind: 'upgrade' },
      { path: 'docs/reference/migration/migrate_8_10.asciidoc', kind: 'upgrade', version: '8.10.0' },
      { path: 'docs/upgrade.md', kind: 'upgrade' },
      { path: 'docs/upgrading/from-2.x.md', kind: 'upgrade' },
      { path: 'MIGRATION.md', kind: 'upgrade' },
      { path: 'UPGRADE-6.0.md', kind: 'upgrade', version: '6.0.0' },
      { path: 'UPGRADE.md', kind: 'upgrade' },
      { path: 'UPGRADING', kind: 'upgrade' },
    ]);
  });

  it('finds notes in docs sites: MDX pages, docs under website/ or docs/docs/, numbered pages', () => {
    const found = discoverNoteFiles([
      'website/content/docs/upgrading/upgrade-to-1.15.x.mdx',
      'website/content/docs/upgrading/index.mdx',
      'website/content/docs/release-notes/1.15.0.mdx',
      'website/src/components/Button.tsx',
      'docs/docs/91-migrations.md',
      'docs/docs/10-intro.md',
      'docs/sources/setup/upgrade/_index.md',
      'master/docs/relnotes/4.0.0.rst',
      'docs/CHANGELOG.mdx',
      'src/docs/upgrade.md',
      'packages/site/docs/upgrade.md',
      'migrations.md',
      'docs/migrations.md',
    ]);
    assert.deepEqual(found, [
      { path: 'docs/CHANGELOG.mdx', kind: 'changelog' },
      { path: 'master/docs/relnotes/4.0.0.rst', kind: 'version-file', version: '4.0.0' },
      { path: 'website/content/docs/release-notes/1.15.0.mdx', kind: 'version-file', version: '1.15.0' },
      { path: 'docs/docs/91-migrations.md', kind: 'upgrade' },
      { path: 'docs/sources/setup/upgrade/_index.md', kind: 'upgrade' },
      { path: 'website/content/docs/upgrading/index.mdx', kind: 'upgrade' },
      { path: 'website/content/docs/upgrading/upgrade-to-1.15.x.mdx', kind: 'upgrade', version: '1.15.0' },
    ]);
  });

  describe('explicit files', () => {
    const paths = [
      'CHANGELOG.md',
      'README.md',
      'notes/whats-new.md',
      'notes/RELEASES',
      'src/UPGRADE-2.0.md',
      'src/archive/2.1.0.md',
      'archive/intro.md',
      'archive/2.0.0.rst',
      'archive/v2/2.1.txt',
      'archive/v2/deep/2.2.0.md',
      'archive/logo.png',
    ];

    it('adds an exact file as a changelog, even without an extension', () => {
      assert.deepEqual(discoverNoteFiles(paths, ['notes/whats-new.md', './notes/RELEASES', 'notes/missing.md']), [
        { path: 'CHANGELOG.md', kind: 'changelog' },
        { path: 'notes/RELEASES', kind: 'changelog' },
        { path: 'notes/whats-new.md', kind: 'changelog' },
      ]);
    });

    it('reads a folder directly and one level below, version-named files as version-files', () => {
      assert.deepEqual(discoverNoteFiles(paths, ['archive/']), [
        { path: 'archive/intro.md', kind: 'changelog' },
        { path: 'CHANGELOG.md', kind: 'changelog' },
        { path: 'archive/2.0.0.rst', kind: 'version-file', version: '2.0.0' },
        { path: 'archive/v2/2.1.txt', kind: 'version-file', version: '2.1.0' },
      ]);
    });

    it('takes an upgrade-named file as an upgrade guide and a version-named one as a version-file', () => {
      assert.deepEqual(discoverNoteFiles(paths, ['src/UPGRADE-2.0.md', 'src/archive/2.1.0.md']), [
        { path: 'CHANGELOG.md', kind: 'changelog' },
        { path: 'src/archive/2.1.0.md', kind: 'version-file', version: '2.1.0' },
        { path: 'src/UPGRADE-2.0.md', kind: 'upgrade', version: '2.0.0' },
      ]);
    });

    it('never lists a file twice', () => {
      const found = discoverNoteFiles(paths, ['CHANGELOG.md', 'notes/whats-new.md', 'notes/whats-new.md', 'notes/', ' notes/whats-new.md ']);
      assert.deepEqual(found, [
        { path: 'CHANGELOG.md', kind: 'changelog' },
        { path: 'notes/whats-new.md', kind: 'changelog' },
      ]);
      assert.deepEqual(discoverNoteFiles(paths, []), discoverNoteFiles(paths));
    });
  });
});
