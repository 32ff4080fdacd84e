import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scanPlatform } from '../../../src/app/platform';

const dc = 'apiVersion: apps.openshift.io/v1\nkind: DeploymentConfig\nmetadata:\n  name: chat\n---\napiVersion: route.openshift.io/v1\nkind: Route\n';

describe('scanPlatform', () => {
  it('reads the manifests of the workspace on disk, skipping dependencies', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'preflight-platform-'));
    try {
      mkdirSync(path.join(dir, 'node_modules', 'x'), { recursive: true });
      writeFileSync(path.join(dir, 'node_modules', 'x', 'route.yaml'), dc);
      assert.equal(scanPlatform(dir), undefined);
      mkdirSync(path.join(dir, 'deploy'));
      writeFileSync(path.join(dir, 'deploy', 'app.yml'), dc);
      assert.deepEqual(scanPlatform(dir), { cli: 'oc', evidence: ['OpenShift kinds in deploy/app.yml (DeploymentConfig, Route)'] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
