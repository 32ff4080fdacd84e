/**
 * What the review panel shows, computed in the extension host so the webview only builds DOM:
 * every item's markdown rendered to safe HTML, risk labels, and per-version risk markers. Rows that
 * are no notes (engine tables, contributor lists: noise.ts) are left out here and in the markdown,
 * and sources are named without this machine's paths (sourceLabel.ts).
 */
import { renderNoteHtml } from './render';
import type { Review, ReviewItem } from './review';
import { itemLocation, RISK_LABELS, RISKS, type Risk } from './model';
import { isNote } from './noise';
import { sourceLabel } from './sourceLabel';

export { itemLocation, RISK_LABELS };


export interface ViewItem {
  /** Index into the version's items, echoed back when the user opens the source. */
  index: number;
  html: string;
  risks: Risk[];
  /** Why each risk, one line per reason, for the chip's tooltip. */
  why: Partial<Record<Risk, string>>;
  /** "HISTORY.md:120-121" (with "@ref" when read at a ref other than the working tree). */
  location: string;
  heading: string;
  prerelease?: string;
}

export interface ViewVersion {
  version: string;
  date: string | null;
  tag?: string;
  prereleases: string[];
  /** The risks of its items, in vocabulary order. */
  risks: Risk[];
  itemCount: number;
  /** Only versions that open with the panel carry their items; the rest are sent when opened. */
  items?: ViewItem[];
}

export interface ReviewView {
  source: string;
  from: string;
  to: string;
  summary: { risk: Risk; label: string; count: number }[];
  engines: { name: string; from: string | null; to: string | null }[];
  versions: ViewVersion[];
  /** Items with at least one risk. */
  flagged: number;
  problems: string[];
  labels: Record<Risk, string>;
}


/** The panel's form of a version's notes: rendered to safe HTML, with their locations; rows that are no notes left out. */
export function viewItems(items: readonly ReviewItem[]): ViewItem[] {
  const out: ViewItem[] = [];
  items.forEach((item, index) => {
    if (!isNote(item)) return;
    out.push({
      index,
      html: renderNoteHtml(item.text),
      risks: item.risks,
      why: reasonsByRisk(item),
      location: itemLocation(item),
      heading: item.heading.join(' › '),
      prerelease: item.prerelease,
    });
  });
  return out;
}

/** How many of the items are notes (see noise.ts). */
function noteCount(items: readonly ReviewItem[]): number {
  let n = 0;
  for (const item of items) if (isNote(item)) n++;
  return n;
}

/** Each risk's reasons as one line: "says it is a breaking change; under the heading “Breaking changes”". */
function reasonsByRisk(item: Pick<ReviewItem, 'risks' | 'reasons'>): Partial<Record<Risk, string>> {
  const out: Partial<Record<Risk, string>> = {};
  for (const risk of item.risks) {
    const why = [...new Set((item.reasons ?? []).filter((r) => r.risk === risk).map((r) => r.why))];
    out[risk] = why.length ? why.join('; ') : 'flagged by the release notes around it';
  }
  return out;
}

/** Versions with flagged items open with the panel, so their notes are rendered up front. */
export function opensByDefault(v: { items: readonly { risks: readonly Risk[] }[] }): boolean {
  return v.items.some((i) => i.risks.length > 0);
}

export function reviewView(review: Review): ReviewView {
  return {
    source: sourceLabel(review.source),
    from: review.from,
    to: review.to,
    summary: RISKS.filter((r) => review.summary[r]).map((risk) => ({ risk, label: RISK_LABELS[risk], count: review.summary[risk]! })),
    engines: review.engines.map((e) => ({ name: e.name, from: e.from, to: e.to })),
    versions: review.versions.map((v) => {
      const present = new Set(v.items.flatMap((i) => i.risks));
      return {
        version: v.version,
        date: v.date,
        tag: v.tag,
        prereleases: v.prereleases ?? [],
        risks: RISKS.filter((r) => present.has(r)),
        itemCount: noteCount(v.items),
        items: opensByDefault(v) ? viewItems(v.items) : undefined,
      };
    }),
    flagged: review.versions.reduce((n, v) => n + v.items.filter((i) => i.risks.length).length, 0),
    problems: review.problems.map((p) => (p.file ? `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}` : p.message)),
    labels: RISK_LABELS,
  };
}

/** The review as markdown, for "Copy as Markdown" and for upgrade plans: flagged items by version. */
export function reviewMarkdown(review: Review, opts: { allItems?: boolean } = {}): string {
  const out: string[] = [`## Release notes ${review.from} → ${review.to}`, '', `Source: \`${sourceLabel(review.source)}\``, ''];
  const counts = RISKS.filter((r) => review.summary[r]).map((r) => `${RISK_LABELS[r]}: ${review.summary[r]}`);
  out.push(counts.length ? `Flagged: ${counts.join(', ')}.` : 'Nothing in these release notes was flagged as risky.', '');
  if (review.engines.length) {
    out.push('### Engine versions', '');
    for (const e of review.engines) out.push(`- ${e.name}: ${e.from ?? '(not listed)'} → ${e.to ?? '(not listed)'}`);
    out.push('');
  }
  for (const v of review.versions) {
    const notes = v.items.filter(isNote);
    const items = opts.allItems ? notes : notes.filter((i) => i.risks.length);
    out.push(`### ${v.version}${v.date ? ` (${v.date})` : ''}`, '');
    if (!items.length) {
      out.push(notes.length ? `${notes.length} item(s), none flagged.` : 'No release notes.', '');
      continue;
    }
    for (const item of items) {
      const risks = item.risks.length ? `**${item.risks.map((r) => RISK_LABELS[r]).join(', ')}**: ` : '';
      // Whole blank runs, each matched once: `\s*\n\s*` would rescan a long run of spaces from each of them.
      const text = item.text.replace(/^\s*[-*+]\s+/, '').replace(/\s+/g, (blank) => (blank.includes('\n') ? ' ' : blank));
      out.push(`- ${risks}${text} (\`${itemLocation(item)}\`)`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
