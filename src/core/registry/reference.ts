/**
 * Image references as Docker reads them: `[REGISTRY[:PORT]/]PATH[:TAG][@DIGEST]`.
 *
 * - The first path component is the registry when it holds a `.` or a `:`, is `localhost`, or has
 *   upper-case letters; otherwise the image is on Docker Hub (`docker.io`), whose API is at
 *   `registry-1.docker.io` and whose one-component names live under `library/` (`nginx` is
 *   `docker.io/library/nginx`).
 * - Path components are lower-case letters and digits, joined by `.`, `_`, `__` or runs of `-`;
 *   a tag is up to 128 of `[A-Za-z0-9_.-]` not starting with `.` or `-`; a digest is `ALGO:HEX`.
 * - Without a tag or digest the reference means `latest`, as for `docker pull`.
 *
 * Parsing splits on `@`, `:` and `/` and checks each part with an anchored pattern that cannot
 * backtrack, so it is linear in the length of its input (at most 512 characters are read).
 */
import { fail, ok, type Result } from '../releases/model';

export const DOCKER_HUB = 'docker.io';
export const DOCKER_HUB_API = 'registry-1.docker.io';

export interface ImageReference {
  /** The registry as Docker names it, lower case: `docker.io`, `ghcr.io`, `127.0.0.1:5000`. */
  registry: string;
  /** Where its HTTP API answers: `registry-1.docker.io` for Docker Hub, else the registry. */
  apiHost: string;
  /** The repository inside the registry: `library/nginx`, `acme/app`. */
  repository: string;
  tag?: string;
  digest?: string;
  /** The image's name as pins and the image map write it: `nginx`, `bitnami/redis`, `ghcr.io/acme/app`. */
  name: string;
}

const MAX_REFERENCE = 512;
const MAX_NAME = 255;
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?$/;

/** Reads an image reference; the failure's message names what is wrong with it. */
export function parseImageReference(input: string): Result<ImageReference> {
  const text = input.trim();
  const bad = (why: string) => fail<ImageReference>('source', `"${text.slice(0, 80)}${text.length > 80 ? '…' : ''}" is not an image reference: ${why}`);
  if (!text) return bad('it is empty');
  if (text.length > MAX_REFERENCE) return bad(`it is longer than ${MAX_REFERENCE} characters`);

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return bad(`the digest "${digest}" is not sha256:<64 hex digits> (or sha512:<128>)`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return bad(`the tag "${tag}" may hold only letters, digits, "_", "." and "-" (at most 128, not starting with "." or "-")`);
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost' || parts[0] !== parts[0].toLowerCase())) {
    registry = parts.shift()!.toLowerCase();
    if (!HOST.test(registry)) return bad(`the registry "${registry}" is not a host name with an optional port`);
  }
  if (registry === 'index.docker.io' || registry === DOCKER_HUB_API) registry = DOCKER_HUB;
  if (parts.some((p) => !COMPONENT.test(p))) {
    return bad('its path components may hold only lower-case letters, digits and single separators (".", "_", "__", "-")');
  }
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  const repository = parts.join('/');
  if (repository.length + registry.length + 1 > MAX_NAME) return bad(`its name is longer than ${MAX_NAME} characters`);

  const name = registry === DOCKER_HUB ? repository.replace(/^library\//, '') : `${registry}/${repository}`;
  const ref: ImageReference = { registry, apiHost: registry === DOCKER_HUB ? DOCKER_HUB_API : registry, repository, name };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ok(ref);
}

/** The reference as people write it: `nginx:1.25-alpine`, `ghcr.io/acme/app@sha256:…`. */
export function formatReference(ref: Pick<ImageReference, 'name' | 'tag' | 'digest'>): string {
  return `${ref.name}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** What a manifest request names: the digest when there is one (Docker ignores the tag then), else the tag or `latest`. */
export function manifestReference(ref: Pick<ImageReference, 'tag' | 'digest'>): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** The same image at another tag (no digest). */
export function withTag(ref: ImageReference, tag: string): ImageReference {
  const { digest: _digest, ...rest } = ref;
  return { ...rest, tag };
}

/** `localhost`, `127.0.0.0/8` and `::1`, with or without a port: registries Docker reaches over plain HTTP. */
export function isLoopbackHost(hostWithPort: string): boolean {
  const bareV6 = !hostWithPort.startsWith('[') && hostWithPort.indexOf(':') !== hostWithPort.lastIndexOf(':');
  const host = hostWithPort.startsWith('[') ? hostWithPort.slice(1, hostWithPort.indexOf(']')) : bareV6 ? hostWithPort : hostWithPort.replace(/:\d+$/, '');
  const lower = host.toLowerCase();
  if (lower === 'localhost' || lower === '::1' || lower === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(lower);
  return !!v4 && v4.slice(1).every((n) => Number(n) <= 255);
}
