/**
 * `WWW-Authenticate` challenges (RFC 9110 section 11.6.1): `Bearer realm="…",service="…",scope="…"`
 * or `Basic realm="…"`, several in one header when a registry offers more than one scheme.
 *
 * One pass over the header, character by character: an upstream header cannot make it slow.
 */

export interface Challenge {
  /** Lower case: `bearer`, `basic`. */
  scheme: string;
  /** Parameter names in lower case; values unquoted. */
  params: Record<string, string>;
}

const TOKEN_CHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;
const MAX_HEADER = 8192;

export function parseChallenges(header: string | null | undefined): Challenge[] {
  const text = (header ?? '').slice(0, MAX_HEADER);
  const out: Challenge[] = [];
  let i = 0;
  const skipBlanks = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  const token = () => {
    const start = i;
    while (i < text.length && TOKEN_CHAR.test(text[i])) i++;
    return text.slice(start, i);
  };
  let current: Challenge | undefined;
  while (i < text.length) {
    skipBlanks();
    if (text[i] === ',') {
      i++;
      continue;
    }
    const start = i;
    const word = token();
    if (!word) {
      // A value without a name (`=realm`) is skipped whole; any other character no challenge has alone.
      if (text[i++] === '=') {
        skipBlanks();
        if (text[i] === '"') {
          i++;
          while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
          i++;
        } else token();
      }
      continue;
    }
    skipBlanks();
    if (text[i] === '=' && current) {
      i++;
      skipBlanks();
      let value = '';
      if (text[i] === '"') {
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < text.length) i++;
          value += text[i++];
        }
        i++;
      } else {
        value = token();
      }
      current.params[word.toLowerCase()] = value;
      continue;
    }
    if (text[i] === '=' && !current) {
      // A parameter before any scheme: not a challenge.
      i = start + word.length + 1;
      continue;
    }
    current = { scheme: word.toLowerCase(), params: {} };
    out.push(current);
  }
  return out;
}
