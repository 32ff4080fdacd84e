import { setOwn } from './guards';
import type { RunbookMeta, VariableSpec } from './model';

/** What a secret value is displayed as, wherever it would appear. */
export const SECRET_MASK = '••••••';

/** Values by variable name. A map, so names such as `constructor` or `toString` are plain names. */
export type VariableValues = ReadonlyMap<string, string | undefined>;

const NAME_TOKEN = /[A-Za-z_][A-Za-z0-9_]*/g;

/**
 * The declared variables that `code` refers to: their name appears in it as a word (`$DB_HOST`,
 * `${DB_HOST:-x}`, `printenv DB_HOST`). A step is asked only for the variables it uses.
 */
export function variablesUsedBy(meta: Pick<RunbookMeta, 'variables'>, code: readonly string[]): VariableSpec[] {
  const words = new Set<string>();
  for (const c of code) for (const m of c.matchAll(NAME_TOKEN)) words.add(m[0]);
  return meta.variables.filter((v) => words.has(v.name));
}

/** Of `specs`, those that have neither a provided value nor a default: the ones to ask for. */
export function missingVariables(specs: readonly VariableSpec[], provided: VariableValues): VariableSpec[] {
  return specs.filter((v) => provided.get(v.name) === undefined && v.default === undefined);
}

/** Environment entries for the declared variables that have a value: the provided one, else the default. */
export function buildEnv(meta: Pick<RunbookMeta, 'variables'>, values: VariableValues): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of meta.variables) {
    const value = values.get(v.name) ?? v.default;
    if (value !== undefined) setOwn(env, v.name, value);
  }
  return env;
}

/** The values of the secret variables, for masking with `maskSecrets`. */
export function secretValues(meta: Pick<RunbookMeta, 'variables'>, values: VariableValues): string[] {
  const out: string[] = [];
  for (const v of meta.variables) {
    const value = values.get(v.name) ?? v.default;
    if (v.secret && value) out.push(value);
  }
  return out;
}

const REFERENCE = /\\[^]|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * `code` as the operator should see it: `$VAR` and `${VAR}` of variables in `values`
 * replaced by their value, or by the mask for names in `secretNames`. A backslash-escaped
 * `\$VAR`, other forms (`${VAR:-x}`) and unknown names stay as written. Quoting is not
 * interpreted: this is a display, and showing a value the shell would not substitute
 * (inside single quotes) is the lesser error than hiding one it would.
 */
export function expandForDisplay(code: string, values: Readonly<Record<string, string>>, secretNames: Iterable<string>): string {
  const secrets = new Set(secretNames);
  return code.replace(REFERENCE, (match: string, braced?: string, bare?: string) => {
    const name = braced ?? bare;
    const value = name === undefined || !Object.hasOwn(values, name) ? undefined : values[name];
    if (name === undefined || value === undefined) return match;
    return secrets.has(name) ? SECRET_MASK : value;
  });
}

/** Shorter fragments of a secret are not masked on their own: they would mask ordinary text. */
const MIN_FRAGMENT = 4;
/** A base64 run shorter than this says too little to be worth masking. */
const MIN_BASE64 = 8;

/**
 * The forms a command commonly turns a secret into, each to be masked like the value itself:
 * the value; its whitespace-separated words; URL-encoded; JSON-escaped; base64 (standard and
 * URL-safe), also where the value sits inside a longer encoded string (`user:password` in a Basic
 * authorization header), whose alignment to base64's 3-byte groups is one of three.
 */
export function secretForms(secret: string): string[] {
  if (secret === '') return [];
  const forms = new Set<string>([secret]);
  for (const word of secret.split(/\s+/)) if (word.length >= MIN_FRAGMENT) forms.add(word);
  forms.add(encodeURIComponent(secret));
  forms.add(encodeURIComponent(secret).replace(/%20/g, '+'));
  forms.add(JSON.stringify(secret).slice(1, -1));
  const bytes = Buffer.from(secret, 'utf8');
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    // Characters that depend only on the secret's bytes: skip those mixed with the padding in
    // front, and those of a last group that the bytes after the secret would change.
    const start = offset === 0 ? 0 : offset === 1 ? 2 : 3;
    const total = offset + bytes.length;
    const stable = Math.floor(total / 3) * 4;
    const core = encoded.slice(start, stable);
    if (offset === 0) forms.add(encoded.replace(/=+$/, ''));
    if (core.length >= MIN_BASE64) forms.add(core);
  }
  for (const f of [...forms]) {
    if (/[+/]/.test(f) && /^[A-Za-z0-9+/=]+$/.test(f)) forms.add(f.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  forms.delete('');
  return [...forms];
}

/** Every form of every secret, longest first. */
export function maskPatterns(secrets: Iterable<string>): string[] {
  const all = new Set<string>();
  for (const s of secrets) for (const f of secretForms(s)) all.add(f);
  return [...all].sort((a, b) => b.length - a.length);
}

function spansOf(text: string, patterns: readonly string[]): [number, number][] {
  const spans: [number, number][] = [];
  for (const p of patterns) {
    for (let i = text.indexOf(p); i >= 0; i = text.indexOf(p, i + 1)) spans.push([i, i + p.length]);
  }
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  // Overlapping occurrences become one span, so no fragment is left visible next to a mask.
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] < last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return merged;
}

function applySpans(text: string, spans: readonly [number, number][]): string {
  let out = '';
  let pos = 0;
  for (const [s, e] of spans) {
    out += text.slice(pos, s) + SECRET_MASK;
    pos = e;
  }
  return out + text.slice(pos);
}

/**
 * `text` with every occurrence of every non-empty secret, in each of the forms of `secretForms`,
 * replaced by the mask.
 */
export function maskSecrets(text: string, secrets: Iterable<string>): string {
  const patterns = maskPatterns(secrets);
  if (patterns.length === 0 || text === '') return text;
  return applySpans(text, spansOf(text, patterns));
}

/**
 * Masks a stream of output chunks: a secret split across two chunks is still masked. It holds back
 * the last few characters of each chunk (fewer than the longest form) until the next chunk or
 * `end()` shows whether they start a secret.
 */
export class SecretMasker {
  private readonly patterns: string[];
  private readonly hold: number;
  private pending = '';

  constructor(secrets: Iterable<string>) {
    this.patterns = maskPatterns(secrets);
    this.hold = this.patterns.length ? this.patterns[0].length - 1 : 0;
  }

  /** The part of the output seen so far that can be shown now, masked. */
  push(chunk: string): string {
    if (this.patterns.length === 0) return chunk;
    const text = this.pending + chunk;
    const spans = spansOf(text, this.patterns);
    let cut = Math.max(0, text.length - this.hold);
    // A secret that starts before the cut is whole in `text`: emit it masked rather than split it.
    for (const [s, e] of spans) if (s < cut && e > cut) cut = e;
    this.pending = text.slice(cut);
    return applySpans(text.slice(0, cut), spans.filter(([, e]) => e <= cut));
  }

  /** What is left, masked. */
  end(): string {
    const rest = this.pending;
    this.pending = '';
    return this.patterns.length ? applySpans(rest, spansOf(rest, this.patterns)) : rest;
  }
}
