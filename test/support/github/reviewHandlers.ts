/** The test server's answers for a pull request's reviews, conversation and labels. */
import { addReview, type FixtureComment, type FixturePull, type FixtureRepo, nextId } from './fixture';
import { type Handler, type HandlerContext, notFound, paginate, type Reply, validationFailed, withPull, withRepo } from './handlers';
import { commentJson, error, fullPullJson, labelJson, publicUser, pullJson, reviewJson } from './shapes';

/** Who a request's token is. */
function login(c: HandlerContext): string {
  return (c.token !== undefined ? c.state.logins?.[c.token] : undefined) ?? 'octocat';
}

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The comment with an id among the repository's pull requests. */
function withComment(c: HandlerContext, fn: (repo: FixtureRepo, name: string, pull: FixturePull, comment: FixtureComment) => Reply): Reply {
  return withRepo(c, (repo, name) => {
    const id = Number(c.params.comment_id);
    for (const pull of repo.pulls ?? []) {
      const comment = pull.comments?.find((x) => x.id === id);
      if (comment) return fn(repo, name, pull, comment);
    }
    return notFound();
  });
}

export const REVIEW_HANDLERS: Record<string, Handler> = {
  // Who the token is, with the scopes GitHub names for a classic token: VS Code's accounts read both at sign-in.
  'users/get-authenticated': (c) =>
    c.token === undefined
      ? { status: 401, body: error('Requires authentication', '401', 'https://docs.github.com/rest/users/users#get-the-authenticated-user') }
      : { status: 200, body: publicUser(c.base, login(c)), headers: { 'x-oauth-scopes': 'repo' } },

  'pulls/get': (c) => withPull(c, (repo, name, pull) => ({ status: 200, body: fullPullJson(c.base, name, repo, pull) })),

  'pulls/list-reviews': (c) => withPull(c, (_repo, name, pull) => paginate(c, pull.reviews ?? [], (r) => reviewJson(c.base, name, pull, r))),

  'pulls/create-review': (c) =>
    withPull(c, (repo, name, pull) => {
      const body = c.body as { event?: string; commit_id?: string; body?: string };
      const state = body.event === 'APPROVE' ? 'APPROVED' : body.event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : body.event === 'COMMENT' ? 'COMMENTED' : undefined;
      if (!state) return validationFailed('Unprocessable Entity', { resource: 'PullRequestReview', field: 'event', code: 'invalid' });
      const review = addReview(repo, pull.number, login(c), state, body.commit_id);
      if (body.body) review.body = body.body;
      return { status: 200, body: reviewJson(c.base, name, pull, review) };
    }),

  'issues/list-comments': (c) => withPull(c, (_repo, name, pull) => paginate(c, pull.comments ?? [], (x) => commentJson(c.base, name, pull, x))),

  'issues/create-comment': (c) =>
    withPull(c, (repo, name, pull) => {
      const text = (c.body as { body: string }).body;
      const comment: FixtureComment = { id: 90_000 + nextId(repo), user: login(c), body: text, createdAt: now(), updatedAt: now() };
      (pull.comments ??= []).push(comment);
      return { status: 201, body: commentJson(c.base, name, pull, comment) };
    }),

  'issues/update-comment': (c) =>
    withComment(c, (_repo, name, pull, comment) => {
      comment.body = (c.body as { body: string }).body;
      comment.updatedAt = now();
      return { status: 200, body: commentJson(c.base, name, pull, comment) };
    }),

  'issues/set-labels': (c) =>
    withPull(c, (repo, name, pull) => {
      const raw = c.body as { labels?: (string | { name: string })[] } | string[];
      const wanted = (Array.isArray(raw) ? raw : (raw.labels ?? [])).map((l) => (typeof l === 'string' ? l : l.name));
      const labels = (repo.labels ??= []);
      pull.labels = [];
      for (const w of wanted) {
        const label = labels.find((l) => l.toLowerCase() === w.toLowerCase()) ?? w;
        if (!labels.includes(label)) labels.push(label);
        if (!pull.labels.includes(label)) pull.labels.push(label);
      }
      return { status: 200, body: pull.labels.map((l) => labelJson(c.base, name, repo, l)) };
    }),

  'pulls/request-reviewers': (c) =>
    withPull(c, (repo, name, pull) => {
      const { reviewers = [], team_reviewers: teams = [] } = c.body as { reviewers?: string[]; team_reviewers?: string[] };
      const collaborators = repo.collaborators?.map((l) => l.toLowerCase());
      const knownTeams = repo.teams?.map((t) => t.toLowerCase());
      if ((collaborators && reviewers.some((r) => !collaborators.includes(r.toLowerCase()))) || (knownTeams && teams.some((t) => !knownTeams.includes(t.toLowerCase())))) {
        return validationFailed(`Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${name} repository.`);
      }
      for (const r of reviewers) if (!pull.requestedReviewers.some((p) => p.toLowerCase() === r.toLowerCase())) pull.requestedReviewers.push(r);
      const requestedTeams = (pull.requestedTeams ??= []);
      for (const t of teams) if (!requestedTeams.some((p) => p.toLowerCase() === t.toLowerCase())) requestedTeams.push(t);
      return { status: 201, body: pullJson(c.base, name, repo, pull) };
    }),
};
