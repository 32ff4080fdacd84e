// The page's one line to the extension.
import type { FromPanel } from '../../releaseNotes/protocol';
import type { FromPanelTest, TEST_MODE } from '../../releaseNotes/testProtocol';

const api = acquireVsCodeApi<FromPanel | FromPanelTest>();

const testValue: typeof TEST_MODE = 'test';

/** Set only when the extension runs in ExtensionMode.Test: the page then reports its render times. */
export const testMode = document.body.dataset.mode === testValue;

export function post(message: FromPanel): void {
  api.postMessage(message);
}

/** Posts a test-only message; a page not loaded for tests posts none. */
export function postTest(message: FromPanelTest): void {
  if (testMode) api.postMessage(message);
}
