import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { PreflightApi } from '../../src/extension';
import { deployment, driftWorkspace } from '../support/driftWorkspace';
import { activateExtension, waitFor, workspaceRoot } from '../support/integration';

describe('versions across environments and chart pins', function () {
  let api: PreflightApi;
  let dir: string;

  const write = (rel: string, text: string) => {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  };

  before(async () => {
    api = await activateExtension();
    dir = path.join(workspaceRoot().fsPath, 'it-versions');
    for (const f of driftWorkspace()) write(f.path, f.text);
  });

  after(async () => {
    // The folder stays (the runner removes the workspace): deleting watched folders mid-suite disturbs the host's file watcher.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  const app = async (name: string, want: (description: string) => boolean) =>
    waitFor(`the Versions view to show ${name}`, async () => {
      await vscode.commands.executeCommand('preflight.refreshVersions');
      await new Promise((r) => setTimeout(r, 100));
      const found = (await api.versions.snapshot()).find((a) => a.label === name);
      return found && want(found.description ?? '') ? found : undefined;
    }, 20_000);

  it('shows every app by environment, marks drift and offers the review between environments', async () => {
    const grafana = await app('grafana/grafana', (d) => d.includes('prod'));
    assert.equal(grafana.drift, true);
    assert.equal(grafana.description, 'drift · image · dev 11.1.0 · staging 11.1.0 · prod 10.4.2');
    assert.deepEqual(grafana.children[0], {
      label: 'Review release notes prod 10.4.2 → dev 11.1.0',
      command: 'preflight.reviewReleaseNotes',
      arguments: [{ source: 'github:grafana/grafana', from: '10.4.2', to: '11.1.0' }],
    });
    assert.deepEqual(grafana.children.slice(1).map((c) => [c.label, c.description, c.command]), [
      ['dev', '11.1.0', 'vscode.open'],
      ['staging', '11.1.0', 'vscode.open'],
      ['prod', '10.4.2', 'vscode.open'],
      ['(no environment)', '10.4.0', 'vscode.open'],
    ]);
    const podinfo = await app('podinfo', () => true);
    assert.equal(podinfo.description, 'drift · chart · dev 6.7.0 · prod 6.5.4');
    assert.deepEqual(podinfo.children[0].arguments, [{ source: 'helm:https://stefanprodan.github.io/podinfo#podinfo', from: '6.5.4', to: '6.7.0' }]);
    const redis = await app('redis', (d) => d.includes('dev 7.2.4'));
    assert.equal(redis.drift, false);
  });

  it('shows changed manifests after a refresh: an environment brought to the same version no longer drifts', async () => {
    write('apps/overlays/prod/grafana.yaml', deployment('grafana', 'grafana/grafana:11.1.0'));
    write('apps/overlays/prod/redis.yaml', deployment('redis', 'redis:7.4.0'));
    const grafana = await app('grafana/grafana', (d) => d.includes('prod 11.1.0'));
    assert.equal(grafana.drift, false);
    const redis = await app('redis', (d) => d.includes('prod 7.4.0'));
    assert.equal(redis.drift, true);
  });

  it('offers the chart and its app release notes above chart pins', async () => {
    const file = write('charts/shop/Chart.yaml', 'apiVersion: v2\nname: shop\nversion: 0.4.0\ndependencies:\n  - name: postgresql\n    version: "12.1.6"\n    repository: https://charts.bitnami.com/bitnami\n');
    const doc = await vscode.workspace.openTextDocument(file);
    const lenses = await waitFor('chart lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
      return l?.length ? l : undefined;
    });
    assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.command, l.command?.arguments]), [
      [5, 'Review release notes 12.1.6 → latest', 'preflight.reviewReleaseNotes', [{ source: 'helm:https://charts.bitnami.com/bitnami#postgresql', from: '12.1.6', to: 'latest' }]],
      [5, 'Review app release notes', 'preflight.reviewChartAppNotes', [{ source: 'helm:https://charts.bitnami.com/bitnami#postgresql', from: '12.1.6' }]],
    ]);
  });
});
