import * as assert from 'node:assert/strict';
import { buildReview, createGitHubSource } from '../../../../src/core/releases';
import { changesMarkdown, parseChanges } from '../../../../src/core/helm/changes';
import { chartVersionsFromIndex } from '../../../../src/core/helm/index';
import { parseChallenge } from '../../../../src/core/helm/oci';
import { createHelmSource, type HelmSource } from '../../../../src/core/helm/source';
import { createOctokitGitHub } from '../../../../src/github/octokit';
import { type ChartRepository, indexYaml, startChartRepository, type FixtureChartVersion } from '../../../support/chartRepository';
import { type GitHubServer, startGitHubServer } from '../../../support/githubServer';

const NGINX: FixtureChartVersion[] = [
  { version: '15.0.0', appVersion: '1.25.2', created: '2024-01-05T10:00:00Z', sources: ['https://github.com/bitnami/charts/tree/main/bitnami/nginx', 'https://github.com/nginx/nginx'] },
  {
    version: '15.1.0',
    appVersion: '1.25.3',
    created: '2024-02-05T10:00:00Z',
    sources: ['https://github.com/nginx/nginx'],
    changes: '- kind: added\n  description: A metrics sidecar\n  links:\n    - name: PR [1]\n      url: https://github.com/bitnami/charts/pull/1\n    - name: bad\n      url: javascript:alert(1)\n- kind: security\n  description: Drop the default password\n',
  },
  { version: '15.2.0', appVersion: '1.25.4', created: '2024-03-05T10:00:00Z', sources: ['https://github.com/nginx/nginx'], changes: '- Removed the legacy service port; rename it before upgrading\n' },
  { version: '16.0.0-rc.1', appVersion: '1.26.0', created: '2024-04-01T10:00:00Z', sources: ['https://github.com/nginx/nginx'] },
];

function withRepository(source: (repo: ChartRepository, github: GitHubServer) => Promise<void>) {
  return async () => {
    const repo = await startChartRepository({ charts: { nginx: NGINX }, oci: { 'charts/nginx': NGINX }, requireToken: true, filler: 300 });
    const github = await startGitHubServer({
      fixture: {
        repos: {
          'nginx/nginx': {
            defaultBranch: 'master',
            releases: [
              { tag: 'release-1.25.4', body: '- Bugfix: a segfault in the HTTP/3 module.\n', createdAt: '2024-02-14T00:00:00Z' },
              { tag: 'release-1.25.3', body: '- Feature: the `ssl_reject_handshake` directive. The `listen ... http2` form is deprecated.\n', createdAt: '2023-10-24T00:00:00Z' },
              { tag: 'release-1.25.2', body: '- Change: nothing much.\n', createdAt: '2023-08-15T00:00:00Z' },
            ],
            tags: ['release-1.25.4', 'release-1.25.3', 'release-1.25.2'],
            files: { master: { 'README.md': '# nginx\n' } },
          },
        },
      },
    });
    try {
      await source(repo, github);
      assert.deepEqual(github.violations, []);
    } finally {
      await Promise.all([repo.close(), github.close()]);
    }
  };
}

function helm(spec: string, github: GitHubServer): HelmSource {
  const api = createOctokitGitHub({ baseUrl: github.apiUrl, network: { retries: 0 } });
  const created = createHelmSource(spec, { fetch: globalThis.fetch, github: (repo) => createGitHubSource(repo, { api }) });
  assert.ok(created.ok, created.ok ? '' : created.error.message);
  return created.value;
}

