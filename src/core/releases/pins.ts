/**
 * Version pins in a workspace file: container images in YAML (Kubernetes, OpenShift, Compose,
 * Helm values) and Dockerfiles, and dependencies in package.json. Each pin says which release
 * notes to review: `rocketchat/rocket.chat:2.3.0` -> `github:RocketChat/Rocket.Chat` from 2.3.0.
 */
import { isMap, isPair, isScalar, parseAllDocuments, parseDocument, visit, type Document, type Node } from 'yaml';
import semver from 'semver';
import { lineStarts } from '../runbook/lines';
import { canonicalVersion } from './version';

export interface VersionPin {
  /** 0-based line of the version (or of the image reference holding it). */
  line: number;
  kind: 'image' | 'npm';
  /** The image without tag, or the package name. */
  name: string;
  /** Canonical version. */
  version: string;
  /** The release-note source, when known (`github:owner/repo`, `npm:name`). */
  source?: string;
}

/** Images whose release notes live somewhere their name does not say. Users extend this in settings. */
export const WELL_KNOWN_IMAGES: Readonly<Record<string, string>> = {
  'rocketchat/rocket.chat': 'github:RocketChat/Rocket.Chat',
  'registry.rocket.chat/rocketchat/rocket.chat': 'github:RocketChat/Rocket.Chat',
  'healthchecks/healthchecks': 'github:healthchecks/healthchecks',
  'mattermost/mattermost-team-edition': 'github:mattermost/mattermost',
  'mattermost/mattermost-enterprise-edition': 'github:mattermost/mattermost',
  'grafana/grafana': 'github:grafana/grafana',
  'grafana/grafana-oss': 'github:grafana/grafana',
  'traefik': 'github:traefik/traefik',
  'redis': 'github:redis/redis',
  'nextcloud': 'github:nextcloud/server',
  'gitea/gitea': 'github:go-gitea/gitea',
  'minio/minio': 'github:minio/minio',
  'prom/prometheus': 'github:prometheus/prometheus',
  'quay.io/prometheus/prometheus': 'github:prometheus/prometheus',
  'quay.io/keycloak/keycloak': 'github:keycloak/keycloak',
  'discourse/discourse': 'github:discourse/discourse',
  'tootsuite/mastodon': 'github:mastodon/mastodon',
  'ghcr.io/mastodon/mastodon': 'github:mastodon/mastodon',
  'n8nio/n8n': 'github:n8n-io/n8n',
  'metabase/metabase': 'github:metabase/metabase',
};

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

/** The pins in a file, by its name: Dockerfiles, YAML files and package.json. */
export function findVersionPins(fileName: string, text: string, imageSources: Readonly<Record<string, string>> = {}): VersionPin[] {
  const base = fileName.split(/[\\/]/).pop()!.toLowerCase();
  const sources = { ...WELL_KNOWN_IMAGES, ...imageSources };
  if (base === 'package.json') return packagePins(text);
  if (base === 'dockerfile' || base.startsWith('dockerfile.') || base.endsWith('.dockerfile') || base === 'containerfile') {
    return dockerfilePins(text, sources);
  }
  if (base.endsWith('.yaml') || base.endsWith('.yml')) return yamlPins(text, sources);
  return [];
}

interface ImageRef {
  name: string;
  tag: string;
}

/** `docker.io/library/redis:7.2.4-alpine@sha256:...` -> { name: 'redis', tag: '7.2.4-alpine' }. */
export function parseImageRef(ref: string): ImageRef | undefined {
  const withoutDigest = ref.trim().split('@')[0];
  const colon = withoutDigest.lastIndexOf(':');
  // A colon before the last slash belongs to a registry port, not a tag.
  if (colon < 0 || colon < withoutDigest.lastIndexOf('/')) return undefined;
  let name = withoutDigest.slice(0, colon);
  const tag = withoutDigest.slice(colon + 1);
  if (!name || !tag || /[${}]/.test(ref)) return undefined;
  name = name.replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');
  return { name: name.toLowerCase(), tag };
}

