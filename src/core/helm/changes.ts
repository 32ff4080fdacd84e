/**
 * A chart version's `artifacthub.io/changes` annotation as release-note markdown. The annotation is
 * a YAML list, of strings or of `{kind, description, links: [{name, url}]}`; kinds are added,
 * changed, deprecated, removed, fixed and security. Items are grouped under a heading per kind (the
 * highlighter reads headings such as "Removed" and "Security"); descriptions become one line each,
 * and only http(s) links are kept.
 */
import { parse } from 'yaml';

/** The longest annotation read. */
export const MAX_CHANGES_CHARS = 256 * 1024;

const KINDS = ['added', 'changed', 'deprecated', 'removed', 'fixed', 'security'] as const;
const TITLES: Record<string, string> = { added: 'Added', changed: 'Changed', deprecated: 'Deprecated', removed: 'Removed', fixed: 'Fixed', security: 'Security' };

export interface ChartChange {
  kind?: string;
  description: string;
  links: { name: string; url: string }[];
}

/** The changes an annotation lists; [] when it is not a list. */
export function parseChanges(annotation: string): ChartChange[] {
  if (annotation.length > MAX_CHANGES_CHARS) return [];
  let data: unknown;
  try {
    data = parse(annotation, { maxAliasCount: 0, prettyErrors: false });
  } catch {
    return [];
  }
  if (!Array.isArray(data)) return [];
  const out: ChartChange[] = [];
  for (const entry of data) {
    if (typeof entry === 'string' || typeof entry === 'number') {
      const description = oneLine(String(entry));
      if (description) out.push({ description, links: [] });
      continue;
    }
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) continue;
    const e = entry as Record<string, unknown>;
    const description = typeof e.description === 'string' ? oneLine(e.description) : '';
    if (!description) continue;
    const kind = typeof e.kind === 'string' ? e.kind.trim().toLowerCase() : undefined;
    const links = (Array.isArray(e.links) ? e.links : []).flatMap((l) => {
      if (!l || typeof l !== 'object') return [];
      const { name, url } = l as { name?: unknown; url?: unknown };
      return typeof url === 'string' && /^https?:\/\/\S+$/i.test(url.trim()) ? [{ name: typeof name === 'string' && name.trim() ? oneLine(name) : url.trim(), url: url.trim() }] : [];
    });
    out.push(kind ? { kind, description, links } : { description, links });
  }
  return out;
}

/** Markdown for a version's changes: `### Added` and bullets, kinds in Artifact Hub's order, other kinds after. */
export function changesMarkdown(changes: readonly ChartChange[]): string {
  const groups = new Map<string, ChartChange[]>();
  for (const c of changes) {
    const key = c.kind ?? '';
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  // Items without a kind first: after a heading they would read as that heading's.
  const order = [...(groups.has('') ? [''] : []), ...KINDS.filter((k) => groups.has(k)), ...[...groups.keys()].filter((k) => k && !(KINDS as readonly string[]).includes(k))];
  const out: string[] = [];
  for (const kind of order) {
    if (kind) out.push(`### ${TITLES[kind] ?? escape(kind.charAt(0).toUpperCase() + kind.slice(1))}`, '');
    for (const c of groups.get(kind)!) {
      const links = c.links.map((l) => `[${escape(l.name)}](<${l.url.replace(/[<>\s]/g, encodeURIComponent)}>)`);
      out.push(`- ${c.description}${links.length ? ` (${links.join(', ')})` : ''}`);
    }
    out.push('');
  }
  return out.join('\n').trimEnd() + '\n';
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Brackets and backslashes of link text, escaped so a name cannot end its link early. */
function escape(s: string): string {
  return s.replace(/[\\[\]]/g, '\\$&');
}
