/** Entry point for the benchmark: one markdown-it parse plus a linear pass of the highlighter. */
import { parseNotes } from './changelog';
import type { ParsedNotes } from './model';

export function parseAndClassify(text: string, file: string): ParsedNotes {
  return parseNotes(text, file);
}
