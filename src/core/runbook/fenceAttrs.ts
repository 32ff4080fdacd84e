import { setOwn } from './guards';
import type { FenceAttrs, Diagnostic } from './model';
import { MAX_TIMEOUT_SECONDS } from './model';

/** Languages whose blocks Preflight runs. */
export const RUNNABLE_LANGUAGES: ReadonlySet<string> = new Set(['sh', 'bash', 'zsh', 'shell']);

/** A problem found in an info string, placed on a line by the caller. */
export type InfoIssue = Pick<Diagnostic, 'severity' | 'code' | 'message'> & {
  /** For `unsupported-attr`: the attribute, so that a runbook reports each one once. */
  key?: string;
};

export interface ParsedInfo {
  lang: string;
  runnable: boolean;
  attrs: FenceAttrs;
  issues: InfoIssue[];
}

export interface FenceInfoContext {
  /** The runbook's shell from its front matter (default bash): an `interpreter` naming it is honoured. */
  shell?: string;
}

/**
 * Runme's attributes that only change how its notebook shows a cell (or identify it): Preflight
 * reads the file the same with or without them.
 */
const RUNME_PRESENTATION_KEYS: ReadonlySet<string> = new Set(['id', 'closeTerminalOnSuccess', 'category', 'tag', 'terminalRows', 'mimeType']);

/** The words Go's strconv.ParseBool, and so Runme, reads as booleans. */
const TRUE_WORDS: ReadonlySet<string> = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS: ReadonlySet<string> = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** A boolean attribute's value: JSON true/false, or Runme's string forms ("true", "false", "1"...). */
function readBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (TRUE_WORDS.has(value)) return true;
    if (FALSE_WORDS.has(value)) return false;
  }
  return undefined;
}

/** Runme's `promptEnv` values that turn its prompting off. */
const PROMPT_ENV_OFF: ReadonlySet<string> = new Set(['false', 'no', '0', 'never']);

/**
 * Runme's older attribute form, `{ name=setup interactive=false }`: words separated by spaces, each
 * `key=value` or a bare `key` (an empty value). Values are strings; matching quotes around one are
 * dropped.
 */
const HTML_FORM = /^\{\s*(?:[^\s={}"',:]+(?:=[^\s{}]*)?\s*)*\}$/;

function parseHtmlForm(rest: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const word of rest.slice(1, -1).split(/\s+/)) {
    if (!word) continue;
    const eq = word.indexOf('=');
    const key = eq < 0 ? word : word.slice(0, eq);
    let value = eq < 0 ? '' : word.slice(eq + 1);
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) value = value.slice(1, -1);
    setOwn(out, key, value);
  }
  return out;
}

function baseName(shell: string): string {
  return shell.trim().split(/\s+/)[0].split(/[\\/]/).pop()!.replace(/\.exe$/i, '').toLowerCase();
}

/**
 * Splits a trimmed info string such as `sh {"name":"backup","timeout":900}` into language
 * and attributes. The language ends at whitespace or at a `{`. Attributes are JSON, as Preflight
 * and Runme write them (Runme writes every value as a string: `{"interactive":"false"}`), or
 * Runme's older `{ key=value }` form.
 */
export function parseFenceInfo(info: string, ctx: FenceInfoContext = {}): ParsedInfo {
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
  let htmlForm = false;
  try {
    // JSON text that starts with '{' and parses is an object.
    parsed = JSON.parse(rest) as Record<string, unknown>;
  } catch (e) {
    if (!HTML_FORM.test(rest)) {
      issues.push({ severity: 'error', code: 'fence-attrs', message: `Invalid fence attributes: ${(e as Error).message}` });
      return { lang, runnable, attrs, issues };
    }
    parsed = parseHtmlForm(rest);
    htmlForm = true;
  }

  const wrongType = (key: string, expected: string) =>
    issues.push({ severity: 'error', code: 'fence-attrs', message: `"${key}" must be ${expected}.` });
  const unsupported = (key: string, message: string) => {
    if (runnable) issues.push({ severity: 'warning', code: 'unsupported-attr', key, message });
  };
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
      case 'timeout': {
        // The { key=value } form has only strings; JSON must say a number.
        const n = htmlForm && typeof value === 'string' && /^\d+(?:\.\d+)?$/.test(value) ? Number(value) : value;
        if (typeof n === 'number' && Number.isFinite(n) && n > 0 && n <= MAX_TIMEOUT_SECONDS) attrs.timeout = n;
        else if (typeof n === 'number' && n > MAX_TIMEOUT_SECONDS) wrongType(key, `at most ${MAX_TIMEOUT_SECONDS} seconds (about 24 days)`);
        else wrongType(key, 'a positive number of seconds');
        break;
      }
      case 'interactive':
      case 'excludeFromRunAll': {
        const b = readBoolean(value);
        if (b !== undefined) attrs[key] = b;
        else wrongType(key, 'true or false');
        break;
      }
      case 'background':
        setOwn(attrs.extra, key, value);
        if (readBoolean(value) === true) {
          unsupported(key, '"background" is not supported: Preflight runs the block in the foreground and waits for it to end; start long-running processes with nohup or a service manager.');
        }
        break;
      case 'promptEnv':
        setOwn(attrs.extra, key, value);
        if (value !== false && !(typeof value === 'string' && PROMPT_ENV_OFF.has(value.toLowerCase()))) {
          unsupported(key, '"promptEnv" is not supported: Preflight does not ask for the values of export lines; declare the values as variables in the front matter.');
        }
        break;
      case 'interpreter': {
        setOwn(attrs.extra, key, value);
        const shell = ctx.shell?.trim() || 'bash';
        if (typeof value === 'string' && value.trim() !== '' && baseName(value) !== baseName(shell)) {
          unsupported(key, `"interpreter" is not supported: Preflight runs shell blocks with the runbook's shell (${baseName(shell)}), not ${baseName(value)}; set "shell" in the front matter to choose it.`);
        }
        break;
      }
      default:
        setOwn(attrs.extra, key, value);
        if (!RUNME_PRESENTATION_KEYS.has(key)) {
          issues.push({ severity: 'warning', code: 'unknown-attr', message: `Unknown attribute "${key}" is kept but not used.` });
        }
    }
  }
  return { lang, runnable, attrs, issues };
}
