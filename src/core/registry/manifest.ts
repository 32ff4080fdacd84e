/**
 * What Preflight reads of manifests and image configs: an index's entries and their platforms, a
 * manifest's config descriptor, and the config's labels. Everything read is checked for its shape;
 * a registry's answer is upstream input.
 */
import { DOCKER_SCHEMA1, INDEX_TYPES, MANIFEST_TYPES } from './mediaTypes';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string; variant?: string };
  annotations?: Record<string, string>;
}

export type Manifest =
  | { kind: 'index'; mediaType: string; manifests: Descriptor[]; annotations: Record<string, string> }
  | { kind: 'manifest'; mediaType: string; config: Descriptor; annotations: Record<string, string> };

const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,128}$/;

/** The manifest in `body`; `contentType` is the answer's Content-Type. A string is why it cannot be read. */
export function parseManifest(body: string, contentType: string | null): Manifest | string {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return 'the manifest is not JSON';
  }
  if (!isObject(data)) return 'the manifest is not a JSON object';
  const declared = typeof data.mediaType === 'string' ? data.mediaType : undefined;
  const header = contentType?.split(';')[0].trim().toLowerCase();
  const mediaType = declared ?? header ?? '';
  if (DOCKER_SCHEMA1.includes(mediaType) || data.schemaVersion === 1) return 'the manifest is of Docker\'s schema 1, which Preflight does not read';
  const annotations = stringRecord(data.annotations);
  const isIndex = INDEX_TYPES.includes(mediaType) || (!declared && Array.isArray(data.manifests) && !isObject(data.config));
  if (isIndex) {
    if (!Array.isArray(data.manifests)) return 'the image index lists no manifests';
    const manifests: Descriptor[] = [];
    for (const entry of data.manifests) {
      const d = descriptor(entry);
      if (!d) return 'an entry of the image index is not a descriptor';
      manifests.push(d);
    }
    return { kind: 'index', mediaType, manifests, annotations };
  }
  if (MANIFEST_TYPES.includes(mediaType) || (!declared && isObject(data.config))) {
    const config = descriptor(data.config);
    if (!config) return 'the manifest has no config descriptor';
    return { kind: 'manifest', mediaType, config, annotations };
  }
  return `the manifest's media type ${JSON.stringify(mediaType.slice(0, 100))} is not one Preflight reads`;
}

/**
 * The entry of an index for linux/amd64, else the first entry for a real platform (not an
 * attestation manifest, whose platform is unknown/unknown), else the first entry.
 */
export function pickPlatform(manifests: readonly Descriptor[]): Descriptor | undefined {
  const amd64 = manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64');
  if (amd64) return amd64;
  const real = manifests.find((m) => m.platform?.os !== 'unknown' && m.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest');
  return real ?? manifests[0];
}

/** `linux/arm64/v8`. */
export function platformName(d: Descriptor): string | undefined {
  const p = d.platform;
  return p ? [p.os, p.architecture, p.variant].filter(Boolean).join('/') : undefined;
}

/** The labels of an image config (`config.Labels`), only string values; a string is why the config cannot be read. */
export function configLabels(body: string): Record<string, string> | string {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return 'the image config is not JSON';
  }
  if (!isObject(data)) return 'the image config is not a JSON object';
  const config = data.config;
  if (config === undefined || config === null) return {};
  if (!isObject(config)) return 'the image config\'s "config" is not an object';
  return stringRecord(config.Labels);
}

function descriptor(v: unknown): Descriptor | undefined {
  if (!isObject(v) || typeof v.digest !== 'string' || !DIGEST.test(v.digest)) return undefined;
  if (typeof v.size !== 'number' || !Number.isSafeInteger(v.size) || v.size < 0) return undefined;
  const d: Descriptor = { mediaType: typeof v.mediaType === 'string' ? v.mediaType : '', digest: v.digest.toLowerCase(), size: v.size };
  const p = v.platform;
  if (isObject(p) && typeof p.os === 'string' && typeof p.architecture === 'string') {
    d.platform = { os: p.os, architecture: p.architecture, ...(typeof p.variant === 'string' ? { variant: p.variant } : {}) };
  }
  const annotations = stringRecord(v.annotations);
  if (Object.keys(annotations).length) d.annotations = annotations;
  return d;
}

function stringRecord(v: unknown): Record<string, string> {
  if (!isObject(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v)) if (typeof value === 'string' && k !== '__proto__') out[k] = value;
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
