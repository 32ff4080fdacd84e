/** The JSON GitHub sends for each kind of object, built from fixture data. */
import { blobSha, type FixtureComment, type FixtureCommit, type FixturePull, type FixtureRelease, type FixtureRepo, type FixtureReview, git, sha1, treeSha } from './fixture';

export function userId(login: string): number {
  return parseInt(sha1(`user ${login}`).slice(0, 7), 16);
}

export function nodeId(kind: string, id: string | number): string {
  return Buffer.from(`${kind}_${id}`).toString('base64');
}

export const EPOCH = '2020-01-01T00:00:00Z';

/** Web addresses name the host github.127.0.0.1, so that tests tell them from API addresses; the demo's must open. */
let webAlias = true;

/** Web addresses on the server's own host and port (the demo's, for one server in the process). */
export function useRealWebAddresses(): void {
  webAlias = false;
}

function webBase(base: string): string {
  const web = base.replace(/\/api\/v3$/, '');
  return webAlias ? web.replace('//127.0.0.1', '//github.127.0.0.1') : web;
}

export function user(base: string, login: string, id: number): Record<string, unknown> {
  const web = webBase(base);
  const api = `${base}/users/${login}`;
  return {
    login,
    id,
    node_id: nodeId('U', id),
    avatar_url: `${web}/avatars/${login}`,
    gravatar_id: '',
    url: api,
    html_url: `${web}/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: 'User',
    site_admin: false,
  };
}

/** The signed-in user, as GET /user gives it (the public-user shape). */
export function publicUser(base: string, login: string): Record<string, unknown> {
  return {
    ...user(base, login, userId(login)),
    name: login,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: EPOCH,
    updated_at: EPOCH,
  };
}

/** The web URL of a repository, as html_url fields give it. */
export function webUrl(base: string, name: string): string {
  return `${webBase(base)}/${name}`;
}

export function repository(base: string, name: string, repo: FixtureRepo): Record<string, unknown> {
  const [owner, short] = name.split('/');
  const api = `${base}/repos/${name}`;
  const html = webUrl(base, name);
  const templated: Record<string, string> = {
    archive_url: '/{archive_format}{/ref}',
    assignees_url: '/assignees{/user}',
    blobs_url: '/git/blobs{/sha}',
    branches_url: '/branches{/branch}',
    collaborators_url: '/collaborators{/collaborator}',
    comments_url: '/comments{/number}',
    commits_url: '/commits{/sha}',
    compare_url: '/compare/{base}...{head}',
    contents_url: '/contents/{+path}',
    contributors_url: '/contributors',
    deployments_url: '/deployments',
    downloads_url: '/downloads',
    events_url: '/events',
    forks_url: '/forks',
    git_commits_url: '/git/commits{/sha}',
    git_refs_url: '/git/refs{/sha}',
    git_tags_url: '/git/tags{/sha}',
    hooks_url: '/hooks',
    issue_comment_url: '/issues/comments{/number}',
    issue_events_url: '/issues/events{/number}',
    issues_url: '/issues{/number}',
    keys_url: '/keys{/key_id}',
    labels_url: '/labels{/name}',
    languages_url: '/languages',
    merges_url: '/merges',
    milestones_url: '/milestones{/number}',
    notifications_url: '/notifications{?since,all,participating}',
    pulls_url: '/pulls{/number}',
    releases_url: '/releases{/id}',
    stargazers_url: '/stargazers',
    statuses_url: '/statuses/{sha}',
    subscribers_url: '/subscribers',
    subscription_url: '/subscription',
    tags_url: '/tags',
    teams_url: '/teams',
    trees_url: '/git/trees{/sha}',
  };
  return {
    id: 1000 + name.length,
    node_id: nodeId('R', name),
    name: short,
    full_name: name,
    owner: user(base, owner, 1),
    private: repo.readers !== undefined,
    html_url: html,
    description: null,
    fork: false,
    url: api,
    ...Object.fromEntries(Object.entries(templated).map(([k, v]) => [k, `${api}${v}`])),
    clone_url: `${html}.git`,
    git_url: `${html.replace(/^http/, 'git')}.git`,
    ssh_url: `git@github.127.0.0.1:${name}.git`,
    svn_url: html,
    mirror_url: null,
    homepage: null,
    language: null,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 1,
    default_branch: repo.defaultBranch,
    open_issues: 0,
    open_issues_count: 0,
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    license: null,
    pushed_at: EPOCH,
    created_at: EPOCH,
    updated_at: EPOCH,
    network_count: 0,
    subscribers_count: 0,
  };
}

export function release(base: string, name: string, r: FixtureRelease, id: number): Record<string, unknown> {
  const api = `${base}/repos/${name}`;
  return {
    url: `${api}/releases/${id}`,
    html_url: `${webUrl(base, name)}/releases/tag/${r.tag}`,
    assets_url: `${api}/releases/${id}/assets`,
    upload_url: `${base.replace('//127.0.0.1', '//uploads.127.0.0.1')}/repos/${name}/releases/${id}/assets{?name,label}`,
    tarball_url: `${api}/tarball/${r.tag}`,
    zipball_url: `${api}/zipball/${r.tag}`,
    id,
    node_id: nodeId('RE', id),
    tag_name: r.tag,
    target_commitish: 'main',
    name: r.name ?? r.tag,
    body: r.body ?? null,
    draft: r.draft ?? false,
    prerelease: r.prerelease ?? false,
    created_at: r.createdAt,
    published_at: r.draft ? null : r.createdAt,
    author: user(base, 'releaser', 2),
    assets: [],
    ...r.extra,
  };
}

export function refJson(base: string, name: string, ref: string, sha: string): Record<string, unknown> {
  const api = `${base}/repos/${name}`;
  return { ref, node_id: nodeId('REF', ref), url: `${api}/git/${ref}`, object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` } };
}

