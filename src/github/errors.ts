/**
 * GitHub's failures as error values: what went wrong, in words a user can act on (a token to fix,
 * when a rate limit resets), with secrets redacted.
 */
import type { GitHubError } from '../core/github/ports';
import { redactSecrets } from '../core/http/redact';
import { timeoutMessage, timeoutOf } from '../core/http/retry';

/** What Octokit's RequestError carries, read structurally. */
export interface OctokitFailure {
  name?: string;
  status?: number;
  message?: string;
  request?: { url?: string; method?: string; headers?: Record<string, string | undefined> };
  response?: { headers: Record<string, string | number | undefined>; data: unknown };
}

export interface ErrorHints {
  /** After a 401, e.g. "set GITHUB_TOKEN to a valid token". */
  invalidToken?: string;
  /** After an anonymous rate limit, e.g. "set GITHUB_TOKEN for a higher limit". */
  anonymousRateLimit?: string;
}

/** `branch main`, `tag v1.0`, or the ref as given. */
export function refName(ref: string): string {
  const m = /^refs\/(heads|tags)\/(.+)$/.exec(ref);
  return m ? `${m[1] === 'heads' ? 'branch' : 'tag'} ${m[2]}` : ref;
}

export function redacted(error: GitHubError): GitHubError {
  const out = { ...error, message: redactSecrets(error.message) };
  if (error.detail !== undefined) out.detail = redactSecrets(error.detail);
  return out;
}

export interface Describe {
  host: string;
  hasToken: boolean;
  hints: ErrorHints;
  now: () => number;
}

export function classify(err: OctokitFailure, what: string, d: Describe): GitHubError {
  if (err.name === 'AbortError') return { kind: 'cancelled', message: `the request for ${what} was cancelled` };
  const status = err.status;
  const timeout = timeoutOf(err);
  if (timeout) return { kind: 'network', message: timeoutMessage(timeout, d.host, what) };
  // Octokit reports a failed fetch as status 500 without a response.
  if (!err.response || status === undefined) return { kind: 'network', message: `cannot reach ${d.host}: ${err.message ?? 'unknown error'}` };
  const headers = err.response.headers;
  const detail = githubMessage(err.response.data);
  if (status === 401) {
    const hint = d.hints.invalidToken ?? 'check the token';
    return d.hasToken
      ? { kind: 'auth', status, message: `GitHub rejected the token (401): ${hint}` }
      : { kind: 'auth', status, message: `GitHub needs a token for ${what} (401): ${hint}` };
  }
  if (status === 429 || (status === 403 && (headers['x-ratelimit-remaining'] === '0' || headers['retry-after'] !== undefined || /rate limit/i.test(detail)))) {
    const resetAt = rateLimitReset(headers, d.now());
    const when = resetAt === undefined ? '' : `; it resets at ${clock(resetAt)} (${fromNow(resetAt, d.now())})`;
    const hint = d.hasToken ? '' : `; ${d.hints.anonymousRateLimit ?? 'use a token for a higher limit'}`;
    const error: GitHubError = { kind: 'rate-limited', status, message: `GitHub rate limit reached (${status})${when}${hint}` };
    if (resetAt !== undefined) error.resetAt = resetAt;
    return error;
  }
  if (status === 403) return { kind: 'permission', status, message: `GitHub denied access to ${what} (403)${detail ? `: ${detail}` : ''}` };
  if (status === 404) return { kind: 'not-found', status, message: `${what} not found on ${d.host} (404)` };
  if (status === 422) {
    const error: GitHubError = { kind: 'validation', status, message: `GitHub refused the request for ${what} (422)${detail ? `: ${detail}` : ''}` };
    if (detail) error.detail = detail;
    return error;
  }
  if (status >= 500) return { kind: 'server', status, message: `${d.host} failed with ${status} for ${what}; try again later` };
  return { kind: 'unexpected', status, message: `${d.host} answered ${status} for ${what}${detail ? `: ${detail}` : ''}` };
}

/** GitHub's message on one line, with what its `errors` say: "Validation Failed: head invalid". */
function githubMessage(data: unknown): string {
  const record = typeof data === 'object' && data !== null ? (data as { message?: unknown; errors?: unknown }) : {};
  const message = record.message !== undefined ? String(record.message) : typeof data === 'string' ? data : '';
  const errors = (Array.isArray(record.errors) ? (record.errors as unknown[]) : []).flatMap((e) => {
    if (typeof e === 'string') return [e];
    if (typeof e !== 'object' || e === null) return [];
    const { message: text, field, code } = e as { message?: unknown; field?: unknown; code?: unknown };
    if (text !== undefined) return [String(text)];
    return field !== undefined || code !== undefined ? [[field, code].filter((x) => x !== undefined).join(' ')] : [];
  });
  return [message, errors.join('; ')].filter(Boolean).join(': ').replace(/\s+/g, ' ').trim();
}

/** retry-after (seconds) for secondary limits, x-ratelimit-reset (epoch seconds) for the primary one. */
function rateLimitReset(headers: Record<string, string | number | undefined>, now: number): number | undefined {
  const retryAfter = Number(headers['retry-after']);
  if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter)) return now + retryAfter * 1000;
  const reset = Number(headers['x-ratelimit-reset']);
  return headers['x-ratelimit-reset'] !== undefined && Number.isFinite(reset) ? reset * 1000 : undefined;
}

/** Local wall-clock time, HH:MM. */
function clock(epochMs: number): string {
  const t = new Date(epochMs);
  return `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`;
}

function fromNow(epochMs: number, now: number): string {
  const minutes = Math.max(1, Math.ceil((epochMs - now) / 60_000));
  return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
}
