/**
 * What the GitHub and GitLab sources share: how an API failure reads as a review error, paths in
 * web links, and how a review reads the releases and tags once and picks its package from them.
 */
import type { GitHubErrorKind } from '../../github/ports';
import type { GitLabErrorKind } from '../../gitlab/ports';
import type { ReleaseErrorCode, Result } from '../model';
import { ok } from '../model';
import type { ReadOptions } from '../ports';
import { type PackageSelection, selectPackage } from './packages';

export interface ListingReader<L> {
  /** `github:OWNER/REPO`, `gitlab:GROUP/PROJECT`: how the source names itself to the operator. */
  base: string;
  /** The package the spec names after `#`, if any. */
  chosen?: string;
  /** The repository or project itself, asked first: a wrong name or token then fails with the clearest message. */
  info(signal?: AbortSignal): Promise<Result<unknown>>;
  /** Releases and tags from `from` on (all of them without it). */
  list(from: string | undefined, signal?: AbortSignal): Promise<Result<L>>;
  /** The packages the listing's releases and tags name (undefined for plain versions). */
  packagesOf(listing: L): Iterable<string | undefined>;
}

/**
 * The listing for a read, with the package it is about. Listed once per lower bound; a complete
 * listing (made for the version pickers) serves every range after it, so a review lists once.
 */
export function listingReader<L>(o: ListingReader<L>): (ro?: ReadOptions) => Promise<Result<{ listing: L; selection: PackageSelection }>> {
  const listings = new Map<string, Promise<Result<L>>>();
  const listing = async (ro?: ReadOptions): Promise<Result<L>> => {
    const known = await o.info(ro?.signal);
    if (!known.ok) return known;
    const complete = listings.get('');
    if (complete && (await complete).ok) return complete;
    const from = ro?.range?.from ?? '';
    let p = listings.get(from);
    if (!p) listings.set(from, (p = o.list(from || undefined, ro?.signal)));
    return p;
  };
  return async (ro) => {
    const listed = await listing(ro);
    if (!listed.ok) return listed;
    const selection = selectPackage(o.base, o.packagesOf(listed.value), o.chosen);
    return selection.ok ? ok({ listing: listed.value, selection: selection.value }) : selection;
  };
}

/** `docs/a b.md` -> `docs/a%20b.md`: each segment encoded, the slashes kept. */
export function encodePath(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

/** The review error of a code host's API failure. */
export function apiErrorCode(kind: GitHubErrorKind | GitLabErrorKind): ReleaseErrorCode {
  switch (kind) {
    case 'auth':
    case 'permission':
      return 'auth';
    case 'rate-limited':
      return 'rate-limited';
    case 'not-found':
      return 'not-found';
    case 'network':
    case 'server':
    case 'cancelled':
      return 'network';
    default:
      return 'source';
  }
}
