/**
 * `image:REF`: a container image as a release-note source. The registry says which repository the
 * image is built from (its labels) and which versions exist (the tags of the reference's family);
 * the notes are read from that repository.
 *
 * Where the notes come from, first match wins: the user's image map
 * (`preflight.releaseNotes.imageSources`), the image's source label when it names a GitHub
 * repository, the built-in map of well-known images, and for `ghcr.io/OWNER/REPO` that repository.
 */
import { fail, ok, type Result } from '../releases/model';
import type { ReleaseSource, VersionRef } from '../releases/ports';
import { sortNewestFirst } from '../releases/version';
import type { RegistryClient, RequestOptions } from './client';
import { parseImageReference, formatReference, type ImageReference } from './reference';
import { labelledSource, listFamily, resolveImage, type Family, type ResolvedImage } from './resolve';
import { describeFamily, releaseTags } from './tags';

export interface ImageSourceOptions {
  /** The client of a reference's registry, or why there is none (plain HTTP refused...). */
  client(ref: ImageReference): Result<RegistryClient>;
  /** The user's map from image names (`nginx`, `ghcr.io/acme/app`) to source specs; it overrides labels. */
  imageSources?: Readonly<Record<string, string>>;
  /** The built-in map, for images whose labels name no repository. */
  wellKnown?: Readonly<Record<string, string>>;
  /** The hosts whose repositories `github:` sources read: `github.com`, an Enterprise Server's. */
  githubHosts: readonly string[];
  /** Opens a source spec (`github:acme/app`); `githubHost` when it comes from a label naming that host. */
  open(spec: string, githubHost?: string): Promise<Result<ReleaseSource>>;
}

/** Where an image's notes come from, and what said so. */
export interface ImageNotesSource {
  spec: string;
  /** `the image map setting`, `label org.opencontainers.image.source`, `the built-in image map`, `its ghcr.io name`. */
  from: string;
  /** The GitHub host a label names, for a token of that host. */
  githubHost?: string;
}

/** The source of an image's notes, or a one-line reason there is none. */
export function notesSourceOf(image: ResolvedImage, opts: Pick<ImageSourceOptions, 'imageSources' | 'wellKnown' | 'githubHosts'>): Result<ImageNotesSource> {
  const name = image.reference.name;
  const mapped = opts.imageSources?.[name];
  if (typeof mapped === 'string' && mapped.trim()) return ok({ spec: mapped.trim(), from: 'the image map setting' });
  const labelled = labelledSource(image.labels, opts.githubHosts);
  if (labelled?.kind === 'github') return ok({ spec: `github:${labelled.repo}`, from: `label ${labelled.label}`, githubHost: labelled.host });
  const known = opts.wellKnown?.[name];
  if (known) return ok({ spec: known, from: 'the built-in image map' });
  const ghcr = /^ghcr\.io\/([^/]+)\/([^/]+)$/.exec(name);
  if (ghcr) return ok({ spec: `github:${ghcr[1]}/${ghcr[2]}`, from: 'its ghcr.io name' });
  const why = labelled ? `its label ${labelled.label} names ${JSON.stringify(labelled.url.slice(0, 200))}, which is not a repository on ${opts.githubHosts.join(' or ')}` : 'it has no org.opencontainers.image.source or org.label-schema.vcs-url label';
  return fail('source', `no release-note source for the image ${name}: ${why}; map it in preflight.releaseNotes.imageSources ({"${name}": "github:OWNER/REPO"})`);
}

export async function createImageSource(spec: string, opts: ImageSourceOptions, ro: RequestOptions = {}): Promise<Result<ReleaseSource>> {
  const ref = parseImageReference(spec);
  if (!ref.ok) return fail('source', `image: needs an image reference (image:nginx:1.25-alpine, image:ghcr.io/OWNER/APP:1.2.3): ${ref.error.message}`);
  const client = opts.client(ref.value);
  if (!client.ok) return client;
  const image = await resolveImage(client.value, ref.value, ro);
  if (!image.ok) return image;
  const notes = notesSourceOf(image.value, opts);
  if (!notes.ok) return notes;
  const delegate = await opts.open(notes.value.spec, notes.value.githubHost);
  if (!delegate.ok) return fail(delegate.error.code, `${notes.value.spec} (the source of ${formatReference(ref.value)}, from ${notes.value.from}): ${delegate.error.message}`);

  let family: Promise<Result<Family>> | undefined;
  const source: ReleaseSource = {
    id: `image:${formatReference(ref.value)}`,
    ...(delegate.value.package !== undefined ? { package: delegate.value.package } : {}),
    async listVersions(o) {
      const listed = await (family ??= listFamily(client.value, ref.value, { signal: o?.signal }));
      if (!listed.ok) {
        family = undefined;
        return listed;
      }
      const versions: VersionRef[] = releaseTags(listed.value.tags).map((t) => ({ version: t.version, tag: t.tag }));
      if (versions.length === 0) return fail('not-found', `${ref.value.name} has no tags of the family ${describeFamily(listed.value.family)} that are versions (${listed.value.total} tags in all)`);
      return ok(sortNewestFirst(versions, (v) => v.version));
    },
    // The notes' own tags are the repository's, not the image's.
    readNotes: (range, o) => delegate.value.readNotes(range, { ...o, toTag: undefined }),
  };
  return ok(source);
}
