/**
 * The environment a workspace file belongs to, from its path: a Kustomize overlay
 * (`overlays/prod/...`), an environments folder (`env/dev/...`, `envs/`, `environments/`), a Helm
 * values file (`values-staging.yaml`, `values.staging.yaml`), a folder named like an environment
 * (`clusters/production/...`), or a pattern of the user's (`preflight.environments.patterns`:
 * `deploy/{env}/**`, `clusters/{env}.yaml`) tried first.
 */

/** Folders whose next segment is the environment. */
const ENV_PARENTS = new Set(['overlays', 'env', 'envs', 'environments', 'environment']);

/** Names read as environments wherever they are a folder, with their place in a promotion order. */
const KNOWN: Readonly<Record<string, number>> = {
  local: 0,
  dev: 1,
  develop: 1,
  development: 1,
  int: 2,
  integration: 2,
  test: 2,
  testing: 2,
  qa: 3,
  uat: 4,
  stage: 5,
  staging: 5,
  preprod: 6,
  'pre-prod': 6,
  prod: 7,
  production: 7,
  live: 7,
};

const VALUES_FILE = /^values[-.]([A-Za-z0-9][A-Za-z0-9_-]*)\.ya?ml$/i;

export interface EnvironmentPattern {
  /** The pattern as written. */
  text: string;
  regex: RegExp;
}

/**
 * Compiles `preflight.environments.patterns`: paths relative to the workspace folder with `{env}`
 * for the environment, `*` for one segment's characters and `**` for any folders. A pattern that
 * names a folder matches the files under it. Patterns without `{env}` are reported, not used.
 */
export function compilePatterns(patterns: readonly unknown[]): { patterns: EnvironmentPattern[]; problems: string[] } {
  const out: EnvironmentPattern[] = [];
  const problems: string[] = [];
  for (const p of patterns) {
    if (typeof p !== 'string' || !p.trim()) continue;
    const text = p.trim().replace(/\\/g, '/').replace(/^\.\/|^\/+/g, '').replace(/\/+$/, '');
    if (text.length > 512 || text.split('{env}').length !== 2) {
      problems.push(`environment pattern "${p.slice(0, 80)}" needs exactly one {env}; it is not used`);
      continue;
    }
    let re = '';
    for (let i = 0; i < text.length; i++) {
      if (text.startsWith('{env}', i)) {
        re += '([^/]+?)';
        i += 4;
      } else if (text.startsWith('**/', i)) {
        re += '(?:[^/]+/)*';
        i += 2;
      } else if (text.startsWith('**', i)) {
        re += '.*';
        i += 1;
      } else if (text[i] === '*') re += '[^/]*';
      else if (text[i] === '?') re += '[^/]';
      else re += text[i].replace(/[.+^$()|[\]{}\\]/g, '\\$&');
    }
    out.push({ text, regex: new RegExp(`^${re}(?:/.*)?$`) });
  }
  return { patterns: out, problems };
}

/** The environment of a file, by its path relative to the workspace folder; undefined when the path names none. */
export function environmentOf(relativePath: string, patterns: readonly EnvironmentPattern[] = []): string | undefined {
  const p = relativePath.replace(/\\/g, '/').replace(/^\.\/|^\/+/g, '');
  for (const pattern of patterns) {
    const m = pattern.regex.exec(p);
    if (m && m[1]) return m[1];
  }
  const segments = p.split('/');
  const file = segments.pop() ?? '';
  for (let i = 0; i < segments.length - 1; i++) {
    if (ENV_PARENTS.has(segments[i].toLowerCase())) return segments[i + 1];
  }
  const values = VALUES_FILE.exec(file);
  if (values) return values[1];
  // The deepest folder named like an environment (`clusters/prod/apps/...`).
  for (let i = segments.length - 1; i >= 0; i--) {
    if (Object.hasOwn(KNOWN, segments[i].toLowerCase())) return segments[i];
  }
  return undefined;
}

/** Environments in promotion order (dev before staging before prod), others by name between them. */
export function compareEnvironments(a: string, b: string): number {
  const rank = (e: string) => (Object.hasOwn(KNOWN, e.toLowerCase()) ? KNOWN[e.toLowerCase()] : 4.5);
  return rank(a) - rank(b) || a.localeCompare(b);
}
