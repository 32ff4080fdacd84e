/**
 * Release notes are untrusted input: lines that once kept a pattern busy for seconds (or minutes)
 * must take no time at all.
 */
import * as assert from 'node:assert/strict';
import { classify } from '../../src/core/releases';

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
});
