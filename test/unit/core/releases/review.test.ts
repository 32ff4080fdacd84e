/**
 * A review in two parts: reading (the source's versions and documents) and analysing (parse,
 * classify, assemble), which takes and gives plain data so that it can run in another thread.
 */
import * as assert from 'node:assert/strict';
import type { NoteDocument, ReleaseSource } from '../../../../src/core/releases';
import { analyzeReview, buildReview, createFileSource, noteVersions, ok, readReviewInput } from '../../../../src/core/releases';
import { readLocal, ROOT } from '../../../support/fixtures';
import { readLocalFile } from '../../../../src/adapters/localFiles';

function source(documents: NoteDocument[]): ReleaseSource {
  return {
    id: 'memory:app',
    listVersions: async () => ok([{ version: '3.0.0', tag: 'v3.0.0', date: '2024-06-01' }]),
    readNotes: async () => ok({ documents, problems: [{ message: 'one file was skipped' }] }),
  };
}

describe('release notes: reading and analysing a review', () => {
  const documents: NoteDocument[] = [
    { file: 'CHANGELOG.md', text: readLocal('keep-a-changelog.md'), kind: 'changelog' },
    { file: 'UPGRADING.md', text: readLocal('UPGRADING.md'), kind: 'upgrade' },
  ];

  it('reads the versions and documents as the source gives them', async () => {
    const input = await readReviewInput(source(documents), 'v2.4.0', '3.0');
    assert.deepEqual(input, {
      ok: true,
      value: {
        source: 'memory:app',
        from: '2.4.0',
        to: '3.0.0',
        fromInput: 'v2.4.0',
        toInput: '3.0',
        versions: [{ version: '3.0.0', tag: 'v3.0.0', date: '2024-06-01' }],
        documents,
        problems: [{ message: 'one file was skipped' }],
      },
    });
    assert.deepEqual(await readReviewInput(source(documents), '3.0.0', '2.0.0'), { ok: false, error: { code: 'invalid-range', message: 'the version upgrading from (3.0.0) must be older than the version upgrading to (2.0.0)' } });
  });

  it('analyses a copy of the input (as another thread receives it) into the review buildReview gives', async () => {
    const input = await readReviewInput(source(documents), '2.4.0', '3.0.0');
    assert.ok(input.ok);
    const review = analyzeReview(structuredClone(input.value));
    assert.deepEqual(review, await buildReview(source(documents), '2.4.0', '3.0.0'));
    assert.ok(review.ok);
    assert.deepEqual(structuredClone(review.value), review.value);
    assert.equal(review.value.versions[0].tag, 'v3.0.0');
  });

  it('lets a file source list its versions elsewhere', async () => {
    const seen: string[][] = [];
    const file = 'test/fixtures/releases/keep-a-changelog.md';
    const created = createFileSource(file, { read: readLocalFile, cwd: ROOT, versions: async (docs) => (seen.push(docs.map((d) => d.file)), ok(noteVersions(docs))) });
    assert.ok(created.ok);
    const listed = await created.value.listVersions();
    assert.deepEqual(seen, [[file]]);
    assert.deepEqual(listed, ok(noteVersions([{ file, text: readLocal('keep-a-changelog.md'), kind: 'changelog' }])));
  });
});

describe('release notes: a review from a release line (a tag such as nginx:1.25-alpine)', () => {
  const releases = ['1.27.3', '1.26.2', '1.26.0', '1.25.5', '1.25.4', '1.25.5-rc.1', '1.25.0', '1.24.0'];
  const ranges: { from: string; to: string }[] = [];
  const lines: ReleaseSource = {
    id: 'memory:nginx',
    listVersions: async (ro) => {
      if (ro?.range) ranges.push(ro.range);
      return ok(releases.map((version) => ({ version, tag: `release-${version}` })));
    },
    readNotes: async (_range, ro) => {
      if (ro?.range) ranges.push(ro.range);
      const text = releases.filter((v) => !v.includes('-')).map((v) => `## ${v}\n\n- Changes in ${v}\n`).join('\n');
      return ok({ documents: [{ file: 'CHANGES', text, kind: 'changelog' as const }], problems: [] });
    },
  };

  it('starts at the newest release of the line the source lists, not at its .0', async () => {
    ranges.length = 0;
    const review = await buildReview(lines, '1.25.x', '1.27.3');
    assert.ok(review.ok, review.ok ? '' : review.error.message);
    assert.equal(review.value.from, '1.25.5');
    assert.deepEqual(review.value.versions.map((v) => v.version), ['1.27.3', '1.26.2', '1.26.0']);
    // One listing serves the review: the notes are read for the range the listing was made for.
    assert.deepEqual(ranges, [{ from: '1.25.0', to: '1.27.3' }, { from: '1.25.0', to: '1.27.3' }]);
  });

  it('takes a major line, and says so when the source lists no release of the line', async () => {
    const review = await buildReview(lines, '1.x', '1.27.3');
    assert.ok(review.ok);
    assert.equal(review.value.from, '1.26.2');
    assert.deepEqual(await readReviewInput(lines, '1.23.x', '1.27.3'), { ok: false, error: { code: 'unknown-version', message: 'memory:nginx lists no 1.23.x release older than 1.27.3' } });
  });

  it('shows a section whose heading names two versions under the one the repository tags', async () => {
    const changelog = ['## v1.1.0/v0.68.0', '', '- Removed the `foo` option.', '', '## v1.0.0/v0.67.0', '', '- Added a thing.', '', '## 1.5.0 (core) / 0.21.0 (libraries)', '', '- Core note.'].join('\n');
    const tagged = (versions: string[]): ReleaseSource => ({
      id: 'memory:collector',
      listVersions: async () => ok(versions.map((version) => ({ version, tag: `v${version}`, date: null }))),
      readNotes: async () => ok({ documents: [{ file: 'CHANGELOG.md', text: changelog, kind: 'changelog' }], problems: [] }),
    });
    const byCollector = await buildReview(tagged(['0.66.0', '0.67.0', '0.68.0']), '0.66.0', '0.68.0');
    assert.ok(byCollector.ok);
    assert.deepEqual(byCollector.value.versions.map((v) => [v.version, v.items.map((i) => i.text)]), [
      ['0.68.0', ['- Removed the `foo` option.']],
      ['0.67.0', ['- Added a thing.']],
    ]);
    // Tagged by the first version (the core's), the first stays.
    const byCore = await buildReview(tagged(['1.4.0', '1.5.0']), '1.4.0', '1.5.0');
    assert.ok(byCore.ok);
    assert.deepEqual(byCore.value.versions.map((v) => [v.version, v.items.length]), [['1.5.0', 1]]);
  });
});

