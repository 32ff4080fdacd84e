// The release-note review panel. Everything but the notes themselves is built with textContent;
// the notes arrive as HTML rendered by markdown-it with raw HTML disabled, and the page's CSP
// runs no script but this one.
import type { ReviewView, ToPanel } from '../../releaseNotes/protocol';
import { el, versionId } from './dom';
import { filters } from './filters';
import { post, saveState } from './host';
import { renderReview } from './review';
import { reviewArrived, timed } from './timing';
import { fillItems } from './versions';

const app = document.getElementById('app')!;
let view: ReviewView | undefined;

// Links inside notes open in the browser through the extension (http and https only).
app.addEventListener('click', (e) => {
  const a = e.target instanceof Element ? e.target.closest('a') : null;
  if (!a) return;
  e.preventDefault();
  const href = a.getAttribute('href');
  if (href) post({ type: 'openLink', href });
});

// j / k move between versions, like a mail reader.
document.addEventListener('keydown', (e) => {
  if (e.target instanceof HTMLInputElement || (e.key !== 'j' && e.key !== 'k')) return;
  const summaries = [...document.querySelectorAll<HTMLElement>('details.version:not([hidden]) > summary')];
  const at = document.activeElement instanceof HTMLElement ? summaries.indexOf(document.activeElement) : -1;
  const next = summaries[e.key === 'j' ? at + 1 : Math.max(0, at - 1)];
  if (next) {
    next.focus();
    next.scrollIntoView({ block: 'nearest' });
  }
});

function receive(msg: ToPanel): void {
  switch (msg.type) {
    case 'review': {
      reviewArrived(msg);
      if (msg.state) saveState(msg.state);
      const shown = msg.view;
      view = shown;
      // A risk picked or text searched for the last review may not occur in this one; "Risky only" carries over.
      filters.risk = null;
      filters.text = '';
      timed(shown.versions.length, () => renderReview(app, shown, !!msg.canPlan));
      return;
    }
    case 'loading':
      app.replaceChildren(el('p', { class: 'status' }, [String(msg.message)]));
      return;
    case 'failed': {
      if (msg.state) saveState(msg.state);
      view = undefined;
      const again = el('button', { class: 'button', id: 'retry' }, [String(msg.action)]);
      again.addEventListener('click', () => post({ type: 'retry' }));
      app.replaceChildren(el('p', { class: 'status failed', role: 'alert' }, [String(msg.message)]), again);
      return;
    }
    case 'versionItems': {
      const v = view?.versions.find((x) => x.version === msg.version);
      const details = document.getElementById(versionId(String(msg.version)));
      if (!view || !v || !(details instanceof HTMLDetailsElement) || !Array.isArray(msg.items)) return;
      v.items = msg.items;
      fillItems(view, details, v);
      return;
    }
    case 'copied': {
      const b = document.getElementById('copy');
      if (b) {
        b.textContent = 'Copied';
        setTimeout(() => (b.textContent = 'Copy as Markdown'), 1500);
      }
      return;
    }
  }
}

window.addEventListener('message', (event: MessageEvent<ToPanel | null>) => {
  const msg = event.data;
  if (msg && typeof msg === 'object') receive(msg);
});

post({ type: 'ready' });
