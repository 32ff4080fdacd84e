import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { NoteItem, ParsedNotes, VersionSection } from '../../../../src/core/releases';
import { decodeText, detectFormat, parseNotes } from '../../../../src/core/releases';
import { ROOT, readLocal, readShared } from '../../../support/fixtures';




function section(parsed: ParsedNotes, version: string): VersionSection {
  const found = parsed.sections.find((s) => s.version === version);
  assert.ok(found, `no section ${version} in ${parsed.sections.map((s) => s.version).join(', ')}`);
  return found;
}

function itemAt(parsed: ParsedNotes, line: number): NoteItem {
  const found = parsed.sections.flatMap((s) => s.items).find((i) => i.line === line);
  assert.ok(found, `no item starts at line ${line}`);
  return found;
}

describe('changelog parsing: real changelogs', () => {
  let rocketchat: ParsedNotes;
  let saleor: ParsedNotes;
  let healthchecks: ParsedNotes;
  let rocketchatLines: string[];

  before(() => {
    const text = readShared('rocketchat/HISTORY.md');
    // The file mixes CRLF and LF; item text always uses \n.
    rocketchatLines = text.split(/\r\n?|\n/);
    rocketchat = parseNotes(text, 'HISTORY.md');
    saleor = parseNotes(readShared('saleor/CHANGELOG.md'), 'CHANGELOG.md');
    healthchecks = parseNotes(readShared('healthchecks/CHANGELOG.md'), 'CHANGELOG.md');
  });

  it('finds every version heading of Rocket.Chat, in file order, with dates from the line under it', () => {
    assert.equal(rocketchat.format, 'markdown');
    assert.equal(rocketchat.sections.length, 143);
    assert.deepEqual(rocketchat.problems, []);
    assert.deepEqual(
      rocketchat.sections.slice(0, 3).map((s) => [s.version, s.line, s.date]),
      [
        ['3.4.0', 2, '2020-06-30'],
        ['3.3.3', 358, '2020-06-11'],
        ['3.3.2', 381, '2020-06-10'],
      ],
    );
    assert.ok(rocketchat.sections.some((s) => s.version === '2.4.12'));
    assert.ok(!rocketchat.sections.some((s) => s.version === '2.4.11'));
  });

  it('splits Rocket.Chat sections into items with exact lines, sub-headings and details summaries', () => {
    const v340 = section(rocketchat, '3.4.0');
    const node = v340.items[1];
    assert.equal(node.text, '- Node: `12.16.1`');
    assert.deepEqual([node.line, node.endLine, node.heading], [6, 6, ['Engine versions']]);
    const indexes = itemAt(rocketchat, 53);
    assert.match(indexes.text, /^- \*\*Performance:\*\* Add new database indexes/);
    assert.deepEqual(indexes.heading, ['🚀 Improvements']);
    // The `<details>` block after the bug fixes is its own sub-section, not part of "Bug fixes".
    const minor = v340.items.find((i) => i.text.startsWith('- Change some components'));
    assert.deepEqual(minor?.heading, ['🔍 Minor changes']);
    // Every item's text is exactly its source lines.
    for (const item of v340.items) {
      assert.equal(item.text, rocketchatLines.slice(item.line - 1, item.endLine).join('\n').trim());
    }
  });

  it('handles version headings at two levels in one file (saleor: # for 3.x, ## for 2.x)', () => {
    assert.equal(saleor.sections.length, 52);
    assert.equal(section(saleor, '3.20.0').line, 5);
    assert.equal(section(saleor, '2.11.0').line, 1852);
    assert.equal(section(saleor, '2.0.0').items.length > 5, true);
    assert.equal(section(saleor, '3.10.0').label, '3.10.0 [Unreleased]');
    const nested = itemAt(saleor, 102 + 2);
    assert.deepEqual(nested.heading, ['Breaking changes']);
    assert.ok(nested.endLine >= nested.line + 5, 'nested bullets stay in their parent item');
    assert.deepEqual(itemAt(saleor, 1190).heading, ['Other changes', 'Models']);
  });

  it('reads healthchecks headings with a v prefix, short versions and a -dev pre-release', () => {
    assert.deepEqual(
      healthchecks.sections.slice(0, 3).map((s) => [s.version, s.date]),
      [
        ['4.4.0-dev', null],
        ['4.3.0', '2026-07-14'],
        ['4.2.0', '2026-04-28'],
      ],
    );
    const v35 = section(healthchecks, '3.5.0');
    assert.equal(v35.items[0].line, 227);
    assert.equal(v35.items[0].endLine, 232);
    assert.deepEqual(v35.items[0].heading, []);
  });

  it('parses and classifies the Rocket.Chat history, as the benchmark does', () => {
    const parsed = parseNotes(readShared('rocketchat/HISTORY.md'), 'HISTORY.md');
    assert.equal(parsed.sections.length, 143);
    assert.ok(parsed.sections.flatMap((s) => s.items).some((i) => i.risks.length > 0));
  });
});

