/**
 * A chart repository's index.yaml, read for one chart. Indexes of big repositories run to tens of
 * megabytes and thousands of charts, so the chart's own block under `entries:` is cut out of the
 * text in one linear pass (by indentation) and only that block is parsed; an index in JSON form,
 * or one laid out otherwise, is parsed whole when it is small enough.
 */
import { parse } from 'yaml';
import { canonicalVersion, sortNewestFirst } from '../releases/version';
import { isoDay } from '../releases/dates';

/** The largest index.yaml read at all, and the largest one parsed whole. */
export const MAX_INDEX_BYTES = 64 * 1024 * 1024;
export const MAX_WHOLE_INDEX_BYTES = 8 * 1024 * 1024;
/** Versions of one chart read from an index; the newest are kept. */
export const MAX_CHART_VERSIONS = 5000;

/** What Preflight reads of a chart version (index.yaml entry, or an OCI chart's config). */
export interface ChartVersion {
  /** Canonical. */
  version: string;
  /** As written, for messages and OCI tags. */
  raw: string;
  appVersion?: string;
  /** YYYY-MM-DD. */
  date: string | null;
  sources: string[];
  home?: string;
  /** The `artifacthub.io/changes` annotation, as written. */
  changes?: string;
  deprecated?: boolean;
}

/** The chart's versions in an index, newest first; null when the index does not list the chart. */
export function chartVersionsFromIndex(index: string, chart: string): ChartVersion[] | null {
  const block = chartBlock(index, chart);
  let list: unknown;
  try {
    if (block !== undefined) list = parse(`${block.key}:\n${block.text}`, { maxAliasCount: 0, prettyErrors: false, uniqueKeys: false })?.[block.key];
    else if (index.length <= MAX_WHOLE_INDEX_BYTES) list = entriesOf(index, chart);
    else return null;
  } catch {
    return null;
  }
  if (!Array.isArray(list)) return null;
  const out: ChartVersion[] = [];
  for (const raw of list.slice(0, MAX_CHART_VERSIONS)) {
    const v = chartVersion(raw);
    if (v) out.push(v);
  }
  return sortNewestFirst(out, (v) => v.version);
}

function entriesOf(index: string, chart: string): unknown {
  const data = parse(index, { maxAliasCount: 0, prettyErrors: false, uniqueKeys: false }) as { entries?: Record<string, unknown> } | null;
  const entries = data && typeof data === 'object' ? data.entries : undefined;
  return entries && typeof entries === 'object' && Object.hasOwn(entries, chart) ? entries[chart] : undefined;
}

/** A chart version from an index entry or chart metadata (Chart.yaml fields), or undefined when it has no version. */
export function chartVersion(raw: unknown): ChartVersion | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  const rawVersion = scalar(r.version);
  const version = rawVersion && canonicalVersion(rawVersion);
  if (!rawVersion || !version) return undefined;
  const out: ChartVersion = { version, raw: rawVersion, date: isoDay(scalar(r.created)), sources: [] };
  const app = scalar(r.appVersion);
  if (app) out.appVersion = app;
  if (Array.isArray(r.sources)) for (const s of r.sources) if (typeof s === 'string' && s.trim()) out.sources.push(s.trim());
  const home = scalar(r.home);
  if (home) out.home = home;
  const annotations = r.annotations;
  if (annotations && typeof annotations === 'object' && !Array.isArray(annotations)) {
    const changes = (annotations as Record<string, unknown>)['artifacthub.io/changes'];
    if (typeof changes === 'string' && changes.trim()) out.changes = changes;
  }
  if (r.deprecated === true) out.deprecated = true;
  return out;
}

function scalar(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number') return String(v);
  if (v instanceof Date) return v.toISOString();
  return undefined;
}

/**
 * The lines of `CHART:` under the top-level `entries:` key, up to the next key at its indentation
 * or less: one pass over the lines, comparing indentation and the key's text.
 */
function chartBlock(index: string, chart: string): { key: string; text: string } | undefined {
  let pos = 0;
  let inEntries = false;
  let childIndent = -1;
  let start = -1;
  let blockIndent = -1;
  while (pos <= index.length) {
    let end = index.indexOf('\n', pos);
    if (end === -1) end = index.length;
    const line = index.slice(pos, end).replace(/\r$/, '');
    const lineStart = pos;
    pos = end + 1;
    let indent = 0;
    while (line.charCodeAt(indent) === 32) indent++;
    if (indent === line.length || line[indent] === '#') {
      if (end === index.length) break;
      continue;
    }
    if (start !== -1) {
      // Sequence items may sit at the key's own indentation (`nginx:` then `- version: ...`).
      if (indent < blockIndent || (indent === blockIndent && line[indent] !== '-')) return { key: 'chart', text: index.slice(start, lineStart) };
    } else if (!inEntries) {
      if (indent === 0 && /^entries:\s*$/.test(line)) inEntries = true;
    } else if (indent === 0) {
      return undefined;
    } else {
      if (childIndent === -1) childIndent = indent;
      if (indent === childIndent && keyOf(line.slice(indent)) === chart) {
        start = pos;
        blockIndent = indent;
      }
    }
    if (end === index.length) break;
  }
  return start !== -1 ? { key: 'chart', text: index.slice(start) } : undefined;
}

/** The key of a `key:` line with nothing after it but a comment (quoted or plain), or undefined. Linear. */
function keyOf(rest: string): string | undefined {
  let key: string;
  let after: number;
  if (rest[0] === '"' || rest[0] === "'") {
    const close = rest.indexOf(rest[0], 1);
    if (close === -1) return undefined;
    key = rest.slice(1, close);
    after = close + 1;
    while (rest[after] === ' ') after++;
    if (rest[after] !== ':') return undefined;
  } else {
    after = rest.indexOf(':');
    if (after <= 0) return undefined;
    key = rest.slice(0, after).trimEnd();
  }
  const tail = rest.slice(after + 1).trimStart();
  return tail === '' || tail.startsWith('#') ? key : undefined;
}
