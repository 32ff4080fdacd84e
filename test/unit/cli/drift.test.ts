import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../support/fixtures';
import { deployment, driftWorkspace } from '../../support/driftWorkspace';

describe('cli: preflight drift', () => {
  let dir: string;

  const write = (root: string, rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'preflight-drift-'));
    for (const f of driftWorkspace()) write(dir, f.path, f.text);
    // Not read: dependencies and hidden folders.
    write(dir, 'node_modules/x/overlays/prod/a.yaml', deployment('x', 'redis:6.0.0'));
    write(dir, '.git/overlays/prod/a.yaml', deployment('x', 'redis:6.0.0'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the versions per environment and marks the drifted apps, with the review to run', async () => {
    const r = await runCli(['drift'], dir);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'Versions by environment (dev, staging, prod): 2 of 3 apps drift');
    assert.match(lines[1], /^! chart podinfo +dev 6\.7\.0 {2}prod 6\.5\.4 {3}drift: prod 6\.5\.4 → dev 6\.7\.0 \(preflight notes --source helm:https:\/\/stefanprodan\.github\.io\/podinfo#podinfo --from 6\.5\.4 --to 6\.7\.0\)$/);
    assert.match(lines[2], /^! image grafana\/grafana +dev 11\.1\.0 {2}staging 11\.1\.0 {2}prod 10\.4\.2 {3}drift: prod 10\.4\.2 → dev 11\.1\.0/);
    assert.match(lines[3], /^ {2}image redis +dev 7\.2\.4 {2}prod 7\.2\.4$/);
  });

  it('prints JSON and exits 3 with --fail-on-drift', async () => {
    const r = await runCli(['drift', '--json', '--fail-on-drift'], dir);
    assert.equal(r.code, 3);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.environments, ['dev', 'staging', 'prod']);
    assert.deepEqual(report.apps.map((a: { name: string; drift: boolean }) => [a.name, a.drift]), [['podinfo', true], ['grafana/grafana', true], ['redis', false]]);
    assert.deepEqual(report.apps[1].review, { source: 'github:grafana/grafana', from: '10.4.2', to: '11.1.0', fromEnvironment: 'prod', toEnvironment: 'dev' });
  });

  it('exits 0 with --fail-on-drift when the environments agree, and reads patterns from the settings', async () => {
    const same = mkdtempSync(path.join(tmpdir(), 'preflight-drift-same-'));
    try {
      write(same, 'sites/berlin/app.yaml', deployment('redis', 'redis:7.2.4'));
      write(same, 'sites/paris/app.yaml', deployment('redis', 'redis:7.2.4'));
      const without = await runCli(['drift', '--json', '--fail-on-drift'], same);
      assert.equal(without.code, 0);
      assert.deepEqual(JSON.parse(without.stdout).environments, []);
      write(same, '.vscode/settings.json', '{\n  // where the sites are\n  "preflight.environments.patterns": ["sites/{env}"],\n}\n');
      const r = await runCli(['drift', '--fail-on-drift'], same);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^Versions by environment \(berlin, paris\): 0 of 1 apps drift\n {2}image redis {2}berlin 7\.2\.4 {2}paris 7\.2\.4\n$/);
      write(same, 'sites/paris/app.yaml', deployment('redis', 'redis:7.4.0'));
      assert.equal((await runCli(['drift', '--fail-on-drift', '--pattern', 'sites/{env}'], same)).code, 3);
    } finally {
      rmSync(same, { recursive: true, force: true });
    }
  });

  it('refuses unknown options and folders with one line', async () => {
    const bad = await runCli(['drift', '--fail'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^preflight: Unknown option '--fail'.*Run "preflight drift --help"\.\n$/);
    const missing = await runCli(['drift', 'nowhere'], dir);
    assert.deepEqual([missing.code, missing.stderr], [2, 'preflight: nowhere is not a folder\n']);
    const pattern = await runCli(['drift', '--pattern', 'clusters/*'], dir);
    assert.equal(pattern.code, 0);
    assert.match(pattern.stderr, /needs exactly one \{env\}/);
  });
});
