/**
 * The extension's side of the review page's `ready` handshake, without VS Code: what to send the
 * page now, and what to send it again when it loads anew (reloaded, or its frame made again) and
 * says `ready` a second time, so that a page never stays on "Loading" while a review is there.
 */
import type { ToPanel } from './protocol';

/** The messages that make what the page shows: it shows the latest of them. */
const STATES: readonly ToPanel['type'][] = ['review', 'loading', 'failed'];

export class PageHandshake {
  private ready = false;
  private pending: ToPanel[] = [];
  private shown: ToPanel | undefined;

  get isReady(): boolean {
    return this.ready;
  }

  /** What to send now for `message`: nothing until the page is ready (until then only the latest review and what followed it count). */
  post(message: ToPanel): ToPanel[] {
    if (STATES.includes(message.type)) this.shown = message;
    if (this.ready) return [message];
    this.pending = message.type === 'review' ? [message] : [...this.pending.filter((m) => m.type === 'review'), message];
    return [];
  }

  /** The page says it is ready: what it missed, or, when it loaded anew, what it showed. */
  onReady(): ToPanel[] {
    const out = this.pending.length ? this.pending : this.ready && this.shown ? [this.shown] : [];
    this.ready = true;
    this.pending = [];
    return out;
  }
}
