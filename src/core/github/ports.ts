/**
 * What Preflight needs from GitHub, as plain data. The adapter in src/github/octokit.ts implements it
 * with Octokit; tests use it against a local server. One method per REST call, errors as values.
 */
import type { HttpCounters } from '../http/ports';
import type { Err, Ok } from '../result';

export interface RepoRef {
  owner: string;
  repo: string;
}

export type GitHubErrorKind =
  /** 401: a missing, expired or wrong token. */
  | 'auth'
  /** 403 without rate limiting: the token lacks a scope or the repository blocks it. */
  | 'permission'
  /** 403 or 429 with an exhausted primary or secondary rate limit. */
  | 'rate-limited'
  | 'not-found'
  /** 422: GitHub understood the request but refused its content. */
  | 'validation'
  /** 5xx. */
  | 'server'
  /** No HTTP answer: DNS, refused connection, TLS, timeout. */
  | 'network'
  /** A success whose body is not JSON, or not of the shape the API describes. */
  | 'malformed'
  | 'cancelled'
  /** Any other status. */
  | 'unexpected';

export interface GitHubError {
  kind: GitHubErrorKind;
  /** One line for a human. */
  message: string;
  status?: number;
  /** When the rate limit resets (epoch milliseconds), for `rate-limited`. */
  resetAt?: number;
  /**
   * For `validation`: GitHub's own explanation ("Reference already exists", "Validation Failed: A pull
   * request already exists for acme:fix."), for callers that react to a particular refusal.
   */
  detail?: string;
}

/**
 * A call's outcome. `stale` is set when GitHub could not answer (rate limit, network) and the last
 * cached answer was used instead; it holds the error that made the cache necessary.
 */
export type GitHubResult<T> = (Ok<T> & { stale?: GitHubError }) | Err<GitHubError>;

export interface PageRequest {
  /** 1-based. */
  page?: number;
  /** At most 100. */
  perPage?: number;
}

