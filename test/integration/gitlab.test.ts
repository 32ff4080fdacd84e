import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PreflightApi } from '../../src/extension';
import { startGitLabServer, type GitLabServer } from '../support/gitlabServer';
import { activateExtension } from '../support/integration';

const TOKEN = 'glpat-integration';

describe('gitlab sources in the editor', function () {
  let api: PreflightApi;
  let server: GitLabServer;
  const envToken = process.env.GITLAB_TOKEN;
  const inputBox = vscode.window.showInputBox;

  before(async () => {
    api = await activateExtension();
    server = await startGitLabServer({
      tokens: [TOKEN],
      projects: {
        'acme/secret': {
          defaultBranch: 'main',
          readers: [TOKEN],
          releases: [
            { tag: 'v1.1.0', description: '- Requires PostgreSQL 14.\n', releasedAt: '2024-02-01T00:00:00Z' },
            { tag: 'v1.0.0', description: '- First release.\n', releasedAt: '2024-01-01T00:00:00Z' },
          ],
          tags: ['v1.1.0', 'v1.0.0'],
          files: { main: { 'README.md': '# app\n' } },
        },
      },
    });
    delete process.env.GITLAB_TOKEN;
    await vscode.workspace.getConfiguration('preflight.gitlab').update('url', server.url, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    (vscode.window as { showInputBox: typeof inputBox }).showInputBox = inputBox;
    if (envToken !== undefined) process.env.GITLAB_TOKEN = envToken;
    await vscode.workspace.getConfiguration('preflight.gitlab').update('url', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await server.close();
  });

  const answer = (value: string) => {
    (vscode.window as { showInputBox: typeof inputBox }).showInputBox = (async (options?: vscode.InputBoxOptions) => {
      assert.equal(options?.password, true, 'the token is asked in a password box');
      return value;
    }) as typeof inputBox;
  };

  it('reads a private project of preflight.gitlab.url with the token from Preflight: Set GitLab Token, and says how to fix a missing one', async () => {
    answer(TOKEN);
    await vscode.commands.executeCommand('preflight.setGitLabToken');
    const review = await api.releaseNotes.review({ source: 'gitlab:acme/secret', from: '1.0.0', to: '1.1.0' });
    assert.ok(review, `a review (${api.releaseNotes.lastFailure()?.message})`);
    assert.deepEqual(review.versions.map((v) => v.version), ['1.1.0']);
    assert.ok(server.requests.some((r) => r.authenticated && r.status === 200));

    answer('');
    await vscode.commands.executeCommand('preflight.setGitLabToken');
    const refused = await api.releaseNotes.review({ source: 'gitlab:acme/secret', from: '1.0.0', to: '1.1.0' });
    assert.equal(refused, undefined);
    assert.match(api.releaseNotes.lastFailure()?.message ?? '', /not found on 127\.0\.0\.1:\d+ \(404\) \(a private project needs a token: run "Preflight: Set GitLab Token"\)/);
    assert.deepEqual(server.violations, []);
  });
});