describe('changelog parsing: formats', () => {
  it('reads Keep a Changelog with alerts, details, MkDocs admonitions and commit-style lines', () => {
    const parsed = parseNotes(readLocal('keep-a-changelog.md'), 'CHANGELOG.md');
    assert.deepEqual(
      parsed.sections.map((s) => [s.version, s.date]),
      [
        ['3.0.0', '2024-05-02'],
        ['3.0.0-rc.1', '2024-04-20'],
        ['2.4.0', '2024-03-10'],
        ['2.3.1', '2024-02-01'],
        ['2.3.0', '2024-01-22'],
      ],
    );
    const v300 = section(parsed, '3.0.0');
    assert.deepEqual([v300.items[0].line, v300.items[0].endLine, v300.items[0].callout], [13, 14, 'warning']);
    assert.equal(v300.items[3].endLine, 22, 'a wrapped bullet keeps its continuation line');
    const admonition = section(parsed, '2.3.1').items[1];
    assert.equal(admonition.callout, 'danger');
    assert.match(admonition.text, /will be deleted by the new cleanup job\.$/);
    assert.deepEqual(section(parsed, '2.3.1').items[0].heading, ['Internal changes']);
    // The link reference definitions at the end belong to no item.
    assert.ok(!parsed.sections.flatMap((s) => s.items).some((i) => i.text.startsWith('[3.0.0]:')));
  });

  it('reads conventional-changelog output with ## minor and ### patch releases', () => {
    const parsed = parseNotes(readLocal('conventional.md'), 'CHANGELOG.md');
    assert.deepEqual(
      parsed.sections.map((s) => s.version),
      ['5.0.0', '4.1.1', '4.1.0'],
    );
    assert.deepEqual(section(parsed, '4.1.1').items[0].heading, ['Bug Fixes']);
    assert.deepEqual(section(parsed, '5.0.0').items[0].heading, ['⚠ BREAKING CHANGES']);
  });

  it('reads reStructuredText changelogs with titles, bullets and directives', () => {
    const parsed = parseNotes(readLocal('CHANGES.rst'), 'CHANGES.rst');
    assert.equal(parsed.format, 'rst');
    assert.deepEqual(
      parsed.sections.map((s) => [s.version, s.date]),
      [
        ['2.0.0', '2024-03-04'],
        ['1.9.1', '2024-01-15'],
        ['1.9.0', '2023-12-01'],
      ],
    );
    const [dropped, renamed, warning, deprecated] = section(parsed, '2.0.0').items;
    assert.deepEqual([dropped.line, dropped.heading], [11, ['Backwards incompatible changes']]);
    assert.deepEqual([renamed.line, renamed.endLine], [12, 13]);
    assert.deepEqual([warning.line, warning.endLine, warning.callout], [15, 17, 'warning']);
    assert.deepEqual(deprecated.heading, ['Deprecations']);
  });

  it('reads a Django per-version release file as one version with its title skipped', () => {
    const parsed = parseNotes(readLocal('django-4.2.txt'), 'docs/releases/4.2.txt', { version: '4.2.0' });
    assert.equal(parsed.format, 'rst');
    assert.equal(parsed.sections.length, 1);
    const [v42] = parsed.sections;
    assert.equal(v42.date, '2023-04-03');
    const removed = v42.items.find((i) => i.text.includes('PostgreSQL 11'));
    assert.deepEqual(removed?.heading, ['Backwards incompatible changes in 4.2', 'Database backend API']);
  });

  it('reads a table of contents (entries that only link to anchors of the page) as no items, and keeps a list with one real entry', () => {
    const text = [
      '# Changelog', //                                    1
      '',
      '- [v1.28.1](#v1281)',
      '  - [Changes by Kind](#changes-by-kind)',
      '    - [Bug or Regression](#bug-or-regression)',
      '- [v1.28.0](#v1280)',
      '',
      '## v1.28.1', //                                      8
      '',
      '- [Fixed a crash](#fixed-a-crash)',
      '- Removed the `--foo` flag, see [the docs](https://example.com/docs#foo)', // 11
      '',
      '## v1.28.0',
      '',
      '- Added the `--bar` flag', //                       15
    ].join('\n');
    const parsed = parseNotes(text, 'CHANGELOG.md');
    assert.deepEqual(
      parsed.sections.map((s) => [s.version, s.items.map((i) => i.line)]),
      [
        ['1.28.1', [10, 11]],
        ['1.28.0', [15]],
      ],
    );
  });

  it('reads a category line over a note and then its list (OpenTofu: "UPGRADE NOTES:", "> [!NOTE]", the list) as their heading', () => {
    const text = [
      '## 1.11.0', //                                              1
      '',
      'UPGRADE NOTES:',
      '',
      '> [!NOTE]', //                                              5
      '> Read the migration guide first.',
      '',
      '* The `-state` flag is removed.',
      '',
      'ENHANCEMENTS:', //                                          10
      '',
      '> a quote with no list after it',
      '',
      'The end.',
    ].join('\n');
    const items = section(parseNotes(text, 'CHANGELOG.md'), '1.11.0').items;
    assert.deepEqual(
      items.map((i) => [i.line, i.heading, i.callout]),
      [
        [5, ['UPGRADE NOTES'], 'note'],
        [8, ['UPGRADE NOTES'], undefined],
        [10, [], undefined],
        [12, [], undefined],
        [14, [], undefined],
      ],
    );
    assert.ok(items[1].risks.includes('upgrade_path'));
  });

  it('reads category lines over a list (HashiCorp: "BREAKING CHANGES:", "BUG FIXES:") as the headings of that list, not items', () => {
    const text = [
      '## 1.17.0 (October 31, 2023)', //     1
      '',
      'BREAKING CHANGES:',
      '',
      '* api: the `foo` field is removed', // 5
      '',
      'BUG FIXES:',
      '',
      '* ui: fix a crash', //                 9
      '* cli: fix a flag', //                 10
      '',
      'Known issues: see the docs.', //       12
      '',
      'Notes:',
      'this paragraph is no list.', //        15
    ].join('\n');
    const parsed = parseNotes(text, 'CHANGELOG.md');
    const items = section(parsed, '1.17.0').items;
    assert.deepEqual(
      items.map((i) => [i.line, i.heading]),
      [
        [5, ['BREAKING CHANGES']],
        [9, ['BUG FIXES']],
        [10, ['BUG FIXES']],
        [12, []],
        [14, []],
      ],
    );
    assert.deepEqual(itemAt(parsed, 5).risks, ['breaking']);
    assert.deepEqual(itemAt(parsed, 9).risks, []);
  });

  it('reads a category line over paragraphs (Prometheus exporters: "BREAKING CHANGES:", prose, then the tagged list) as the heading of that prose only', () => {
    const text = [
      '## 0.13.0 / 2023-06-21', //                                            1
      '',
      'BREAKING CHANGES:',
      '',
      'Please note, the following features are deprecated:', //              5
      '- `auto-discover-databases`',
      '',
      'The `ts` log label is replaced by `time`.', //                         8
      '',
      '* [CHANGE] Adjust log level #784', //                                  10
      '* [BUGFIX] Fix a crash #809',
      '',
      '## 0.12.0 / 2023-03-21',
      '',
      'BREAKING CHANGES:', //                                                 15
      '',
      '### Collector flag changes',
      '',
      'The `foo` collector is renamed.', //                                   19
    ].join('\n');
    const parsed = parseNotes(text, 'CHANGELOG.md');
    assert.deepEqual(
      section(parsed, '0.13.0').items.map((i) => [i.line, i.heading]),
      [
        [5, ['BREAKING CHANGES']],
        [6, ['BREAKING CHANGES']],
        [8, ['BREAKING CHANGES']],
        [10, []],
        [11, []],
      ],
    );
    assert.ok(itemAt(parsed, 8).risks.includes('breaking'));
    assert.deepEqual(itemAt(parsed, 11).risks, []);
    // Over a heading, the line heads nothing: it stays as it is.
    assert.deepEqual(
      section(parsed, '0.12.0').items.map((i) => [i.line, i.heading]),
      [
        [15, []],
        [19, ['Collector flag changes']],
      ],
    );
  });

  it('reads AsciiDoc description-list terms alone on a line (Elasticsearch components) as sub-headings', () => {
    const text = ['[[release-notes-8.10.1]]', '== {es} version 8.10.1', '', '[[bug-8.10.1]]', '[float]', '=== Bug fixes', '', 'Aggregations::', '* Use long in Centroid count', '', 'Infra/Core::', '* Fix deadlock', '', '=== Upgrades', '', '* Upgrade Lucene'].join('\n');
    const parsed = parseNotes(text, 'docs/reference/release-notes/8.10.1.asciidoc', { version: '8.10.1', kind: 'version-file' });
    assert.deepEqual(
      parsed.sections[0].items.map((i) => [i.line, i.heading]),
      [
        [9, ['Bug fixes', 'Aggregations']],
        [12, ['Bug fixes', 'Infra/Core']],
        [16, ['Upgrades']],
      ],
    );
  });

  it('attaches to an AsciiDoc list entry what a `+` continuation attaches, and no later entry', () => {
    const text = [
      '== 2.21.0', //                                                          1
      '',
      '. Two files will need to be updated:',
      ' .. `etc/bootstrap.xml`',
      '+', //                                                                  5
      'In both files change the XML namespace, e.g. use:',
      '+',
      '[,xml]',
      '----',
      '<broker xmlns="http://example.org/schema">', //                        10
      '----',
      '. If you use JDBC persistence, stop every broker and alter the table.',
      '',
      '== 2.20.0',
      '', //                                                                  15
      '* A bulleted entry with a numbered list in it:',
      '+',
      '. the first case',
      '. the second case',
      '+', //                                                                 20
      'A paragraph attached after them.',
      '* The next bulleted entry',
      '+',
      '* An entry right after a continuation',
    ].join('\n');
    const parsed = parseNotes(text, 'versions.adoc');
    assert.deepEqual(parsed.sections.map((s) => [s.version, s.items.map((i) => [i.line, i.endLine])]), [
      ['2.21.0', [[3, 11], [12, 12]]],
      ['2.20.0', [[16, 21], [22, 23], [24, 24]]],
    ]);
  });

  it('joins an AsciiDoc lead-in ending in a colon to the listing right after it', () => {
    const text = [
      '== 2.13.0', //                                   1
      '',
      'Add this to your `logging.properties`:',
      '',
      '----', //                                        5
      'logger.audit.level=ERROR',
      '----',
      '',
      'A paragraph that introduces nothing.',
      '', //                                            10
      '----',
      'a listing of its own',
      '----',
      '',
      'A warning comes next:', //                        15
      '',
      '[WARNING]',
      '====',
      'A warning block is an item of its own.',
      '====', //                                         20
    ].join('\n');
    const parsed = parseNotes(text, 'versions.adoc');
    assert.deepEqual(parsed.sections[0].items.map((i) => [i.line, i.endLine]), [
      [3, 7],
      [9, 9],
      [11, 13],
      [15, 15],
      [17, 20],
    ]);
  });

  it('reads AsciiDoc bold phrases alone on a line over entries (Beats components) as sub-headings', () => {
    const text = [
      '[[release-notes-7.16.3]]', //                        1
      '=== Beats version 7.16.3',
      'https://github.com/acme/beats/compare/v7.16.2...v7.16.3[View commits]',
      '',
      '==== Breaking changes', //                             5
      '',
      '*Affecting all Beats*',
      '',
      '- Drop the `legacy` output setting. {pull}123[123]',
      '', //                                                  10
      '*Filebeat*',
      '- Rename the `paths` input option. {pull}124[124]',
      '',
      '==== Bugfixes',
      '', //                                                  15
      '*Filebeat* now retries on a closed file, the text of a paragraph.',
      '',
      '- Fix a panic. {pull}125[125]',
    ].join('\n');
    const parsed = parseNotes(text, 'CHANGELOG.asciidoc');
    assert.deepEqual(
      parsed.sections[0].items.map((i) => [i.line, i.heading]),
      [
        [3, []],
        [9, ['Breaking changes', 'Affecting all Beats']],
        [12, ['Breaking changes', 'Filebeat']],
        [16, ['Bugfixes']],
        [18, ['Bugfixes']],
      ],
    );
    assert.deepEqual(itemAt(parsed, 12).risks, ['breaking']);
  });

  it("reads a release's bold line under its series heading as its version heading (PgBouncer's NEWS.md)", () => {
    const text = [
      'PgBouncer changelog',
      '===================',
      '',
      'PgBouncer 1.8.x',
      '---------------',
      '',
      '**2017-12-20  -  PgBouncer 1.8.1  -  "Ground-and-pound Mentality"**',
      '',
      '- Fixes',
      '  * Include file `include/pam.h` into distribution tarball.', // 10
      '',
      '**2017-12-19  -  PgBouncer 1.8  -  "Confident at the Helm"**',
      '',
      '- Features',
      '  * Support PAM authentication.', //                           15
      '',
      '**Note:** a bold paragraph that is no version.', //             17
    ].join('\n');
    const parsed = parseNotes(text, 'NEWS.md');
    assert.deepEqual(
      parsed.sections.map((s) => [s.version, s.date, s.items.map((i) => [i.line, i.heading.join(' > ')])]),
      [
        ['1.8.1', '2017-12-20', [[10, 'Fixes']]],
        ['1.8.0', '2017-12-19', [[15, 'Features'], [17, '']]],
      ],
    );
  });

  it('skips YAML front matter: its keys are no heading and no version', () => {
    const text = ['---', 'title: Release 1.15', "description: 'cert-manager release notes'", 'release: 1.15.0', '---', '', '> The CLI has moved.', '', '## v1.15.1', '', '- Fix a crash.'].join('\n');
    const parsed = parseNotes(text, 'content/docs/releases/release-notes/release-notes-1.15.md', { version: '1.15.0', kind: 'version-file' });
    assert.deepEqual(
      parsed.sections.map((s) => [s.version, s.items.map((i) => [i.line, i.heading])]),
      [
        ['1.15.0', [[7, []]]],
        ['1.15.1', [[11, []]]],
      ],
    );
    // A rule at the top that is no front matter stays what it is.
    const rule = parseNotes(['---', 'Some text.', '', '## 1.0.0', '', '- item'].join('\n'), 'CHANGELOG.md');
    assert.deepEqual(rule.sections.map((s) => s.version), ['1.0.0']);
    // Rules around the first versions are no front matter either: nothing between them is lost.
    const rules = parseNotes(['---', '## 1.1.0', '- note: kept', '---', '## 1.0.0', '- item'].join('\n'), 'CHANGELOG.md');
    assert.deepEqual(rules.sections.map((s) => [s.version, s.items.length]), [['1.1.0', 1], ['1.0.0', 1]]);
  });

  it("skips Hugo's TOML front matter, and reads change lines without list markers one per line", () => {
    const text = [
      '+++', //                                                                   1
      'title = "Release 1.14.7"',
      'release = "1.14.7"',
      'date = "2026-07-10T00:00:00+00:00"',
      '+++',
      '',
      'This release hardens the cache.', //                                    7
      '',
      '## Noteworthy Changes',
      '',
      'core: Add a connection limit (https://example.org/pull/1)', //          11
      'plugin/cache: Fix a race (https://example.org/pull/2)', //              12
      'plugin/acl: Fix autopath bypassing acl checks (https://example.org/pull/3)', // 13
      '',
      'Two lines of prose: the first one', //                                   15
      'and: the second one.',
    ].join('\n');
    const parsed = parseNotes(text, 'notes/coredns-1.14.7.md', { version: '1.14.7', kind: 'version-file' });
    assert.deepEqual(parsed.sections.map((s) => [s.version, s.items.map((i) => i.line)]), [['1.14.7', [7, 11, 12, 13, 15]]]);
    // `+++` that opens no `key = value` block is no front matter.
    const plain = parseNotes(['+++', 'Some text.', '+++', '', '## 1.0.0', '', '- item'].join('\n'), 'CHANGELOG.md');
    assert.deepEqual(plain.sections.map((s) => s.version), ['1.0.0']);
  });

  it('keeps a code block or a table with the paragraph or the entry that introduces it with a colon', () => {
    const text = [
      '# Upgrade to 2.0', //                                                       1
      '',
      'Given a configuration file like this:', //                                  3
      '',
      '```yaml',
      'options: {key: value}',
      '```',
      '',
      '```ruby', //                                                                9
      'config_for(:example)',
      '```',
      '',
      'The return value is now a hash.', //                                       13
      '',
      '```ruby', //                                                               15
      'config_for(:example).options',
      '```',
      '',
      '- Update your values to use the new images:', //                          19
      '',
      '```yaml',
      'image: ghcr.io/example/app',
      '```',
      '',
      'The settings that changed:', //                                           25
      '',
      '| old | new |',
      '|-----|-----|',
      '| a   | b   |',
      '',
      'Run:', //                                                                 31
      '',
      '## Other', //                                                             33
      '',
      '```sh', //                                                                35
      'make upgrade',
      '```',
    ].join('\n');
    const parsed = parseNotes(text, 'UPGRADE.md', { kind: 'upgrade' });
    const items = parsed.sections.flatMap((s) => s.items.map((i) => [i.line, i.endLine]));
    // The lead-in takes the first block after it only; a paragraph without a colon takes none, and
    // a heading between them keeps them apart.
    assert.deepEqual(items, [[3, 7], [9, 11], [13, 13], [15, 17], [19, 23], [25, 29], [31, 31], [35, 37]]);
    assert.match(parsed.sections[0].items[0].text, /^Given a configuration file like this:\n\n```yaml\noptions/);
  });

  it('skips paragraphs that hold only HTML comments (release tooling markers)', () => {
    const text = ['<!-- 8.0.6 START -->', '', '# 8.0.6 (2021-07-14)', '', '- **Alerting**: Fix a crash.', '', '<!-- 8.0.6 END -->', '<!-- 8.0.5 START -->', '', '# 8.0.5', '', '<!-- not closed', '- item'].join('\n');
    const parsed = parseNotes(text, 'CHANGELOG.md');
    assert.deepEqual(
      parsed.sections.map((s) => [s.version, s.items.map((i) => i.line)]),
      [
        ['8.0.6', [5]],
        ['8.0.5', [12, 13]],
      ],
    );
  });

  it('reads a one-line emphasized paragraph right under a heading as its caption (a date, a description), not a note', () => {
    const md = [
      '## 8.5', //                                               1
      '',
      '_Released 2024-07-31_',
      '',
      '- Fixed a crash.', //                                    5
      '',
      '### Incompatible changes',
      '',
      '*Changes that may need a deployment change.*',
      '',
      '- The `foo` option is gone.', //                         11
      '',
      '*Note: this release runs a long database migration.*', // 13: italic, but not right under a heading
      '',
      '## 8.4',
      '',
      '*Note: back up the database first.*', //                 17: a note set in italics
      '',
      '- Item *one* and *two*.', //                             19
    ].join('\n');
    assert.deepEqual(
      parseNotes(md, 'CHANGELOG.md').sections.map((s) => [s.version, s.items.map((i) => i.line)]),
      [
        ['8.5.0', [5, 11, 13]],
        ['8.4.0', [17, 19]],
      ],
    );
    const rst = ['3.2.1 release notes', '===================', '', '*April 6, 2021*', '', 'Django 3.2.1 fixes a bug.', '', '*Read this before upgrading, it matters.*', ''].join('\n');
    assert.deepEqual(parseNotes(rst, 'docs/releases/3.2.1.txt', { version: '3.2.1' }).sections.flatMap((s) => s.items.map((i) => i.line)), [6, 8]);
    // A description that ends in a cross-reference or a link is a caption too; more words after it are a note.
    const envoy = [
      '1.21.0 (January 12, 2022)', //                                                  1
      '=========================',
      '',
      'Removed Config or Runtime',
      '-------------------------',
      '*Normally occurs at the end of the* :ref:`deprecation period <deprecated>`',
      '',
      '* http: removed ``envoy.reloadable_features.foo`` and legacy code paths.', //    8
      '',
      'New Features',
      '------------',
      '*See the* [guide](https://example.org/guide) *first*, it explains the upgrade.', // 12
      '',
    ].join('\n');
    assert.deepEqual(parseNotes(envoy, 'docs/root/version_history/v1.21.0.rst', { version: '1.21.0' }).sections.flatMap((s) => s.items.map((i) => i.line)), [8, 12]);
  });

  it('reads titled version headings and a release date set in bold under them', () => {
    const md = [
      '# Release notes', //                              1
      '',
      '## v1.01: Stability and packaging',
      '',
      '__Released May 17, 2016__',
      '',
      '* Fixed a crash on restore.', //                   7
      '* Added a checksum option.', //                    8
      '',
      '## v1.00: A new numbering',
      '',
      '**Release date: April 14, 2016**',
      '',
      '* The archive format changed.', //                 14
      '',
      '**Released with a known issue in restore**', //     16: bold, but no date: a note
      '',
      '**1.0: the default port is now 8432**', //          18: a bold line with a version and words: a note
    ].join('\n');
    const parsed = parseNotes(md, 'CHANGELOG.md');
    assert.deepEqual(
      parsed.sections.map((s) => [s.version, s.date, s.items.map((i) => i.line)]),
      [
        ['1.1.0', '2016-05-17', [7, 8]],
        ['1.0.0', '2016-04-14', [14, 16, 18]],
      ],
    );
  });

  it('reads a plain date line under a version heading (`Released at 2024-08-28`, `Release date: 2024-04-08`) as its date, not a note', () => {
    const md = [
      '## v1.102.0', //                                      1
      '',
      'Released at 2024-08-28',
      '',
      '* FEATURE: a new flag.', //                           5
      '',
      '## 1.101.0',
      '',
      'Release date: 2024-04-08',
      '', //                                                 10
      'Released at the same time as the operator 0.4, with one fix:',
      '',
      '* BUGFIX: a crash.',
    ].join('\n');
    assert.deepEqual(
      parseNotes(md, 'CHANGELOG.md').sections.map((s) => [s.version, s.date, s.items.map((i) => i.line)]),
      [
        ['1.102.0', '2024-08-28', [5]],
        ['1.101.0', '2024-04-08', [11, 13]],
      ],
    );
    const rst = ['Version 4.0.3', '-------------', '', 'Released 2024-10-18', '', '- Fix a crash.'].join('\n');
    assert.deepEqual(
      parseNotes(rst, 'docs/releases.rst').sections.map((s) => [s.version, s.date, s.items.map((i) => i.line)]),
      [['4.0.3', '2024-10-18', [6]]],
    );
  });

  it('reads a title adorned with any punctuation the reStructuredText spec allows', () => {
    const rst = [
      '%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%', // 1
      'Upgrading from Varnish-Cache 6.0 to 7.0', //  2
      '%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%', // 3
      '', //                                          4
      'Version 7.0.0', //                             5
      '!!!!!!!!!!!!!', //                             6
      '', //                                          7
      '- The ``-T`` option was removed.', //          8
      '', //                                          9
      'Version 6.6.0', //                            10
      '$$$$$$$$$$$$$', //                            11
      '', //                                         12
      '- Fix a crash.', //                           13
    ].join('\n');
    const read = (text: string) => parseNotes(text, 'doc/changes.rst').sections.map((s) => [s.version, s.items.map((i) => [i.line, i.heading])]);
    // No adornment line is an item: read as the same document adorned with `=` and `-` is.
    assert.deepEqual(read(rst), read(rst.replace(/%/g, '=').replace(/[!$]/g, '-')));
    assert.deepEqual(read(rst), [
      ['7.0.0', [[8, ['Version 7.0.0']]]],
      ['6.6.0', [[13, []]]],
    ]);
    // A run of a rarer character (`;;;`, `%%%`) adorns only a title it is as long as, and a list
    // entry is never a title: a separator in a NEWS file hides nothing.
    const news = (text: string) => parseNotes(text, 'NEWS').sections.map((s) => [s.version, s.items.map((i) => [i.line, i.risks])]);
    assert.deepEqual(news('Version 2.0\n\n- a\n- b\n%%%%%%%%\n- c: removes the --legacy flag\n- d\n'), [['2.0.0', [[3, []], [4, []], [6, ['breaking']], [7, []]]]]);
    assert.deepEqual(news('Version 2.0\n\n- a\n- b\n--------\n- c\n'), [['2.0.0', [[3, []], [4, []], [6, []]]]]);
    assert.deepEqual(news('Version 1.2.0\n\nIMPORTANT: back up your database before upgrading\n;;;\n\nVersion 1.1.0\n- Older fix'), [
      ['1.2.0', [[3, ['data_loss', 'upgrade_path']]]],
      ['1.1.0', [[7, []]]],
    ]);
  });

  it('reads a category line over its list across comments between them', () => {
    const md = ['## 1.0.0', '', 'BUG FIXES:', '', '<!-- added by the release bot -->', '', '- Fix a crash.', '', 'BREAKING CHANGES:', '<!-- x -->', '- Remove `--z`.'].join('\n');
    assert.deepEqual(
      parseNotes(md, 'CHANGELOG.md').sections[0].items.map((i) => [i.line, i.heading, i.risks]),
      [
        [7, ['BUG FIXES'], []],
        [11, ['BREAKING CHANGES'], ['breaking']],
      ],
    );
  });

  it('reads a short capitalized label ending in a colon over a list as the list\'s sub-heading', () => {
    const md = [
      '## 0.47.0', //                                           1
      '',
      'Dependency bumps:',
      '',
      '- Bump golang.org/x/net from 0.1.0 to 0.2.0', //         5
      '',
      'Enterprise:',
      '* Fix the license check.',
      '',
      'The following flags were removed:', //                    10
      '- `--legacy`',
      '',
      'Dependency bumps: none this time, see below.',
      '',
      '- An entry after a sentence.', //                         15
    ].join('\n');
    assert.deepEqual(
      parseNotes(md, 'CHANGELOG.md').sections[0].items.map((i) => [i.line, i.heading]),
      [
        [5, ['Dependency bumps']],
        [8, ['Enterprise']],
        [10, []],
        [11, []],
        [13, []],
        [15, []],
      ],
    );
    // A label that says something itself, or would hide its list, stays a note.
    const kept = ['## 3.0.0', '', 'Data loss warning:', '- The `cache/` directory', '', 'Warning:', '- x', '', 'Thanks:', '- Fixed a crash (#12)', '', 'Engines:', '- Node: 18.0.0'].join('\n');
    assert.deepEqual(
      parseNotes(kept, 'CHANGELOG.md').sections[0].items.map((i) => [i.line, i.heading, i.risks]),
      [
        [3, [], ['data_loss']],
        [4, [], []],
        [6, [], ['breaking']],
        [7, [], []],
        [9, [], []],
        [10, [], []],
        [12, [], []],
        [13, [], ['requirement']],
      ],
    );
  });

  it('lets only a line of a role worth watching head prose, and never over a list of tagged entries', () => {
    const items = (text: string) => parseNotes(text, 'CHANGELOG.md').sections.flatMap((s) => s.items.map((i) => [i.line, i.heading, i.risks]));
    // "Bug fixes:" over paragraphs heads none of them: a later breaking change stays one.
    assert.deepEqual(items(['## 1.5.0', '', 'Bug fixes:', '', 'Fixed the crash when the socket closes early.', '', 'The default `pool_size` has changed from 10 to 50.'].join('\n')), [
      [3, [], []],
      [5, [], []],
      [7, [], ['breaking']],
    ]);
    // The release's tagged entries are its own list, even after a paragraph ending in a colon.
    assert.deepEqual(
      items(['## 0.16.0', '', 'BREAKING CHANGES:', '', 'The `--foo` flag is removed.', '', 'Here is the full list of changes:', '', '* [ENHANCEMENT] Add a metric #1', '* [BUGFIX] Fix a crash #2'].join('\n')).map((i) => i.slice(0, 2)),
      [
        [5, ['BREAKING CHANGES']],
        [7, ['BREAKING CHANGES']],
        [9, []],
        [10, []],
      ],
    );
    // A comment between the line and a list is skipped: the line heads the list.
    assert.deepEqual(items(['## 1.0.0', '', 'BREAKING CHANGES:', '', '<!-- generated -->', '', '* renamed y'].join('\n')), [[7, ['BREAKING CHANGES'], ['breaking']]]);
  });

  it('reads a reStructuredText "Upgrade notes:" line over paragraphs as their heading, but not "Bug fixes:" (borg)', () => {
    const text = [
      'Version 1.2.4 (2023-03-24)', //                                   1
      '--------------------------',
      '',
      'Upgrade notes:',
      '', //                                                              5
      'Some things can be recommended for the upgrade from 1.1.x:',
      '',
      '- first upgrade to a recent 1.1.x release.',
      '',
      'If you follow this procedure, you help us.', //                    10
      '',
      'Fixes:',
      '',
      'Fixed the crash when the socket closes early.',
      '', //                                                              15
      'The default pool size has changed from 10 to 50.',
    ].join('\n');
    const parsed = parseNotes(text, 'docs/changes.rst');
    assert.deepEqual(
      parsed.sections[0].items.map((i) => [i.line, i.heading]),
      [
        [6, ['Upgrade notes']],
        [8, ['Upgrade notes']],
        [10, ['Upgrade notes']],
        [12, []],
        [14, []],
        [16, []],
      ],
    );
    assert.ok(itemAt(parsed, 8).risks.includes('upgrade_path'));
    assert.ok(itemAt(parsed, 16).risks.includes('breaking'));
  });

  it('ends a paragraph at a banner right under it, so the next version keeps its notes', () => {
    const text = ['==================  9.4.0 ==================', 'Other Changes', '---------------------', '(No changes)', '==================  9.3.0 ==================', 'Bug Fixes', '---------------------', '* SOLR-2: Fix b'].join('\n');
    assert.deepEqual(
      parseNotes(text, 'solr/CHANGES.txt').sections.map((s) => [s.version, s.items.map((i) => [i.line, i.endLine])]),
      [
        ['9.4.0', [[4, 4]]],
        ['9.3.0', [[8, 8]]],
      ],
    );
  });

  it("reads a version between banners of equals signs (Solr's CHANGES.txt) as its heading, over the underlined sections", () => {
    const text = [
      '                      Apache Solr Release Notes', // 1
      '',
      '==================  9.4.0 ==================',
      'New Features',
      '---------------------', //                           5
      '* SOLR-16654: Add support for node-level caches',
      '',
      'Dependency Upgrades',
      '---------------------',
      '(No changes)', //                                    10
      '',
      '==================  9.3.0 ==================',
      '',
      'Upgrade Notes',
      '---------------------', //                           15
      '* SOLR-16563: The v2 `/collections` API now returns 400 for a missing name',
    ].join('\n');
    const parsed = parseNotes(text, 'solr/CHANGES.txt');
    assert.deepEqual(
      parsed.sections.map((s) => [s.version, s.items.map((i) => [i.line, i.heading])]),
      [
        ['9.4.0', [[6, ['New Features']], [10, ['Dependency Upgrades']]]],
        ['9.3.0', [[16, ['Upgrade Notes']]]],
      ],
    );
    assert.ok(itemAt(parsed, 16).risks.includes('upgrade_path'));
  });

  it('takes a plain date line for the date only right under the version, and only when it is a date', () => {
    const sections = (md: string) => parseNotes(md, 'CHANGELOG.md').sections.map((s) => [s.version, s.date, s.items.map((i) => i.text)]);
    // Under a sub-heading, the date is what the section says.
    assert.deepEqual(sections(['## 3.0.0', '', '* a', '', '### End of support', '', '2025-01-31'].join('\n')), [['3.0.0', null, ['* a', '2025-01-31']]]);
    // A date written with dots is read; a line that only looks like one stays a note.
    assert.deepEqual(sections(['## 3.0.0', '', 'Release date: 18.10.2024', '', '* a'].join('\n')), [['3.0.0', '2024-10-18', ['* a']]]);
    assert.deepEqual(sections(['## 3.0.0', '', 'Released 2024.13.45', '', '* a'].join('\n')), [['3.0.0', null, ['Released 2024.13.45', '* a']]]);
  });

  it('reads a NEWS section between asterisks (PostGIS) as a heading over the entries indented under it', () => {
    const text = [
      'PostGIS 3.4.0', //                                            1
      '2023/08/15',
      '',
      'This version requires PostgreSQL 12-16.',
      '', //                                                         5
      '* Breaking Changes *',
      '',
      ' - #5229, Drop support for Proj < 6.1 (Regina Obe)',
      ' - #5306, Remove the `legacy.sql` scripts,',
      '          use the new functions (Sandro Santilli)', //       10
      '',
      ' * New Features*',
      '',
      ' - #5055, complete manual internationalization (Sandro Santilli)',
      '', //                                                         15
      '* a bullet between *stars* is a bullet *',
    ].join('\n');
    const parsed = parseNotes(text, 'NEWS');
    assert.deepEqual(
      parsed.sections.map((s) => [s.version, s.date, s.items.map((i) => [i.line, i.endLine, i.heading])]),
      [
        [
          '3.4.0',
          // The date under the version is its date, no note.
          '2023-08-15',
          [
            [4, 4, []],
            [8, 8, ['Breaking Changes']],
            [9, 10, ['Breaking Changes']],
            [14, 14, ['New Features']],
            [16, 16, ['New Features']],
          ],
        ],
      ],
    );
    assert.ok(itemAt(parsed, 8).risks.includes('breaking'));
  });

  it('reads a plain-text line with a version, a colon and words as a note, not a heading', () => {
    const text = ['Release 2.1', '', '* 2.0: the default port is now 8432', '* Fixed a crash.', ''].join('\n');
    assert.deepEqual(parseNotes(text, 'NEWS').sections.map((s) => [s.version, s.items.length]), [['2.1.0', 2]]);
  });

  it('reads a bullet that is only a label over nested entries as their sub-heading: in capitals, in bold, or a short name', () => {
    const md = [
      '## 8.0.0', //                                                       1
      '',
      '* BREAKING',
      '  * Removed the `foo` setting.', //                                 4
      '* **Breaking changes requiring manual intervention:**',
      '  * Webhooks now always send full refs.', //                        6
      '  * MySQL 8.0 is the minimum supported version.', //                7
      '* **Security fixes**',
      '  * Fix an XSS in the wiki.', //                                    9
      '* **Removed** the legacy API, see below.', //                       10: a sentence, no label
      '  * `/api/v0` is gone.',
      '* Player:', //                                                      12: a component's name over its entries
      '  * Faster seeking.', //                                            13
      '* Proxy (data plane)',
      '  * The proxy now drops idle metrics.', //                          15
      '  * `h2` fixed a window bug.', //                                   16
      '* Update the `foo` and `bar` modules:', //                          17: code in it, no name
      '  * foo 1.2',
      '* Improve SEO and video link sharing:', //                          19: more than four words
      '  * Add meta tags.',
    ].join('\n');
    const items = parseNotes(md, 'CHANGELOG.md').sections[0].items;
    assert.deepEqual(
      items.map((i) => [i.line, i.heading]),
      [
        [4, ['BREAKING']],
        [6, ['Breaking changes requiring manual intervention:']],
        [7, ['Breaking changes requiring manual intervention:']],
        [9, ['Security fixes']],
        [10, []],
        [13, ['Player:']],
        [15, ['Proxy (data plane)']],
        [16, ['Proxy (data plane)']],
        [17, []],
        [19, []],
      ],
    );
    assert.deepEqual(items[1].risks, ['breaking']);
    // An introduction before the entries, on the label's next lines or in a paragraph of its own: an item too.
    const intro = [
      '## 1.21.1-0', //                                                    1
      '',
      '- **Breaking:**',
      '  Note that changes to templates are not documented here.', //    4
      '  - The `CHARSET` option for MySQL was removed.', //               5
      '* Bug fixes', //                                                    6
      '',
      '  The most prominent ones are described here.', //                 8
      '',
      '  * Fix a crash in the doctor.', //                                10
    ].join('\n');
    assert.deepEqual(
      parseNotes(intro, 'RELEASE-NOTES.md').sections[0].items.map((i) => [i.line, i.heading]),
      [
        [4, ['Breaking:']],
        [5, ['Breaking:']],
        [8, ['Bug fixes']],
        [10, ['Bug fixes']],
      ],
    );
  });

  it('reads each line of a reStructuredText line block as an item, and a grid table as one', () => {
    const rst = [
      '************', //                                          1
      'Version 8.14',
      '************',
      '',
      'Bug fixes', //                                             5
      '*********',
      '',
      '  | `Issue #5099 <https://example.com/5099>`_ -  Fixed the restore of a dump.',
      '  | `Issue #7384 <https://example.com/7384>`_ -  Removed the `OLD_SETTING` option',
      '    from config.py, replaced by `NEW_SETTING`.', //       10
      '  | `Issue #7486 <https://example.com/7486>`_ -  Fixed a typo.',
      '',
      '+-----+-----+',
      '| a   | b   |',
      '+-----+-----+', //                                        15
    ].join('\n');
    const parsed = parseNotes(rst, 'docs/en_US/release_notes_8_14.rst', { version: '8.14.0', kind: 'version-file' });
    assert.deepEqual(
      parsed.sections[0].items.map((i) => [i.line, i.endLine]),
      [
        [8, 8],
        [9, 10],
        [11, 11],
        [13, 15],
      ],
    );
  });

  it("reads Sphinx's changelog directives (SQLAlchemy, Alembic): a release per `.. changelog::`, an item per `.. change::`", () => {
    const rst = [
      '==========', //                                             1
      'Changelog',
      '==========',
      '',
      '.. changelog::', //                                          5
      '    :version: 1.14.0',
      '    :released: November 4, 2024',
      '',
      '    .. change::',
      '        :tags: removed, autogenerate', //                   10
      '        :tickets: 1496',
      '',
      '        Removed the ``compare_server_default`` hook; use',
      '        ``compare_type`` instead.',
      '', //                                                        15
      '    .. change::',
      '        :tags: bug, operations',
      '',
      '        Fixed a crash.',
      '', //                                                        20
      '.. changelog::',
      '    :version: 1.13.3',
      '    :released: September 23, 2024 (withdrawn the same day)',
      '',
      '    .. change::', //                                         25
      '        :tags: usecase',
      '',
      '        Added the ``--check`` flag.',
      '',
      '.. changelog::', //                                          30
      '    :version: 1.13.2',
      '    :include_notes_from: unreleased',
    ].join('\n');
    const parsed = parseNotes(rst, 'docs/build/changelog.rst');
    assert.equal(parsed.format, 'rst');
    assert.deepEqual(
      parsed.sections.map((s) => [s.version, s.date, s.items.map((i) => [i.line, i.endLine, i.heading])]),
      [
        ['1.14.0', '2024-11-04', [[13, 14, ['Removed']], [19, 19, ['Bug fixes']]]],
        ['1.13.3', '2024-09-23', [[28, 28, ['Features']]]],
        ['1.13.2', null, []],
      ],
    );
    assert.deepEqual(itemAt(parsed, 13).risks, ['breaking']);
    assert.deepEqual(itemAt(parsed, 19).risks, []);
  });

  it('keeps a reStructuredText literal block (after `::`) with its paragraph, whatever lines it holds', () => {
    const rst = [
      '1.16 Upgrade Notes', //                                   1
      '------------------',
      '',
      'Export the current ConfigMap::', //                       4
      '',
      '    apiVersion: v1',
      '    endpoints:',
      '    - https://192.168.60.11:2379',
      '',
      '    # a comment in the sample',
      '',
      '* Remove the ``foo`` option before upgrading.', //        12
      '',
      '::', //                                                   14
      '',
      '    $ kubectl get pods',
      '',
      'The end.', //                                             18
    ].join('\n');
    const parsed = parseNotes(rst, 'Documentation/operations/upgrade.rst', { upgradeGuide: true, kind: 'upgrade' });
    assert.deepEqual(parsed.sections.flatMap((s) => s.items.map((i) => [i.line, i.endLine])), [
      [4, 10],
      [12, 12],
      [14, 16],
      [18, 18],
    ]);
  });

  it('reads an MDX page: its import and export statements are no items, its prose and JSX-wrapped text are', () => {
    const page = [
      '---',
      'title: Upgrade to 1.15.x',
      '---',
      "import Tabs from '@theme/Tabs';", //                     4
      "import { Note } from '../components';",
      '',
      'export const meta = {',
      "  sidebar: 'upgrading',",
      '};',
      '',
      '## Changes', //                                         11
      '',
      '<Note>',
      'Read this first.', //                                   14
      '</Note>',
      '',
      '- The `foo` option was removed, use `bar` instead.', // 17
      '- import the dashboards again after upgrading.', //    18
    ].join('\n');
    const parsed = parseNotes(page, 'website/content/docs/upgrading/upgrade-to-1.15.x.mdx', { version: '1.15.0', upgradeGuide: true, kind: 'upgrade' });
    assert.deepEqual(
      parsed.sections.flatMap((s) => s.items.map((i) => [s.version, i.line])),
      [
        ['1.15.0', 13],
        ['1.15.0', 17],
        ['1.15.0', 18],
      ],
    );
    // In prose, a paragraph that starts with the word "import" is a note.
    const prose = parseNotes(['## 2.0.0', '', 'import statements in plugins now need a file extension.'].join('\n'), 'CHANGELOG.md');
    assert.equal(prose.sections[0].items.length, 1);
  });

  it('reads a minor release page with "Fixed in" patch sections, and gives the sections after them back to the page', () => {
    const page = [
      '# Release 2022.7', //                                  1
      '',
      '## Breaking changes',
      '',
      '- Removal of verification certificates', //           5
      '',
      '## Fixed in 2022.7.2',
      '',
      '- flows: fix OOB flow', //                            9
      '',
      '## Fixed in 2022.7.3',
      '',
      '- core: delete expired models', //                    13
      '',
      '## Upgrading',
      '',
      'This release does not introduce any new requirements.', // 17
      '',
      '### Kubernetes',
      '',
      'Update your values to use the new images.', //        21
    ].join('\n');
    const parsed = parseNotes(page, 'website/docs/releases/2022/v2022.7.md', { version: '2022.7.0', kind: 'version-file' });
    assert.deepEqual(
      parsed.sections.map((s) => [s.version, s.items.map((i) => i.line)]),
      [
        ['2022.7.0', [5, 17, 21]],
        ['2022.7.2', [9]],
        ['2022.7.3', [13]],
      ],
    );
    assert.deepEqual(itemAt(parsed, 21).heading, ['Upgrading', 'Kubernetes']);
  });

  it("reads Redis's release notes: versions over- or underlined like their sections, dates with zones, pre-releases apart", () => {
    const text = [
      'Redis 7.4 release notes', //                                                   1
      '=======================',
      '',
      'Redis Community Edition 7.4.1    Released Wed 02 Oct 2024 20:17:04 IDT', //     4
      '================================================================================',
      '',
      'Upgrade urgency SECURITY: See security fixes below.', //                         7
      '',
      'Security fixes',
      '==============',
      '',
      '* (CVE-2024-31449) Lua library commands may lead to stack overflow and potential RCE.', // 12
      '',
      '================================================================================',
      'Redis Community Edition 7.4 RC2   Released Thu 27 Jun 2024 10:00:00 IST', //    15
      '================================================================================',
      '',
      'Bug fixes',
      '=========',
      '',
      '* Fix a crash in cluster mode (#13315)', //                                     21
      '',
      // In the last version too, a section marked up like the ones above stays in it.
      'Potentially Breaking Changes',
      '============================',
      '',
      '* SORT now rejects key patterns without full ACL access.', //                   26
      '',
      'Security Fixes:',
      '* (CVE-2022-24834) A heap overflow in the cjson library.', //                   29
    ].join('\n');
    const parsed = parseNotes(text, '00-RELEASENOTES');
    assert.deepEqual(
      parsed.sections.map((s) => [s.version, s.date, s.items.map((i) => [i.line, i.heading.join(' > ')])]),
      [
        // The file's title names the minor release: its own (empty) section.
        ['7.4.0', null, []],
        ['7.4.1', '2024-10-02', [[7, ''], [12, 'Security fixes']]],
        ['7.4.0-rc.2', '2024-06-27', [[21, 'Bug fixes'], [26, 'Potentially Breaking Changes'], [29, 'Potentially Breaking Changes > Security Fixes']]],
      ],
    );
    assert.deepEqual(itemAt(parsed, 12).risks, ['security']);
  });

  it('reads plain-text NEWS files', () => {
    const text = readLocal('NEWS');
    assert.equal(detectFormat('NEWS', text), 'text');
    const parsed = parseNotes(text, 'NEWS');
    assert.deepEqual(
      parsed.sections.map((s) => [s.version, s.date]),
      [
        ['9.4.0', '2023-08-29'],
        ['9.3.0', '2023-04-18'],
      ],
    );
    const [crash, removed] = section(parsed, '9.4.0').items;
    assert.deepEqual([crash.line, crash.endLine, crash.heading], [7, 8, ['Bug fixes']]);
    assert.deepEqual(removed.heading, ['Changes in behavior']);
  });

  it('reads "- " / "o " bullets and "Version x" lines in plain text', () => {
    const text = 'Version 2.1.0\n\no Fixed the parser\n  on two lines\no Added a flag\n\nVersion 2.0.0\n\n- Rewrote everything\n';
    const parsed = parseNotes(text, 'CHANGES.txt');
    assert.deepEqual(
      parsed.sections.map((s) => [s.version, s.items.map((i) => [i.line, i.endLine])]),
      [
        ['2.1.0', [[3, 4], [5, 5]]],
        ['2.0.0', [[9, 9]]],
      ],
    );
  });

  it('reads upgrade guides whose sections name the target version', () => {
    const parsed = parseNotes(readLocal('UPGRADING.md'), 'UPGRADING.md', { upgradeGuide: true });
    assert.deepEqual(
      parsed.sections.map((s) => [s.version, s.items.length]),
      [
        ['3.0.0', 3],
        ['2.4.0', 1],
      ],
    );
  });

  it('attaches upgrade-guide prose under version-less headings to the version it names', () => {
    const text = [
      '# Upgrading',
      '',
      'Always take a backup first.',
      '',
      '## Issues to be aware of when upgrading',
      '',
      '- If you are upgrading to 2.5 or later, run `app migrate` before starting the new pods.',
      '- Starting with version 3.0, PostgreSQL 12 is required.',
      '- Restart the workers afterwards.',
      '',
      '## Notes for the 2.x series',
      '',
      'When upgrading from 1.x to 2.0, the following applies.',
      '',
      '- The `LEGACY_AUTH` setting is removed.',
      '- PostgreSQL version 11 keeps working.',
      '',
      '## Upgrading to 3.1',
      '',
      '- Re-index the search cluster.',
    ].join('\n');
    const parsed = parseNotes(text, 'UPGRADING.md', { upgradeGuide: true });
    const byVersion = new Map(parsed.sections.map((s) => [s.version, s]));
    assert.deepEqual([...byVersion.keys()].sort(), ['2.0.0', '2.5.0', '3.0.0', '3.1.0']);
    assert.deepEqual(byVersion.get('2.5.0')!.items.map((i) => i.line), [7]);
    assert.deepEqual(byVersion.get('3.0.0')!.items.map((i) => i.line), [8]);
    // The first paragraph speaks for the items under its heading; "PostgreSQL version 11" is not the app's.
    assert.deepEqual(byVersion.get('2.0.0')!.items.map((i) => i.line), [13, 15, 16]);
    assert.deepEqual(byVersion.get('3.1.0')!.items.map((i) => i.line), [20]);
    // What names no version ("Always take a backup", "Restart the workers") belongs to none.
    const lines = parsed.sections.flatMap((s) => s.items.map((i) => i.line));
    assert.ok(!lines.includes(3) && !lines.includes(9), `lines ${lines.join(', ')}`);
    for (const item of byVersion.get('2.0.0')!.items.slice(1)) assert.ok(item.risks.includes('upgrade_path'), item.text);
  });

  it("gives a major release's upgrade notes their opening and closing sections (GitLab's gitlab_16_changes.md)", () => {
    const text = [
      '# GitLab 16 upgrade notes', //                                                         1
      '',
      'This page contains upgrade information for GitLab 16.',
      '',
      '## Issues to be aware of when upgrading from 15.11', //                                5
      '',
      '- If your instance upgraded first to 15.11.0, the database schema is incorrect.', //    7
      '- Upgrade PostgreSQL to at least 13.6 first.', //                                      8
      '',
      '## 16.1.0',
      '',
      '- Make sure the batched background migration has completed.', //                      12
      '',
      '## 16.0.0',
      '',
      '- Two database connections by default.', //                                           16
      '',
      '## Long-running user type data change', //                                            18
      '',
      'GitLab 16.0 is a required stop for large instances.', //                              20
      '',
      '### Workaround', //                                                                   22
      '',
      'Run the background migrations by hand.', //                                           24
    ].join('\n');
    const parsed = parseNotes(text, 'doc/update/versions/gitlab_16_changes.md', { upgradeGuide: true, kind: 'upgrade' });
    const lines = (v: string) => parsed.sections.filter((s) => s.version === v).flatMap((s) => s.items.map((i) => i.line)).sort((a, b) => a - b);
    assert.deepEqual(lines('16.0.0'), [7, 8, 16, 20, 24]);
    assert.deepEqual(lines('16.1.0'), [12]);
    assert.deepEqual(lines('15.11.0'), []);
    // The closing section's items go by its own heading, not the last version's sub-headings.
    assert.deepEqual(parsed.sections.flatMap((s) => s.items).find((i) => i.line === 24)?.heading, ['Long-running user type data change', 'Workaround']);
  });

  it('keeps version-less prose out of changelogs', () => {
    const text = '# Changelog\n\n## Upgrading\n\n- When upgrading to 2.5, run the migration.\n\n## 2.4.0\n\n- Fixed a crash.\n';
    const parsed = parseNotes(text, 'CHANGELOG.md');
    assert.deepEqual(parsed.sections.map((s) => s.version), ['2.4.0']);
  });

  it('reports files without versions and empty files instead of throwing', () => {
    const none = parseNotes('# Notes\n\nJust prose.\n', 'NOTES.md');
    assert.deepEqual(none.sections, []);
    assert.match(none.problems[0].message, /no version headings found in NOTES\.md/);
    const empty = parseNotes('', 'CHANGELOG.md');
    assert.deepEqual(empty.sections, []);
    assert.match(empty.problems[0].message, /CHANGELOG\.md is empty/);
  });

  it('survives hostile input and keeps its text', () => {
    const huge = `- ${'a'.repeat(2_000_000)} migrations`;
    const text = `${readLocal('hostile.md')}\n## 0.9.0\n\n${huge}\n\n\u0000\u202e\uFFFF\n`;
    const parsed = parseNotes(text, 'CHANGELOG.md');
    const items = parsed.sections.flatMap((s) => s.items);
    assert.ok(items.some((i) => i.text.includes('<script>alert(1)</script>')));
    assert.ok(items.some((i) => i.text.includes('javascript:alert(document.cookie)')));
    assert.ok(items.some((i) => i.text.includes('<iframe src="javascript:alert(1)"></iframe>')));
    const big = items.find((i) => i.text.length > 2_000_000);
    assert.ok(big, 'the huge line is kept whole');
    assert.deepEqual(big.risks, ['db_migration']);

    const { text: decoded, problem } = decodeText(readFileSync(path.join(ROOT, 'test/fixtures/releases/invalid-utf8.md')), 'invalid-utf8.md');
    assert.match(problem?.message ?? '', /not valid UTF-8/);
    const bad = parseNotes(decoded, 'invalid-utf8.md');
    assert.equal(bad.sections[0].items[0].text, '- Caf\uFFFD menu fixed \uFFFD\uFFFD invalid bytes');
    assert.deepEqual(bad.sections[0].items[1].risks, ['breaking', 'db_engine_requirement']);
  });
});
