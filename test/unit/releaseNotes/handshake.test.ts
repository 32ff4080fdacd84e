/** The review page's ready handshake: nothing is lost before the page is ready, and a page that loads anew shows the review again. */
import * as assert from 'node:assert/strict';
import { PageHandshake } from '../../../src/releaseNotes/handshake';
import type { ToPanel } from '../../../src/releaseNotes/protocol';

const state = { source: 'file:CHANGELOG.md', from: '1.0.0', to: '2.0.0' };
const review = (n: number) => ({ type: 'review', view: { n }, canPlan: true, state }) as unknown as ToPanel;
const loading: ToPanel = { type: 'loading', message: 'Reading…' };
const copied: ToPanel = { type: 'copied' };

describe('review page handshake', () => {
  it('holds messages until the page is ready, keeping the latest review and what came after it', () => {
    const h = new PageHandshake();
    assert.deepEqual(h.post(loading), []);
    assert.deepEqual(h.post(review(1)), []);
    assert.deepEqual(h.post(review(2)), []);
    assert.deepEqual(h.post(copied), []);
    assert.equal(h.isReady, false);
    assert.deepEqual(h.onReady(), [review(2), copied]);
    assert.equal(h.isReady, true);
    assert.deepEqual(h.post(review(3)), [review(3)]);
  });

  it('sends a page that says ready again what it showed, and nothing twice otherwise', () => {
    const h = new PageHandshake();
    assert.deepEqual(h.onReady(), []);
    assert.deepEqual(h.onReady(), [], 'nothing shown yet');
    h.post(review(1));
    h.post(copied);
    // The page loaded anew (its frame was made again): it gets the review, not the one-off "copied".
    assert.deepEqual(h.onReady(), [review(1)]);
    h.post(loading);
    assert.deepEqual(h.onReady(), [loading]);
  });
});
