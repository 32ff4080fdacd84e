/** What the HTTP adapters offer core: a fetch function, and counts of the requests it made. */

/** The fetch function sources call (the global one, wrapped by caches and retries). */
export type Fetch = typeof globalThis.fetch;

export interface HttpCounters {
  /** Responses received from the network. */
  requests: number;
  /** Of those, 304 Not Modified answers served from the cache. */
  notModified: number;
  /** Of those, the ones that count against a rate limit. */
  counted: number;
}

export function newCounters(): HttpCounters {
  return { requests: 0, notModified: 0, counted: 0 };
}
