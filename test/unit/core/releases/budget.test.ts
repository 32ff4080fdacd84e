/**
 * Release notes are untrusted input: no pattern or stage that reads them may take time that grows
 * faster than the text. Each built-in rule on its own, the classifier and every parser stage get
 * repeated characters and tokens at two sizes; a stage whose time grows much faster than its input
 * fails (see test/support/regexBudget.ts, which `fuzz()` also runs from 1 KB to 1 MB).
 */
import * as assert from 'node:assert/strict';
import { formatReview } from '../../../../src/cli/format';
import type { Review } from '../../../../src/core/releases';
import { classify, discoverNoteFiles, parseNotes, reviewEngines, reviewMarkdown } from '../../../../src/core/releases';
import { canonicalVersion } from '../../../../src/core/releases/version';
import { stripInlineMarkup } from '../../../../src/core/releases/headings';
import { budgetCases, budgetTargets, checkGrowth, SHAPES, STAGE_TOKENS, UNIT_TOKENS, type BudgetCase, type BudgetFailure } from '../../../support/regexBudget';

/**
 * Asserts that `run(make(n))` takes no more than about eight times as long as `run(make(n / 8))`:
 * relative time on one machine, not a time limit. `n` is the size the patterns these inputs were
 * written against needed to take seconds (or, for the exponential ones, minutes).
 */
function linear<T>(what: string, n: number, make: (n: number) => T, run: (input: T) => unknown): void {
  const inputs = new Map<string, T>();
  const r = checkGrowth(
    (key) => run(inputs.get(key)!),
    (size) => {
      const key = String(size);
      if (!inputs.has(key)) inputs.set(key, make(size));
      return key;
    },
    { bytes: Math.max(1, Math.round(n / 8)) },
  );
  assert.ok(r.ok, `${what}: ${r.reason}`);
}

describe('release notes: hostile lines', function () {
  this.timeout(120_000);

  it('classifies an item with a long run of spaces before "breaking"', () => {
    linear('spaces', 3000, (n) => ({ text: `-${' '.repeat(n)}breaking\n   -${'\t'.repeat(n)}Breaking`, heading: [] }), classify);
  });

  it('classifies an item of many "](" sequences', () => {
    linear('link openers', 64 * 1024, (n) => ({ text: `- ${']('.repeat(n)}`, heading: [] }), classify);
  });

  it('classifies an item under a heading of many unclosed parentheses', () => {
    linear('parentheses', 64 * 1024, (n) => ({ text: 'x', heading: ['('.repeat(n)] }), classify);
  });

  it('reads a bullet followed by hundreds of spaces', () => {
    linear('bullet', 400, (n) => `## 1.0.0\n\n* ${' '.repeat(n)}!\n- ${' '.repeat(n)}x\n`, (t) => parseNotes(t, 'CHANGELOG.md'));
  });

  it('reads a paragraph of repeated <br> tags', () => {
    linear('<br>', 26, (n) => `## 1.0.0\n\n${'<br> '.repeat(n)}x\n`, (t) => parseNotes(t, 'CHANGELOG.md'));
  });

  it('reads a plain-text line with a long run of spaces', () => {
    linear('plain text', 64 * 1024, (n) => `Version 1.0.0\n\nx${' '.repeat(n)}y\n`, (t) => parseNotes(t, 'NEWS', { format: 'text' }));
  });

  it('reads thousands of items under a 1 MB heading, which they carry cut to 1,000 characters', () => {
    const doc = (n: number) => `## 1.0.0\n\n### Breaking ${'x'.repeat(n)}\n\n${'- Drop the users table\n'.repeat(2000)}`;
    linear('items', 1 << 20, doc, (t) => parseNotes(t, 'CHANGELOG.md'));
    const items = parseNotes(doc(1 << 20), 'CHANGELOG.md').sections[0].items;
    assert.equal(items.length, 2000);
    assert.equal(items[1999].heading[0], `Breaking ${'x'.repeat(991)}…`);
  });

  it('reads a paragraph of many <summary openers', () => {
    linear('<summary', 25_000, (n) => `## 1.0.0\n\n${'<summary'.repeat(n)}\n`, (t) => parseNotes(t, 'CHANGELOG.md'));
  });

  it('reads a heading of many [ characters', () => {
    linear('stripInlineMarkup', 64 * 1024, (n) => '['.repeat(n), stripInlineMarkup);
    linear('heading', 64 * 1024, (n) => `## ${'['.repeat(n)}\n\n- x\n`, (t) => parseNotes(t, 'CHANGELOG.md'));
  });

  it('reads a 48 KB version-like tag', () => {
    linear('tag', 16_000, (n) => `${'12.'.repeat(n)}!`, canonicalVersion);
  });

  it('reads a long run of digits in an engine-versions list', () => {
    const doc = (n: number) => parseNotes(`## 2.0.0\n\n### Engine versions\n\n- Node: ${'1'.repeat(n)}!\n\n## 1.0.0\n\n### Engine versions\n\n- Node: 12\n`, 'HISTORY.md');
    linear('engines', 26, doc, (parsed) => reviewEngines(parsed.sections, '1.0.0', '2.0.0'));
  });

  it('copies an item with a long run of spaces as markdown', () => {
    linear('markdown', 64 * 1024, (n) => reviewWith(`- a${' '.repeat(n)}b`), reviewMarkdown);
  });

  it('prints an item of many "](" sequences on one line', () => {
    linear('formatter', 32 * 1024, (n) => reviewWith(`- ${']('.repeat(n)}`), formatReview);
  });

  it('reads a release-note folder setting with a long run of slashes', () => {
    linear('discovery', 64 * 1024, (n) => [`a${'/'.repeat(n)}b/`], (files) => discoverNoteFiles(['docs/x.md'], files));
  });
});

