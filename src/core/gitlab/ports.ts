/**
 * What Preflight reads from GitLab (gitlab.com or a self-managed instance), as plain data. The
 * adapter in src/adapters/gitlab/client.ts implements it over the REST API v4; tests use it against
 * a local server. Errors are values, in the words GitHub's are.
 */
import type { HttpCounters } from '../http/ports';
import type { Err, Ok } from '../result';

export type GitLabErrorKind = 'auth' | 'permission' | 'rate-limited' | 'not-found' | 'server' | 'network' | 'malformed' | 'cancelled' | 'unexpected';

export interface GitLabError {
  kind: GitLabErrorKind;
  /** One line for a human. */
  message: string;
  status?: number;
  /** When the rate limit resets (epoch milliseconds), for `rate-limited`. */
  resetAt?: number;
}

/** `stale` is set when GitLab could not answer and the last cached answer was used instead. */
export type GitLabResult<T> = (Ok<T> & { stale?: GitLabError }) | Err<GitLabError>;

export interface Page<T> {
  items: T[];
  /** Where the next page is (a page number or GitLab's keyset link); null on the last page. */
  next: string | null;
}

export interface Project {
  /** `group/subgroup/project`. */
  pathWithNamespace: string;
  /** Null for an empty repository. */
  defaultBranch: string | null;
  /** `https://gitlab.com/group/project`. */
  webUrl: string;
}

export interface GitLabRelease {
  tagName: string;
  name: string | null;
  description: string | null;
  /** ISO 8601. */
  createdAt: string;
  releasedAt: string | null;
  /** A release whose date is in the future. */
  upcoming: boolean;
  /** The release's page. */
  webUrl?: string;
}

export interface GitLabTag {
  name: string;
  commitSha: string;
}

/** A file (blob) in a repository tree. */
export interface TreeBlob {
  path: string;
  /** The blob's sha. */
  id: string;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface GitLabApi {
  /** `gitlab.com`, `gitlab.example.com`: for messages. */
  readonly host: string;
  getProject(project: string, opts?: CallOptions): Promise<GitLabResult<Project>>;
  /** Newest first by release date, 100 a page. */
  listReleases(project: string, page: string | null, opts?: CallOptions): Promise<GitLabResult<Page<GitLabRelease>>>;
  listTags(project: string, page: string | null, opts?: CallOptions): Promise<GitLabResult<Page<GitLabTag>>>;
  /** The blobs of the whole tree at a ref (recursive), a page at a time. */
  getTree(project: string, ref: string, page: string | null, opts?: CallOptions): Promise<GitLabResult<Page<TreeBlob>>>;
  /** A blob's bytes, by sha. */
  getBlob(project: string, sha: string, opts?: CallOptions): Promise<GitLabResult<Buffer>>;
  counters(): HttpCounters;
}
