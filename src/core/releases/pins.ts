/**
 * Version pins in a workspace file: container images in YAML (Kubernetes, OpenShift, Compose,
 * Helm values) and Dockerfiles, and dependencies in package.json. Each pin says which release
 * notes to review: `rocketchat/rocket.chat:2.3.0` -> `github:RocketChat/Rocket.Chat` from 2.3.0.
 */
import semver from 'semver';
import { lineStarts } from '../text/lines';
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

/**
 * The pins are looked for on every edit, in the editor's process, so one call reads at most this
 * many characters: YAML files and Dockerfiles up to the last line break before it, a larger
 * package.json not at all (half a JSON document is not one).
 */
export const MAX_PIN_SCAN = 256 * 1024;

/** The pins in a file, by its name: Dockerfiles, YAML files and package.json. */
export function findVersionPins(fileName: string, text: string, imageSources: Readonly<Record<string, string>> = {}): VersionPin[] {
  const base = fileName.split(/[\\/]/).pop()!.toLowerCase();
  const sources = { ...WELL_KNOWN_IMAGES, ...imageSources };
  if (base === 'package.json') return text.length > MAX_PIN_SCAN ? [] : packagePins(text);
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

// ---------------------------------------------------------------------------------------------
// YAML: a line scanner, not a YAML parser. A parser is far slower on text that is not YAML (an
// error object per character), and nests its recursion as deep as the brackets do: a few thousand
// `[` in a file brought the whole process down. The scanner reads `image:` keys of block mappings
// (`- image: x` in sequences too) and Helm's `image:` maps with `repository`, `tag` and `registry`;
// it skips comments and block scalars (`script: |`), and leaves flow collections (`image: {...}`),
// aliases and multi-line scalars alone.

interface KeyValue {
  key: string;
  /** The value on the key's line, without quotes, anchor, tag or comment; '' when there is none. */
  value: string;
  /** The value is a flow collection, an alias or a block scalar: nothing to read on this line. */
  structured: boolean;
  blockScalar: boolean;
}

/** `key: value` at the start of `rest`, or null. A plain key ends at the first `:` followed by a blank. */
function keyValue(rest: string): KeyValue | null {
  let key: string;
  let after: number;
  const quote = rest[0];
  if (quote === '"' || quote === "'") {
    const close = rest.indexOf(quote, 1);
    if (close === -1) return null;
    key = rest.slice(1, close);
    after = close + 1;
    while (rest[after] === ' ' || rest[after] === '\t') after++;
    if (rest[after] !== ':') return null;
  } else {
    after = -1;
    for (let at = rest.indexOf(':'); at !== -1; at = rest.indexOf(':', at + 1)) {
      const next = rest[at + 1];
      if (next === undefined || next === ' ' || next === '\t') {
        after = at;
        break;
      }
    }
    if (after <= 0) return null;
    key = rest.slice(0, after).trimEnd();
  }
  return { key, ...scalar(rest.slice(after + 1)) };
}

/** A value as written after `key:`. */
function scalar(raw: string): Omit<KeyValue, 'key'> {
  let text = raw.trim();
  // Anchors and tags before the value: `&img redis:7`, `!!str 7.2`.
  while (text[0] === '&' || text[0] === '!') {
    const space = text.search(/\s/);
    text = space === -1 ? '' : text.slice(space).trimStart();
  }
  const first = text[0];
  if (first === '"' || first === "'") {
    const close = text.indexOf(first, 1);
    return { value: close === -1 ? '' : text.slice(1, close), structured: false, blockScalar: false };
  }
  // A comment starts at a `#` after a blank.
  const comment = text.search(/\s#/);
  if (comment !== -1) text = text.slice(0, comment).trimEnd();
  if (text.startsWith('#')) text = '';
  const blockScalar = /^[|>][-+0-9]*$/.test(text);
  return { value: blockScalar ? '' : text, structured: blockScalar || first === '[' || first === '{' || first === '*', blockScalar };
}

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
    let col = 0;
    while (line[col] === ' ') col++;
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

// ---------------------------------------------------------------------------------------------
// package.json: JSON.parse for the values, one pass over the text for where they are.

function packagePins(text: string): VersionPin[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return [];
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return [];
  const offsets = dependencyOffsets(text);
  const starts = lineStarts(text);
  const pins: VersionPin[] = [];
  for (const field of DEPENDENCY_FIELDS) {
    const deps = (data as Record<string, unknown>)[field];
    const at = offsets.get(field);
    if (!deps || typeof deps !== 'object' || Array.isArray(deps) || !at) continue;
    for (const [name, offset] of at) {
      const spec = (deps as Record<string, unknown>)[name];
      // Ranges are short; semver's own patterns are not meant for kilobytes of text.
      if (typeof spec !== 'string' || spec.length > 256 || !semver.validRange(spec)) continue;
      const min = semver.minVersion(spec);
      if (!min) continue;
      pins.push({ line: lineAt(starts, offset), kind: 'npm', name, version: min.version, source: `npm:${name}` });
    }
  }
  return pins;
}

/**
 * Where each string value of the top-level object's objects starts: field -> key -> offset, in
 * document order. The text is valid JSON (JSON.parse read it), so strings, brackets, commas and
 * colons are all there is to follow.
 */
function dependencyOffsets(text: string): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  // One entry per open container: its kind, and in objects the last key and whether a value is next.
  const stack: { object: boolean; key?: string; value: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push({ object: c === '{', value: c === '[' });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ':') {
      stack[stack.length - 1].value = true;
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top.object) top.value = false;
    } else if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      const top = stack[stack.length - 1];
      if (!top?.object) continue;
      if (!top.value) {
        top.key = JSON.parse(text.slice(start, i + 1)) as string;
      } else if (stack.length === 2 && stack[0].key !== undefined && top.key !== undefined) {
        let field = out.get(stack[0].key);
        if (!field) out.set(stack[0].key, (field = new Map()));
        field.set(top.key, start);
      }
    }
  }
  return out;
}
