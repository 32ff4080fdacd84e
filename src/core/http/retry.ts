/**
 * Timeouts and retries for HTTP clients, as a `fetch` wrapper.
 *
 * Each attempt has a deadline covering the connection, the answer's headers and its body; the body
 * is read within it, so a server that stops half-way is caught too. Reads (GET, HEAD) are tried
 * again after a network error, a timeout, a 5xx, a 429 or a secondary rate limit, with exponential
 * backoff and jitter, or after the Retry-After the server asked for when it is short; a longer one
 * is returned to the caller, who reports when to try again. Writes are retried only when the
 * connection was never made, so a write that may have been applied is never sent twice.
 */
import type { Fetch } from './ports';

export const DEFAULT_TIMEOUT_SECONDS = 30;
/** The longest timeout accepted from settings and options: an hour. */
export const MAX_TIMEOUT_SECONDS = 3600;

export interface NetworkOptions {
  /** Deadline of each attempt; 30 s by default. */
  timeoutMs?: number;
  /** Attempts after the first, for requests that may be retried; 2 by default. */
  retries?: number;
  /** The first backoff, doubled at each retry up to `maxDelayMs`, then scaled by a random factor in [0.5, 1). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After (or rate-limit reset) up to this long is waited for; a longer one ends the retries. */
  maxRetryAfterMs?: number;
  random?: () => number;
  now?: () => number;
}

const DEFAULTS = { retries: 2, baseDelayMs: 500, maxDelayMs: 4000, maxRetryAfterMs: 10_000 };

/** No answer within the deadline. Its message says which host; callers add what was asked for. */
export class RequestTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  /** How many attempts timed out or failed in all. */
  attempts = 1;
  constructor(
    readonly host: string,
    readonly timeoutMs: number,
  ) {
    super(`${host} did not answer within ${formatSeconds(timeoutMs)} s`);
  }
}

/** The timeout error behind an error, as thrown by `resilientFetch` or wrapped by a client. */
export function timeoutOf(err: unknown): RequestTimeoutError | undefined {
  for (let e = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof RequestTimeoutError) return e;
  }
  return undefined;
}

/** "what" plus how often it was tried: `releases of acme/app (3 attempts)`. */
export function timeoutMessage(err: RequestTimeoutError, host: string, what: string): string {
  return `${host} did not answer within ${formatSeconds(err.timeoutMs)} s for ${what}${err.attempts > 1 ? ` (${err.attempts} attempts)` : ''}`;
}

/** `30`, `0.2`, `1.5`: seconds as people write them. */
export function formatSeconds(ms: number): string {
  return String(Number((ms / 1000).toFixed(3)));
}

/** Seconds from a setting, option or environment variable; undefined when it is not a number in (0, 3600]. */
export function parseTimeoutSeconds(value: string | number | undefined | null): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  if (!/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(text)) return undefined;
  const seconds = Number(text);
  return seconds > 0 && seconds <= MAX_TIMEOUT_SECONDS ? seconds : undefined;
}

/** The backoff before retry `attempt` (1 for the first retry): exponential, capped, with jitter. */
export function backoffDelay(attempt: number, opts: Pick<NetworkOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'> = {}): number {
  const base = opts.baseDelayMs ?? DEFAULTS.baseDelayMs;
  const max = opts.maxDelayMs ?? DEFAULTS.maxDelayMs;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + (opts.random ?? Math.random)() / 2));
}

/**
 * How long the server asked to wait, in milliseconds: Retry-After (seconds or an HTTP date), or the
 * reset of an exhausted rate limit (x-ratelimit-remaining: 0, x-ratelimit-reset in epoch seconds).
 */
export function requestedDelay(headers: Headers, now: number): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter.trim());
    if (retryAfter.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  if (headers.get('x-ratelimit-remaining') === '0') {
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (headers.has('x-ratelimit-reset') && Number.isFinite(reset)) return Math.max(0, reset * 1000 - now);
    return Infinity;
  }
  return undefined;
}

const NULL_BODY = new Set([101, 204, 205, 304]);
/** Failures before any byte reached the server. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

export function resilientFetch(fetch: Fetch, opts: NetworkOptions = {}): Fetch {
  const timeoutMs = opts.timeoutMs && opts.timeoutMs > 0 ? opts.timeoutMs : DEFAULT_TIMEOUT_SECONDS * 1000;
  const retries = Math.max(0, opts.retries ?? DEFAULTS.retries);
  const maxRetryAfterMs = opts.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs;
  const now = opts.now ?? Date.now;

  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const idempotent = method === 'GET' || method === 'HEAD';
    const outer = init?.signal ?? (input instanceof Request ? input.signal : undefined) ?? undefined;
    const host = hostOf(url);

    for (let attempt = 1; ; attempt++) {
      const last = attempt > retries;
      let response: Response;
      try {
        response = await once(fetch, input, init, method, outer, host, timeoutMs);
      } catch (err) {
        if (outer?.aborted) throw err;
        const timeout = timeoutOf(err);
        if (timeout) timeout.attempts = attempt;
        if (last || !(idempotent || notSent(err))) throw err;
        await sleep(backoffDelay(attempt, opts), outer);
        continue;
      }
      const wait = last || !idempotent ? undefined : await retryDelay(response, attempt, opts, maxRetryAfterMs, now());
      if (wait === undefined) return response;
      await sleep(wait, outer);
    }
  };
}

/** One attempt, its body read before the deadline. */
async function once(fetch: Fetch, input: Parameters<Fetch>[0], init: Parameters<Fetch>[1], method: string, outer: AbortSignal | undefined, host: string, timeoutMs: number): Promise<Response> {
  const controller = new AbortController();
  const timeout = new RequestTimeoutError(host, timeoutMs);
  const timer = setTimeout(() => controller.abort(timeout), timeoutMs);
  const cancel = () => controller.abort(outer?.reason);
  if (outer?.aborted) cancel();
  outer?.addEventListener('abort', cancel, { once: true });
  try {
    const res = await fetch(input, { ...init, signal: controller.signal });
    const body = method === 'HEAD' || NULL_BODY.has(res.status) ? null : new Uint8Array(await res.arrayBuffer());
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  } catch (err) {
    if (controller.signal.reason === timeout && !outer?.aborted) throw timeout;
    throw err;
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', cancel);
  }
}

/** How long to wait before trying a read again; undefined when its answer stands. */
async function retryDelay(response: Response, attempt: number, opts: NetworkOptions, maxRetryAfterMs: number, now: number): Promise<number | undefined> {
  const { status, headers } = response;
  let limited = status === 429;
  if (status === 403) {
    // A 403 is a refusal unless it is a rate limit: GitHub's secondary limits say so in the body.
    limited = headers.has('retry-after') || headers.get('x-ratelimit-remaining') === '0' || /secondary rate limit/i.test(await response.clone().text());
    if (!limited) return undefined;
  }
  if (!limited && (status < 500 || status === 501 || status === 505)) return undefined;
  const requested = requestedDelay(headers, now);
  if (requested !== undefined) return requested <= maxRetryAfterMs ? requested : undefined;
  return backoffDelay(attempt, opts);
}

function notSent(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT.has(code)) return true;
  }
  return false;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const done = () => {
      signal?.removeEventListener('abort', abort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}