/** The version a tag names: `v2.3.0`, `2.3.0-alpine` -> 2.3.0, `2.3` -> 2.3.0; `latest` -> undefined. */
export function tagVersion(tag: string): string | undefined {
  const m = /^v?(\d+(?:\.\d+){0,2})(?=$|[-_.+][a-z])/i.exec(tag);
  return m ? (canonicalVersion(m[1]) ?? undefined) : undefined;
}

/** The release-note source of an image: the map first, then GitHub's own registry. */
export function imageSource(name: string, sources: Readonly<Record<string, string>>): string | undefined {
  if (sources[name]) return sources[name];
  const ghcr = /^ghcr\.io\/([^/]+)\/([^/]+)/.exec(name);
  return ghcr ? `github:${ghcr[1]}/${ghcr[2]}` : undefined;
}

function imagePin(line: number, ref: string, sources: Readonly<Record<string, string>>): VersionPin | undefined {
  const image = parseImageRef(ref);
  const version = image && tagVersion(image.tag);
  if (!image || !version) return undefined;
  return { line, kind: 'image', name: image.name, version, source: imageSource(image.name, sources) };
}

function dockerfilePins(text: string, sources: Readonly<Record<string, string>>): VersionPin[] {
  const pins: VersionPin[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*FROM\s+(?:--\S+\s+)*(\S+)/i.exec(lines[i]);
    const pin = m && imagePin(i, m[1], sources);
    if (pin) pins.push(pin);
  }
  return pins;
}

function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value) : undefined;
}

function yamlPins(text: string, sources: Readonly<Record<string, string>>): VersionPin[] {
  const starts = lineStarts(text);
  const pins: VersionPin[] = [];
  let docs: Document.Parsed[];
  try {
    // Kubernetes manifests often hold several documents.
    docs = parseAllDocuments(text) as Document.Parsed[];
  } catch {
    return [];
  }
  for (const doc of docs) {
    if (!doc.contents || doc.errors.length) continue;
    visit(doc, {
      Pair(_key, pair) {
        if (!isPair(pair) || scalarText(pair.key) !== 'image') return;
        const value = pair.value as Node | null;
        const ref = scalarText(value);
        if (ref && value?.range) {
          const pin = imagePin(lineAt(starts, value.range[0]), ref, sources);
          if (pin) pins.push(pin);
        } else if (isMap(value)) {
          // Helm values: image: { repository: x, tag: "1.2.3" } (registry optional).
          const repo = scalarText(value.get('repository', true));
          const tagNode = value.get('tag', true);
          const tag = scalarText(tagNode);
          const registry = scalarText(value.get('registry', true));
          if (repo && tag && isScalar(tagNode) && tagNode.range) {
            const pin = imagePin(lineAt(starts, tagNode.range[0]), `${registry ? `${registry}/` : ''}${repo}:${tag}`, sources);
            if (pin) pins.push(pin);
          }
        }
      },
    });
  }
  return pins;
}

function packagePins(text: string): VersionPin[] {
  const starts = lineStarts(text);
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text);
  } catch {
    return [];
  }
  if (doc.errors.length || !isMap(doc.contents)) return [];
  const pins: VersionPin[] = [];
  for (const field of DEPENDENCY_FIELDS) {
    const deps = doc.contents.get(field, true);
    if (!isMap(deps)) continue;
    for (const pair of deps.items) {
      const name = scalarText(pair.key);
      const spec = scalarText(pair.value);
      const node = pair.value as Node | null;
      if (!name || !spec || !node?.range || !semver.validRange(spec)) continue;
      const min = semver.minVersion(spec);
      if (!min) continue;
      pins.push({ line: lineAt(starts, node.range[0]), kind: 'npm', name, version: min.version, source: `npm:${name}` });
    }
  }
  return pins;
}
