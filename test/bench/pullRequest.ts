// `node out/test/bench/pullRequest.js`: GitHub requests to open an upgrade-plan pull request and to
// update it, against the local test server, one JSON line each.
import { openPlanPullRequest, type OpenPlanPullRequestInput } from '../../src/core/github/branchPullRequest';
import { createOctokitGitHub } from '../../src/github/octokit';
import { blobSha, startGitHubServer } from '../support/githubServer';

const TOKEN = 'ghp_bench_token';
const BASE = blobSha(Buffer.from('the base commit'));

function emit(name: string, value: number, unit: string, target: string): void {
  console.log(JSON.stringify({ name, value, unit, target }));
}

async function main(): Promise<void> {
  const files = { 'README.md': '# app\n' };
  const server = await startGitHubServer({
    fixture: {
      tokens: [TOKEN],
      repos: {
        'acme/app': {
          defaultBranch: 'main',
          releases: [],
          tags: [],
          files: { main: { ...files } },
          heads: { main: BASE },
          commits: { [BASE]: { message: 'Initial commit', parents: [], files } },
          collaborators: ['alice', 'bob'],
        },
      },
    },
  });
  try {
    const api = createOctokitGitHub({ baseUrl: server.apiUrl, token: TOKEN });
    // What the extension and the CLI pass: the base from the clone's origin/HEAD, reviewers, labels.
    const plan: OpenPlanPullRequestInput = {
      repo: { owner: 'acme', repo: 'app' },
      branch: 'preflight/app-2.0.0',
      baseBranch: 'main',
      baseSha: BASE,
      path: 'docs/plans/app-1.0.0-to-2.0.0.md',
      content: '# Upgrade plan: app 1.0.0 → 2.0.0\n',
      commitMessage: 'Add upgrade plan: app 1.0.0 → 2.0.0',
      updateMessage: 'Update upgrade plan: app 1.0.0 → 2.0.0',
      title: 'Upgrade plan: app 1.0.0 → 2.0.0',
      body: 'Upgrade plan for **app**.\n',
      labels: ['upgrade', 'migration'],
      reviewers: ['alice', 'bob'],
      draft: true,
    };
    const requestsOf = async (input: OpenPlanPullRequestInput): Promise<number> => {
      const before = server.requests.length;
      const r = await openPlanPullRequest(api, input);
      if (!r.ok) throw new Error(r.error.message);
      return server.requests.length - before;
    };
    emit('plan_pr_requests_first_run', await requestsOf(plan), 'requests', '<= 6');
    emit('plan_pr_requests_update', await requestsOf({ ...plan, content: `${plan.content}\n- [ ] Run the migrations\n`, body: 'Now with migrations.\n' }), 'requests', '<= 4');
    if (server.violations.length) throw new Error(`the GitHub test server recorded violations:\n${server.violations.join('\n')}`);
  } finally {
    await server.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
