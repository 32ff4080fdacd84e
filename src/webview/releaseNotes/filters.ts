import type { ReviewView, Risk } from '../../releaseNotes/protocol';

/**
 * "Risky only", the risk picked in the summary and the text typed in the search box; "Risky only"
 * carries over to the next review.
 */
export const filters: { riskyOnly: boolean; risk: Risk | null; text: string } = { riskyOnly: false, risk: null, text: '' };

function riskMatch(risks: string): boolean {
  return filters.risk ? risks.split(' ').includes(filters.risk) : !filters.riskyOnly || risks !== '';
}

/** The search text as typed, folded for comparison; '' for none. */
export function searchText(): string {
  return filters.text.trim().toLowerCase();
}

/**
 * Hides the items the filters leave out, the section groups left empty, and the versions with
 * nothing to show (all of them for the whole document; the version itself for one version's section).
 */
export function applyFilters(root: Document | HTMLDetailsElement, view: ReviewView): void {
  const text = searchText();
  for (const item of root.querySelectorAll<HTMLElement>('li.item')) {
    item.hidden = !riskMatch(item.dataset.risks || '') || (!!text && !(item.textContent ?? '').toLowerCase().includes(text));
  }
  for (const group of root.querySelectorAll<HTMLElement>('li.group')) group.hidden = !group.querySelector('li.item:not([hidden])');
  const versions = root instanceof HTMLDetailsElement ? [root] : [...root.querySelectorAll<HTMLDetailsElement>('details.version')];
  for (const v of versions) {
    if (!text) {
      if (root !== document) continue;
      v.hidden = !riskMatch(v.dataset.risks || '');
    } else if (v.dataset.filled) {
      // A search shows the versions with a match, opened; a version still loading stays until its notes come.
      const found = !!v.querySelector('li.item:not([hidden])');
      v.hidden = !found;
      if (found) v.open = true;
    } else {
      v.hidden = !riskMatch(v.dataset.risks || '');
    }
  }
  const state = document.getElementById('filter-state');
  if (!state) return;
  const parts = [filters.risk ? `Showing ${view.labels[filters.risk]} only` : filters.riskyOnly ? 'Showing flagged items only' : ''];
  if (text) {
    const shown = document.querySelectorAll('li.item:not([hidden])').length;
    parts.push(`${shown} item${shown === 1 ? '' : 's'} match “${filters.text.trim()}”`);
    // Versions whose notes are still on their way are searched when they come: say so until then.
    const pending = document.querySelectorAll('details.version[data-requested]:not([data-filled])').length;
    if (pending) parts.push(`searching ${pending} more version${pending === 1 ? '' : 's'}…`);
  }
  state.textContent = parts.filter(Boolean).join(' · ');
}
