import { DEFAULT_TIMEOUT_SECONDS, type NetworkOptions, parseTimeoutSeconds } from '../core/http/retry';
import { connectionSettings } from './settings';

/** How GitHub and npm clients wait and retry: `preflight.network.timeout` seconds for each answer. */
export function networkOptions(): NetworkOptions {
  const seconds = parseTimeoutSeconds(connectionSettings().timeout) ?? DEFAULT_TIMEOUT_SECONDS;
  return { timeoutMs: Math.round(seconds * 1000) };
}
