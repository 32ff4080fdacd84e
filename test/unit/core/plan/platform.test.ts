import * as assert from 'node:assert/strict';
import { detectPlatform } from '../../../../src/core/plan';

const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: chat\n';
const dc = 'apiVersion: apps.openshift.io/v1\nkind: DeploymentConfig\nmetadata:\n  name: chat\n---\napiVersion: route.openshift.io/v1\nkind: Route\n';

describe('workspace platform', () => {
  it('finds nothing in a workspace without manifests', () => {
    assert.equal(detectPlatform([{ path: 'docker-compose.yml', text: 'services:\n  db:\n    image: mongo:4.0\n' }]), undefined);
  });

  it('Kubernetes manifests: kubectl', () => {
    assert.deepEqual(detectPlatform([{ path: 'k8s/chat.yaml', text: deployment }]), { cli: 'kubectl', evidence: ['Kubernetes manifests k8s/chat.yaml'] });
  });

  it('OpenShift kinds: oc, naming the kinds found', () => {
    const p = detectPlatform([{ path: 'k8s/chat.yaml', text: deployment }, { path: 'openshift/chat.yaml', text: dc }]);
    assert.deepEqual(p, { cli: 'oc', evidence: ['OpenShift kinds in openshift/chat.yaml (DeploymentConfig, Route)'] });
  });

  it('a Helm chart: its folder, the outermost first', () => {
    const p = detectPlatform([
      { path: 'charts/chat/charts/mongodb/Chart.yaml', text: 'apiVersion: v2\nname: mongodb\n' },
      { path: 'charts/chat/Chart.yaml', text: 'apiVersion: v2\nname: chat\n' },
      { path: 'charts/chat/values.yaml', text: 'image:\n  tag: 6.0.0\n' },
    ]);
    assert.deepEqual(p, { cli: 'kubectl', helmChart: 'charts/chat', evidence: ['Helm chart charts/chat/Chart.yaml'] });
  });
});
