/** Options that several commands share. */
import { redactUrl } from '../core/http/redact';
import { DEFAULT_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS, parseTimeoutSeconds } from '../core/http/retry';

/**
 * The request timeout in milliseconds: --timeout, else PREFLIGHT_TIMEOUT, else 30 s. A string is
 * the one-line error for a value that is not a number of seconds.
 */
export function requestTimeout(option: string | undefined, env: NodeJS.ProcessEnv): number | string {
  const [name, value] = option !== undefined ? ['--timeout', option] : ['PREFLIGHT_TIMEOUT', env.PREFLIGHT_TIMEOUT];
  if (value === undefined || (name === 'PREFLIGHT_TIMEOUT' && value === '')) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const seconds = parseTimeoutSeconds(value);
  if (seconds === undefined) return `${name} needs seconds, a number greater than 0 and at most ${MAX_TIMEOUT_SECONDS}, not "${value}"`;
  return Math.round(seconds * 1000);
}

/** The one-line error for an --api-url that is not an http(s) URL, or undefined when it is one. */
export function apiUrlError(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let ok = false;
  try {
    const url = new URL(value.trim());
    ok = (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    ok = false;
  }
  return ok ? undefined : `--api-url needs an http:// or https:// URL, not "${redactUrl(value).replace(/^([^:/]*:)?[^@/]*@/, (_m, scheme: string | undefined) => `${scheme ?? ''}***@`)}"`;
}

/** The options that name a review's source and range, and how to reach it: `notes` and `plan` take them. */
export const SOURCE_OPTIONS = {
  source: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  'api-url': { type: 'string' },
  files: { type: 'string' },
  timeout: { type: 'string' },
  'insecure-registry': { type: 'string', multiple: true },
} as const;

export interface SourceSettings {
  apiUrl?: string;
  files?: string[];
  timeoutMs: number;
  insecureRegistries?: string[];
}

/** What SOURCE_OPTIONS say, checked; a string is the one-line error. */
export function sourceSettings(values: { 'api-url'?: string; files?: string; timeout?: string; 'insecure-registry'?: string[] }, env: NodeJS.ProcessEnv): SourceSettings | string {
  const timeoutMs = requestTimeout(values.timeout, env);
  if (typeof timeoutMs === 'string') return timeoutMs;
  const badUrl = apiUrlError(values['api-url']);
  if (badUrl) return badUrl;
  const files = values.files
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return { apiUrl: values['api-url'], files, timeoutMs, insecureRegistries: values['insecure-registry'] };
}
