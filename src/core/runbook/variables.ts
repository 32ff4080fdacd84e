import type { RunbookMeta, VariableSpec } from './model';

/** What a secret value is displayed as, wherever it would appear. */
export const SECRET_MASK = '••••••';

export type VariableValues = Readonly<Record<string, string | undefined>>;

/** The declared variables that have neither a provided value nor a default: those to prompt for. */
export function missingVariables(meta: Pick<RunbookMeta, 'variables'>, provided: VariableValues): VariableSpec[] {
  return meta.variables.filter((v) => provided[v.name] === undefined && v.default === undefined);
}

/** Environment entries for the declared variables: the provided value, else the default. */
export function buildEnv(meta: Pick<RunbookMeta, 'variables'>, values: VariableValues): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of meta.variables) {
    const value = values[v.name] ?? v.default;
    if (value !== undefined) env[v.name] = value;
  }
  return env;
}

/** The values of the secret variables, for masking with `maskSecrets`. */
export function secretValues(meta: Pick<RunbookMeta, 'variables'>, values: VariableValues): string[] {
  const env = buildEnv(meta, values);
  return meta.variables.flatMap((v) => (v.secret && env[v.name] ? [env[v.name]] : []));
}

const REFERENCE = /\\[^]|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * `code` as the operator should see it: `$VAR` and `${VAR}` of variables in `values`
 * replaced by their value, or by the mask for names in `secretNames`. A backslash-escaped
 * `\$VAR`, other forms (`${VAR:-x}`) and unknown names stay as written. Quoting is not
 * interpreted: this is a display, and showing a value the shell would not substitute
 * (inside single quotes) is the lesser error than hiding one it would.
 */
export function expandForDisplay(code: string, values: VariableValues, secretNames: Iterable<string>): string {
  const secrets = new Set(secretNames);
  return code.replace(REFERENCE, (match: string, braced?: string, bare?: string) => {
    const name = braced ?? bare;
    const value = name === undefined ? undefined : values[name];
    if (name === undefined || value === undefined) return match;
    return secrets.has(name) ? SECRET_MASK : value;
  });
}

/**
 * `text` with every occurrence of every non-empty secret replaced by the mask. Overlapping
 * occurrences (of one secret or of two) are masked as one span, so no fragment of a secret
 * is left visible next to a mask.
 */
export function maskSecrets(text: string, secrets: Iterable<string>): string {
  const spans: [number, number][] = [];
  for (const secret of new Set(secrets)) {
    if (secret === '') continue;
    for (let i = text.indexOf(secret); i >= 0; i = text.indexOf(secret, i + 1)) spans.push([i, i + secret.length]);
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let pos = 0;
  let [start, end] = spans[0];
  for (const [s, e] of spans) {
    if (s >= end) {
      out += text.slice(pos, start) + SECRET_MASK;
      pos = end;
      start = s;
    }
    end = Math.max(end, e);
  }
  return out + text.slice(pos, start) + SECRET_MASK + text.slice(end);
}
