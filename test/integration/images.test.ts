import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { parseRunbook } from '../../src/core/runbook';
import type { PreflightApi } from '../../src/extension';
import { activateExtension } from '../support/integration';
import { startRegistry, type LocalRegistry, type PushedImage } from '../support/registry';

const rocketchat = path.resolve(__dirname, '../../..', '../shared/fixtures/release-notes/rocketchat/HISTORY.md');

describe('container images in the editor: image: sources and rollback readiness', function () {
  this.timeout(120_000);
  let api: PreflightApi;
  let registry: LocalRegistry;
  let old: PushedImage;
  const config = () => vscode.workspace.getConfiguration('preflight.releaseNotes');

  before(async () => {
    api = await activateExtension();
    registry = await startRegistry();
    old = await registry.pushImage('acme/chat', ['2.3.0']);
    await registry.pushImage('acme/chat', ['2.4.0', '2.4.1', '2.4', 'latest']);
    // The image has no source label: the workspace's image map names its notes.
    await config().update('imageSources', { [`${registry.host}/acme/chat`]: `file:${rocketchat}` }, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await config().update('imageSources', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await registry?.close();
  });

  it('reviews an image through the registry and writes a plan that says its rollback image was verified, then warns once it is gone', async () => {
    const source = `image:${registry.host}/acme/chat:2.4.1`;
    const review = await api.releaseNotes.review({ source, from: '2.3.0', to: '2.4.1' });
    assert.ok(review, `a review of the image (${api.releaseNotes.lastFailure()?.message})`);
    assert.equal(review.source, source);
    assert.deepEqual([review.from, review.to], ['2.3.0', '2.4.1']);
    // The registry's tags, and the patch releases the notes name in between.
    assert.deepEqual(review.versions.map((v) => v.version), ['2.4.1', '2.4.0', '2.3.3', '2.3.2', '2.3.1']);

    const uri = await api.upgradePlan.createPlan(review, { app: 'chat', overwrite: true });
    assert.ok(uri);
    const text = readFileSync(uri.fsPath, 'utf8');
    assert.match(text, new RegExp(`The image to roll back to, \`${registry.host.replace(/\./g, '\\.')}/acme/chat:2\\.3\\.0\` \\(\`${old.digest}\`\\), was verified available at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\.`));
    const rb = parseRunbook(text);
    assert.deepEqual(rb.problems.filter((p) => p.severity === 'error'), []);
    const step = rb.steps.find((s) => s.name === 'check-rollback-image');
    assert.equal(step?.commands[0].code.trim(), `preflight resolve image:${registry.host}/acme/chat:2.3.0`);

    await registry.deleteManifest('acme/chat', old.digest);
    const again = await api.upgradePlan.createPlan(review, { app: 'chat', overwrite: true });
    assert.ok(again);
    const warned = readFileSync(again.fsPath, 'utf8');
    assert.doesNotMatch(warned, /verified available/);
    assert.match(warned, /^> \*\*Warning:\*\* the image to roll back to, `127\.0\.0\.1:\d+\/acme\/chat:2\.3\.0`, could not be found in its registry/m);
  });
});
