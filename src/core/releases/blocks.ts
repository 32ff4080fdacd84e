/**
 * A document as a flat list of headings and items, whatever its format. The format readers
 * (markdown-it tokens, reStructuredText and plain-text line walkers) produce blocks; `assemble`
 * in changelog.ts turns them into version sections.
 */
import type { Callout } from './model';

export interface HeadingBlock {
  kind: 'heading';
  /** 1 is the outermost. Pseudo-headings such as a `<details>` summary use DETAILS_LEVEL. */
  level: number;
  text: string;
  /** 0-based line. */
  line: number;
}

export interface ItemBlock {
  kind: 'item';
  /** 0-based, end exclusive. */
  start: number;
  end: number;
  callout?: Callout;
}

/** Closes the innermost pseudo-heading of that level (`</details>`). */
export interface PopBlock {
  kind: 'pop';
  level: number;
}

export type Block = HeadingBlock | ItemBlock | PopBlock;

/** Deeper than any real heading, so a `<details>` summary nests under the current sub-heading. */
export const DETAILS_LEVEL = 7;

const CALLOUTS: Record<string, Callout> = {
  warning: 'warning',
  warn: 'warning',
  attention: 'warning',
  danger: 'danger',
  error: 'danger',
  caution: 'caution',
  important: 'important',
  note: 'note',
  tip: 'note',
  hint: 'note',
  info: 'note',
  seealso: 'note',
};

export function calloutFor(name: string): Callout | undefined {
  return CALLOUTS[name.toLowerCase()];
}

/** `**Warning:** ...`, `⚠️ Important: ...` at the start of a paragraph. */
export function leadingCallout(text: string): Callout | undefined {
  const m = /^\s*(?:[-*+]\s+)?(?:\*\*|__)?\s*(?:⚠️?|❗|🚨)?\s*(?:\*\*|__)?\s*(warning|danger|caution|important|attention)\b\s*(?:\*\*|__)?\s*[:!]/i.exec(text);
  return m ? calloutFor(m[1]) : undefined;
}

/** Lines of a document, split the way markdown-it normalizes them. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n?|\n/);
}
