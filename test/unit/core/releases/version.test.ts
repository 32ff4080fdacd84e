import * as assert from 'node:assert/strict';
import type { NoteDocument, ReleaseSource, Review } from '../../../../src/core/releases';
import {
  buildReview,
  canonicalVersion,
  compareVersions,
  describeUnknown,
  extractDate,
  finalRelease,
  inRange,
  isPackageName,
  isPrerelease,
  ok,
  parseUpgradeHeading,
  parseVersion,
  parseVersionHeading,
  samePackage,
  sortNewestFirst,
  tagPackage,
} from '../../../../src/core/releases';
import { readShared } from '../../../support/fixtures';



const tagsOf = (project: string) => readShared(`${project}/tags.txt`).split('\n').filter(Boolean);

/** A source with fixed tags and documents, as a registry or hosted adapter would provide them. */
function memorySource(tags: string[], documents: NoteDocument[]): ReleaseSource {
  return {
    id: 'memory:test',
    async listVersions() {
      const refs = new Map<string, { version: string; tag: string }>();
      for (const tag of tags) {
        const version = canonicalVersion(tag);
        if (version && !refs.has(version)) refs.set(version, { version, tag });
      }
      return ok([...refs.values()]);
    },
    async readNotes() {
      return ok({ documents, problems: [] });
    },
  };
}

async function review(source: ReleaseSource, from: string, to: string): Promise<Review> {
  const result = await buildReview(source, from, to);
  if (!result.ok) assert.fail(result.error.message);
  return result.value;
}

