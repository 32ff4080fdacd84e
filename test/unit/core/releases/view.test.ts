import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildReview, createFileSource, reviewMarkdown, reviewView, type Review } from '../../../../src/core/releases';
import { readLocalFile } from '../../../../src/adapters/localFiles';

const review: Review = {
  source: 'git:/srv/app',
  from: '1.0.0',
  to: '1.1.0',
  versions: [
    {
      version: '1.1.0',
      date: '2024-05-01',
      items: [
        { text: '- Add index on `messages.ts` (<script>alert(1)</script>)', file: 'CHANGELOG.md', line: 3, endLine: 3, risks: ['db_migration', 'db_lock_or_downtime'], heading: ['Changes'] },
        { text: '- [docs](javascript:alert(1)) and [site](https://example.com)', file: 'CHANGELOG.md', line: 4, endLine: 5, risks: [], heading: [], ref: 'v1.1.0' },
      ],
    },
    { version: '1.0.1', date: null, items: [] },
  ],
  summary: { db_migration: 1, db_lock_or_downtime: 1 },
  engines: [{ name: 'PostgreSQL', from: '12', to: '14' }],
  problems: [{ message: 'skipped', file: 'NEWS', line: 2 }],
};

describe('review view', () => {
  it('renders every item to HTML without raw HTML or script links', () => {
    const view = reviewView(review);
    const [first, second] = view.versions[0].items!;
    assert.ok(!first.html.includes('<script'), first.html);
    assert.match(first.html, /&lt;script&gt;/);
    assert.ok(!/href="javascript:/i.test(second.html), second.html);
    assert.match(second.html, /<a href="https:\/\/example.com" rel="noopener noreferrer">site<\/a>/);
  });

  it('renders up front only the versions that open with the panel', () => {
    const view = reviewView({ ...review, versions: [...review.versions, { version: '1.0.1-plain', date: null, items: [{ ...review.versions[0].items[1], risks: [] }] }] });
    assert.equal(view.versions[0].items?.length, 2);
    assert.equal(view.versions[2].items, undefined);
    assert.equal(view.versions[2].itemCount, 1);
    assert.equal(view.flagged, 1);
  });

  it('carries risks, labels, locations and counts', () => {
    const view = reviewView(review);
    assert.deepEqual(view.versions[0].risks, ['db_migration', 'db_lock_or_downtime']);
    assert.deepEqual(view.versions[1].risks, []);
    assert.equal(view.versions[0].items![1].location, 'CHANGELOG.md:4-5 @v1.1.0');
    assert.deepEqual(view.summary, [
      { risk: 'db_migration', label: 'Database migration', count: 1 },
      { risk: 'db_lock_or_downtime', label: 'Lock or downtime', count: 1 },
    ]);
    assert.deepEqual(view.problems, ['NEWS:2: skipped']);
  });

  it('copies as markdown with the flagged items, engines and versions without notes', () => {
    const md = reviewMarkdown(review);
    assert.match(md, /^## Release notes 1\.0\.0 → 1\.1\.0/);
    assert.match(md, /- PostgreSQL: 12 → 14/);
    assert.match(md, /- \*\*Database migration, Lock or downtime\*\*: Add index on `messages.ts`.*\(`CHANGELOG.md:3`\)/);
    assert.match(md, /### 1\.0\.1\n\nNo release notes\./);
    assert.ok(!md.includes('[docs]'), 'unflagged items are left out by default');
    assert.match(reviewMarkdown(review, { allItems: true }), /\[docs\]/);
  });

  it('names the source and the items without this machine\'s paths, in the panel and in the markdown', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-view-'));
    const file = path.join(dir, 'CHANGELOG.md');
    writeFileSync(file, '# Changelog\n\n## 1.1.0\n\n- **Breaking:** drop the `legacy` table\n\n## 1.0.0\n\n- First\n');
    const source = createFileSource(file, { read: readLocalFile, cwd: path.join(os.tmpdir(), 'elsewhere') });
    assert.ok(source.ok);
    const built = await buildReview(source.value, '1.0.0', '1.1.0');
    assert.ok(built.ok, built.ok ? '' : built.error.message);
    const view = reviewView(built.value);
    assert.equal(view.source, 'file:CHANGELOG.md');
    assert.equal(view.versions[0].items![0].location, 'CHANGELOG.md:5');
    const md = reviewMarkdown(built.value, { allItems: true });
    assert.ok(!md.includes(dir), md);
    assert.match(md, /Source: `file:CHANGELOG\.md`/);
    assert.match(md, /\(`CHANGELOG\.md:5`\)/);
    assert.equal(reviewView(review).source, 'git:app');
    assert.match(reviewMarkdown(review), /Source: `git:app`/);
  });
});
