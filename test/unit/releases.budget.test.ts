/**
 * Release notes are untrusted input: no pattern or stage that reads them may take time that grows
 * faster than the text. Each built-in rule on its own, the classifier and every parser stage get
 * repeated characters and tokens at two sizes; a stage whose time grows much faster than its input
 * fails (see test/support/regexBudget.ts, which `fuzz()` also runs from 1 KB to 1 MB).
 */
import * as assert from 'node:assert/strict';
import { formatReview } from '../../src/cli/format';
import type { Review } from '../../src/core/releases';
import { classify, discoverNoteFiles, parseNotes, reviewEngines, reviewMarkdown } from '../../src/core/releases';
import { canonicalVersion, stripInlineMarkup } from '../../src/core/releases/version';
import { budgetCases, budgetTargets, checkGrowth, SHAPES, STAGE_TOKENS, UNIT_TOKENS, type BudgetCase, type BudgetFailure } from '../support/regexBudget';

/** Milliseconds of one call. */
function timed(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

// Linear code handles each of these in well under a millisecond; the patterns they were written
// against took seconds (or, for the exponential ones, minutes).
const HOSTILE_MS = 250;

describe('release notes: hostile lines', function () {
  this.timeout(120_000);
  const fast = (what: string, fn: () => unknown) => {
    const ms = timed(fn);
    assert.ok(ms < HOSTILE_MS, `${what}: ${ms.toFixed(0)} ms`);
  };

  it('classifies an item with a long run of spaces before "breaking"', () => {
    fast('spaces', () => classify({ text: `-${' '.repeat(3000)}breaking\n   -${'\t'.repeat(3000)}Breaking`, heading: [] }));
  });

  it('classifies an item of many "](" sequences', () => {
    fast('link openers', () => classify({ text: `- ${']('.repeat(64 * 1024)}`, heading: [] }));
  });

  it('classifies an item under a heading of many unclosed parentheses', () => {
    fast('parentheses', () => classify({ text: 'x', heading: ['('.repeat(64 * 1024)] }));
  });

  it('reads a bullet followed by hundreds of spaces', () => {
    fast('bullet', () => parseNotes(`## 1.0.0\n\n* ${' '.repeat(400)}!\n- ${' '.repeat(400)}x\n`, 'CHANGELOG.md'));
  });

  it('reads a paragraph of repeated <br> tags', () => {
    fast('<br>', () => parseNotes(`## 1.0.0\n\n${'<br> '.repeat(26)}x\n`, 'CHANGELOG.md'));
  });

  it('reads a plain-text line with a long run of spaces', () => {
    fast('plain text', () => parseNotes(`Version 1.0.0\n\nx${' '.repeat(64 * 1024)}y\n`, 'NEWS', { format: 'text' }));
  });

  it('reads thousands of items under a 1 MB heading, which they carry cut to 1,000 characters', () => {
    let parsed: ReturnType<typeof parseNotes> | undefined;
    fast('items', () => (parsed = parseNotes(`## 1.0.0\n\n### Breaking ${'x'.repeat(1 << 20)}\n\n${'- Drop the users table\n'.repeat(2000)}`, 'CHANGELOG.md')));
    const items = parsed!.sections[0].items;
    assert.equal(items.length, 2000);
    assert.equal(items[1999].heading[0], `Breaking ${'x'.repeat(991)}…`);
  });

  it('reads a paragraph of many <summary openers', () => {
    fast('<summary', () => parseNotes(`## 1.0.0\n\n${'<summary'.repeat(25_000)}\n`, 'CHANGELOG.md'));
  });

  it('reads a heading of many [ characters', () => {
    const heading = '['.repeat(64 * 1024);
    fast('stripInlineMarkup', () => stripInlineMarkup(heading));
    fast('heading', () => parseNotes(`## ${heading}\n\n- x\n`, 'CHANGELOG.md'));
  });

  it('reads a 48 KB version-like tag', () => {
    fast('tag', () => canonicalVersion(`${'12.'.repeat(16_000)}!`));
  });

  it('reads a long run of digits in an engine-versions list', () => {
    const parsed = parseNotes(`## 2.0.0\n\n### Engine versions\n\n- Node: ${'1'.repeat(26)}!\n\n## 1.0.0\n\n### Engine versions\n\n- Node: 12\n`, 'HISTORY.md');
    fast('engines', () => reviewEngines(parsed.sections, '1.0.0', '2.0.0'));
  });

  it('copies an item with a long run of spaces as markdown', () => {
    fast('markdown', () => reviewMarkdown(reviewWith(`- a${' '.repeat(64 * 1024)}b`)));
  });

  it('prints an item of many "](" sequences on one line', () => {
    fast('formatter', () => formatReview(reviewWith(`- ${']('.repeat(32 * 1024)}`)));
  });

  it('reads a release-note folder setting with a long run of slashes', () => {
    fast('discovery', () => discoverNoteFiles(['docs/x.md'], [`a${'/'.repeat(64 * 1024)}b/`]));
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