describe('release versions', () => {
  it('coerces tags of many shapes to one canonical form', () => {
    const cases: [string, string | null][] = [
      ['v1.2.3', '1.2.3'],
      ['1.2', '1.2.0'],
      ['v4.3', '4.3.0'],
      ['pkg@1.2.3', '1.2.3'],
      ['@scope/pkg@1.2.3', '1.2.3'],
      ['release-1.2.3', '1.2.3'],
      ['rel_1_2_3', '1.2.3'],
      ['REL_16_1', '16.1.0'],
      ['1.4.0rc1', '1.4.0-rc.1'],
      ['1.4.0b2', '1.4.0-b.2'],
      ['1.4.0a1', '1.4.0-a.1'],
      ['1.4.0.dev1', '1.4.0-dev.1'],
      ['1.4.0-rc.2', '1.4.0-rc.2'],
      ['1.4.0-rc2', '1.4.0-rc.2'],
      ['v4.4-dev', '4.4.0-dev'],
      ['1.2.3.4', '1.2.3.4'],
      ['1.2.3.0', '1.2.3'],
      ['1.2.3+build.7', '1.2.3'],
      ['3-23-11-refresh', null],
      ['v3', null],
      ['latest', null],
      ['1.2.3abc', null],
    ];
    for (const [input, expected] of cases) assert.equal(canonicalVersion(input), expected, input);
  });

  it('orders versions by semver, with four-part versions between patches', () => {
    const sorted = ['1.2.10', '1.2.3.4', '1.2.3', '1.2.3-rc.1', '1.2.4', '1.2.3-rc.10', '1.2.3-rc.2', '1.10.0', '1.2.1'].sort(compareVersions);
    assert.deepEqual(sorted, ['1.2.1', '1.2.3-rc.1', '1.2.3-rc.2', '1.2.3-rc.10', '1.2.3', '1.2.3.4', '1.2.4', '1.2.10', '1.10.0']);
    assert.equal(compareVersions('1.2.1', '1.2.10'), -1);
    assert.equal(isPrerelease('2.0.0-rc.1'), true);
    assert.equal(isPrerelease('1.2.3.4'), false);
    assert.equal(finalRelease('2.0.0-rc.1'), '2.0.0');
    assert.deepEqual(sortNewestFirst(['1.0.0', '1.10.0', '1.9.0'], (v) => v), ['1.10.0', '1.9.0', '1.0.0']);
    assert.equal(inRange('1.2.10', '1.2.1', '1.2.9'), false);
    assert.equal(inRange('1.2.9', '1.2.1', '1.2.9'), true);
    assert.equal(inRange('1.2.1', '1.2.1', '1.2.9'), false);
  });

  it('recognises version headings and rejects headings that merely mention a version', () => {
    const cases: [string, string | null, string | null][] = [
      ['1.2.3', '1.2.3', null],
      ['1.2.3 (2020-01-22)', '1.2.3', '2020-01-22'],
      ['1.2.3 - 2020-01-22', '1.2.3', '2020-01-22'],
      ['[1.2.3] - 2020-01-22', '1.2.3', '2020-01-22'],
      ['[1.2.3](https://github.com/o/r/compare/v1.2.2...v1.2.3) (2020-01-22)', '1.2.3', '2020-01-22'],
      ['v1.2.3 (January 22, 2020)', '1.2.3', '2020-01-22'],
      ['Version 1.2.3', '1.2.3', null],
      ['Release 1.2.3 — 22 Jan 2020', '1.2.3', '2020-01-22'],
      ['v4.4-dev - Unreleased', '4.4.0-dev', null],
      ['3.5.3 [Released]', '3.5.3', null],
      ['Django 4.2 release notes', '4.2.0', null],
      ['Noteworthy changes in release 9.4 (2023-08-29) [stable]', '9.4.0', '2023-08-29'],
      ['@scope/pkg@2.0.0', '2.0.0', null],
      ['**1.0.0** / 2014-05-01', '1.0.0', '2014-05-01'],
      ['Fixed in 2022.7.2', '2022.7.2', null],
      ['Redis 7.2.4    Released Tue 09 Jan 2024 10:45:52 IST', '7.2.4', '2024-01-09'],
      ['Redis Community Edition 7.4.0 GA   Released Mon Jul 29 2024 9:00:00 IDT', '7.4.0', '2024-07-29'],
      ['Redis Community Edition 7.4 RC2   Released Thu 27 Jun 2024 10:00:00 IST', '7.4.0-rc.2', '2024-06-27'],
      ['Redis 6.2.13   Released Mon July 10 12:00:00 IDT 2023', '6.2.13', '2023-07-10'],
      ['Release 2.0 Beta 1', '2.0.0-beta.1', null],
      ['1.11.4 Enterprise (June 10, 2025)', '1.11.4', '2025-06-10'],
      ['1.5.0 (core) / 0.21.0 (libraries)', '1.5.0', null],
      ['1.5.1 / 0.21.1 (2023-10-19)', '1.5.1', '2023-10-19'],
      ['1.5.0 / breaking changes', null, null],
      // A release channel or word joined to the version as in a tag (Linkerd's `edge-24.2.5`, `stable-2.14.0`).
      ['edge-24.2.5', '24.2.5', null],
      ['stable-2.14.0', '2.14.0', null],
      ['release-1.2.3 (2020-01-22)', '1.2.3', '2020-01-22'],
      ['pre-2.0 notes', null, null],
      // A release's title after a colon or a dash, the version first.
      ['v1.01: Stability and packaging', '1.1.0', null],
      ['2.4.0 - The one with LDAP support', '2.4.0', null],
      ['Version 3.0: "Quasar"', '3.0.0', null],
      ['Node 18.0: the new floor', null, null],
      ['Upgrade 2.0: notes', null, null],
      ['Upgrading to 2.0', null, null],
      ['Fixed Node 16.0', null, null],
      ['Redis community edition 7.4.1', null, null],
      ['Node 18.0 support', null, null],
      ['Changes since 1.2.3 that break things', null, null],
      ['Unreleased', null, null],
      ['Engine versions', null, null],
      ['2020-01-22', null, null],
      // A release numbered by one number, named as a release (Trino's `# Release 440 (8 Mar 2024)`); a bare number is none.
      ['Release 440 (8 Mar 2024)', '440.0.0', '2024-03-08'],
      ['Version 2', '2.0.0', null],
      ['2024', null, null],
      ['440', null, null],
      ['Release 440 highlights and more', null, null],
      ['Releases 2', null, null],
      // A series, then in brackets the release that opened it (PyMongo's "Changes in Version 4.3 (4.3.2)").
      ['Changes in Version 4.3 (4.3.2)', '4.3.2', null],
      ['4.3 (4.3.2, 2022-10-18)', '4.3.2', '2022-10-18'],
      ['4.3 (5.0.1)', '4.3.0', null],
      ['1.2.3 (1.2.3.4)', '1.2.3', null],
      ['1.2 (2024-01-01)', '1.2.0', '2024-01-01'],
    ];
    for (const [heading, version, date] of cases) {
      const parsed = parseVersionHeading(heading);
      assert.equal(parsed?.version ?? null, version, heading);
      if (version) assert.equal(parsed?.date ?? null, date, heading);
    }
    // The second version of a two-version heading is kept beside the first.
    assert.equal(parseVersionHeading('v1.0.0-RC1/v0.67.0')?.also, '0.67.0');
    assert.equal(parseVersionHeading('1.5.0 (core) / 0.21.0 (libraries)')?.also, '0.21.0');
    assert.equal(parseVersionHeading('1.5.0 (2023-10-12)')?.also, undefined);
  });

  it('reads upgrade-guide headings by their target version', () => {
    assert.equal(parseUpgradeHeading('Upgrading to 3.0')?.version, '3.0.0');
    assert.equal(parseUpgradeHeading('UPGRADE FROM 5.4 to 6.0')?.version, '6.0.0');
    assert.equal(parseUpgradeHeading('From 2.x to 3.x')?.version, '3.0.0');
    assert.equal(parseUpgradeHeading('3.1 upgrade notes')?.version, '3.1.0');
    assert.equal(parseUpgradeHeading('Upgrade notes')?.version, undefined);
    // A guide's bare steps (PowerDNS Recursor): the version upgraded to; of several at once, the first named.
    assert.equal(parseUpgradeHeading('4.9.0 to 5.0.0')?.version, '5.0.0');
    assert.equal(parseUpgradeHeading('4.5.x to 4.6.1')?.version, '4.6.1');
    assert.equal(parseUpgradeHeading('5.1.1 to 5.1.2, 5.0.8 to 5.0.9 and 4.9.8 to 4.9.9')?.version, '5.1.2');
    assert.equal(parseUpgradeHeading('5.0.12, 5.1.6, 5.2.4 and 5.3.0')?.version, '5.0.12');
    assert.equal(parseUpgradeHeading('5.3.0 to master')?.version, undefined);
    assert.equal(parseUpgradeHeading('2 to 3 workers per node')?.version, undefined);
    // The other releases such a title names, each the section's too.
    assert.deepEqual(parseUpgradeHeading('Upgrading to v2.16.2, v2.15.4, or v2.14.9')?.others, ['2.15.4', '2.14.9']);
    assert.deepEqual(parseUpgradeHeading('5.1.1 to 5.1.2, 5.0.8 to 5.0.9 and 4.9.8 to 4.9.9')?.others, ['5.0.9', '4.9.9']);
    assert.deepEqual(parseUpgradeHeading('5.0.12, 5.1.6, 5.2.4 and 5.3.0')?.others, ['5.1.6', '5.2.4', '5.3.0']);
    assert.equal(parseUpgradeHeading('Upgrading to 3.0 and beyond')?.others, undefined);
  });

  it('extracts dates in ISO and written forms', () => {
    assert.equal(extractDate('released 2020-1-5'), '2020-01-05');
    assert.equal(extractDate('(March 3rd, 2021)'), '2021-03-03');
    assert.equal(extractDate('3 Sept 2019'), '2019-09-03');
    assert.equal(extractDate('2020-13-45'), null);
    assert.equal(extractDate('no date here 1.2.3'), null);
  });

  it('coerces every release tag of the real tag lists and rejects the others', () => {
    const saleor = tagsOf('saleor');
    const rejected = saleor.filter((t) => !parseVersion(t));
    assert.ok(rejected.includes('3-23-11-refresh'));
    assert.ok(rejected.includes('oidc-bug-fix'));
    assert.ok(rejected.length < 12, rejected.join(', '));
    assert.equal(canonicalVersion('3.0.0-a16'), canonicalVersion('3.0.0-a.16'));
    // Exact: 3.20.1 never matches 3.20.10 or 3.20.100.
    const matching = saleor.filter((t) => canonicalVersion(t) === '3.20.1');
    assert.deepEqual(matching, ['3.20.1']);

    const healthchecks = tagsOf('healthchecks');
    assert.deepEqual(
      healthchecks.filter((t) => !parseVersion(t)),
      [],
    );
    assert.equal(canonicalVersion('v2.0'), '2.0.0');
    assert.equal(canonicalVersion('1.0.2'), canonicalVersion('v1.0.2'));
  });

  it('describes an unknown version with its nearest neighbours', () => {
    const message = describeUnknown('2.4.11', ['2.4.10', '2.4.12', '3.0.0', '2.4.9', '2.4.8', '2.4.7', '2.4.6', '2.4.5', '2.4.4']);
    assert.match(message, /^unknown version 2\.4\.11 \(known: 9 versions from 2\.4\.4 to 3\.0\.0; nearest: 2\.4\.10, 2\.4\.12\)$/);
  });
});

