// A review: its header (toolbar, risk summary, engines, problems, timeline) and its versions.
import type { ReviewView } from '../../releaseNotes/protocol';
import { el, plural, versionId } from './dom';
import { applyFilters, filters, searchText } from './filters';
import { post } from './host';
import { fillItems, renderLegend, renderTimeline, renderVersion } from './versions';

function toolbar(view: ReviewView, canPlan: boolean): HTMLElement {
  const riskyOnly = el('input', { type: 'checkbox', id: 'risky-only' });
  riskyOnly.checked = filters.riskyOnly;
  riskyOnly.addEventListener('change', () => {
    filters.riskyOnly = riskyOnly.checked;
    applyFilters(document, view);
  });
  const copy = el('button', { class: 'button secondary', id: 'copy' }, ['Copy as Markdown']);
  copy.addEventListener('click', () => post({ type: 'copyMarkdown' }));
  const expand = el('button', { class: 'button secondary' }, ['Expand all']);
  expand.addEventListener('click', () => {
    for (const d of document.querySelectorAll<HTMLDetailsElement>('details.version')) d.open = true;
  });
  const collapse = el('button', { class: 'button secondary' }, ['Collapse all']);
  collapse.addEventListener('click', () => {
    for (const d of document.querySelectorAll<HTMLDetailsElement>('details.version')) d.open = false;
  });
  const bar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Review actions' }, [el('label', { class: 'toggle' }, [riskyOnly, ' Risky only']), expand, collapse, copy]);
  if (canPlan) {
    const plan = el('button', { class: 'button', id: 'create-plan' }, ['Create Upgrade Plan']);
    plan.addEventListener('click', () => post({ type: 'createPlan' }));
    bar.append(plan);
  }
  return bar;
}

/** The risks found, each a button that shows only its items (pressed again, everything). */
function riskSummary(view: ReviewView): HTMLElement {
  const summary = el('div', { class: 'summary', role: 'group', 'aria-label': 'Risks found' });
  if (view.summary.length === 0) summary.append(el('span', { class: 'nothing' }, ['Nothing flagged in these release notes.']));
  for (const s of view.summary) {
    const b = el('button', { class: `chip risk-${s.risk} filter`, 'aria-pressed': String(filters.risk === s.risk), title: `Show only: ${s.label}` }, [`${s.label} `, el('strong', {}, [String(s.count)])]);
    b.addEventListener('click', () => {
      filters.risk = filters.risk === s.risk ? null : s.risk;
      for (const other of summary.querySelectorAll('button')) other.setAttribute('aria-pressed', String(other === b && filters.risk === s.risk));
      applyFilters(document, view);
    });
    summary.append(b);
  }
  return summary;
}

/** The search box: shows only the items whose text holds what is typed, across all versions. */
function searchBox(view: ReviewView): HTMLElement {
  const input = el('input', { type: 'search', id: 'search', class: 'search', placeholder: 'Filter notes', 'aria-label': 'Filter the notes by text' });
  input.value = filters.text;
  let timer: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      filters.text = input.value;
      // Versions that start closed have no notes on the page yet: ask for them to search them too.
      if (searchText()) {
        for (const v of view.versions) {
          const details = document.getElementById(versionId(v.version));
          if (details instanceof HTMLDetailsElement) fillItems(view, details, v);
        }
      }
      applyFilters(document, view);
    }, 150);
  });
  return input;
}

/** Replaces the page's content with the review. */
export function renderReview(app: HTMLElement, view: ReviewView, canPlan: boolean): void {
  const items = view.versions.reduce((n, v) => n + v.itemCount, 0);
  const header = el('header', {}, [
    el('h1', {}, [`Release notes ${view.from} → ${view.to}`]),
    el('p', { class: 'source' }, [`${view.source} · ${plural(view.versions.length, 'version')} · ${items} items · ${view.flagged} flagged`]),
    toolbar(view, canPlan),
    riskSummary(view),
    el('p', { id: 'filter-state', class: 'filter-state', 'aria-live': 'polite' }),
  ]);
  if (view.engines.length) {
    header.append(el('p', { class: 'engines' }, ['Engine versions: ', view.engines.map((e) => `${e.name} ${e.from ?? '(not listed)'} → ${e.to ?? '(not listed)'}`).join(' · ')]));
  }
  if (view.problems.length) {
    header.append(
      el('details', { class: 'problems' }, [
        el('summary', {}, [`${plural(view.problems.length, 'note')} about reading the sources`]),
        el('ul', {}, view.problems.map((p) => el('li', {}, [p]))),
      ]),
    );
  }
  // Stays at the top while the versions scroll under it.
  const bar = el('div', { class: 'sticky-bar' }, [searchBox(view), renderTimeline(view), renderLegend(view)]);
  const list = el('section', { class: 'versions', 'aria-label': 'Versions, newest first' }, view.versions.map((v) => renderVersion(view, v)));
  app.replaceChildren(header, bar, list);
  applyFilters(document, view);
}