function reviewWith(text: string): Review {
  const item = { text, file: 'CHANGELOG.md', line: 1, endLine: 1, risks: ['breaking' as const], heading: [] };
  return { source: 'file:CHANGELOG.md', from: '1.0.0', to: '2.0.0', versions: [{ version: '2.0.0', date: null, items: [item] }], summary: { breaking: 1 }, engines: [], problems: [] };
}

function failuresOf(cases: readonly BudgetCase[], bytes: number): BudgetFailure[] {
  const failures: BudgetFailure[] = [];
  for (const c of cases) {
    const r = checkGrowth(c.run, c.make, { bytes });
    if (!r.ok) failures.push({ target: c.target, input: c.input, bytes: bytes * 8, reason: r.reason! });
  }
  return failures;
}

describe('release notes: time grows linearly with the input', function () {
  this.timeout(120_000);
  const targets = budgetTargets();

  // Single patterns: every token in every shape, 4 KB against 32 KB.
  const patterns = targets.filter((t) => t.kind === 'pattern');
  it(`each built-in rule, the classifier and ${patterns.length - targets.filter((t) => t.name.startsWith('rule ')).length} small parsers`, () => {
    const cases = budgetCases(patterns, { tokens: UNIT_TOKENS });
    assert.deepEqual(failuresOf(cases, 4 * 1024), []);
  });

  // Whole stages over a document: fewer tokens, a failing run and lines of them, in their first
  // context (markdown: an item and a heading), 2 KB against 16 KB. The fuzz run takes them all.
  const shapes = SHAPES.filter((s) => s.name === 'run+tail' || s.name === 'lines');
  for (const target of targets.filter((t) => t.kind === 'stage')) {
    it(target.name, () => {
      const cases = budgetCases([target], { tokens: STAGE_TOKENS, shapes, contexts: target.name === 'parseNotes markdown' ? 2 : 1 });
      assert.deepEqual(failuresOf(cases, 2 * 1024), []);
    });
  }
});
