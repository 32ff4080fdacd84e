import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { applyEdit, checkboxEdit, parseRunbook, type Runbook } from '../../../../src/core/runbook';
import { generateRunbook } from '../../../support/generators';
import { ROOT as REPO_ROOT } from '../../../support/fixtures';

const fixtures = path.join(REPO_ROOT, 'test/fixtures/runbooks');

/** Everything about the steps that ticking a box must leave alone. */
function shape(rb: Runbook) {
  return rb.steps.map((s) => [s.line, s.endLine, s.depth, s.text, s.key, s.rollback, s.commands.length, s.checkboxOffset]);
}

function differingBytes(a: string, b: string): number {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  assert.equal(x.length, y.length, 'byte length changed');
  let n = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) n++;
  return n;
}

/** Checks the checkbox offsets of `rb`, then toggles up to `limit` steps one at a time and re-parses. */
function assertTogglesRoundTrip(text: string, rb: Runbook, limit = Infinity): void {
  for (const s of rb.steps) {
    assert.equal(text[s.checkboxOffset - 1], '[');
    assert.equal(text[s.checkboxOffset + 1], ']');
    assert.ok(' xX'.includes(text[s.checkboxOffset]), `step ${s.index} offset ${s.checkboxOffset}`);
    assert.equal(text[s.checkboxOffset] !== ' ', s.checked);
  }
  const before = shape(rb);
  for (const s of rb.steps.slice(0, limit)) {
    const edit = checkboxEdit(text, s, !s.checked);
    assert.ok(edit, `step ${s.index} has an edit`);
    const next = applyEdit(text, edit);
    assert.equal(differingBytes(text, next), 1);
    const again = parseRunbook(next);
    assert.equal(again.steps.length, rb.steps.length);
    assert.equal(again.steps[s.index].checked, !s.checked);
    assert.deepEqual(
      again.steps.filter((o) => o.index !== s.index).map((o) => o.checked),
      rb.steps.filter((o) => o.index !== s.index).map((o) => o.checked),
    );
    assert.deepEqual(shape(again), before);
  }
}

