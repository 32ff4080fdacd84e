// Render timing for the benchmark and the tests: in test mode only (see testProtocol.ts).
import type { ToPanel } from '../../releaseNotes/protocol';
import type { TestReview } from '../../releaseNotes/testProtocol';
import { postTest, testMode } from './host';

let transitMs = 0;

/** Notes how long the review took to arrive (test mode: the extension stamps it with sentAt). */
export function reviewArrived(msg: Extract<ToPanel, { type: 'review' }>): void {
  if (testMode) transitMs = Date.now() - Number((msg as Partial<TestReview>).sentAt);
}

/** Runs `build`; in test mode reports how long it took to the extension. */
export function timed(versions: number, build: () => void): void {
  if (!testMode) return build();
  const started = performance.now();
  build();
  postTest({ type: 'rendered', ms: performance.now() - started, versions, transitMs });
}
