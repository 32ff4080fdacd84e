import * as assert from 'node:assert/strict';
import path from 'node:path';
import { buildReview, createFileSource, isNote, reviewMarkdown, reviewView, type RowLike } from '../../../../src/core/releases';
import { readLocalFile } from '../../../../src/adapters/localFiles';
import { ROOT } from '../../../support/fixtures';

const ROCKETCHAT = path.join(ROOT, '..', 'shared', 'fixtures', 'release-notes', 'rocketchat', 'HISTORY.md');

const row = (text: string, heading: string[] = [], risks: RowLike['risks'] = []): RowLike => ({ text, heading, risks });

describe('rows that are no notes', () => {
  it('leaves out contributor lists under their headings, with emoji or without', () => {
    assert.equal(isNote(row('- [@AbhinavTalari](https://github.com/AbhinavTalari)', ['👩‍💻👨‍💻 Contributors 😍'])), false);
    assert.equal(isNote(row('- [@sampaiodiego](https://github.com/sampaiodiego)', ['👩‍💻👨‍💻 Core Team 🤓'])), false);
    assert.equal(isNote(row('* @alice made their first contribution in https://github.com/acme/app/pull/12', ['New Contributors'])), false);
    assert.equal(isNote(row('Baltasar Blanco\nKaran V\nYong Tang', ['CoreDNS-1.14.7 Release', 'Brought to You By'])), false);
    assert.equal(isNote(row('A very special thank you goes to our sponsors:', ['Bug fixes and changes', 'Contributions'])), false);
  });

  it('leaves out thank-you lines and lines of mentions only, wherever they are', () => {
    assert.equal(isNote(row('- Thanks to @alice, @bob and @carol for their help!')), false);
    assert.equal(isNote(row('- Special thanks to [@dependabot[bot]](https://github.com/dependabot[bot])')), false);
    assert.equal(isNote(row('- @alice, @bob & @carol')), false);
    assert.equal(isNote(row('* @bob made their first contribution in https://github.com/acme/app/pull/9')), false);
    // A list of "Name @handle" entries under a paragraph that introduces it (Linkerd's contributors).
    assert.equal(isNote(row('* Amir Karimi @AMK9978')), false);
    assert.equal(isNote(row('* pssalman @pssalman')), false);
    assert.equal(isNote(row('* Fix the proxy crash reported by @alice')), true);
    assert.equal(isNote(row('* Rename the `--ha` flag @bob')), true);
  });

  it("leaves out a release's tally of its changes", () => {
    assert.equal(isNote(row('`2019-09-27  ·  1 ️️️⚠️  ·  13 🎉  ·  12 🚀  ·  22 🐛  ·  22 🔍  ·  20 👩‍💻👨‍💻`')), false);
    assert.equal(isNote(row('2020-01-01 · 3 fixes')), true, 'counts with words are notes');
    assert.equal(isNote(row('2020-01-01 · the date the support ends')), true);
  });

  it('leaves out a link to the release\'s commits and a bare link', () => {
    assert.equal(isNote(row('https://github.com/acme/app/compare/v7.16.2...v7.16.3[View commits]')), false);
    assert.equal(isNote(row('**Full Changelog**: https://github.com/acme/app/compare/v1.2.0...v1.3.0')), false);
    assert.equal(isNote(row('- https://github.com/acme/app/pull/12')), false);
    assert.equal(isNote(row('See the [commits](https://github.com/acme/app/compare/v1...v2) for what changed in the API')), true);
    assert.equal(isNote(row('- Compare views now show the full diff')), true);
    assert.equal(isNote(row('https://github.com/acme/app/compare/v1...v2[View commits]', [], ['breaking'])), true, 'a row with a risk is a note');
  });

  it('leaves out unflagged rows of an engine table', () => {
    assert.equal(isNote(row('- Node: `12.16.1`', ['Engine versions'])), false);
    assert.equal(isNote(row('- MongoDB: `3.4, 3.6, 4.0`', ['Engine versions'])), false);
  });

  it('leaves out the editor settings a file ends with', () => {
    assert.equal(isNote(row('# vim: et ts=4 sw=4 sts=4')), false);
    assert.equal(isNote(row('vim: set ts=8 sw=4 tw=78 et :')), false);
    assert.equal(isNote(row('.. vi: ft=rst')), false);
    assert.equal(isNote(row('-*- mode: text; coding: utf-8 -*-')), false);
    assert.equal(isNote(row('# Local Variables:\n# mode: text\n# fill-column: 78\n# End:\n# vim: et ts=4 sw=4 sts=4')), false);
    // Prose about vim or Emacs is a note, and so are settings outside a Local Variables block.
    assert.equal(isNote(row('- vim: the syntax file now highlights `preflight.yaml`')), true);
    assert.equal(isNote(row('- Emacs: mode: text is the default now')), true);
    assert.equal(isNote(row('mode: text\nEnd:')), true);
    assert.equal(isNote(row('vim: fix indent of nested lists')), true);
    assert.equal(isNote(row('*eof*')), false, 'a mark that ends the file');
    assert.equal(isNote(row('End of file.')), false);
    assert.equal(isNote(row('- EOF handling in the parser is fixed')), true);
    assert.equal(isNote(row('vim: syntax=on is respected by the plugin')), true);
    assert.equal(isNote(row('* ex: retries=3 is now the default')), true);
    assert.equal(isNote(row('vim: set nocompatible no longer required:')), true);
    assert.equal(isNote(row('-*- now highlighted -*-')), true);
    assert.equal(isNote(row('Local variables:\nclosures: now capture by reference')), true);
    assert.equal(isNote(row('Local Variables:')), true, 'an opener alone is no block');
    // A plain-text NEWS file's block, whose `Local Variables:` and `End:` the reader takes for headings.
    assert.equal(isNote(row('mode: outline\nfill-column: 72', ['Local Variables'])), false);
    assert.equal(isNote(row('closures: now capture by reference', ['Local Variables'])), true);
    assert.equal(isNote(row('* vi: keep the cursor on undo')), true);
  });

  it('keeps notes that only look alike, and every flagged row', () => {
    assert.equal(isNote(row('- MongoDB: `3.6, 4.0`', ['Engine versions'], ['db_engine_requirement'])), true, 'a dropped database version is what the operator must see');
    assert.equal(isNote(row('- Node: `12.16.1`', ['Bug fixes'])), true, 'only an engine table is left out');
    assert.equal(isNote(row('- Fix the login page crash (thanks @alice)')), true);
    assert.equal(isNote(row('- Contributors can now edit their profile')), true);
    assert.equal(isNote(row('- Add @mentions to the composer', ['New features'])), true);
    assert.equal(isNote(row('- Thanks for the patience: the upgrade needs a full reindex')), true, 'thanks without anyone to thank');
    assert.equal(isNote(row('- Remove the contributors page', ['Contributors guide changes'])), true);
  });

  it('reads a long hostile line in linear time', () => {
    const started = process.hrtime.bigint();
    isNote(row(`- ${'@a '.repeat(50_000)}x`));
    isNote(row(`- thanks ${']('.repeat(50_000)}`));
    isNote(row('- x', [`${'👩‍💻'.repeat(50_000)} Contributors`]));
    assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 500);
  });

  it('keeps Rocket.Chat contributor lists and engine tables out of the panel and the markdown', async () => {
    const source = createFileSource(ROCKETCHAT, { read: readLocalFile, cwd: ROOT });
    assert.ok(source.ok);
    const review = await buildReview(source.value, '3.3.0', '3.4.0');
    assert.ok(review.ok, review.ok ? '' : review.error.message);
    const v340 = review.value.versions.find((v) => v.version === '3.4.0')!;
    assert.ok(v340.items.some((i) => i.text.includes('@AbhinavTalari')), 'the parser keeps the row');
    const view = reviewView(review.value).versions.find((v) => v.version === '3.4.0')!;
    assert.ok(view.itemCount < v340.items.length, `${view.itemCount} of ${v340.items.length}`);
    const md = reviewMarkdown(review.value, { allItems: true });
    assert.ok(!md.includes('- [@AbhinavTalari](https://github.com/AbhinavTalari) ('), 'no contributor row in the markdown');
    assert.ok(!/- NPM: /.test(md), 'no engine-table row in the markdown');
    assert.match(md, /Omnichannel multiple business hours/);
  });
});
