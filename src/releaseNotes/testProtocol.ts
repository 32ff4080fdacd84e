// The review panel's test-only messages, for the benchmark and the integration tests. They are no
// part of the panel's protocol (protocol.ts): the extension sends and accepts them only when it runs
// in ExtensionMode.Test, and only then does the page's HTML carry TEST_MODE, the flag that makes the
// page time its renders. The page imports this module for its types only.
import type { ToPanel } from './protocol';

/** The value of the page's `<body data-mode>` in test mode; production pages have no data-mode. */
export const TEST_MODE = 'test';

/** How long the page took to build a review's DOM (ms), of how many versions, and the review's time in transit (ms). */
export interface RenderTiming {
  ms: number;
  versions: number;
  transitMs: number;
}

/** A review as the extension sends it in test mode: stamped with the time it was posted (Date.now()). */
export type TestReview = Extract<ToPanel, { type: 'review' }> & { sentAt: number };

/** Test-only messages from the page to the extension. */
export type FromPanelTest = { type: 'rendered' } & RenderTiming;

/** Checks the shape of a test-only message from the webview. */
export function isFromPanelTest(m: unknown): m is FromPanelTest {
  if (!m || typeof m !== 'object') return false;
  const msg = m as Record<string, unknown>;
  return msg.type === 'rendered' && typeof msg.ms === 'number' && typeof msg.versions === 'number' && typeof msg.transitMs === 'number';
}
