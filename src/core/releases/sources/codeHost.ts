/** What the GitHub and GitLab sources share: how an API failure reads as a review error, and paths in web links. */
import type { GitHubErrorKind } from '../../github/ports';
import type { GitLabErrorKind } from '../../gitlab/ports';
import type { ReleaseErrorCode } from '../model';

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
