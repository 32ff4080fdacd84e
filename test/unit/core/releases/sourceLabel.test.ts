import * as assert from 'node:assert/strict';
import { displayNames, sourceFiles, sourceLabel } from '../../../../src/core/releases';

describe('sources and files without local paths', () => {
  it('names a local clone by its folder and keeps hosted sources as they are', () => {
    assert.equal(sourceLabel('git:/home/alice/src/upstream'), 'git:upstream');
    assert.equal(sourceLabel('git:/home/alice/src/mono#pg-pool'), 'git:mono#pg-pool');
    assert.equal(sourceLabel('git:C:\\Users\\alice\\upstream'), 'git:upstream');
    assert.equal(sourceLabel('github:RocketChat/Rocket.Chat'), 'github:RocketChat/Rocket.Chat');
    assert.equal(sourceLabel('npm:@babel/core'), 'npm:@babel/core');
  });

  it('names changelog files by as many trailing segments as tell them apart, relative ones as given', () => {
    assert.equal(sourceLabel('file:/tmp/x/CHANGELOG.md,/tmp/x/UPGRADE.md'), 'file:CHANGELOG.md,UPGRADE.md');
    assert.equal(sourceLabel('file:notes/HISTORY.md'), 'file:notes/HISTORY.md');
    assert.deepEqual(displayNames(['/srv/a/api/CHANGELOG.md', '/srv/a/web/CHANGELOG.md', 'CHANGELOG.md']), ['api/CHANGELOG.md', 'web/CHANGELOG.md', 'CHANGELOG.md']);
    assert.deepEqual(displayNames(['/srv/CHANGELOG.md', 'CHANGELOG.md']), ['srv/CHANGELOG.md', 'CHANGELOG.md']);
    assert.deepEqual(displayNames(['/srv/CHANGELOG.md', '/srv/CHANGELOG.md']), ['CHANGELOG.md', 'CHANGELOG.md']);
  });

  it('names the files of a file: source relative to the workspace inside it, by name outside it', () => {
    const files = sourceFiles(['notes/HISTORY.md', '/tmp/elsewhere/CHANGELOG.md'], '/work/ws');
    assert.deepEqual(files, [
      { abs: '/work/ws/notes/HISTORY.md', shown: 'notes/HISTORY.md' },
      { abs: '/tmp/elsewhere/CHANGELOG.md', shown: 'CHANGELOG.md' },
    ]);
  });
});
