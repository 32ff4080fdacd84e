import type { ReviewView, ViewItem } from '../core/releases';

/** Messages from the extension to the review panel. */
export type ToPanel =
  | { type: 'review'; view: ReviewView; canPlan: boolean; sentAt: number }
  | { type: 'loading'; message: string }
  | { type: 'copied' }
  | { type: 'versionItems'; version: string; items: ViewItem[] };

/** Messages from the review panel to the extension. */
export type FromPanel =
  | { type: 'ready' }
  | { type: 'openSource'; version: string; index: number }
  | { type: 'openLink'; href: string }
  | { type: 'copyMarkdown' }
  | { type: 'createPlan' }
  | { type: 'renderVersion'; version: string }
  | { type: 'rendered'; ms: number; versions: number; transitMs: number };

/** Checks the shape of a message from the webview: it is input like any other. */
export function isFromPanel(m: unknown): m is FromPanel {
  if (!m || typeof m !== 'object' || !('type' in m)) return false;
  const msg = m as Record<string, unknown>;
  switch (msg.type) {
    case 'ready':
    case 'copyMarkdown':
    case 'createPlan':
      return true;
    case 'openSource':
      return typeof msg.version === 'string' && Number.isInteger(msg.index);
    case 'openLink':
      return typeof msg.href === 'string';
    case 'renderVersion':
      return typeof msg.version === 'string';
    case 'rendered':
      return typeof msg.ms === 'number' && typeof msg.versions === 'number' && typeof msg.transitMs === 'number';
    default:
      return false;
  }
}