describe('runbook round trip', () => {
  const expectedSteps: Record<string, number> = {
    'blockquote.md': 4,
    'incident-db-failover.md': 6,
    'k8s-node-rotation.md': 6,
    'no-hard-coded-secrets.md': 6,
    'postgres-upgrade.md': 10,
    'tabs-and-markers.md': 9,
    'windows-crlf.md': 5,
  };

  it('has every fixture listed', () => {
    assert.deepEqual(readdirSync(fixtures).sort(), Object.keys(expectedSteps).sort());
  });

  for (const [file, count] of Object.entries(expectedSteps)) {
    it(`ticks and unticks every step of ${file} with a one-byte edit, with LF and CRLF`, () => {
      const original = readFileSync(path.join(fixtures, file), 'utf8');
      const lf = original.replace(/\r\n/g, '\n');
      for (const text of [original, lf, lf.replace(/\n/g, '\r\n')]) {
        const rb = parseRunbook(text);
        assert.equal(rb.steps.length, count);
        assertTogglesRoundTrip(text, rb);
      }
    });
  }

  it('reads the fixtures as written', () => {
    const read = (file: string) => parseRunbook(readFileSync(path.join(fixtures, file), 'utf8'));

    const pg = read('postgres-upgrade.md');
    assert.equal(pg.title, 'Upgrade Postgres 15 to 16');
    assert.deepEqual(pg.meta.variables.map((v) => [v.name, v.default, v.secret]), [
      ['CLUSTER', 'prod-eu-1', false],
      ['PGPORT', '5432', false],
      ['DRY_RUN', 'false', false],
      ['PGPASSWORD', undefined, true],
      ['TICKET', undefined, false],
    ]);
    assert.deepEqual(pg.meta.extra, { owner: 'dba-team' });
    assert.deepEqual(pg.steps.filter((s) => s.rollback).map((s) => s.key), ['stop-16', 'restore']);
    assert.deepEqual(pg.steps.filter((s) => s.depth === 1).map((s) => s.text), [
      'Check the upgrade log for warnings',
      "Note the new cluster's system identifier in the ticket",
    ]);
    assert.deepEqual(pg.looseBlocks.map((b) => b.lang), ['yaml']);
    assert.deepEqual(pg.problems, []);

    const crlf = read('windows-crlf.md');
    assert.deepEqual(crlf.steps.map((s) => s.manual), [false, true, false, true, false]);
    assert.equal(crlf.steps[2].commands[0].code, 'until ./lb health "$HOST"; do sleep 10; done\n');

    const k8s = read('k8s-node-rotation.md');
    assert.deepEqual(k8s.steps[0].commands.map((c) => c.lang), ['sh', 'zsh']);
    assert.deepEqual(k8s.steps[1].commands.map((c) => [c.lang, c.runnable]), [['shell', true], ['console', false]]);
    assert.ok(k8s.steps[2].commands[0].code.includes('```\nnot a fence end\n```'));
    assert.deepEqual(k8s.looseBlocks.map((b) => b.code), ['echo "a loose block outside any step"\n']);
    assert.deepEqual(k8s.steps.filter((s) => s.rollback).map((s) => s.key), ['uncordon']);

    const quoted = read('blockquote.md');
    assert.equal(quoted.title, 'Blockquoted steps');
    assert.deepEqual(quoted.steps[1].commands.map((c) => c.code), ['./queue drain --wait\n']);

    const incident = read('incident-db-failover.md');
    assert.deepEqual(codesOf(incident), ['front-matter@4', 'unknown-attr@19']);
    assert.equal(incident.steps[0].text, 'Page the on-call DBA lazy continuation line of the same paragraph');
    assert.equal(incident.steps[5].rollback, true);

    const tabs = read('tabs-and-markers.md');
    assert.deepEqual(tabs.steps.map((s) => s.checked), [false, false, false, true, false, false, false, false, false]);
  });

  it('ticks steps of a generated runbook', () => {
    const text = generateRunbook(300);
    const rb = parseRunbook(text);
    assert.equal(rb.steps.length, 300);
    assert.ok(rb.steps.some((s) => s.rollback) && rb.steps.some((s) => s.manual) && rb.steps.some((s) => s.depth > 0));
    assert.deepEqual(rb.problems, []);
    assertTogglesRoundTrip(text, rb, 40);
  });
});

function codesOf(rb: Runbook): string[] {
  return rb.problems.map((p) => `${p.code}@${p.line}`);
}

