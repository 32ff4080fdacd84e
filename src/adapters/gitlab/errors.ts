/**
 * GitLab's failures as error values, worded as GitHub's are: what went wrong and what to do (a
 * token to fix, when a rate limit resets), with secrets redacted.
 */
import type { GitLabError } from '../../core/gitlab/ports';
import { redactSecrets } from '../../core/http/redact';
import { timeoutMessage, timeoutOf } from '../../core/http/retry';

export interface GitLabHints {
  /** After a 401, e.g. "set GITLAB_TOKEN to a valid token". */
  invalidToken?: string;
  /** After an anonymous request was refused or rate limited, e.g. "set GITLAB_TOKEN". */
  anonymous?: string;
}

export interface Describe {
  host: string;
  hasToken: boolean;
  hints: GitLabHints;
  now: () => number;
}

/** An answer that is not a success, as an error. */
export function classifyResponse(status: number, headers: Headers, body: string, what: string, d: Describe): GitLabError {
  const detail = gitlabMessage(body);
  if (status === 401) {
    const hint = d.hints.invalidToken ?? 'check the token';
    return d.hasToken
      ? { kind: 'auth', status, message: `GitLab rejected the token (401): ${hint}` }
      : { kind: 'auth', status, message: `GitLab needs a token for ${what} (401): ${d.hints.anonymous ?? hint}` };
  }
  if (status === 429 || (status === 403 && (headers.get('ratelimit-remaining') === '0' || /rate limit|retry later/i.test(detail)))) {
    const resetAt = rateLimitReset(headers, d.now());
    const when = resetAt === undefined ? '' : `; it resets at ${clock(resetAt)} (${fromNow(resetAt, d.now())})`;
    const hint = d.hasToken ? '' : `; ${d.hints.anonymous ?? 'use a token for a higher limit'}`;
    const error: GitLabError = { kind: 'rate-limited', status, message: `GitLab rate limit reached (${status})${when}${hint}` };
    if (resetAt !== undefined) error.resetAt = resetAt;
    return error;
  }
  if (status === 403) return { kind: 'permission', status, message: redactSecrets(`GitLab denied access to ${what} (403)${detail ? `: ${detail}` : ''}`) };
  if (status === 404) {
    // GitLab answers 404, not 403, for a private project the request may not see.
    const hint = d.hasToken ? '' : ` (a private project needs a token: ${d.hints.anonymous ?? 'set a token'})`;
    return { kind: 'not-found', status, message: `${what} not found on ${d.host} (404)${hint}` };
  }
  if (status >= 500) return { kind: 'server', status, message: `${d.host} failed with ${status} for ${what}; try again later` };
  return { kind: 'unexpected', status, message: redactSecrets(`${d.host} answered ${status} for ${what}${detail ? `: ${detail}` : ''}`) };
}

/** A request that got no answer, as an error. */
export function classifyThrown(err: unknown, what: string, d: Describe): GitLabError {
  const e = err as Error & { cause?: { message?: string } };
  if (e?.name === 'AbortError') return { kind: 'cancelled', message: `the request for ${what} was cancelled` };
  const timeout = timeoutOf(err);
  if (timeout) return { kind: 'network', message: timeoutMessage(timeout, d.host, what) };
  return { kind: 'network', message: redactSecrets(`cannot reach ${d.host}: ${e?.cause?.message ?? e?.message ?? 'unknown error'}`) };
}

/** GitLab's `{"message": ...}` or `{"error": ...}` on one line (messages may be objects of field errors). */
function gitlabMessage(body: string): string {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return '';
  }
  const record = typeof data === 'object' && data !== null ? (data as { message?: unknown; error?: unknown }) : {};
  const m = record.message ?? record.error;
  const text = typeof m === 'string' ? m : m && typeof m === 'object' ? JSON.stringify(m) : '';
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** Retry-After (seconds) first, then RateLimit-Reset (epoch seconds). */
function rateLimitReset(headers: Headers, now: number): number | undefined {
  const retryAfter = Number(headers.get('retry-after'));
  if (headers.has('retry-after') && Number.isFinite(retryAfter)) return now + retryAfter * 1000;
  const reset = Number(headers.get('ratelimit-reset'));
  return headers.has('ratelimit-reset') && Number.isFinite(reset) ? reset * 1000 : undefined;
}

function clock(epochMs: number): string {
  const t = new Date(epochMs);
  return `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`;
}

function fromNow(epochMs: number, now: number): string {
  const minutes = Math.max(1, Math.ceil((epochMs - now) / 60_000));
  return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
}
