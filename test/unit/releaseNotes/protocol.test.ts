import * as assert from 'node:assert/strict';
import { isFromPanel } from '../../../src/releaseNotes/protocol';
import { isFromPanelTest } from '../../../src/releaseNotes/testProtocol';

describe('review panel protocol', () => {
  it('accepts the messages the page sends', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'copyMarkdown' },
      { type: 'createPlan' },
      { type: 'openSource', version: '2.4.0', index: 3 },
      { type: 'openLink', href: 'https://example.com' },
      { type: 'renderVersion', version: '2.4.0' },
    ]) {
      assert.equal(isFromPanel(m), true, JSON.stringify(m));
    }
  });

  it('rejects malformed messages', () => {
    for (const m of [
      null,
      undefined,
      'ready',
      {},
      { type: 'nope' },
      { type: 'openSource', version: '2.4.0', index: 1.5 },
      { type: 'openSource', version: 2, index: 1 },
      { type: 'openLink', href: 1 },
      { type: 'renderVersion' },
    ]) {
      assert.equal(isFromPanel(m), false, JSON.stringify(m));
    }
  });

  it('has no render timing: that is a test-only message', () => {
    const rendered = { type: 'rendered', ms: 12, versions: 300, transitMs: 3 };
    assert.equal(isFromPanel(rendered), false);
    assert.equal(isFromPanelTest(rendered), true);
  });

  it('checks the shape of the test-only render timing', () => {
    for (const m of [null, {}, { type: 'ready' }, { type: 'rendered' }, { type: 'rendered', ms: '12', versions: 300, transitMs: 3 }, { type: 'rendered', ms: 12, versions: 300 }]) {
      assert.equal(isFromPanelTest(m), false, JSON.stringify(m));
    }
  });
});
