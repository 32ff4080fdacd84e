/**
 * Large release notes either work or fail with a message naming the file and the limit; nothing is
 * silently dropped.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NoteDocument, ReleaseSource } from '../../../../src/core/releases';
import { buildReview, MAX_NOTE_CHARS, MAX_REVIEW_CHARS, ok, parseNotes, renderNoteHtml } from '../../../../src/core/releases';
import { runCli } from '../../../support/fixtures';

/** A source holding the given documents and listing no versions of its own. */
function memorySource(documents: NoteDocument[]): ReleaseSource {
  return { id: 'memory:notes', listVersions: async () => ok([]), readNotes: async () => ok({ documents, problems: [] }) };
}

/** `## 1.<n/1000>.<n%1000>` for n = count..1, newest first, one item each. */
function manyVersions(count: number): string {
  const out = ['# Changelog', ''];
  for (let n = count; n >= 1; n--) out.push(`## 1.${Math.floor(n / 1000)}.${n % 1000}`, '', `- Change ${n}`, '');
  return out.join('\n');
}

/** A list nested `depth` levels deep, each level one item. */
function deepList(depth: number): string {
  return Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
}

describe('release notes: large inputs', function () {
  this.timeout(60_000);

  it('reviews a changelog of 150,000 version headings', async () => {
    const r = await buildReview(memorySource([{ file: 'CHANGELOG.md', text: manyVersions(150_000) }]), '1.149.998', '1.150.0');
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.deepEqual(
      r.value.versions.map((v) => [v.version, v.items.map((i) => i.text)]),
      [
        ['1.150.0', ['- Change 150000']],
        ['1.149.999', ['- Change 149999']],
      ],
    );
  });

  it('keeps every item and version after a list nested deeper than 100 levels', () => {
    const text = `# Changelog\n\n## 2.0.0\n\n${deepList(150)}\n- Breaking: drop the users table\n- Another change\n\n## 1.0.0\n\n- First release\n`;
    const parsed = parseNotes(text, 'CHANGELOG.md');
    assert.deepEqual(
      parsed.sections.map((s) => [s.version, s.items.map((i) => [i.line, i.endLine])]),
      [
        ['2.0.0', [[5, 154], [155, 155], [156, 156]]],
        ['1.0.0', [[160, 160]]],
      ],
    );
    assert.deepEqual(parsed.sections[0].items[1].risks, ['breaking', 'db_migration', 'data_loss']);
    const html = renderNoteHtml(`${deepList(150)}\n\nAfter the list`);
    assert.match(html, /level 149/);
    assert.match(html, /<p>After the list<\/p>/);
  });

  it('reads the date under a heading from the start of a first line of megabytes', () => {
    const parsed = parseNotes(`## 1.0.0\n\n\`2020-06-30 · 18 🎉\` ${'word '.repeat(1 << 20)}\n`, 'HISTORY.md');
    assert.equal(parsed.sections[0].date, '2020-06-30');
  });

  it('fails with the file and the limit when one release-note file is too large', async () => {
    const big = `## 1.0.1\n\n- Fix\n\n## 1.0.0\n\n${'x'.repeat(80 * 1024 * 1024)}\n`;
    const r = await buildReview(memorySource([{ file: 'docs/HUGE.md', text: big }]), '1.0.0', '1.0.1');
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'too-large');
    assert.equal(r.error.message, 'docs/HUGE.md is too large to review: 80.0 MB of text, over the limit of 64 MB per release-note file');
  });

  it('fails with the source and the limit when all the files together are too large', async () => {
    const part = `## 1.0.1\n\n- Fix\n\n${'x'.repeat(MAX_REVIEW_CHARS / 3)}\n`;
    const documents = ['a.md', 'b.md', 'c.md', 'd.md'].map((file) => ({ file, text: part }));
    const r = await buildReview(memorySource(documents), '1.0.0', '1.0.1');
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'too-large');
    assert.match(r.error.message, /^the release notes of memory:notes are too large to review: 170\.7 MB of text in 4 files, over the limit of 128 MB per review$/);
  });

  it('says so in one line when the CLI is given a changelog over the limit', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'preflight-large-'));
    try {
      writeFileSync(path.join(dir, 'CHANGELOG.md'), `## 1.0.1\n\n- Fix\n\n## 1.0.0\n\n${'x'.repeat(MAX_NOTE_CHARS + 1024 * 1024)}\n`);
      const r = await runCli(['notes', '--source', 'file:CHANGELOG.md', '--from', '1.0.0', '--to', '1.0.1'], dir);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, 'preflight: CHANGELOG.md is too large to review: 65.0 MB of text, over the limit of 64 MB per release-note file\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
