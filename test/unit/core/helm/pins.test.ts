import * as assert from 'node:assert/strict';
import { findChartPins, findHelmRepositories, versionOf } from '../../../../src/core/helm/pins';
import { chartSource, parseChartSpec } from '../../../../src/core/helm/spec';
import { MAX_FLOW_DEPTH, parseable } from '../../../../src/core/helm/yamlDocs';

const CHART_YAML = `apiVersion: v2
name: shop
version: 0.4.0
appVersion: "2.1.0"
dependencies:
  - name: postgresql
    version: "12.1.6"
    repository: https://charts.bitnami.com/bitnami
  - name: redis
    version: ~17.3.0
    repository: oci://registry-1.docker.io/bitnamicharts
    alias: cache
  - name: common
    version: 1.0.0
    repository: file://../common
  - name: local-alias
    version: 2.0.0
    repository: "@stable"
`;

const FLUX = `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: podinfo
  namespace: flux-system
spec:
  url: https://stefanprodan.github.io/podinfo
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: podinfo
      version: "6.5.4"
      sourceRef:
        kind: HelmRepository
        name: podinfo
        namespace: flux-system
`;

const ARGO = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ingress
spec:
  project: default
  sources:
    - repoURL: https://kubernetes.github.io/ingress-nginx
      chart: ingress-nginx
      targetRevision: 4.10.1
    - repoURL: registry-1.docker.io/bitnamicharts
      chart: nginx
      targetRevision: 15.14.0
    - repoURL: https://github.com/acme/deploy.git
      path: ingress
      targetRevision: main
`;

const HELMFILE = `repositories:
  - name: bitnami
    url: https://charts.bitnami.com/bitnami
  - name: ghcr
    url: ghcr.io/acme/charts
    oci: true
releases:
  - name: db
    namespace: data
    chart: bitnami/postgresql
    version: 12.1.6
  - name: api
    chart: ghcr/api
    version: 1.4.2
  - name: local
    chart: ./charts/local
    version: 0.1.0
  - name: unpinned
    chart: bitnami/redis
