/**
 * Git's rules for ref names (`git check-ref-format`, refs.c check_refname_format), as pure
 * functions, and a sanitizer that turns any text into a branch name git and GitHub accept.
 *
 * A ref name is components separated by `/`. No component is empty, begins with `.` or ends with
 * `.lock`; the name has no `..`, no `@{`, no ASCII control character, space, `~`, `^`, `:`, `?`,
 * `*`, `[` or `\`; it does not end with `.`; and it is not the single character `@`. Without
 * `allowOneLevel` it has at least two components. A branch name is valid when `refs/heads/<name>`
 * is, and it neither begins with `-` nor is `HEAD`.
 */

/** The longest branch name `sanitizeBranchName` gives, in UTF-8 bytes: a file name's limit, as loose refs are files. */
export const MAX_BRANCH_BYTES = 255;

/** Characters git refuses anywhere in a ref name. */
const FORBIDDEN = /[\x00-\x20\x7f~^:?*[\\]/;

/** Whether `git check-ref-format [--allow-onelevel] <ref>` accepts `ref`. */
export function isValidRefName(ref: string, opts: { allowOneLevel?: boolean } = {}): boolean {
  if (ref === '@') return false;
  const components = ref.split('/');
  if (!opts.allowOneLevel && components.length < 2) return false;
  for (const c of components) {
    if (c === '' || c.startsWith('.') || c.endsWith('.lock')) return false;
    if (FORBIDDEN.test(c) || c.includes('..') || c.includes('@{')) return false;
  }
  return !ref.endsWith('.');
}

/** Whether `git check-ref-format --branch <name>` accepts `name` (outside a repository, where `@{-1}` means nothing). */
export function isValidBranchName(name: string): boolean {
  return !name.startsWith('-') && name !== 'HEAD' && isValidRefName(`refs/heads/${name}`);
}

/** Characters the sanitizer replaces: git's forbidden ones, and every control, format, separator or unpaired surrogate code point. */
const REPLACED = /(?:[\x00-\x20\x7f~^:?*[\\]|[\p{Cc}\p{Cf}\p{Z}]|\p{Cs})+/gu;

/**
 * A valid branch name made from `text`, at most 255 bytes: forbidden and invisible characters
 * become `-`, empty components and leading dots go, `..` becomes `.`, `@{` becomes `@-`, a
 * `.lock` ending becomes `-lock`, trailing dots go, and a leading `-` goes. `fallback` stands in
 * for a name with nothing left; it is sanitized too.
 */
export function sanitizeBranchName(text: string, fallback = 'branch'): string {
  let name = clean(text.replace(REPLACED, '-'));
  // Cut to size on a character boundary, then clean the new end again.
  while (Buffer.byteLength(name, 'utf8') > MAX_BRANCH_BYTES) {
    name = clean(truncateBytes(name, MAX_BRANCH_BYTES));
  }
  if (name === '' || name === '@' || name === 'HEAD') return fallback === '' || fallback === text ? 'branch' : sanitizeBranchName(fallback, 'branch');
  return name;
}

function clean(text: string): string {
  let name = text;
  for (let before = ''; before !== name; ) {
    before = name;
    name = name
      .split('/')
      .map(component)
      .filter((c) => c !== '')
      .join('/')
      .replace(/^-+/, '');
  }
  return name;
}

function component(c: string): string {
  let out = c.replace(/\.{2,}/g, '.').replace(/@\{/g, '@-').replace(/^\.+/, '');
  for (let before = ''; before !== out; ) {
    before = out;
    out = out.replace(/\.lock$/i, '-lock').replace(/\.+$/, '');
  }
  return out;
}

function truncateBytes(text: string, max: number): string {
  let bytes = 0;
  let out = '';
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > max) break;
    bytes += n;
    out += ch;
  }
  return out;
}
