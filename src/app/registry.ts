/**
 * Registry clients for both front ends, and the resolution of an image that `preflight resolve`
 * prints: one client per registry, with the user's Docker credentials for it, an on-disk cache per
 * identity under `<cacheDir>/registry/<host>/`, and the network's timeouts and retries.
 *
 * Registries on loopback addresses are reached over plain HTTP, as Docker does; any other needs
 * HTTPS unless the user lists it as insecure (`preflight.registries.insecure`, `--insecure-registry`).
 */
import path from 'node:path';
import { cacheIdentity } from '../adapters/http/etagCache';
import { cachedRegistryFetch, EtagCache } from '../adapters/registryCache';
import { dockerCredentials } from '../adapters/registryCredentials';
import type { HttpCounters } from '../core/http/ports';
import { type NetworkOptions, resilientFetch } from '../core/http/retry';
import { ok, type Result } from '../core/releases';
import { WELL_KNOWN_IMAGES } from '../core/releases/pins';
import {
  isLoopbackHost,
  listFamily,
  notesSourceOf,
  parseImageReference,
  RegistryClient,
  resolveImage,
  type Family,
  type ImageNotesSource,
  type ImageReference,
  type ResolvedImage,
} from '../core/registry';

export interface RegistrySettings {
  /** Caches go to `<cacheDir>/registry/<host>/`. */
  cacheDir: string;
  userAgent: string;
  /** Registries (`host` or `host:port`) that may be reached over plain HTTP besides loopback ones. */
  insecureRegistries?: readonly string[];
  /** Where the Docker config is found (DOCKER_CONFIG, HOME). */
  env: NodeJS.ProcessEnv;
  network?: NetworkOptions;
  /** Counts the registry's answers (benchmarks, tests). */
  counters?: HttpCounters;
  /** How long answers about tags are reused without asking; 10 minutes by default. */
  maxAgeMs?: number;
}

/** `host`, `host:port`, with a scheme or a path dropped, lower case. */
export function normalizeRegistryHost(entry: string): string {
  return entry.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0].toLowerCase();
}

/** Makes (and keeps) the client of each registry a reference names. */
export function registryClients(settings: RegistrySettings): (ref: ImageReference) => Result<RegistryClient> {
  const insecure = new Set((settings.insecureRegistries ?? []).map(normalizeRegistryHost).filter(Boolean));
  const plainHttp = (host: string) => isLoopbackHost(host) || insecure.has(host.toLowerCase());
  const clients = new Map<string, RegistryClient>();
  const network = resilientFetch(globalThis.fetch, settings.network);
  return (ref) => {
    const existing = clients.get(ref.apiHost);
    if (existing) return ok(existing);
    const credentials = dockerCredentials(ref.registry, settings.env);
    const identity = cacheIdentity(credentials && 'username' in credentials ? `${credentials.username}:${credentials.password}` : undefined);
    const cache = new EtagCache(path.join(settings.cacheDir, 'registry', ref.apiHost.replace(/[^a-z0-9.-]/gi, '_')));
    const client = new RegistryClient({
      host: ref.apiHost,
      fetch: cachedRegistryFetch(network, { cache, identity, counters: settings.counters, maxAgeMs: settings.maxAgeMs }),
      tokenFetch: cachedRegistryFetch(network, { identity, counters: settings.counters }),
      plainHttp: (host) => plainHttp(host) || (host === ref.apiHost && insecure.has(ref.registry)),
      credentials,
      userAgent: settings.userAgent,
    });
    clients.set(ref.apiHost, client);
    return ok(client);
  };
}

export interface ImageResolution {
  image: ResolvedImage;
  family: Family;
  /** Where its release notes come from, or why that is not known. */
  notes: Result<ImageNotesSource>;
}

export interface ResolveOptions {
  /** Ask the registry now, whatever the cache holds: an existence check. */
  live?: boolean;
  /** The user's image map (it overrides labels). */
  imageSources?: Readonly<Record<string, string>>;
  /** GitHub hosts whose repositories labels may name: github.com and an Enterprise Server's. */
  githubHosts: readonly string[];
  signal?: AbortSignal;
}

/** An image through its registry: its manifest, labels, family of tags and release-note source. */
export async function resolveImageReference(spec: string, settings: RegistrySettings, opts: ResolveOptions): Promise<Result<ImageResolution>> {
  const ref = parseImageReference(spec.replace(/^image:/i, ''));
  if (!ref.ok) return ref;
  const client = registryClients(settings)(ref.value);
  if (!client.ok) return client;
  const ro = { live: opts.live, signal: opts.signal };
  const image = await resolveImage(client.value, ref.value, ro);
  if (!image.ok) return image;
  const family = await listFamily(client.value, ref.value, ro);
  if (!family.ok) return family;
  const notes = notesSourceOf(image.value, { imageSources: opts.imageSources, wellKnown: WELL_KNOWN_IMAGES, githubHosts: opts.githubHosts });
  return ok({ image: image.value, family: family.value, notes });
}

/** The image map entries that may be opened for an image: no `image:` spec, which would open itself. */
export function usableImageMap(map: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map ?? {})) {
    if (typeof v === 'string' && v.trim() && !/^\s*image:/i.test(v)) out[k.trim().toLowerCase()] = v.trim();
  }
  return out;
}
