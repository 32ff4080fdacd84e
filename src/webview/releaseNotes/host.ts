// The page's one line to the extension.
import type { FromPanel, PanelState } from '../../releaseNotes/protocol';
import type { FromPanelTest, TEST_MODE } from '../../releaseNotes/testProtocol';

const api = acquireVsCodeApi<FromPanel | FromPanelTest, PanelState>();

const testValue: typeof TEST_MODE = 'test';

/** Set only when the extension runs in ExtensionMode.Test: the page then reports its render times. */
export const testMode = document.body.dataset.mode === testValue;

/** Keeps the review's source and range for VS Code to restore the panel after a window reload. */
export function saveState(state: PanelState): void {
  api.setState({ source: String(state.source), from: String(state.from), to: String(state.to) });
}

export function post(message: FromPanel): void {
  api.postMessage(message);
}

/** Posts a test-only message; a page not loaded for tests posts none. */
export function postTest(message: FromPanelTest): void {
  if (testMode) api.postMessage(message);
}
