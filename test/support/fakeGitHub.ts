/**
 * An in-memory GitHubApi for source tests that count requests: one repository with releases, tags
 * and files per ref. Only the reads a release source makes are implemented.
 */
import { createHash } from 'node:crypto';
import type { GitHubApi, GitHubResult, Page, Release, Tag, Tree } from '../../src/core/github/ports';

export interface FakeRelease {
  tag: string;
  body?: string;
  name?: string;
  draft?: boolean;
  prerelease?: boolean;
  createdAt?: string;
}

export interface FakeRepo {
  defaultBranch?: string;
  releases?: FakeRelease[];
  tags?: string[];
  /** Files by ref (branch or tag), path to content. */
  files: Record<string, Record<string, string>>;
}

export interface FakeGitHub extends GitHubApi {
  /** Every call, as `method ref-or-sha`. */
  readonly calls: string[];
  count(method: string): number;
}

const sha = (text: string) => createHash('sha1').update(`blob ${Buffer.byteLength(text)}\0${text}`).digest('hex');

export function fakeGitHub(fixture: FakeRepo, owner = 'acme', name = 'mono'): FakeGitHub {
  const calls: string[] = [];
  const blobs = new Map<string, string>();
  for (const files of Object.values(fixture.files)) for (const text of Object.values(files)) blobs.set(sha(text), text);
  const web = `https://github.com/${owner}/${name}`;
  const releases: Release[] = (fixture.releases ?? []).map((r, i) => ({
    id: i + 1,
    tagName: r.tag,
    name: r.name ?? null,
    body: r.body ?? null,
    draft: !!r.draft,
    prerelease: !!r.prerelease,
    createdAt: r.createdAt ?? new Date(Date.UTC(2024, 0, 1 + i)).toISOString(),
    publishedAt: r.draft ? null : (r.createdAt ?? new Date(Date.UTC(2024, 0, 1 + i)).toISOString()),
    htmlUrl: `${web}/releases/tag/${encodeURIComponent(r.tag)}`,
  }));
  // GitHub lists releases newest first by creation date.
  releases.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  const tags: Tag[] = (fixture.tags ?? []).map((t) => ({ name: t, commitSha: sha(t) }));
  const page = <T>(items: T[], n = 1, per = 100): GitHubResult<Page<T>> => {
    const last = Math.max(1, Math.ceil(items.length / per));
    return { ok: true, value: { items: items.slice((n - 1) * per, n * per), next: n < last ? n + 1 : null, last } };
  };
  const notFound = (what: string) => ({ ok: false as const, error: { kind: 'not-found' as const, message: `${what} not found (404)`, status: 404 } });
  const unsupported = () => {
    throw new Error('not implemented by the fake GitHub');
  };
  const api: FakeGitHub = {
    host: 'api.github.com',
    calls,
    count: (method) => calls.filter((c) => c.split(' ')[0] === method).length,
    async getRepository() {
      calls.push('getRepository');
      return { ok: true, value: { fullName: `${owner}/${name}`, defaultBranch: fixture.defaultBranch ?? 'main', htmlUrl: web } };
    },
    async listReleases(_repo, p) {
      calls.push(`listReleases ${p?.page ?? 1}`);
      return page(releases, p?.page ?? 1, p?.perPage ?? 30);
    },
    async listTags(_repo, p) {
      calls.push(`listTags ${p?.page ?? 1}`);
      return page(tags, p?.page ?? 1, p?.perPage ?? 30);
    },
    async getTree(_repo, ref): Promise<GitHubResult<Tree>> {
      calls.push(`getTree ${ref}`);
      const files = fixture.files[ref];
      if (!files) return notFound(`ref ${ref}`);
      return { ok: true, value: { sha: sha(ref), files: Object.entries(files).map(([path, text]) => ({ path, sha: sha(text), size: Buffer.byteLength(text) })), truncated: false } };
    },
    async getBlob(_repo, blobSha) {
      calls.push(`getBlob ${blobSha}`);
      const text = blobs.get(blobSha);
      return text === undefined ? notFound(`blob ${blobSha}`) : { ok: true, value: { sha: blobSha, content: Buffer.from(text) } };
    },
    getRef: unsupported,
    createRef: unsupported,
    getFile: unsupported,
    putFile: unsupported,
    listPullRequests: unsupported,
    createPullRequest: unsupported,
    updatePullRequest: unsupported,
    addLabels: unsupported,
    requestReviewers: unsupported,
    setLabels: unsupported,
    getPullRequest: unsupported,
    listReviews: unsupported,
    listIssueComments: unsupported,
    createIssueComment: unsupported,
    updateIssueComment: unsupported,
    getRateLimit: unsupported,
    counters: () => ({ requests: calls.length, notModified: 0, counted: calls.length }),
  };
  return api;
}
