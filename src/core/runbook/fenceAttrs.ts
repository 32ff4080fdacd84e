import { setOwn } from './guards';
import type { FenceAttrs, Problem } from './model';
import { MAX_TIMEOUT_SECONDS } from './model';

/** Languages whose blocks Preflight runs. */
export const RUNNABLE_LANGUAGES: ReadonlySet<string> = new Set(['sh', 'bash', 'zsh', 'shell']);

/** A problem found in an info string, placed on a line by the caller. */
export type InfoIssue = Pick<Problem, 'severity' | 'code' | 'message'>;

export interface ParsedInfo {
  lang: string;
  runnable: boolean;
  attrs: FenceAttrs;
  issues: InfoIssue[];
}

/**
 * Splits a trimmed info string such as `sh {"name":"backup","timeout":900}` into language
 * and attributes. The language ends at whitespace or at a `{`.
 */
export function parseFenceInfo(info: string): ParsedInfo {
  const stop = info.search(/[\s{]/);
  const lang = stop < 0 ? info : info.slice(0, stop);
  const rest = stop < 0 ? '' : info.slice(stop).trim();
  const runnable = RUNNABLE_LANGUAGES.has(lang.toLowerCase());
  const attrs: FenceAttrs = { interactive: true, excludeFromRunAll: false, extra: {} };
  const issues: InfoIssue[] = [];
  if (rest === '') return { lang, runnable, attrs, issues };
  if (!rest.startsWith('{')) {
    // Other tools put their own words here (```yaml title="values.yaml"); only a runnable
    // block is likely to be a mistyped attempt at Preflight attributes.
    if (runnable) {
      issues.push({
        severity: 'warning',
        code: 'fence-attrs',
        message: `"${rest}" after the language is ignored; attributes are JSON, e.g. {"name":"backup"}.`,
      });
    }
    return { lang, runnable, attrs, issues };
  }

  let parsed: Record<string, unknown>;
  try {
    // JSON text that starts with '{' and parses is an object.
    parsed = JSON.parse(rest) as Record<string, unknown>;
  } catch (e) {
    issues.push({ severity: 'error', code: 'fence-attrs', message: `Invalid fence attributes: ${(e as Error).message}` });
    return { lang, runnable, attrs, issues };
  }

  const wrongType = (key: string, expected: string) =>
    issues.push({ severity: 'error', code: 'fence-attrs', message: `"${key}" must be ${expected}.` });
  for (const key of Object.keys(parsed)) {
    const value = parsed[key];
    switch (key) {
      case 'name':
      case 'cwd':
        if (typeof value === 'string' && value.trim() !== '') attrs[key] = value;
        else wrongType(key, 'a non-empty string');
        break;
      case 'confirm':
        if (typeof value === 'string' && value.trim() !== '') attrs.confirm = value.trim();
        else wrongType(key, 'a non-empty string (the word the operator types)');
        break;
      case 'timeout':
        if (typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_TIMEOUT_SECONDS) attrs.timeout = value;
        else if (typeof value === 'number' && value > MAX_TIMEOUT_SECONDS) wrongType(key, `at most ${MAX_TIMEOUT_SECONDS} seconds (about 24 days)`);
        else wrongType(key, 'a positive number of seconds');
        break;
      case 'interactive':
      case 'excludeFromRunAll':
        if (typeof value === 'boolean') attrs[key] = value;
        else wrongType(key, 'true or false');
        break;
      default:
        setOwn(attrs.extra, key, value);
        issues.push({ severity: 'warning', code: 'unknown-attr', message: `Unknown attribute "${key}" is kept but not used.` });
    }
  }
  return { lang, runnable, attrs, issues };
}
