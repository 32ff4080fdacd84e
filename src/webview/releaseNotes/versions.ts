// The versions of a review: their sections with the notes, and the timeline above them.
import type { ReviewView, ViewItem, ViewVersion } from '../../releaseNotes/protocol';
import { chip, el, plural, versionId } from './dom';
import { applyFilters } from './filters';
import { post } from './host';

function renderItem(view: ReviewView, item: ViewItem, v: ViewVersion): HTMLLIElement {
  const body = el('div', { class: 'note' });
  // Rendered by markdown-it in the extension host with raw HTML disabled.
  body.innerHTML = item.html;
  const loc = el('button', { class: 'location link', title: 'Open the source of this note', 'aria-label': `Open source ${item.location}` }, [item.location]);
  loc.addEventListener('click', () => post({ type: 'openSource', version: v.version, index: item.index }));
  const meta = el('div', { class: 'item-meta' }, item.risks.map((r) => chip(view.labels, r, item.why?.[r])));
  if (item.prerelease) meta.append(el('span', { class: 'heading' }, [`from ${item.prerelease}`]));
  const attrs = { class: `item${item.risks.length ? ' risky' : ''}`, 'data-risks': item.risks.join(' ') };
  // Nothing to say above the note: its location goes beside it.
  if (!meta.childElementCount) return el('li', attrs, [el('div', { class: 'item-row' }, [body, loc])]);
  meta.append(loc);
  return el('li', attrs, [meta, body]);
}

/** Adds a version's notes to its section once; asks the extension for them if they have not come yet. */
export function fillItems(view: ReviewView, details: HTMLDetailsElement, v: ViewVersion): void {
  if (details.dataset.filled) return;
  if (!v.items) {
    // Notes of versions that start closed are rendered by the extension when first opened.
    if (!details.dataset.requested) {
      details.dataset.requested = '1';
      details.append(el('p', { class: 'status loading' }, ['Loading…']));
      post({ type: 'renderVersion', version: v.version });
    }
    return;
  }
  details.querySelector('.loading')?.remove();
  details.dataset.filled = '1';
  const list = el('ol', { class: 'items' });
  if (v.items.length === 0) list.append(el('li', { class: 'empty' }, ['No release notes for this version.']));
  // Items under the same section heading share one group with that heading above them.
  let group: HTMLOListElement | undefined;
  let heading: string | undefined;
  for (const item of v.items) {
    if (!group || item.heading !== heading) {
      heading = item.heading;
      group = el('ol', { class: 'group-items' });
      const title = heading ? [el('div', { class: 'group-heading', role: 'heading', 'aria-level': '3' }, [heading])] : [];
      list.append(el('li', { class: 'group' }, [...title, group]));
    }
    group.append(renderItem(view, item, v));
  }
  details.append(list);
  applyFilters(details, view);
}

export function renderVersion(view: ReviewView, v: ViewVersion): HTMLDetailsElement {
  const riskLabels = v.risks.map((r) => view.labels[r]).join(', ');
  const summary = el('summary', { 'aria-label': `${v.version}, ${v.itemCount} items${v.risks.length ? `, risks: ${riskLabels}` : ''}` }, [
    el('span', { class: 'version-name' }, [v.version]),
    el('span', { class: 'version-meta' }, [
      [v.date, v.tag && v.tag !== v.version ? `tag ${v.tag}` : '', v.prereleases.length ? `includes ${v.prereleases.join(', ')}` : '', plural(v.itemCount, 'item')]
        .filter(Boolean)
        .join(' · '),
    ]),
    ...v.risks.map((r) => chip(view.labels, r)),
  ]);
  const details = el('details', { class: `version${v.risks.length ? ' risky' : ''}`, id: versionId(v.version), 'data-risks': v.risks.join(' ') }, [summary]);
  // Versions with flagged items start open; the rest render their items when opened.
  if (v.risks.length) {
    details.open = true;
    fillItems(view, details, v);
  }
  details.addEventListener('toggle', () => details.open && fillItems(view, details, v));
  return details;
}

/** What the timeline's colours mean: the ticks of versions with and without flagged items, and a marker per risk found. */
export function renderLegend(view: ReviewView): HTMLElement {
  const entry = (swatch: HTMLElement, label: string) => el('span', { class: 'legend-entry' }, [swatch, label]);
  return el('div', { class: 'legend', 'aria-label': 'Timeline legend' }, [
    entry(el('span', { class: 'swatch tick-plain' }), 'nothing flagged'),
    entry(el('span', { class: 'swatch tick-risky' }), 'flagged items'),
    ...view.summary.map((s) => entry(el('span', { class: `marker risk-${s.risk}` }), s.label)),
  ]);
}

/** Oldest to newest, one tick per version with a marker per risk; arrow keys, Home and End move along it. */
export function renderTimeline(view: ReviewView): HTMLElement {
  const nav = el('nav', { class: 'timeline', 'aria-label': 'Versions, oldest to newest' });
  const versions = [...view.versions].reverse();
  versions.forEach((v, i) => {
    const b = el(
      'button',
      {
        class: `tick${v.risks.length ? ' risky' : ''}`,
        title: `${v.version}${v.risks.length ? `: ${v.risks.map((r) => view.labels[r]).join(', ')}` : ''}`,
        'aria-label': `Version ${v.version}${v.risks.length ? `, ${v.risks.length} kinds of risk` : ''}`,
        tabindex: i === versions.length - 1 ? '0' : '-1',
      },
      [el('span', { class: 'tick-label' }, [v.version]), el('span', { class: 'markers' }, v.risks.map((r) => el('span', { class: `marker risk-${r}` })))],
    );
    b.addEventListener('click', () => reveal(v.version));
    b.addEventListener('keydown', (e) => {
      const buttons = [...nav.querySelectorAll('button')];
      const at = buttons.indexOf(b);
      const to = e.key === 'ArrowRight' ? at + 1 : e.key === 'ArrowLeft' ? at - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? buttons.length - 1 : -2;
      if (to === -2 || !buttons[to]) return;
      e.preventDefault();
      b.tabIndex = -1;
      buttons[to].tabIndex = 0;
      buttons[to].focus();
    });
    nav.append(b);
  });
  return nav;
}

/** Opens a version's section, scrolls to it and focuses its summary. */
function reveal(version: string): void {
  const details = document.getElementById(versionId(version));
  if (!(details instanceof HTMLDetailsElement)) return;
  details.open = true;
  details.scrollIntoView({ block: 'start' });
  details.querySelector('summary')?.focus();
}
