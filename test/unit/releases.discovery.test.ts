import * as assert from 'node:assert/strict';
import { discoverNoteFiles } from '../../src/core/releases';

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
      'db/migrations/0001_init.sql',
      'migrations/0002_add_index.py',
      'src/CHANGELOG.md',
      'packages/a/CHANGELOG.md',
      'README.md',
    ]);
    assert.deepEqual(found, [
      { path: 'CHANGELOG.md', kind: 'changelog' },
      { path: 'changelog/2023.md', kind: 'changelog' },
      { path: 'CHANGES.rst', kind: 'changelog' },
      { path: 'docs/changelog.md', kind: 'changelog' },
      { path: 'docs/release-notes.markdown', kind: 'changelog' },
      { path: 'HISTORY.md', kind: 'changelog' },
      { path: 'NEWS', kind: 'changelog' },
      { path: 'RELEASE_NOTES.txt', kind: 'changelog' },
      { path: 'changelogs/1.2.3.md', kind: 'version-file', version: '1.2.3' },
      { path: 'docs/releases/4.2.1.txt', kind: 'version-file', version: '4.2.1' },
      { path: 'docs/releases/4.2.txt', kind: 'version-file', version: '4.2.0' },
      { path: 'doc/update/versions/gitlab_16_changes.md', kind: 'upgrade' },
      { path: 'docs/upgrade.md', kind: 'upgrade' },
      { path: 'docs/upgrading/from-2.x.md', kind: 'upgrade' },
      { path: 'MIGRATION.md', kind: 'upgrade' },
      { path: 'UPGRADE-6.0.md', kind: 'upgrade', version: '6.0.0' },
      { path: 'UPGRADE.md', kind: 'upgrade' },
      { path: 'UPGRADING', kind: 'upgrade' },
    ]);
  });
});
