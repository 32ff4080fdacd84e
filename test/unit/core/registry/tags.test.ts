import * as assert from 'node:assert/strict';
import { describeFamily, familyTags, parseTag, releaseTags, tagFamily } from '../../../../src/core/registry';

describe('image tags as versions', () => {
  it('reads the version and the variant family of a tag', () => {
    const cases: [string, string, string][] = [
      ['1.25.3', '1.25.3', ''],
      ['v2.0.0', '2.0.0', ''],
      ['1.25-alpine', '1.25.0', '-alpine'],
      ['1.25.3-alpine3.19', '1.25.3', '-alpine3.19'],
      ['16', '16.0.0', ''],
      ['16-bookworm', '16.0.0', '-bookworm'],
      ['2.0.0-rc.1', '2.0.0-rc.1', ''],
      ['2.0.0-rc1-alpine', '2.0.0-rc.1', '-alpine'],
      ['3.12.0b1', '3.12.0-b.1', ''],
      ['16.5.1-ce.0', '16.5.1', '-ce.0'],
      ['1.2.3.4', '1.2.3.4', ''],
      ['7.0-Management', '7.0.0', '-management'],
    ];
    for (const [tag, version, family] of cases) {
      const t = parseTag(tag);
      assert.ok(t, tag);
      assert.deepEqual([t.version, t.family], [version, family], tag);
    }
    for (const tag of ['latest', 'alpine', 'sha-1f2e3d4', 'mainline-alpine', '16abc', 'v', '']) assert.equal(parseTag(tag), null, tag);
  });

  it('keeps a family apart and sorts it by semver, an alias before the release it names', () => {
    const tags = ['1.25-alpine', '1.9.0-alpine', '1.25.3-alpine', '1.25.10-alpine', '1.25.3', '1.26-bookworm', 'alpine', 'latest', '1.26.0-alpine', '1.26.0-rc.1-alpine'];
    assert.deepEqual(familyTags(tags, '-alpine').map((t) => t.tag), ['1.9.0-alpine', '1.25-alpine', '1.25.3-alpine', '1.25.10-alpine', '1.26.0-rc.1-alpine', '1.26.0-alpine']);
    assert.deepEqual(familyTags(tags, '').map((t) => t.tag), ['1.25.3']);
    assert.equal(tagFamily('1.25-alpine', tags), '-alpine');
    assert.equal(tagFamily('alpine', tags), '-alpine');
    assert.equal(tagFamily('latest', tags), '');
    assert.equal(describeFamily('-alpine'), '*-alpine');
    assert.equal(describeFamily(''), 'plain versions');
  });

  it('lists one tag per release, leaving out aliases that move with each release', () => {
    const family = familyTags(['1', '1.2', '1.2.0', '1.2.1', 'v1.2.1', '1.3', '2.0.0-rc.1', '2.0.0', '3.1'], '');
    assert.deepEqual(releaseTags(family).map((t) => `${t.tag}=${t.version}`), ['1.2.0=1.2.0', '1.2.1=1.2.1', '1.3=1.3.0', '2.0.0-rc.1=2.0.0-rc.1', '2.0.0=2.0.0', '3.1=3.1.0']);
  });

  it('reads hostile tags in linear time', () => {
    const start = performance.now();
    for (let i = 0; i < 200; i++) parseTag(`1.2.3-rc${'1.'.repeat(60)}x`);
    parseTag(`1-${'a1-'.repeat(40)}`);
    assert.ok(performance.now() - start < 100, `${performance.now() - start} ms`);
  });
});
