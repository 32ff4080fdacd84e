/**
 * YAML manifests read with the `yaml` package, within limits: the pins are looked for on every edit
 * and across whole workspaces, so a file is parsed only when it is small enough (MAX_PIN_SCAN), its
 * flow collections are shallow and its indentation is sane, all checked in one linear pass first.
 * Nodes are read as they are: aliases are never expanded, so no document grows past its text.
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type YAMLMap } from 'yaml';
import { MAX_PIN_SCAN } from '../releases/pins';

/** Deeper flow nesting (`[[[[`) than this, or indentation wider than MAX_INDENT, and the file is not parsed. */
export const MAX_FLOW_DEPTH = 64;
export const MAX_INDENT = 512;

export interface YamlDoc {
  /** The document's root map, or undefined when it is something else. */
  root: YAMLMap | undefined;
  /** 0-based line of a node's first character. */
  lineOf(node: Node | null | undefined): number;
}

/** Whether the text may be parsed: small, shallow, sanely indented. One pass, no regular expressions. */
export function parseable(text: string): boolean {
  if (text.length > MAX_PIN_SCAN) return false;
  let depth = 0;
  let indent = 0;
  let atLineStart = true;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      atLineStart = true;
      indent = 0;
      quote = '';
      continue;
    }
    if (atLineStart) {
      if (c === 32) {
        if (++indent > MAX_INDENT) return false;
        continue;
      }
      atLineStart = false;
    }
    if (quote) {
      if (text[i] === quote) quote = '';
      continue;
    }
    if (c === 34 || c === 39) quote = text[i];
    else if (c === 35 && (i === 0 || text.charCodeAt(i - 1) === 32)) {
      // A comment: skip to the end of the line.
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10) i++;
    } else if (c === 91 || c === 123) {
      if (++depth > MAX_FLOW_DEPTH) return false;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return true;
}

/** Every document of a multi-document file that parsed without errors; [] when the file is not parseable. */
export function yamlDocuments(text: string): YamlDoc[] {
  if (!parseable(text)) return [];
  const lineCounter = new LineCounter();
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false, strict: false });
  } catch {
    return [];
  }
  const list = Array.isArray(docs) ? docs : [];
  const out: YamlDoc[] = [];
  for (const doc of list) {
    if (doc.errors.length) continue;
    out.push({
      root: isMap(doc.contents) ? doc.contents : undefined,
      lineOf: (node) => (node?.range ? lineCounter.linePos(node.range[0]).line - 1 : 0),
    });
  }
  return out;
}

/** The node at a path of map keys, or undefined. */
export function at(node: unknown, ...path: string[]): Node | undefined {
  let n = node as Node | undefined;
  for (const key of path) {
    if (!isMap(n)) return undefined;
    n = n.get(key, true) as Node | undefined;
  }
  return n ?? undefined;
}

/** A scalar's text (strings and numbers; `1.10` read as written, not as 1.1), or undefined. */
export function text(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number' || typeof v === 'bigint') return node.source?.trim() || String(v);
  return undefined;
}

/** The items of a sequence node ([] for anything else). */
export function items(node: unknown): Node[] {
  return isSeq(node) ? (node.items as Node[]) : [];
}
