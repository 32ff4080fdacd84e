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