describe('release notes: a guide section for several releases at once', () => {
  // Icinga's "Upgrading to v2.16.2, v2.15.4, or v2.14.9": one procedure for three branches.
  const guide = [
    '# Upgrading Icinga 2',
    '',
    '## Upgrading to v2.16.2, v2.15.4, or v2.14.9',
    '',
    'Run the schema update before restarting the daemon.',
    '',
    '## Upgrading to v2.14',
    '',
    'The API now rejects unknown attributes.',
  ].join('\n');
  const guideSource: ReleaseSource = {
    id: 'memory:icinga',
    listVersions: async () => ok(['2.13.0', '2.14.0', '2.14.8', '2.14.9', '2.15.0', '2.15.4', '2.16.0', '2.16.2'].map((v) => ({ version: v, tag: `v${v}`, date: null }))),
    readNotes: async () => ok({ documents: [{ file: 'UPGRADING.md', text: guide, kind: 'upgrade' }], problems: [] }),
  };
  const notesOf = (review: Awaited<ReturnType<typeof buildReview>>) => {
    assert.ok(review.ok, JSON.stringify(review));
    return review.value.versions.filter((v) => v.items.length).map((v) => [v.version, v.items.map((i) => i.line)]);
  };

  it('shows it to a patch upgrade on each branch it names', async () => {
    assert.deepEqual(notesOf(await buildReview(guideSource, '2.14.0', '2.14.9')), [['2.14.9', [5]]]);
    assert.deepEqual(notesOf(await buildReview(guideSource, '2.15.0', '2.15.4')), [['2.15.4', [5]]]);
  });

  it('shows it once, under the newest, to a range holding several of them', async () => {
    assert.deepEqual(notesOf(await buildReview(guideSource, '2.13.0', '2.16.2')), [
      ['2.16.2', [5]],
      ['2.14.0', [9]],
    ]);
  });
});

describe('release notes: a changelog heading for two releases', () => {
  it('gives the notes of `## 0.47.2 and 0.46.3` to both, as a patch upgrade on either branch sees them', async () => {
    const text = ['## 0.48.0', '', '- A feature.', '', '## 0.47.2 and 0.46.3', '', '- Fix a security issue in the HTTP client.', '', '## 0.47.1', '', '- A fix.', '', '## 0.46.2', '', '- Another fix.'].join('\n');
    const changelog: ReleaseSource = {
      id: 'memory:opa',
      listVersions: async () => ok([]),
      readNotes: async () => ok({ documents: [{ file: 'CHANGELOG.md', text, kind: 'changelog' }], problems: [] }),
    };
    for (const [from, to, expected] of [
      ['0.46.2', '0.46.3', [['0.46.3', [7]]]],
      ['0.47.1', '0.47.2', [['0.47.2', [7]]]],
      ['0.46.2', '0.48.0', [['0.48.0', [3]], ['0.47.2', [7]], ['0.47.1', [11]]]],
    ] as const) {
      const review = await buildReview(changelog, from, to);
      assert.ok(review.ok, JSON.stringify(review));
      assert.deepEqual(
        review.value.versions.filter((v) => v.items.length).map((v) => [v.version, v.items.map((i) => i.line)]),
        expected,
        `${from} -> ${to}`,
      );
    }
  });
});