describe('release ranges', () => {
  it('lists every version in (from, to] of healthchecks, newest first, merging v-tags and headings', async () => {
    const source = memorySource(tagsOf('healthchecks'), [{ file: 'CHANGELOG.md', text: readShared('healthchecks/CHANGELOG.md') }]);
    const r = await review(source, 'v3.5', 'v4.0');
    assert.equal(r.from, '3.5.0');
    assert.equal(r.to, '4.0.0');
    assert.deepEqual(
      r.versions.map((v) => v.version),
      ['4.0.0', '3.13.0', '3.12.0', '3.11.2', '3.11.1', '3.11.0', '3.10.0', '3.9.0', '3.8.2', '3.8.1', '3.8.0', '3.7.0', '3.6.0', '3.5.2', '3.5.1'],
    );
    const v40 = r.versions[0];
    assert.equal(v40.tag, 'v4.0');
    assert.equal(v40.date, '2026-01-22');
    assert.equal(v40.items[0].line, 70);
    assert.match(v40.items[0].text, /^This release drops support of Python 3\.11/);
    assert.ok(r.versions.every((v) => v.items.length > 0));
  });

  it('folds pre-releases into their final release when it is in the range', async () => {
    const source = memorySource(tagsOf('saleor'), [{ file: 'CHANGELOG.md', text: readShared('saleor/CHANGELOG.md') }]);
    const r = await review(source, '2.10.2', '2.11.0');
    assert.deepEqual(
      r.versions.map((v) => v.version),
      ['2.11.0'],
    );
    assert.equal(r.versions[0].prereleases?.length, 9);
    assert.equal(r.versions[0].prereleases?.[0], '2.11.0-rc.9');
  });

  it('keeps pre-releases separate when their final release is outside the range', async () => {
    const source = memorySource(tagsOf('saleor'), [{ file: 'CHANGELOG.md', text: readShared('saleor/CHANGELOG.md') }]);
    const r = await review(source, '2.10.2', '2.11.0-rc.3');
    assert.deepEqual(
      r.versions.map((v) => v.version),
      ['2.11.0-rc.3', '2.11.0-rc.2', '2.11.0-rc.1'],
    );
    assert.ok(r.versions.every((v) => v.items.length === 0));
  });

  it('shows tag-only versions with zero items and changelog-only versions with theirs', async () => {
    const source = memorySource(
      tagsOf('saleor').filter((t) => t !== '3.1.4'),
      [{ file: 'CHANGELOG.md', text: readShared('saleor/CHANGELOG.md') }],
    );
    const r = await review(source, '3.1.3', '3.1.12');
    const byVersion = new Map(r.versions.map((v) => [v.version, v]));
    assert.deepEqual(
      r.versions.map((v) => v.version),
      ['3.1.12', '3.1.11', '3.1.10', '3.1.9', '3.1.8', '3.1.7', '3.1.6', '3.1.5', '3.1.4'],
    );
    assert.equal(byVersion.get('3.1.12')?.items.length, 0);
    assert.equal(byVersion.get('3.1.4')?.tag, undefined);
    assert.ok((byVersion.get('3.1.4')?.items.length ?? 0) > 5);
    assert.ok(byVersion.get('3.1.10')?.items.every((i) => i.file === 'CHANGELOG.md' && i.line > 1330 && i.line < 1340));
  });

  it('fails with the nearest versions when from or to is unknown', async () => {
    const source = memorySource([], [{ file: 'HISTORY.md', text: readShared('rocketchat/HISTORY.md') }]);
    const result = await buildReview(source, '2.4.11', '3.0.0');
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(result.error.code, 'unknown-version');
      assert.match(result.error.message, /unknown version 2\.4\.11 \(known: 143 versions from 0\.55\.0 to 3\.4\.0; nearest: 2\.4\.10, 2\.4\.12\)/);
    }
    const backwards = await buildReview(source, '3.0.0', '2.4.10');
    assert.equal(!backwards.ok && backwards.error.code, 'invalid-range');
    const invalid = await buildReview(source, 'banana', '2.4.10');
    assert.equal(!invalid.ok && invalid.error.code, 'invalid-version');
  });
});

