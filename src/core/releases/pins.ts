/**
 * Version pins in a workspace file: container images in YAML (Kubernetes, OpenShift, Compose,
 * Helm values) and Dockerfiles, and dependencies in package.json. Each pin says which release
 * notes to review: `rocketchat/rocket.chat:2.3.0` -> `github:RocketChat/Rocket.Chat` from 2.3.0.
 */
import { packagePins, type LockfileContext } from './packagePins';
import { canonicalVersion } from './version';
import { indentOf, keyValue } from './yamlLines';

export interface VersionPin {
  /** 0-based line of the version (or of the image reference holding it). */
  line: number;
  kind: 'image' | 'npm';
  /** The image without tag, or the package name. */
  name: string;
  /**
   * The version the review starts from: canonical, or a release line (`1.25.x`) for a tag that names
   * no patch, which the review resolves to the newest release of that line its source lists.
   */
  version: string;
  /** The current version as people read it: `2.3.0`, `1.25.x`, or a range (`^4.18.2`) that nothing locks. */
  label: string;
  /** Where the version comes from, when a reader may ask: "4.21.2 as package-lock.json locks it". */
  basis?: string;
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

/**
 * The pins are looked for on every edit, in the editor's process, so one call reads at most this
 * many characters: YAML files and Dockerfiles up to the last line break before it, a larger
 * package.json not at all (half a JSON document is not one).
 */
export const MAX_PIN_SCAN = 256 * 1024;

/**
 * The pins in a file, by its name: Dockerfiles, YAML files and package.json. For a package.json,
 * `lock` is the lockfile that covers it (read by the front end), whose versions are the current ones.
 */
export function findVersionPins(fileName: string, text: string, imageSources: Readonly<Record<string, string>> = {}, lock?: LockfileContext): VersionPin[] {
  const base = fileName.split(/[\\/]/).pop()!.toLowerCase();
  const sources = { ...WELL_KNOWN_IMAGES, ...imageSources };
  if (base === 'package.json') return text.length > MAX_PIN_SCAN ? [] : packagePins(text, lock);
  if (base === 'dockerfile' || base.startsWith('dockerfile.') || base.endsWith('.dockerfile') || base === 'containerfile') {
    return dockerfilePins(scannedPart(text), sources);
  }
  if (base.endsWith('.yaml') || base.endsWith('.yml')) return yamlPins(scannedPart(text), sources);
  return [];
}

/** The text up to MAX_PIN_SCAN, cut after a line break. */
function scannedPart(text: string): string {
  if (text.length <= MAX_PIN_SCAN) return text;
  const cut = text.lastIndexOf('\n', MAX_PIN_SCAN - 1);
  return cut === -1 ? '' : text.slice(0, cut + 1);
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

/**
 * The version a tag names: `v2.3.0`, `2.3.0-alpine` -> 2.3.0. A tag without its patch follows its
 * line: `1.25-alpine` -> 1.25.x, `20-bookworm` -> 20.x. `latest` and words -> undefined.
 */
export function tagVersion(tag: string): string | undefined {
  const m = /^v?(\d+(?:\.\d+){0,2})(?=$|[-_.+][a-z])/i.exec(tag);
  // A lone number is a major line (`node:20`) when it is short; longer ones are dates and builds.
  if (!m || !(canonicalVersion(m[1]) || /^\d{1,3}$/.test(m[1]))) return undefined;
  const parts = m[1].split('.').map(Number);
  return parts.length === 3 ? canonicalVersion(m[1])! : `${parts.join('.')}.x`;
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
  const pin: VersionPin = { line, kind: 'image', name: image.name, version, label: version, source: imageSource(image.name, sources) };
  if (version.endsWith('.x')) pin.basis = `the tag ${image.tag} follows the newest ${version.slice(0, -2)} release`;
  return pin;
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

// ---------------------------------------------------------------------------------------------
// YAML: a line scanner, not a YAML parser (see yamlLines.ts: a few thousand `[` in a file brought a
// parser, and the whole process, down). The scanner reads `image:` keys of block mappings
// (`- image: x` in sequences too) and Helm's `image:` maps with `repository`, `tag` and `registry`;
// it skips comments and block scalars (`script: |`), and leaves flow collections (`image: {...}`),
// aliases and multi-line scalars alone.

interface HelmImage {
  /** Column of the `image` key: its children are deeper. */
  keyCol: number;
  /** Column of its first child; the others are read at that column only. */
  childCol: number;
  repository?: string;
  registry?: string;
  tag?: string;
  tagLine?: number;
}

function yamlPins(text: string, sources: Readonly<Record<string, string>>): VersionPin[] {
  const pins: VersionPin[] = [];
  const lines = text.split(/\r\n?|\n/);
  let blockScalarCol = -1;
  let helm: HelmImage | null = null;
  const finishHelm = () => {
    if (helm?.repository && helm.tag && helm.tagLine !== undefined) {
      const pin = imagePin(helm.tagLine, `${helm.registry ? `${helm.registry}/` : ''}${helm.repository}:${helm.tag}`, sources);
      if (pin) pins.push(pin);
    }
    helm = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let col = indentOf(line);
    if (col === line.length || line[col] === '#') continue;
    // Lines deeper than the key of a block scalar are its text.
    if (blockScalarCol >= 0) {
      if (col > blockScalarCol) continue;
      blockScalarCol = -1;
    }
    if (helm && col <= helm.keyCol) finishHelm();
    if (col === 0 && (line.startsWith('---') || line.startsWith('...'))) continue;
    // Sequence markers before the key: `- image: x`, `- - name: y`.
    while (line[col] === '-' && (line[col + 1] === ' ' || line[col + 1] === undefined)) {
      col++;
      while (line[col] === ' ') col++;
    }
    const kv = keyValue(line.slice(col));
    if (!kv) continue;
    if (kv.blockScalar) blockScalarCol = col;
    if (helm) {
      if (helm.childCol === -1) helm.childCol = col;
      if (col !== helm.childCol || kv.structured || !kv.value) continue;
      if (kv.key === 'repository') helm.repository = kv.value;
      else if (kv.key === 'registry') helm.registry = kv.value;
      else if (kv.key === 'tag') [helm.tag, helm.tagLine] = [kv.value, i];
      continue;
    }
    if (kv.key !== 'image' || kv.structured) continue;
    if (kv.value) {
      const pin = imagePin(i, kv.value, sources);
      if (pin) pins.push(pin);
    } else {
      helm = { keyCol: col, childCol: -1 };
    }
  }
  finishHelm();
  return pins;
}