describe('helm: sources', () => {
  it(
    'shows the chart\'s own changes and the app\'s release notes together, under the chart version that ships each',
    withRepository(async (repo, github) => {
      const source = helm(`${repo.url}#nginx`, github);
      const versions = await source.listVersions();
      assert.ok(versions.ok);
      assert.deepEqual(versions.value.map((v) => [v.version, v.date]), [
        ['16.0.0-rc.1', '2024-04-01'],
        ['15.2.0', '2024-03-05'],
        ['15.1.0', '2024-02-05'],
        ['15.0.0', '2024-01-05'],
      ]);
      const review = await buildReview(source, '15.0.0', '15.2.0');
      assert.ok(review.ok, review.ok ? '' : review.error.message);
      assert.equal(review.value.source, `helm:${repo.url}#nginx`);
      const byVersion = Object.fromEntries(review.value.versions.map((v) => [v.version, v.items.map((i) => [i.heading.join(' › '), i.text])]));
      assert.deepEqual(byVersion['15.2.0'], [
        ['Chart', '- Removed the legacy service port; rename it before upgrading'],
        ['App 1.25.4', '- Bugfix: a segfault in the HTTP/3 module.'],
      ]);
      assert.deepEqual(byVersion['15.1.0'], [
        ['Chart › Added', '- A metrics sidecar ([PR \\[1\\]](<https://github.com/bitnami/charts/pull/1>))'],
        ['Chart › Security', '- Drop the default password'],
        ['App 1.25.3', '- Feature: the `ssl_reject_handshake` directive. The `listen ... http2` form is deprecated.'],
      ]);
      const app = review.value.versions.flatMap((v) => v.items).find((i) => i.heading[0] === 'App 1.25.4');
      assert.match(app?.url ?? '', /\/nginx\/nginx\/releases\/tag\/release-1\.25\.4$/);
      // The app version the range starts from is not part of the review.
      assert.ok(!JSON.stringify(review.value).includes('nothing much'));
      assert.deepEqual(await source.appRange({ from: '15.0.0', to: '15.2.0' }), { ok: true, value: { source: 'github:nginx/nginx', from: '1.25.2', to: '1.25.4' } });
    }),
  );

  it(
    'reads an OCI chart: its tags through an anonymous pull token, each version\'s metadata from its config',
    withRepository(async (repo, github) => {
      const source = helm(`oci://${repo.url.slice('http://'.length)}/charts/nginx`, github);
      assert.equal(source.chart.kind === 'oci' && source.chart.plainHttp, true);
      const versions = await source.listVersions();
      assert.ok(versions.ok, versions.ok ? '' : versions.error.message);
      assert.deepEqual(versions.value.map((v) => v.version), ['16.0.0-rc.1', '15.2.0', '15.1.0', '15.0.0']);
      const review = await buildReview(source, '15.1.0', '15.2.0');
      assert.ok(review.ok, review.ok ? '' : review.error.message);
      assert.deepEqual(review.value.versions.map((v) => v.items.map((i) => i.heading[0])), [['Chart', 'App 1.25.4']]);
      const tokenRequests = repo.requests.filter((r) => r.path.startsWith('/token'));
      assert.equal(tokenRequests.length, 1, 'one token for the whole review');
      assert.ok(repo.requests.filter((r) => r.path.startsWith('/v2/')).every((r) => r.status === 401 ? !r.auth : r.auth === 'Bearer anonymous-pull-token'));
    }),
  );

  it(
    'says what is missing: an unknown chart, an unknown version, an app without a GitHub source',
    withRepository(async (repo, github) => {
      const missing = await helm(`${repo.url}#nope`, github).listVersions();
      assert.deepEqual(missing.ok ? undefined : missing.error.code, 'not-found');
      assert.match(missing.ok ? '' : missing.error.message, /lists no chart nope/);
      const unknown = await buildReview(helm(`${repo.url}#nginx`, github), '15.0.0', '15.9.0');
      assert.match(unknown.ok ? '' : unknown.error.message, /15\.9\.0/);
      repo.state.charts.plain = [
        { version: '1.0.0', appVersion: '1.0.0' },
        { version: '1.1.0', appVersion: '1.0.0', changes: '- Fixed a typo\n' },
      ];
      const plain = await buildReview(helm(`${repo.url}#plain`, github), '1.0.0', '1.1.0');
      assert.ok(plain.ok, plain.ok ? '' : plain.error.message);
      assert.match(plain.value.problems.map((p) => p.message).join('\n'), /names no GitHub repository/);
    }),
  );

  it('cuts one chart out of a large index, and reads indexes in JSON form', () => {
    const big = indexYaml({ charts: { nginx: NGINX, 'nginx-ingress': [{ version: '9.9.9' }] }, filler: 20_000 }, 'https://charts.example.com');
    assert.ok(big.length > 4_000_000);
    const t = performance.now();
    const versions = chartVersionsFromIndex(big, 'nginx');
    assert.ok(performance.now() - t < 2000);
    assert.deepEqual(versions?.map((v) => v.version), ['16.0.0-rc.1', '15.2.0', '15.1.0', '15.0.0']);
    assert.equal(versions?.[1].changes, NGINX[2].changes);
    const json = JSON.stringify({ apiVersion: 'v1', entries: { app: [{ name: 'app', version: '1.0.0', appVersion: '2.0' }] } });
    assert.deepEqual(chartVersionsFromIndex(json, 'app')?.map((v) => [v.version, v.appVersion]), [['1.0.0', '2.0']]);
    assert.equal(chartVersionsFromIndex(json, 'other'), null);
    assert.equal(chartVersionsFromIndex('entries:\n  app:\n    - &a {version: 1.0.0}\n    - *a\n', 'app'), null);
  });

  it('renders artifacthub.io/changes as markdown, strings and objects, http(s) links only', () => {
    const md = changesMarkdown(parseChanges('- kind: fixed\n  description: "Crash on\\nstartup"\n- kind: weird\n  description: x\n- plain text\n- kind: added\n  description: y\n  links: [{name: "a]b", url: "https://e.com/a<b>"}, {name: c, url: "file:///etc/passwd"}]\n'));
    assert.equal(md, '- plain text\n\n### Added\n\n- y ([a\\]b](<https://e.com/a%3Cb%3E>))\n\n### Fixed\n\n- Crash on startup\n\n### Weird\n\n- x\n');
    assert.deepEqual(parseChanges('not: a list'), []);
    assert.deepEqual(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:x:pull"'), { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:x:pull' });
  });
});
