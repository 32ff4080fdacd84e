/**
 * The review's analysis in a worker thread: the same result as in this thread, the user's rules
 * compiled there, and a runaway analysis ended by the time limit or by cancelling while this
 * thread goes on answering.
 */
import * as assert from 'node:assert/strict';
import path from 'node:path';
import type { ReviewInput } from '../../../src/core/releases';
import { analyzeReview, compileUserRules, createClassifier, noteVersions, reviewView } from '../../../src/core/releases';
import { analyzeInWorker, noteVersionsInWorker } from '../../../src/releaseNotes/analysis';
import { readLocal, ROOT } from '../../support/fixtures';

const WORKER = path.join(ROOT, 'out/src/releaseNotes/reviewWorker.js');

const input = (text: string): ReviewInput => ({
  source: 'file:CHANGELOG.md',
  from: '2.4.0',
  to: '3.0.0',
  fromInput: '2.4.0',
  toInput: '3.0.0',
  versions: [],
  documents: [
    { file: 'CHANGELOG.md', text, kind: 'changelog' },
    { file: 'UPGRADING.md', text: readLocal('UPGRADING.md'), kind: 'upgrade' },
  ],
  problems: [],
});

// Catastrophic backtracking: (a+)+$ on a run of a's that ends in anything else never returns.
const RUNAWAY = { pattern: '(a+)+$', risk: 'breaking' };
const HOSTILE = `## 3.0.0\n\n- ${'a'.repeat(40)}!\n\n## 2.4.0\n\n- x\n`;

/** Runs `work` while a timer ticks every 20 ms; resolves to its result and the longest gap between ticks. */
async function whileTicking<T>(work: () => Promise<T>): Promise<{ value: T; maxGapMs: number }> {
  let last = performance.now();
  let maxGapMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
  }, 20);
  try {
    return { value: await work(), maxGapMs };
  } finally {
    clearInterval(timer);
  }
}

describe('release notes: analysis in a worker', function () {
  this.timeout(30_000);

  it('gives the same review as in this thread, with the user rules compiled in the worker', async () => {
    const rules = [{ pattern: 'sessions', risk: 'db_lock_or_downtime' }, { pattern: '(unclosed', risk: 'breaking' }];
    const reply = await analyzeInWorker(WORKER, { input: input(readLocal('keep-a-changelog.md')), rules }, { timeLimitMs: 20_000 });
    const compiled = compileUserRules(rules);
    const here = analyzeReview(input(readLocal('keep-a-changelog.md')), { classifier: createClassifier(compiled) });
    assert.deepEqual(reply.result, here);
    assert.ok(reply.result.ok && reply.result.value.summary.db_lock_or_downtime, 'the user rule flagged an item');
    assert.deepEqual(reply.ruleProblems, compiled.problems);
    assert.match(reply.ruleProblems[0].message, /^release-note rule 2: invalid regular expression/);
  });

  it('runs from the bundle, dist/reviewWorker.js, and renders the panel\'s first view there', async () => {
    const reply = await analyzeInWorker(path.join(ROOT, 'dist/reviewWorker.js'), { input: input(readLocal('keep-a-changelog.md')), rules: [] }, { timeLimitMs: 20_000 });
    assert.ok(reply.result.ok);
    assert.deepEqual(reply.view, reviewView(reply.result.value));
  });

  it('lists the versions of local files in the worker', async () => {
    const documents = input(readLocal('keep-a-changelog.md')).documents;
    assert.deepEqual(await noteVersionsInWorker(WORKER, documents, { timeLimitMs: 20_000 }), { ok: true, value: noteVersions(documents) });
  });

  it('stops a runaway analysis at the time limit while this thread goes on', async () => {
    const started = performance.now();
    const { value: reply, maxGapMs } = await whileTicking(() => analyzeInWorker(WORKER, { input: input(HOSTILE), rules: [RUNAWAY] }, { timeLimitMs: 1500 }));
    const elapsed = performance.now() - started;
    assert.ok(!reply.result.ok);
    assert.equal(reply.result.error.code, 'time-limit');
    assert.equal(
      reply.result.error.message,
      'the analysis of the release notes of file:CHANGELOG.md took longer than 1.5 s and was stopped (preflight.releaseNotes.timeLimit); a rule in preflight.releaseNotes.rules may be too slow for these notes',
    );
    assert.ok(elapsed >= 1500 && elapsed < 5000, `${elapsed.toFixed(0)} ms`);
    assert.ok(maxGapMs < 500, `this thread was held for ${maxGapMs.toFixed(0)} ms`);
  });

  it('stops a runaway analysis at once when cancelled', async () => {
    const controller = new AbortController();
    let cancelledAt = 0;
    setTimeout(() => {
      cancelledAt = performance.now();
      controller.abort();
    }, 500);
    const { value: reply, maxGapMs } = await whileTicking(() =>
      analyzeInWorker(WORKER, { input: input(HOSTILE), rules: [RUNAWAY] }, { signal: controller.signal, timeLimitMs: 20_000 }),
    );
    const afterCancel = performance.now() - cancelledAt;
    assert.deepEqual(reply.result, { ok: false, error: { code: 'cancelled', message: 'the review was cancelled' } });
    assert.ok(afterCancel < 500, `${afterCancel.toFixed(0)} ms after cancelling`);
    assert.ok(maxGapMs < 500, `this thread was held for ${maxGapMs.toFixed(0)} ms`);
    const again = await analyzeInWorker(WORKER, { input: input(HOSTILE), rules: [] }, { signal: controller.signal, timeLimitMs: 20_000 });
    assert.equal(!again.result.ok && again.result.error.code, 'cancelled');
  });

  it('reports a worker that cannot run as an analysis error', async () => {
    const reply = await analyzeInWorker(path.join(ROOT, 'out/no-such-worker.js'), { input: input(HOSTILE), rules: [] }, { timeLimitMs: 20_000 });
    assert.ok(!reply.result.ok);
    assert.equal(reply.result.error.code, 'analysis');
    assert.match(reply.result.error.message, /^the analysis of the release notes of file:CHANGELOG\.md failed: /);
  });
});
