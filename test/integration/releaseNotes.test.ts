import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { PreflightApi } from '../../src/extension';
import { activateExtension, waitFor, workspaceRoot } from './helpers';

const repoRoot = path.resolve(__dirname, '../../..');
const rocketchat = path.resolve(repoRoot, '../shared/fixtures/release-notes/rocketchat/HISTORY.md');

function reviewTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.startsWith('Release Notes'));
}

describe('release-note review', function () {
  let api: PreflightApi;

  before(async () => {
    api = await activateExtension();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('reviews a local changelog for a range and shows it in the panel', async () => {
    const rendered = waitFor('the panel to render', async () => {
      try {
        return await api.releaseNotes.nextRender();
      } catch {
        return undefined;
      }
    }, 30_000);
    const review = await api.releaseNotes.review({ source: `file:${rocketchat}`, from: '2.3.0', to: '2.4.1' });
    assert.ok(review, 'a review');
    assert.deepEqual(review.versions.map((v) => v.version), ['2.4.1', '2.4.0', '2.3.3', '2.3.2', '2.3.1']);
    const r = await rendered;
    assert.equal(r.versions, 5);
    assert.equal(reviewTab()?.label, 'Release Notes 2.3.0 → 2.4.1');
  });

  it('reports an unknown version as an error and opens no panel', async () => {
    const review = await api.releaseNotes.review({ source: `file:${rocketchat}`, from: '2.3.0', to: '9.9.9' });
    assert.equal(review, undefined);
    assert.equal(reviewTab(), undefined);
  });

  it('offers a review above image tags and package.json dependencies', async () => {
    const dir = path.join(workspaceRoot().fsPath, 'it-pins');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'deployment.yaml');
    writeFileSync(file, 'spec:\n  containers:\n    - name: chat\n      image: rocketchat/rocket.chat:2.3.0\n');
    const doc = await vscode.workspace.openTextDocument(file);
    const lenses = await waitFor('pin lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
      return l?.length ? l : undefined;
    });
    assert.equal(lenses[0].range.start.line, 3);
    assert.equal(lenses[0].command?.title, 'Review release notes 2.3.0 → latest');
    assert.deepEqual(lenses[0].command?.arguments, [{ source: 'github:RocketChat/Rocket.Chat', from: '2.3.0', to: 'latest' }]);
  });
});
