/**
 * An image resolved through its registry: the manifest its reference names (for an index, the
 * linux/amd64 entry or the first), the labels of its config, the version it says it is, the tags of
 * its family, and the source repository its labels name.
 */
import { parseRepoSpec } from '../releases/sources/github';
import { fail, ok, type Result } from '../releases/model';
import { canonicalVersion } from '../releases/version';
import type { RegistryClient, RequestOptions } from './client';
import { configLabels, pickPlatform, platformName } from './manifest';
import { manifestReference, type ImageReference } from './reference';
import { familyTags, parseTag, tagFamily, type TagVersion } from './tags';

/** Labels naming the source repository, in the order they are believed. */
export const SOURCE_LABELS = ['org.opencontainers.image.source', 'org.label-schema.vcs-url'] as const;
export const VERSION_LABEL = 'org.opencontainers.image.version';

export interface ResolvedImage {
  reference: ImageReference;
  /** The digest of what the reference names: an index or a manifest. */
  digest: string;
  /** The platform read, when the reference names an index: `linux/amd64`. */
  platform?: string;
  /** The config's labels, completed by the manifest's and the index's annotations. */
  labels: Record<string, string>;
  /** The version label, else the tag. */
  version?: string;
}

/** What `reference` names, in words: `tag 1.25-alpine of nginx`, `digest sha256:… of ghcr.io/acme/app`. */
export function describeReference(ref: ImageReference): string {
  return ref.digest ? `digest ${ref.digest} of ${ref.name}` : `tag ${ref.tag ?? 'latest'} of ${ref.name}`;
}

export async function resolveImage(client: RegistryClient, ref: ImageReference, ro: RequestOptions = {}): Promise<Result<ResolvedImage>> {
  const what = describeReference(ref);
  const top = await client.manifest(ref.repository, manifestReference(ref), what, ro);
  if (!top.ok) return top;
  let manifest = top.value.manifest;
  let platform: string | undefined;
  const annotations = { ...manifest.annotations };
  if (manifest.kind === 'index') {
    const entry = pickPlatform(manifest.manifests);
    if (!entry) return fail('source', `the image index of ${what} lists no manifests`);
    platform = platformName(entry);
    // By digest: the same bytes for ever, so a cache may keep them.
    const child = await client.manifest(ref.repository, entry.digest, `the ${platform ?? entry.digest} manifest of ${what}`, { signal: ro.signal });
    if (!child.ok) return child;
    if (child.value.manifest.kind !== 'manifest') return fail('source', `the image index of ${what} names another index, not a manifest`);
    manifest = child.value.manifest;
    Object.assign(annotations, manifest.annotations);
  }
  if (manifest.kind !== 'manifest') return fail('source', `${what} names no image manifest`);
  const config = await client.blob(ref.repository, manifest.config.digest, `the config of ${what}`, { signal: ro.signal });
  if (!config.ok) return config;
  const labels = configLabels(new TextDecoder().decode(config.value));
  if (typeof labels === 'string') return fail('source', `${client.host}: ${labels} (${what})`);
  const merged = { ...annotations, ...labels };
  const labelled = merged[VERSION_LABEL]?.trim();
  const version = labelled && labelled.length <= 128 ? labelled : ref.tag;
  const out: ResolvedImage = { reference: ref, digest: top.value.digest, labels: merged };
  if (platform) out.platform = platform;
  if (version) out.version = version;
  return ok(out);
}

export interface Family {
  /** `-alpine`, or `` for plain versions. */
  family: string;
  /** Its tags, oldest first. */
  tags: TagVersion[];
  /** How many tags the repository has in all. */
  total: number;
}

/** The tags of the reference's family (see tags.ts); a reference without a tag is of the plain family. */
export async function listFamily(client: RegistryClient, ref: ImageReference, ro: RequestOptions = {}): Promise<Result<Family>> {
  const tags = await client.tags(ref.repository, ref.name, ro);
  if (!tags.ok) return tags;
  const family = ref.tag ? tagFamily(ref.tag, tags.value) : '';
  return ok({ family, tags: familyTags(tags.value, family), total: tags.value.length });
}

export type LabelledSource =
  /** A GitHub repository on one of the hosts asked about. */
  | { kind: 'github'; repo: string; host: string; label: string }
  /** A repository elsewhere: named, but not readable as a `github:` source. */
  | { kind: 'other'; url: string; label: string };

/**
 * The repository the labels name, on one of `githubHosts` (`github.com`, an Enterprise Server's
 * host with its port): `https://github.com/acme/app`, `…/acme/app.git`, `git@github.com:acme/app`,
 * `https://github.com/acme/app/tree/main/docker`.
 */
export function labelledSource(labels: Readonly<Record<string, string>>, githubHosts: readonly string[]): LabelledSource | undefined {
  const hosts = githubHosts.map((h) => h.toLowerCase());
  let other: LabelledSource | undefined;
  for (const label of SOURCE_LABELS) {
    const raw = labels[label]?.trim();
    if (!raw || raw.length > 2048) continue;
    const parsed = repositoryUrl(raw);
    if (parsed && hosts.includes(parsed.host)) {
      const ref = parseRepoSpec(`${parsed.owner}/${parsed.repo}`);
      if (ref) return { kind: 'github', repo: `${ref.owner}/${ref.repo}`, host: parsed.host, label };
    }
    other ??= { kind: 'other', url: raw, label };
  }
  return other;
}

function repositoryUrl(raw: string): { host: string; owner: string; repo: string } | undefined {
  const url = raw.replace(/^git\+/i, '');
  const scp = /^[^@/\s]+@([^:/\s]+):([^/\s]+)\/([^/\s]+)$/.exec(url);
  if (scp) return { host: scp[1].toLowerCase(), owner: scp[2], repo: scp[3].replace(/\.git$/i, '') };
  let parsed: URL;
  try {
    parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`);
  } catch {
    return undefined;
  }
  const [owner, repo] = parsed.pathname.split('/').filter(Boolean);
  if (!owner || !repo) return undefined;
  return { host: parsed.host.toLowerCase(), owner, repo: repo.replace(/\.git$/i, '') };
}

/**
 * The tag to roll back to for a version of a family: a tag that names the whole version
 * (`1.24.3-alpine`), else the reference's own tag when it or its version label names the version
 * (`1.24-alpine` labelled 1.24.3), else any tag of the version.
 */
export function tagForVersion(version: string, family: readonly TagVersion[], own?: { tag?: string; version?: string }): string | undefined {
  const exact = family.filter((t) => t.version === version);
  // Most numbers first (`1.24.3-alpine` before `1.24-alpine`), then the shortest.
  exact.sort((a, b) => b.parts.length - a.parts.length || a.tag.length - b.tag.length);
  if (exact[0] && exact[0].parts.length >= 3) return exact[0].tag;
  const ownNames = own?.tag && (parseTag(own.tag)?.version === version || (own.version !== undefined && canonicalVersion(own.version) === version));
  return ownNames ? own.tag : exact[0]?.tag;
}
