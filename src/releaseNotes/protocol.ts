// The review panel's messages, shared by the extension (panel.ts) and the page (src/webview/releaseNotes).
// The page imports this module for its types only; keep its imports type-only and free of Node, since
// the page is type-checked against the DOM without Node's types (src/webview/tsconfig.json).
import type { Risk } from '../core/releases/model';
import type { ReviewView, ViewItem, ViewVersion } from '../core/releases/view';

export type { Risk, ReviewView, ViewItem, ViewVersion };

/** What the page keeps for VS Code to hand back after a window reload: the review's source and range. */
export interface PanelState {
  source: string;
  from: string;
  to: string;
}

/** Messages from the extension to the review panel. */
export type ToPanel =
  | { type: 'review'; view: ReviewView; canPlan: boolean; state: PanelState }
  | { type: 'loading'; message: string }
  | { type: 'failed'; message: string; action: string; state: PanelState }
  | { type: 'copied' }
  | { type: 'versionItems'; version: string; items: ViewItem[] };

/** Messages from the review panel to the extension. */
export type FromPanel =
  | { type: 'ready' }
  | { type: 'openSource'; version: string; index: number }
  | { type: 'openLink'; href: string }
  | { type: 'copyMarkdown' }
  | { type: 'createPlan' }
  | { type: 'retry' }
  | { type: 'renderVersion'; version: string };

/** Checks the shape of a message from the webview: it is input like any other. */
export function isFromPanel(m: unknown): m is FromPanel {
  if (!m || typeof m !== 'object' || !('type' in m)) return false;
  const msg = m as Record<string, unknown>;
  switch (msg.type) {
    case 'ready':
    case 'copyMarkdown':
    case 'createPlan':
    case 'retry':
      return true;
    case 'openSource':
      return typeof msg.version === 'string' && Number.isInteger(msg.index);
    case 'openLink':
      return typeof msg.href === 'string';
    case 'renderVersion':
      return typeof msg.version === 'string';
    default:
      return false;
  }
}
