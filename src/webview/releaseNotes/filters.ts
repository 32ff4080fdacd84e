import type { ReviewView, Risk } from '../../releaseNotes/protocol';

/** "Risky only" and the risk picked in the summary; "Risky only" carries over to the next review. */
export const filters: { riskyOnly: boolean; risk: Risk | null } = { riskyOnly: false, risk: null };

/** Hides the items (and, for the whole document, the versions) the filters leave out. */
export function applyFilters(root: ParentNode, view: ReviewView): void {
  const match = (risks: string) => (filters.risk ? risks.split(' ').includes(filters.risk) : !filters.riskyOnly || risks !== '');
  for (const item of root.querySelectorAll<HTMLElement>('li.item')) item.hidden = !match(item.dataset.risks || '');
  if (root === document) {
    for (const v of document.querySelectorAll<HTMLElement>('details.version')) v.hidden = !match(v.dataset.risks || '');
  }
  const count = document.getElementById('filter-state');
  if (count) count.textContent = filters.risk ? `Showing ${view.labels[filters.risk]} only` : filters.riskyOnly ? 'Showing flagged items only' : '';
}
