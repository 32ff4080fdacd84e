/**
 * Offsets at which each line of `text` starts. Line breaks are CRLF, LF or a lone CR, the
 * same set markdown-it normalises, so index n here is markdown-it's line n.
 */
export function lineStarts(text: string): number[] {
  const starts = [0];
  if (text.indexOf('\r') < 0) {
    // LF-only text: indexOf is much faster than a per-character loop on large files.
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      starts.push(i + 1);
    } else if (c === 0x0d) {
      if (text.charCodeAt(i + 1) === 0x0a) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** The text of line `n` without its line break. */
export function lineText(text: string, starts: readonly number[], n: number): string {
  const end = n + 1 < starts.length ? starts[n + 1] : text.length;
  let stop = end;
  if (stop > starts[n] && text.charCodeAt(stop - 1) === 0x0a) stop--;
  if (stop > starts[n] && text.charCodeAt(stop - 1) === 0x0d) stop--;
  return text.slice(starts[n], stop);
}