`;

describe('Helm chart pins', () => {
  it('reads Chart.yaml dependencies with their repositories, skipping local charts and repository aliases', () => {
    const pins = findChartPins('charts/shop/Chart.yaml', CHART_YAML);
    assert.deepEqual(
      pins.map((p) => [p.line, p.name, p.version, p.constraint, p.source, p.release]),
      [
        [6, 'postgresql', '12.1.6', '12.1.6', 'helm:https://charts.bitnami.com/bitnami#postgresql', undefined],
        [9, 'redis', '17.3.0', '~17.3.0', 'helm:oci://registry-1.docker.io/bitnamicharts/redis', 'cache'],
        [16, 'local-alias', '2.0.0', '2.0.0', undefined, undefined],
      ],
    );
  });

  it('reads a Flux HelmRelease and resolves its HelmRepository in the same file or from the workspace', () => {
    const [pin] = findChartPins('apps/podinfo.yaml', FLUX);
    assert.equal(pin.via, 'HelmRelease');
    assert.equal(pin.line, 18);
    assert.equal(pin.source, 'helm:https://stefanprodan.github.io/podinfo#podinfo');
    assert.equal(pin.release, 'podinfo');
    assert.equal(pin.sourceRef, undefined);

    const releaseOnly = FLUX.split('---\n')[1];
    const [open] = findChartPins('apps/release.yaml', releaseOnly);
    assert.equal(open.source, undefined);
    assert.deepEqual(open.sourceRef, { kind: 'HelmRepository', name: 'podinfo', namespace: 'flux-system' });
    const repositories = findHelmRepositories('infra/sources.yaml', FLUX.split('---\n')[0]);
    assert.deepEqual(repositories, [{ name: 'podinfo', namespace: 'flux-system', url: 'https://stefanprodan.github.io/podinfo' }]);
    assert.equal(findChartPins('apps/release.yaml', releaseOnly, repositories)[0].source, 'helm:https://stefanprodan.github.io/podinfo#podinfo');
  });

  it('reads Argo CD Applications: chart sources only, OCI repositories without a scheme', () => {
    const pins = findChartPins('argocd/ingress.yaml', ARGO);
    assert.deepEqual(
      pins.map((p) => [p.line, p.name, p.version, p.source]),
      [
        [9, 'ingress-nginx', '4.10.1', 'helm:https://kubernetes.github.io/ingress-nginx#ingress-nginx'],
        [12, 'nginx', '15.14.0', 'helm:oci://registry-1.docker.io/bitnamicharts/nginx'],
      ],
    );
  });

  it('reads helmfile releases with the file\'s repositories, OCI ones too', () => {
    const pins = findChartPins('deploy/helmfile.yaml', HELMFILE);
    assert.deepEqual(
      pins.map((p) => [p.line, p.name, p.version, p.release, p.source]),
      [
        [10, 'postgresql', '12.1.6', 'db', 'helm:https://charts.bitnami.com/bitnami#postgresql'],
        [13, 'api', '1.4.2', 'api', 'helm:oci://ghcr.io/acme/charts/api'],
      ],
    );
    assert.equal(findChartPins('deploy/helmfile.d/10-data.yaml', HELMFILE).length, 2);
  });

  it('leaves other YAML, broken YAML and templated values alone', () => {
    assert.deepEqual(findChartPins('deploy.yaml', 'kind: Deployment\nspec:\n  replicas: 2\n'), []);
    assert.deepEqual(findChartPins('Chart.yaml', 'dependencies: [\n'), []);
    assert.deepEqual(findChartPins('helmfile.yaml', 'releases:\n  - name: x\n    chart: bitnami/x\n    version: {{ .Values.v }}\n'), []);
    assert.deepEqual(findChartPins('notes.md', CHART_YAML), []);
  });

  it('refuses files that are too deep to parse safely, in one linear pass', () => {
    assert.equal(parseable('a: ' + '['.repeat(MAX_FLOW_DEPTH + 1)), false);
    assert.equal(parseable('a: "' + '['.repeat(1000) + '"\n'), true);
    const deep = 'kind: HelmRelease\napiVersion: helm.toolkit.fluxcd.io/v2\nspec: ' + '['.repeat(100_000);
    const t = performance.now();
    assert.deepEqual(findChartPins('x.yaml', deep), []);
    assert.ok(performance.now() - t < 500, 'a deep file is turned down quickly');
  });

  it('takes the lowest version a range allows', () => {
    assert.equal(versionOf('15.1.0'), '15.1.0');
    assert.equal(versionOf('v1.2'), '1.2.0');
    assert.equal(versionOf('6.5.*'), '6.5.0');
    assert.equal(versionOf('>=1.0.0 <2.0.0'), '1.0.0');
    assert.equal(versionOf('latest'), undefined);
  });

  it('writes and reads helm: specs', () => {
    assert.equal(chartSource('https://charts.example.com/stable/', 'app'), 'helm:https://charts.example.com/stable#app');
    assert.equal(chartSource('oci://ghcr.io/acme/charts', 'app'), 'helm:oci://ghcr.io/acme/charts/app');
    assert.equal(chartSource('git+https://example.com', 'app'), undefined);
    assert.deepEqual(parseChartSpec('https://charts.example.com/stable', 'app'), { ok: true, value: { kind: 'index', repository: 'https://charts.example.com/stable', chart: 'app' } });
    assert.deepEqual(parseChartSpec('oci://ghcr.io/acme/charts/app'), { ok: true, value: { kind: 'oci', registry: 'ghcr.io', repository: 'acme/charts/app', chart: 'app', plainHttp: false } });
    assert.equal(parseChartSpec('http://charts.example.com#app').ok, false);
    assert.equal(parseChartSpec('http://127.0.0.1:8080#app').ok, true);
    assert.equal(parseChartSpec('https://charts.example.com').ok, false);
    assert.equal(parseChartSpec('https://user:pw@charts.example.com#app').ok, false);
  });
});
