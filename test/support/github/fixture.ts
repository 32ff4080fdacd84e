/** The GitHub test server's data: repositories, releases, commits and pull requests, and the helpers that read and change it. */
import { createHash } from 'node:crypto';

export interface FixtureRelease {
  tag: string;
  name?: string;
  body?: string;
  draft?: boolean;
  prerelease?: boolean;
  /** ISO 8601; releases are listed newest first by this date. */
  createdAt: string;
  /** Merged into the JSON as is, to make invalid responses on purpose. */
  extra?: Record<string, unknown>;
}

export interface FixtureRepo {
  defaultBranch: string;
  releases: FixtureRelease[];
  /** Tag names, listed in this order. */
  tags: string[];
  /** Files by ref (branch or tag name), then by path. */
  files: Record<string, Record<string, string | Buffer>>;
  /** Branch heads (commit shas). A branch `files` lists without one gets a root commit of its files on first use. */
  heads?: Record<string, string>;
  /** Commits by sha. */
  commits?: Record<string, FixtureCommit>;
  pulls?: FixturePull[];
  /** Label names; adding a missing one to a pull request creates it, as GitHub does. */
  labels?: string[];
  /** Logins reviews may be requested from; anyone when unset. */
  collaborators?: string[];
  /** Slugs of the owner organisation's teams that may be asked for reviews; any when unset. */
  teams?: string[];
  /** False for a repository whose plan has no draft pull requests (a private one on GitHub Free). */
  drafts?: boolean;
  /**
   * Tokens that can see this private repository. To any other token, and to anonymous requests, it
   * does not exist (404), as on GitHub. Public when unset.
   */
  readers?: string[];
}

export interface FixtureCommit {
  message: string;
  parents: string[];
  /** The whole tree, by path. */
  files: Record<string, string | Buffer>;
}

export interface FixturePull {
  number: number;
  title: string;
  body: string | null;
  /** Branch names in the repository itself. */
  head: string;
  base: string;
  draft: boolean;
  state: 'open' | 'closed';
  labels: string[];
  requestedReviewers: string[];
  requestedTeams?: string[];
  merged?: boolean;
  /** Reviews, oldest first. */
  reviews?: FixtureReview[];
  /** The conversation's comments, oldest first. */
  comments?: FixtureComment[];
}

export interface FixtureReview {
  id: number;
  user: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  /** The commit reviewed: the pull request's head when it was given. */
  commitId: string;
  submittedAt: string;
  body?: string;
}

