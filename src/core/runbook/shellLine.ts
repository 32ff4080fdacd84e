/**
 * Just enough of the shell's quoting to say what a literal in a code block would become if it were
 * replaced by `$NAME`: whether it sits unquoted, in single or double quotes, in a comment or in a
 * here-document (which expands `$NAME` unless its delimiter is quoted). Linear in the block's size.
 */

export enum Quote {
  None = 0,
  Single = 1,
  Double = 2,
  Comment = 3,
  /** A here-document body whose delimiter is unquoted: `$NAME` expands. */
  Heredoc = 4,
  /** A here-document body whose delimiter is quoted (`<<'EOF'`): nothing expands. */
  LiteralHeredoc = 5,
}

/** What carries over from one line of a block to the next. */
export interface LineState {
  quote: Quote.None | Quote.Single | Quote.Double;
  /** Inside a here-document until a line that is this word. */
  heredoc?: { delimiter: string; expands: boolean };
}

export function initialState(): LineState {
  return { quote: Quote.None };
}

const WORD_START = /[\s;&|()<>]/;
const HEREDOC = /^<<-?[ \t]*(?:'([^']+)'|"([^"]+)"|\\?([A-Za-z0-9_.-]+))/;

/**
 * The quoting of each character of `line`, given the state at its start; `state` is updated for
 * the next line. A backslash escapes the next character outside single quotes; `#` starts a
 * comment at the start of a word.
 */
export function quoteMap(line: string, state: LineState): Uint8Array {
  const map = new Uint8Array(line.length);
  if (state.heredoc) {
    const body = state.heredoc;
    if (line.trim() === body.delimiter) {
      state.heredoc = undefined;
      return map;
    }
    map.fill(body.expands ? Quote.Heredoc : Quote.LiteralHeredoc);
    return map;
  }
  let quote = state.quote;
  let pending: LineState['heredoc'];
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === Quote.Single) {
      map[i] = Quote.Single;
      if (c === "'") quote = Quote.None;
      continue;
    }
    if (c === '\\') {
      map[i] = quote;
      if (i + 1 < line.length) map[++i] = quote;
      continue;
    }
    if (quote === Quote.Double) {
      map[i] = Quote.Double;
      if (c === '"') quote = Quote.None;
      continue;
    }
    if (c === "'") {
      quote = Quote.Single;
      map[i] = Quote.Single;
    } else if (c === '"') {
      quote = Quote.Double;
      map[i] = Quote.Double;
    } else if (c === '#' && (i === 0 || WORD_START.test(line[i - 1]))) {
      map.fill(Quote.Comment, i);
      break;
    } else {
      map[i] = Quote.None;
      if (c === '<' && pending === undefined && line[i + 1] === '<' && line[i + 2] !== '<') {
        const m = HEREDOC.exec(line.slice(i, i + 260));
        if (m) pending = { delimiter: m[1] ?? m[2] ?? m[3], expands: m[3] !== undefined && line[i + m[0].length - m[3].length - 1] !== '\\' };
      }
    }
  }
  state.quote = quote === Quote.Single || quote === Quote.Double ? quote : Quote.None;
  if (pending) state.heredoc = pending;
  return map;
}

/** Where each word of a line ends, and where it expands something, computed once per line. */
export class Words {
  private readonly ends: Int32Array;
  /** Number of unescaped `$` and backquotes outside single quotes before each position. */
  private readonly expansions: Int32Array;

  constructor(
    private readonly line: string,
    private readonly map: Uint8Array,
  ) {
    const n = line.length;
    this.ends = new Int32Array(n + 1);
    this.expansions = new Int32Array(n + 1);
    let end = n;
    this.ends[n] = n;
    for (let j = n - 1; j >= 0; j--) {
      if (this.breaks(j)) end = j;
      this.ends[j] = end;
    }
    for (let j = 0; j < n; j++) {
      const c = line[j];
      const expanding = (c === '$' || c === '`') && map[j] !== Quote.Single && line[j - 1] !== '\\';
      this.expansions[j + 1] = this.expansions[j] + (expanding ? 1 : 0);
    }
  }

  /** Unquoted whitespace or an operator ends a word; so does a comment. */
  private breaks(j: number): boolean {
    const q = this.map[j];
    if (q === Quote.Comment) return true;
    return q === Quote.None && (/[\s;&|<>]/.test(this.line[j]) || (this.line[j] === ')' && this.line[j - 1] !== '\\'));
  }

  /** The end of the shell word that starts at `i`. */
  end(i: number): number {
    return i >= this.line.length ? this.line.length : this.breaks(i) ? i : this.ends[i];
  }

  /** True when `line[start, end)` expands something: `$` or a backquote outside single quotes. */
  expands(start: number, end: number): boolean {
    return this.expansions[end] - this.expansions[start] > 0;
  }
}

/**
 * The word `line[start, end)` without its quotes, for a word that starts outside quotes:
 * `'a b'` → `a b`, `"x"y` → `xy`; backslashes outside single quotes escape the next character.
 */
export function unquote(line: string, start: number, end: number): string {
  let out = '';
  let quote: Quote = Quote.None;
  for (let i = start; i < end; i++) {
    const c = line[i];
    if (quote === Quote.Single) {
      if (c === "'") quote = Quote.None;
      else out += c;
    } else if (c === '\\' && i + 1 < end) {
      out += line[++i];
    } else if (quote === Quote.Double) {
      if (c === '"') quote = Quote.None;
      else out += c;
    } else if (c === "'") {
      quote = Quote.Single;
    } else if (c === '"') {
      quote = Quote.Double;
    } else {
      out += c;
    }
  }
  return out;
}
