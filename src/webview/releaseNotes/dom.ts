import type { Risk } from '../../releaseNotes/protocol';

/** An element with attributes and children; text is always added as text, never as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, children: (Node | string)[] = []): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

/** A risk's chip; `why` (the reasons it was flagged) goes into its tooltip. */
export function chip(labels: Record<Risk, string>, risk: Risk, why?: string): HTMLSpanElement {
  const label = labels[risk] || risk;
  const title = why ? `${label}: ${why}` : label;
  return el('span', { class: `chip risk-${risk}`, title, 'aria-label': `Risk: ${title}` }, [label]);
}

/** The element id of a version's section. */
export function versionId(version: string): string {
  return `v-${version.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