describe('release versions: packages of monorepo tags', () => {
  it('names the package of monorepo tags', () => {
    const cases: [string, string | undefined][] = [
      ['pkg@1.2.3', 'pkg'],
      ['@scope/pkg@1.2.3', '@scope/pkg'],
      ['@babel/core@7.24.0-rc.1', '@babel/core'],
      ['pkg-v1.2.3', 'pkg'],
      ['pkg-1.2.3', 'pkg'],
      ['google-cloud-storage-v2.0.0', 'google-cloud-storage'],
      ['pkg/v1.2.3', 'pkg'],
      ['lodash.merge@4.6.2', 'lodash.merge'],
      ['hibernate-orm-5.3.2.Final', 'hibernate-orm'],
    ];
    for (const [tag, pkg] of cases) assert.equal(tagPackage(tag), pkg, tag);
  });

  it('names none for plain tags, release words, `_` joins and non-versions', () => {
    for (const tag of ['v1.2.3', '1.2.3', 'V2.0', 'release-1.2.3', 'Release-1.2.3', 'rel-1.2', 'version-1.2', 'REL_16_1', 'REL9_6_0', 'rel_1_2_3', 'stable-1.2', 'release/1.2.3', 'OpenSSL_1_1_1w', 'go1.21.0', 'v1.2.3-rc-1', 'nightly', 'pkg@latest', 'pkg-v3', '']) {
      assert.equal(tagPackage(tag), undefined, tag);
    }
  });

  it('leaves the versions of tags as they were', () => {
    const cases: [string, string | null][] = [
      ['pkg@1.2.3', '1.2.3'],
      ['@scope/pkg@1.2.3', '1.2.3'],
      ['pkg-v1.2.3', '1.2.3'],
      ['pkg/v1.2.3', '1.2.3'],
      ['release-1.2.3', '1.2.3'],
      ['REL_16_1', '16.1.0'],
      ['REL9_6_0', '9.6.0'],
      ['hibernate-orm-5.3.2.Final', '5.3.2'],
      ['sdk/go/v1.2.3', null],
    ];
    for (const [tag, version] of cases) assert.equal(canonicalVersion(tag), version, tag);
  });

  it('checks package names', () => {
    for (const name of ['pg', 'pg-pool', '@babel/core', 'sdk/go', 'lodash.merge', 'a_b']) assert.equal(isPackageName(name), true, name);
    for (const name of ['', '@babel', '@/core', 'a b', 'a,b', '-x', 'a//b', 'a/', 'x'.repeat(215)]) assert.equal(isPackageName(name), false, name);
  });

  it('matches a package with and without its npm scope', () => {
    assert.equal(samePackage('@babel/core', '@babel/core'), true);
    assert.equal(samePackage('@babel/core', 'core'), true);
    assert.equal(samePackage('core', '@babel/core'), true);
    assert.equal(samePackage('@babel/core', '@other/core'), false);
    assert.equal(samePackage('pg', 'pg-pool'), false);
  });
});
