import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PreflightApi } from '../../src/extension';
import { startChartRepository, type ChartRepository } from '../support/chartRepository';
import { startGitHubServer, type GitHubServer } from '../support/githubServer';
import { activateExtension, waitFor } from '../support/integration';

function reviewTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.startsWith('Release Notes'));
}

describe('chart pins: the app release notes', function () {
  let api: PreflightApi;
  let repo: ChartRepository;
  let github: GitHubServer;

  before(async () => {
    api = await activateExtension();
    repo = await startChartRepository({
      charts: {
        nginx: [
          { version: '15.0.0', appVersion: '1.25.2', created: '2024-01-05T10:00:00Z', sources: ['https://github.com/nginx/nginx'] },
          { version: '15.2.0', appVersion: '1.25.4', created: '2024-03-05T10:00:00Z', sources: ['https://github.com/nginx/nginx'] },
          { version: '16.0.0-rc.1', appVersion: '1.26.0', created: '2024-04-01T10:00:00Z', sources: ['https://github.com/nginx/nginx'] },
        ],
      },
    });
    github = await startGitHubServer({
      prefix: '/api/v3',
      fixture: {
        repos: {
          'nginx/nginx': {
            defaultBranch: 'master',
            releases: [
              { tag: 'release-1.25.4', body: '- Bugfix: a segfault in the HTTP/3 module.\n', createdAt: '2024-02-14T00:00:00Z' },
              { tag: 'release-1.25.3', body: '- Feature: the `ssl_reject_handshake` directive.\n', createdAt: '2023-10-24T00:00:00Z' },
              { tag: 'release-1.25.2', body: '- Change: nothing much.\n', createdAt: '2023-08-15T00:00:00Z' },
            ],
            tags: ['release-1.25.4', 'release-1.25.3', 'release-1.25.2'],
            files: { master: { 'README.md': '# nginx\n' } },
          },
        },
      },
    });
    // The app's github: source is read from this GitHub Enterprise Server address.
    await vscode.workspace.getConfiguration('preflight.github').update('enterpriseUrl', github.url, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('preflight.github').update('enterpriseUrl', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await Promise.all([repo?.close(), github?.close()]);
  });

  it('opens the review of the app versions the pinned chart and the latest chart ship', async () => {
    await vscode.commands.executeCommand('preflight.reviewChartAppNotes', { source: `helm:${repo.url}#nginx`, from: '15.0.0' });
    const tab = await waitFor('the app review', () => reviewTab(), 30_000);
    // The latest final chart, 15.2.0, ships nginx 1.25.4; the pinned 15.0.0 ships 1.25.2.
    assert.equal(tab.label, 'Release Notes 1.25.2 → 1.25.4');
    assert.equal(api.releaseNotes.lastFailure(), undefined);
    assert.ok(repo.requests.some((r) => r.path === '/index.yaml' && r.status === 200));
    assert.deepEqual(github.violations, []);
  });
});
