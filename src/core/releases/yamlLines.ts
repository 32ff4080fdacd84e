/**
 * `key: value` lines of YAML read one at a time, without a YAML parser: what the version-pin and
 * lockfile scanners share. A parser is far slower on text that is not YAML (an error object per
 * character), and nests its recursion as deep as the brackets do; these readers look at one line
 * and never backtrack.
 */

export interface KeyValue {
  key: string;
  /** The value on the key's line, without quotes, anchor, tag or comment; '' when there is none. */
  value: string;
  /** The value is a flow collection, an alias or a block scalar: nothing to read on this line. */
  structured: boolean;
  blockScalar: boolean;
}

/** `key: value` at the start of `rest`, or null. A plain key ends at the first `:` followed by a blank. */
export function keyValue(rest: string): KeyValue | null {
  let key: string;
  let after: number;
  const quote = rest[0];
  if (quote === '"' || quote === "'") {
    const close = rest.indexOf(quote, 1);
    if (close === -1) return null;
    key = rest.slice(1, close);
    after = close + 1;
    while (rest[after] === ' ' || rest[after] === '\t') after++;
    if (rest[after] !== ':') return null;
  } else {
    after = -1;
    for (let at = rest.indexOf(':'); at !== -1; at = rest.indexOf(':', at + 1)) {
      const next = rest[at + 1];
      if (next === undefined || next === ' ' || next === '\t') {
        after = at;
        break;
      }
    }
    if (after <= 0) return null;
    key = rest.slice(0, after).trimEnd();
  }
  return { key, ...scalar(rest.slice(after + 1)) };
}

/** A value as written after `key:`. */
function scalar(raw: string): Omit<KeyValue, 'key'> {
  let text = raw.trim();
  // Anchors and tags before the value: `&img redis:7`, `!!str 7.2`.
  while (text[0] === '&' || text[0] === '!') {
    const space = text.search(/\s/);
    text = space === -1 ? '' : text.slice(space).trimStart();
  }
  const first = text[0];
  if (first === '"' || first === "'") {
    const close = text.indexOf(first, 1);
    return { value: close === -1 ? '' : text.slice(1, close), structured: false, blockScalar: false };
  }
  // A comment starts at a `#` after a blank.
  const comment = text.search(/\s#/);
  if (comment !== -1) text = text.slice(0, comment).trimEnd();
  if (text.startsWith('#')) text = '';
  const blockScalar = /^[|>][-+0-9]*$/.test(text);
  return { value: blockScalar ? '' : text, structured: blockScalar || first === '[' || first === '{' || first === '*', blockScalar };
}

/** The column of a line's first character that is not a space. */
export function indentOf(line: string): number {
  let col = 0;
  while (line[col] === ' ') col++;
  return col;
}