/** The fields the contents endpoints give for a file. */
export function fileJson(base: string, name: string, ref: string, path: string, bytes: Buffer): Record<string, unknown> {
  const sha = blobSha(bytes);
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  const self = `${base}/repos/${name}/contents/${encoded}?ref=${encodeURIComponent(ref)}`;
  const gitUrl = `${base}/repos/${name}/git/blobs/${sha}`;
  const html = `${webUrl(base, name)}/blob/${ref}/${encoded}`;
  return {
    size: bytes.length,
    name: path.split('/').pop(),
    path,
    sha,
    url: self,
    git_url: gitUrl,
    html_url: html,
    download_url: `${webUrl(base, name).replace('//github.', '//raw.github.')}/${ref}/${encoded}`,
    _links: { self, git: gitUrl, html },
  };
}

export function commitJson(base: string, name: string, sha: string, commit: FixtureCommit): Record<string, unknown> {
  const api = `${base}/repos/${name}`;
  const web = webUrl(base, name);
  const person = { name: 'Octo Cat', email: 'octocat@example.com', date: EPOCH };
  const tree = treeSha(commit.files);
  return {
    sha,
    node_id: nodeId('C', sha),
    url: `${api}/git/commits/${sha}`,
    html_url: `${web}/commit/${sha}`,
    author: person,
    committer: person,
    message: commit.message,
    tree: { url: `${api}/git/trees/${tree}`, sha: tree },
    parents: commit.parents.map((p) => ({ url: `${api}/git/commits/${p}`, html_url: `${web}/commit/${p}`, sha: p })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

export function labelJson(base: string, name: string, repo: FixtureRepo, label: string): Record<string, unknown> {
  const id = 7000 + (repo.labels ?? []).indexOf(label);
  // Labels GitHub creates have no description; the pull-request list schema wants a string.
  return { id, node_id: nodeId('LA', id), url: `${base}/repos/${name}/labels/${encodeURIComponent(label)}`, name: label, description: '', color: 'ededed', default: false };
}

/** A pull request as lists and review requests give it. */
export function pullJson(base: string, name: string, repo: FixtureRepo, pull: FixturePull): Record<string, unknown> {
  const [owner] = name.split('/');
  const api = `${base}/repos/${name}`;
  const html = `${webUrl(base, name)}/pull/${pull.number}`;
  const id = 5000 + pull.number;
  const { heads } = git(repo);
  const branch = (ref: string) => ({ label: `${owner}:${ref}`, ref, sha: heads[ref] ?? sha1(`deleted ${ref}`), user: user(base, owner, 1), repo: repository(base, name, repo) });
  const head = branch(pull.head);
  const links = {
    self: `${api}/pulls/${pull.number}`,
    html,
    issue: `${api}/issues/${pull.number}`,
    comments: `${api}/issues/${pull.number}/comments`,
    review_comments: `${api}/pulls/${pull.number}/comments`,
    review_comment: `${api}/pulls/comments{/number}`,
    commits: `${api}/pulls/${pull.number}/commits`,
    statuses: `${api}/statuses/${head.sha}`,
  };
  return {
    url: links.self,
    id,
    node_id: nodeId('PR', id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: links.issue,
    commits_url: links.commits,
    review_comments_url: links.review_comments,
    review_comment_url: links.review_comment,
    comments_url: links.comments,
    statuses_url: links.statuses,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: user(base, 'octocat', 3),
    body: pull.body,
    labels: pull.labels.map((l) => labelJson(base, name, repo, l)),
    milestone: null,
    active_lock_reason: null,
    created_at: EPOCH,
    updated_at: EPOCH,
    closed_at: pull.state === 'closed' ? EPOCH : null,
    merged_at: pull.merged ? EPOCH : null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: pull.requestedReviewers.map((login) => user(base, login, userId(login))),
    requested_teams: (pull.requestedTeams ?? []).map((slug) => teamJson(base, owner, slug)),
    head,
    base: branch(pull.base),
    _links: Object.fromEntries(Object.entries(links).map(([k, href]) => [k, { href }])),
    author_association: 'OWNER',
    auto_merge: null,
    draft: pull.draft,
  };
}

/** A pull request as creating and updating one give it. */
export function fullPullJson(base: string, name: string, repo: FixtureRepo, pull: FixturePull): Record<string, unknown> {
  return {
    ...pullJson(base, name, repo, pull),
    merged: pull.merged ?? false,
    mergeable: null,
    rebaseable: null,
    mergeable_state: 'unknown',
    merged_by: null,
    comments: (pull.comments ?? []).length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 0,
    deletions: 0,
    changed_files: 1,
  };
}

export function tagJson(base: string, name: string, tag: string): Record<string, unknown> {
  const api = `${base}/repos/${name}`;
  const sha = sha1(`tag ${tag}`);
  return { name: tag, commit: { sha, url: `${api}/commits/${sha}` }, zipball_url: `${api}/zipball/${tag}`, tarball_url: `${api}/tarball/${tag}`, node_id: nodeId('T', tag) };
}

export function tree(base: string, name: string, files: Record<string, string | Buffer>, recursive: boolean): Record<string, unknown> {
  const api = `${base}/repos/${name}`;
  const dirs = new Set<string>();
  const entries: Record<string, unknown>[] = [];
  for (const [path, content] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    if (!recursive && parts.length > 1) continue;
    const bytes = Buffer.from(content);
    const sha = blobSha(bytes);
    entries.push({ path, mode: '100644', type: 'blob', sha, size: bytes.length, url: `${api}/git/blobs/${sha}` });
  }
  for (const dir of [...dirs].sort()) {
    if (!recursive && dir.includes('/')) continue;
    const sha = sha1(`tree ${dir}`);
    entries.push({ path: dir, mode: '040000', type: 'tree', sha, url: `${api}/git/trees/${sha}` });
  }
  const sha = treeSha(files);
  return { sha, url: `${api}/git/trees/${sha}`, tree: entries, truncated: false };
}


export function error(message: string, status: string, documentation = 'https://docs.github.com/rest'): Record<string, string> {
  return { message, documentation_url: documentation, status };
}

export function teamJson(base: string, org: string, slug: string): Record<string, unknown> {
  const id = userId(`team ${org}/${slug}`);
  return {
    id,
    node_id: nodeId('T', id),
    url: `${base}/organizations/1/team/${id}`,
    members_url: `${base}/organizations/1/team/${id}/members{/member}`,
    name: slug,
    description: null,
    permission: 'pull',
    privacy: 'closed',
    html_url: `${webBase(base)}/orgs/${org}/teams/${slug}`,
    repositories_url: `${base}/organizations/1/team/${id}/repos`,
    slug,
    type: 'organization',
    parent: null,
  };
}

export function reviewJson(base: string, name: string, pull: FixturePull, r: FixtureReview): Record<string, unknown> {
  const html = `${webUrl(base, name)}/pull/${pull.number}#pullrequestreview-${r.id}`;
  const pullUrl = `${base}/repos/${name}/pulls/${pull.number}`;
  return {
    id: r.id,
    node_id: nodeId('PRR', r.id),
    user: user(base, r.user, userId(r.user)),
    body: r.body ?? '',
    state: r.state,
    html_url: html,
    pull_request_url: pullUrl,
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    submitted_at: r.submittedAt,
    commit_id: r.commitId,
    author_association: 'COLLABORATOR',
  };
}

export function commentJson(base: string, name: string, pull: FixturePull, c: FixtureComment): Record<string, unknown> {
  return {
    id: c.id,
    node_id: nodeId('IC', c.id),
    url: `${base}/repos/${name}/issues/comments/${c.id}`,
    html_url: `${webUrl(base, name)}/pull/${pull.number}#issuecomment-${c.id}`,
    body: c.body,
    user: user(base, c.user, userId(c.user)),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    issue_url: `${base}/repos/${name}/issues/${pull.number}`,
    author_association: 'COLLABORATOR',
  };
}