export interface FixtureComment {
  id: number;
  user: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

/** A forced answer for the requests that match every criterion given. */
export interface Fault {
  /** Matched against the path without the /api/v3 prefix; a string matches a prefix. */
  path?: string | RegExp;
  method?: string;
  /** The operationId in the description: `pulls/create`. */
  operation?: string;
  status: number;
  /** Seconds, sent as retry-after (secondary rate limits, 429). */
  retryAfter?: number;
  message?: string;
  /** How many requests get this answer; every one when unset. */
  times?: number;
  /**
   * A body sent as is with `content-type: application/json` instead of GitHub's error JSON: a
   * malformed or wrongly shaped answer on purpose, so it is not checked against the description.
   */
  raw?: string;
}

export interface GitHubFixture {
  /** By `owner/repo`. */
  repos: Record<string, FixtureRepo>;
  /** Tokens GitHub accepts; any other token gets 401. Requests without one are anonymous. */
  tokens: string[];
  rateLimit: { limit: number; remaining: number; /** epoch seconds */ reset: number };
  /** Forced answers, checked in order before anything else. */
  faults: Fault[];
  /** Who each token is, for the reviews and comments it makes; `octocat` otherwise. */
  logins?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  /** Without the /api/v3 prefix. */
  path: string;
  query: Record<string, string>;
  /** Request headers, without Authorization. */
  headers: Record<string, string>;
  status: number;
  operationId?: string;
  /** The JSON body sent, if any. */
  body?: unknown;
}


export function emptyFixture(): GitHubFixture {
  return { repos: {}, tokens: [], rateLimit: { limit: 5000, remaining: 5000, reset: Math.floor(Date.now() / 1000) + 3600 }, faults: [] };
}


/** The repository's branches and commits. */
export function git(repo: FixtureRepo): { heads: Record<string, string>; commits: Record<string, FixtureCommit> } {
  const heads = (repo.heads ??= {});
  const commits = (repo.commits ??= {});
  for (const [name, files] of Object.entries(repo.files)) {
    if (!heads[name] && !repo.tags.includes(name)) heads[name] = addCommit(commits, { message: 'Initial commit', parents: [], files: { ...files } });
  }
  return { heads, commits };
}

export function addCommit(commits: Record<string, FixtureCommit>, commit: FixtureCommit): string {
  // The count stands in for the timestamp: committing the same tree twice makes two commits, as on GitHub.
  const sha = sha1(`commit ${treeSha(commit.files)} ${commit.parents.join(' ')} ${Object.keys(commits).length}\n${commit.message}`);
  commits[sha] = commit;
  return sha;
}

/** The files at a branch, tag or commit. */
export function treeAt(repo: FixtureRepo, ref: string): Record<string, string | Buffer> | undefined {
  return repo.files[ref] ?? git(repo).commits[ref]?.files;
}


/** The version of the `i`-th release of `releaseSeries`: 1.0.0, 1.0.1, ... 1.0.9, 1.1.0, ... */
export function seriesVersion(i: number): string {
  return `${Math.floor(i / 100) + 1}.${Math.floor(i / 10) % 10}.${i % 10}`;
}

/** `count` releases created an hour apart, oldest first, each body one line naming its version. */
export function releaseSeries(count: number, start = Date.UTC(2024, 0, 1)): FixtureRelease[] {
  return Array.from({ length: count }, (_, i) => ({
    tag: `v${seriesVersion(i)}`,
    body: `- Change ${seriesVersion(i)}.\n`,
    createdAt: new Date(start + i * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  }));
}

export function sha1(text: string | Buffer): string {
  return createHash('sha1').update(text).digest('hex');
}

/** Git's blob id: sha1 of `blob <size>\0<content>`. */
export function blobSha(content: Buffer): string {
  return sha1(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]));
}

export function treeSha(files: Record<string, string | Buffer>): string {
  return sha1(JSON.stringify(Object.entries(files).map(([p, c]) => [p, blobSha(Buffer.from(c))])));
}


/** Adds a review to a pull request, as a reviewer submitting one on GitHub does: on its head commit unless told otherwise. */
export function addReview(repo: FixtureRepo, number: number, user: string, state: FixtureReview['state'], commitId?: string): FixtureReview {
  const pull = repo.pulls?.find((p) => p.number === number);
  if (!pull) throw new Error(`no pull request #${number}`);
  const reviews = (pull.reviews ??= []);
  const last = reviews.reduce((t, r) => (r.submittedAt > t ? r.submittedAt : t), '2024-01-01T00:00:00Z');
  const review: FixtureReview = {
    id: 80_000 + nextId(repo),
    user,
    state,
    commitId: commitId ?? git(repo).heads[pull.head],
    // Always after the ones before it, however fast a test adds them.
    submittedAt: new Date(Math.max(Date.now(), Date.parse(last) + 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  reviews.push(review);
  pull.requestedReviewers = pull.requestedReviewers.filter((r) => r.toLowerCase() !== user.toLowerCase());
  return review;
}

/** A new id for a review or comment of the repository. */
export function nextId(repo: FixtureRepo): number {
  let max = 0;
  for (const p of repo.pulls ?? []) for (const x of [...(p.reviews ?? []), ...(p.comments ?? [])]) max = Math.max(max, x.id % 10_000);
  return max + 1;
}
