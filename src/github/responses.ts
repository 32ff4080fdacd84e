/**
 * Readers of GitHub's answers: each checks the shape of what it reads and throws Malformed when an
 * answer is not what GitHub documents, so a wrong answer becomes an error value, not a crash later.
 */
import type { GitRef, IssueComment, PullRequest, PullRequestReview, ReviewState } from '../core/github/ports';

export function gitRef(d: unknown): GitRef {
  const r = obj(d);
  return { ref: str(r.ref), sha: str(obj(r.object).sha) };
}

/** A pull request, in both its full and its list form. */
export function pullRequest(d: unknown): PullRequest {
  const p = obj(d);
  const reviewers = p.requested_reviewers === undefined || p.requested_reviewers === null ? [] : arr(p.requested_reviewers);
  const teams = p.requested_teams === undefined || p.requested_teams === null ? [] : arr(p.requested_teams);
  const head = obj(p.head);
  const out: PullRequest = {
    number: num(p.number),
    htmlUrl: str(p.html_url),
    state: str(p.state) === 'closed' ? 'closed' : 'open',
    draft: p.draft === undefined ? false : bool(p.draft),
    title: str(p.title),
    body: strOrNull(p.body),
    head: str(head.ref),
    headSha: str(head.sha),
    base: str(obj(p.base).ref),
    merged: p.merged === true || (p.merged_at !== undefined && p.merged_at !== null),
    labels: arr(p.labels).flatMap((l) => {
      const name = obj(l).name;
      return typeof name === 'string' && name ? [name] : [];
    }),
    requestedReviewers: reviewers.map((u) => str(obj(u).login)),
    requestedTeams: teams.map((t) => str(obj(t).slug)),
  };
  if (typeof p.comments === 'number') out.comments = num(p.comments);
  return out;
}

const REVIEW_STATES: ReadonlySet<string> = new Set<ReviewState>(['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED', 'PENDING']);

export function review(d: unknown): PullRequestReview {
  const r = obj(d);
  const state = str(r.state);
  return {
    id: num(r.id),
    // A reviewer whose account was deleted has no user.
    user: r.user === null || r.user === undefined ? '' : str(obj(r.user).login),
    state: REVIEW_STATES.has(state) ? (state as ReviewState) : 'COMMENTED',
    commitId: strOrNull(r.commit_id),
    submittedAt: strOrNull(r.submitted_at),
    htmlUrl: str(r.html_url),
  };
}

export function issueComment(d: unknown): IssueComment {
  const c = obj(d);
  return { id: num(c.id), body: strOrNull(c.body) ?? '', user: c.user === null || c.user === undefined ? '' : str(obj(c.user).login), htmlUrl: str(c.html_url) };
}

/** Thrown by the readers below when an answer is not of the shape it should be. */
export class Malformed extends Error {}

export function malformed(): never {
  throw new Malformed();
}

export function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : malformed();
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : malformed();
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : malformed();
}

export function strOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : str(v);
}

export function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : malformed();
}

export function bool(v: unknown): boolean {
  return typeof v === 'boolean' ? v : malformed();
}

/** A mapping's value, or not ok when it found the answer malformed. */
export function mapped<T>(map: () => T): { ok: true; value: T } | { ok: false } {
  try {
    return { ok: true, value: map() };
  } catch (err) {
    // A TypeError is what reading a field of a wrongly shaped answer throws, should a reader miss one.
    if (err instanceof Malformed || err instanceof TypeError) return { ok: false };
    throw err;
  }
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** `<...&page=3>; rel="next", <...&page=7>; rel="last"` */
export function pageLinks(link: string | number | undefined): { next: number | null; last: number | null } {
  const out = { next: null as number | null, last: null as number | null };
  for (const m of String(link ?? '').matchAll(/<([^>]+)>\s*;\s*rel="([^"]+)"/g)) {
    const page = Number(new URL(m[1]).searchParams.get('page'));
    if (!Number.isInteger(page) || page < 1) continue;
    if (m[2] === 'next') out.next = page;
    if (m[2] === 'last') out.last = page;
  }
  return out;
}
