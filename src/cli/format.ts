/** The readable form of a review: per version, newest first, the flagged items with file:line. */
import type { Review, ReviewItem } from '../core/releases';
import { RISKS } from '../core/releases';

export function formatReview(review: Review): string {
  const items = review.versions.flatMap((v) => v.items);
  const flagged = items.filter((i) => i.risks.length).length;
  const out: string[] = [
    `Release notes from ${review.source}: ${review.from} -> ${review.to}`,
    `${plural(review.versions.length, 'version')}, ${plural(items.length, 'item')}, ${flagged} flagged`,
    '',
  ];
  for (let i = 0; i < review.versions.length; i++) {
    // Runs of versions without notes (tags of patch releases) take one line.
    let run = i;
    while (run < review.versions.length && review.versions[run].items.length === 0) run++;
    if (run - i >= 3) {
      out.push(`${review.versions[i].version} ... ${review.versions[run - 1].version}: ${run - i} versions without notes`);
      i = run - 1;
      continue;
    }
    const v = review.versions[i];
    const vFlagged = v.items.filter((item) => item.risks.length);
    const meta = [v.date, v.tag && v.tag !== v.version ? `tag ${v.tag}` : null, v.prereleases?.length ? `includes ${v.prereleases.join(', ')}` : null]
      .filter(Boolean)
      .join(', ');
    out.push(`${v.version}${meta ? ` (${meta})` : ''}: ${plural(v.items.length, 'item')}, ${vFlagged.length} flagged`);
    for (const item of vFlagged) out.push(`  ${location(item)}  [${item.risks.join(', ')}]  ${oneLine(item.text)}`);
  }
  if (review.engines.length) {
    out.push('', 'Engines:');
    for (const e of review.engines) out.push(`  ${e.name}: ${e.from ?? '(none)'} -> ${e.to ?? '(none)'}`);
  }
  const counts = RISKS.filter((r) => review.summary[r]).map((r) => `${r} ${review.summary[r]}`);
  out.push('', `Summary: ${counts.length ? counts.join(', ') : 'nothing flagged'}`);
  return out.join('\n') + '\n';
}

function location(item: ReviewItem): string {
  const lines = item.endLine > item.line ? `${item.line}-${item.endLine}` : `${item.line}`;
  return `${item.file}:${lines}${item.ref && item.ref !== 'HEAD' ? ` @${item.ref}` : ''}`;
}

/** The item as one line: link targets dropped, whitespace collapsed, nothing cut. */
function oneLine(text: string): string {
  return text
    // A target ends at the first parenthesis or blank, so a run of `](` is one scan.
    .replace(/\]\([^()\s]*\)/g, ']')
    .replace(/\s+/g, ' ')
    .trim();
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