/** A small seeded PRNG, so every failure is reproducible from its seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INDENTS = ['', '', '', ' ', '  ', '   ', '    ', '\t', '\t\t', ' \t', '      '];
const QUOTES = ['', '', '', '', '> ', '>', '>> ', '> > '];
const MARKERS = ['- ', '* ', '+ ', '1. ', '2) ', '10. ', '-\t', '-   ', '- - ', '1.', '-'];
const BOXES = ['[ ] ', '[x] ', '[X] ', '[ ]', '[x]', '[ ]\t', '\\[x\\] ', '[] ', '[  ] ', '[ x] ', '[\t] ', '[x]y ', '[ ] [ ] ', ' [ ] '];
const WORDS = ['Restart the api', 'ünïcödé 数据库 🚀', '`[ ] code`', '<b>html</b>', '[link](http://x)', '$VAR and ${VAR}', '| a | b |', '\\', '**bold**', '', '&amp;', '[x]: http://ref'];
const FENCES = [
  '```sh',
  '```bash {"name":"n"}',
  '```sh {"name":"dup","confirm":"go"}',
  '```sh {bad',
  '```python {"confirm":"y"}',
  '```sh {"timeout":-1,"zzz":1}',
  '```',
  '````',
  '~~~',
  '~~~zsh',
  '``` sh\t{"name":"spaced"} ',
];
const LINES = [
  ...FENCES,
  'echo "$HOME"',
  '# Title',
  '## Rollback',
  '### rollback plan',
  '## Next',
  'Setext',
  '===',
  '---',
  '...',
  '***',
  '<div>',
  '</div>',
  '<!-- - [ ] in a comment -->',
  '| a | b |',
  '|---|---|',
  'title: x',
  'variables:',
  '  A: 1',
  '  B-C: 2',
  ':: [bad',
  '[ref]: http://example.com',
  '',
  '',
];
const FRONT_MATTER = ['---', 'title: Fuzz', 'shell: bash', 'variables:', '  X: 1', '  Y: { secret: true }', '  - [ ] not a step', 'a: [', '# comment'];
const BREAKS = ['\n', '\n', '\n', '\r\n', '\r'];

function randomDocument(rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const lines: string[] = [];
  if (rand() < 0.3) {
    lines.push('---');
    for (let n = Math.floor(rand() * 5); n > 0; n--) lines.push(pick(FRONT_MATTER));
    if (rand() < 0.85) lines.push(pick(['---', '...']));
  }
  let prefix = '';
  for (let n = 1 + Math.floor(rand() * 30); n > 0; n--) {
    // Reusing the previous line's prefix often makes nesting that belongs together.
    if (rand() < 0.5) prefix = pick(QUOTES) + pick(INDENTS);
    const r = rand();
    if (r < 0.4) {
      lines.push(prefix + pick(MARKERS) + pick(BOXES) + pick(WORDS));
    } else if (r < 0.48) {
      lines.push(prefix + pick(MARKERS) + pick(WORDS));
    } else if (r < 0.55) {
      lines.push(prefix + pick(BOXES) + pick(WORDS));
    } else if (r < 0.7) {
      // A fenced block indented as a list item's content, sometimes left unterminated.
      const inner = prefix + pick(['  ', '   ', '    ', '\t', '']);
      const fence = pick(FENCES);
      lines.push(inner + fence, inner + pick(['ls -la', '- [ ] inside code', '```', '']));
      if (rand() < 0.85) lines.push(inner + fence.replace(/[^`~]+$/, ''));
    } else {
      lines.push(prefix + pick(LINES));
    }
  }
  const breaks = rand() < 0.5 ? [pick(BREAKS)] : BREAKS;
  let text = rand() < 0.05 ? '\uFEFF' : '';
  for (const line of lines) text += line + pick(breaks);
  return rand() < 0.2 ? text.slice(0, -1) : text;
}

// HTML blocks on: a task item inside a comment or an HTML block is not visible, so not a step.
const markdown = new MarkdownIt({ html: true });

/** List items whose first paragraph starts with a checkbox, counted straight from markdown-it. */
function boxedItems(text: string): number {
  const tokens = markdown.parse(text, {});
  return tokens.filter(
    (t, i) => t.type === 'list_item_open' && tokens[i + 1].type === 'paragraph_open' && /^\[[ xX]\](?:\s|$)/.test(tokens[i + 2].content),
  ).length;
}

describe('runbook parser fuzz', () => {
  it('never throws, finds every boxed item, points each step at its checkbox and round-trips ticks', function () {
    this.timeout(120_000);
    const documents = 3000;
    for (let seed = 1; seed <= documents; seed++) {
      const text = randomDocument(mulberry32(seed));
      let rb: Runbook;
      try {
        rb = parseRunbook(text);
      } catch (e) {
        assert.fail(`seed ${seed} threw ${String(e)} for ${JSON.stringify(text)}`);
      }
      try {
        const lineCount = text.split(/\r\n|\r|\n/).length;
        rb.steps.forEach((s, i) => {
          assert.equal(s.index, i);
          assert.ok(s.line < s.endLine && s.endLine <= lineCount);
          for (const c of s.commands) assert.ok(c.line >= s.line && c.endLine <= s.endLine);
        });
        for (const p of rb.problems) assert.ok(p.line >= 0 && p.line < lineCount, `problem line ${p.line}`);
        if (!rb.frontMatter && !text.startsWith('\uFEFF')) assert.equal(rb.steps.length, boxedItems(text));
        assertTogglesRoundTrip(text, rb, 6);
      } catch (e) {
        throw new Error(`seed ${seed}: ${(e as Error).message}\n${JSON.stringify(text)}`);
      }
    }
  });
});