export interface Page<T> {
  items: T[];
  /** The next page number from the Link header; null on the last page. */
  next: number | null;
  /** The last page number from the Link header, when GitHub gave one. */
  last: number | null;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface Repository {
  fullName: string;
  defaultBranch: string;
  /** https://github.com/owner/repo (or the Enterprise host's). */
  htmlUrl: string;
}

export interface Release {
  id: number;
  tagName: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  /** ISO 8601. Releases are listed newest first by this date. */
  createdAt: string;
  publishedAt: string | null;
  htmlUrl: string;
}

export interface Tag {
  name: string;
  commitSha: string;
}

/** A file (blob) in a tree listing. */
export interface TreeFile {
  path: string;
  sha: string;
  size?: number;
}

export interface Tree {
  sha: string;
  files: TreeFile[];
  /** GitHub stops listing huge trees (100,000 entries or 7 MB). */
  truncated: boolean;
}

export interface GitBlob {
  sha: string;
  content: Buffer;
}

export interface RateLimit {
  limit: number;
  remaining: number;
  used: number;
  /** Epoch milliseconds. */
  resetAt: number;
}

/** A branch or tag and the commit it points at. */
export interface GitRef {
  /** Fully qualified: `refs/heads/main`. */
  ref: string;
  sha: string;
}

/** A file at a ref, from the contents endpoint. */
export interface RepoFile {
  path: string;
  /** The blob sha. */
  sha: string;
  /** Empty for files over 1 MB, whose content the contents endpoint leaves out. */
  content: Buffer;
}

export interface FileChange {
  path: string;
  content: Buffer;
  /** The commit message. */
  message: string;
  branch: string;
  /** The blob sha of the file being replaced; GitHub refuses to replace a file without it. */
  sha?: string;
}

export interface FileCommit {
  commitSha: string;
  /** The blob sha of the file as committed. */
  fileSha: string;
}

export interface PullRequest {
  number: number;
  htmlUrl: string;
  state: 'open' | 'closed';
  draft: boolean;
  title: string;
  body: string | null;
  /** The branch the changes come from. */
  head: string;
  /** The branch they are merged into. */
  base: string;
  labels: string[];
  /** Logins whose review is requested and not yet given. */
  requestedReviewers: string[];
  /** Slugs of the teams whose review is requested and not yet given. */
  requestedTeams: string[];
  /** The commit at the head of the branch. */
  headSha: string;
  merged: boolean;
  /** Conversation comments; only a single pull request's answer has the count. */
  comments?: number;
}

export interface PullRequestFilter {
  /** A branch of the repository itself (not of a fork); every pull request when unset. */
  head?: string;
  state: 'open' | 'closed' | 'all';
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

/** A review of a pull request, as GitHub lists them: oldest first. */
export interface PullRequestReview {
  id: number;
  /** The reviewer's login. */
  user: string;
  state: ReviewState;
  /** The commit the review was given on. */
  commitId: string | null;
  /** ISO 8601; null for a pending review. */
  submittedAt: string | null;
  htmlUrl: string;
}

/** A comment in a pull request's (or issue's) conversation. */
export interface IssueComment {
  id: number;
  body: string;
  user: string;
  htmlUrl: string;
}

/** Whose review to request: logins, and team slugs of the repository's organisation. */
export interface ReviewerRequest {
  users: string[];
  teams: string[];
}

export interface NewPullRequest {
  title: string;
  body: string;
  head: string;
  base: string;
  draft: boolean;
}

export interface GitHubApi {
  /** The API host for messages: `api.github.com`, `ghe.example.com`. */
  readonly host: string;
  getRepository(repo: RepoRef, opts?: CallOptions): Promise<GitHubResult<Repository>>;
  /** Newest first by creation date (not by version); drafts only with push access. */
  listReleases(repo: RepoRef, page?: PageRequest, opts?: CallOptions): Promise<GitHubResult<Page<Release>>>;
  listTags(repo: RepoRef, page?: PageRequest, opts?: CallOptions): Promise<GitHubResult<Page<Tag>>>;
  /** Every file at a ref (branch, tag or commit), recursively. */
  getTree(repo: RepoRef, ref: string, opts?: CallOptions): Promise<GitHubResult<Tree>>;
  getBlob(repo: RepoRef, sha: string, opts?: CallOptions): Promise<GitHubResult<GitBlob>>;
  /** A ref by its full name (`refs/heads/main`). */
  getRef(repo: RepoRef, ref: string, opts?: CallOptions): Promise<GitHubResult<GitRef>>;
  /** A new ref (`refs/heads/topic`) at a commit; `validation` "Reference already exists" when it does. */
  createRef(repo: RepoRef, ref: string, sha: string, opts?: CallOptions): Promise<GitHubResult<GitRef>>;
  /** A file at a ref (branch, tag or commit); null when the path holds a directory, symlink or submodule. */
  getFile(repo: RepoRef, path: string, ref: string, opts?: CallOptions): Promise<GitHubResult<RepoFile | null>>;
  /** Commits a file to a branch, adding or replacing it. */
  putFile(repo: RepoRef, change: FileChange, opts?: CallOptions): Promise<GitHubResult<FileCommit>>;
  /** Up to 100 pull requests, newest first. */
  listPullRequests(repo: RepoRef, filter: PullRequestFilter, opts?: CallOptions): Promise<GitHubResult<PullRequest[]>>;
  createPullRequest(repo: RepoRef, pull: NewPullRequest, opts?: CallOptions): Promise<GitHubResult<PullRequest>>;
  updatePullRequest(repo: RepoRef, number: number, changes: { title?: string; body?: string }, opts?: CallOptions): Promise<GitHubResult<PullRequest>>;
  /** Adds labels to an issue or pull request; GitHub creates the ones the repository lacks. Resolves to all its labels. */
  addLabels(repo: RepoRef, number: number, labels: string[], opts?: CallOptions): Promise<GitHubResult<string[]>>;
  /** Replaces every label of an issue or pull request. Resolves to its labels. */
  setLabels(repo: RepoRef, number: number, labels: string[], opts?: CallOptions): Promise<GitHubResult<string[]>>;
  /** Resolves to the pull request with the reviews now requested. */
  requestReviewers(repo: RepoRef, number: number, reviewers: ReviewerRequest, opts?: CallOptions): Promise<GitHubResult<PullRequest>>;
  getPullRequest(repo: RepoRef, number: number, opts?: CallOptions): Promise<GitHubResult<PullRequest>>;
  /** Up to 100 reviews a page, oldest first. */
  listReviews(repo: RepoRef, number: number, page?: PageRequest, opts?: CallOptions): Promise<GitHubResult<Page<PullRequestReview>>>;
  /** Up to 100 conversation comments a page, oldest first. */
  listIssueComments(repo: RepoRef, number: number, page?: PageRequest, opts?: CallOptions): Promise<GitHubResult<Page<IssueComment>>>;
  createIssueComment(repo: RepoRef, number: number, body: string, opts?: CallOptions): Promise<GitHubResult<IssueComment>>;
  updateIssueComment(repo: RepoRef, commentId: number, body: string, opts?: CallOptions): Promise<GitHubResult<IssueComment>>;
  /** Does not count against the rate limit. */
  getRateLimit(opts?: CallOptions): Promise<GitHubResult<RateLimit>>;
  /** HTTP responses since the adapter was created: all, 304s, and those counted by the rate limit. */
  counters(): HttpCounters;
}
