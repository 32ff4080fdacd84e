import * as assert from 'node:assert/strict';
import { driftReport, reviewLabel } from '../../../../src/core/drift/drift';
import { compareEnvironments, compilePatterns, environmentOf } from '../../../../src/core/drift/environments';
import { scanWorkspace } from '../../../../src/core/drift/scan';
import { driftWorkspace } from '../../../support/driftWorkspace';

describe('drift: environments from paths', () => {
  it('reads overlays, environment folders, values files and folders named like environments', () => {
    assert.equal(environmentOf('apps/overlays/prod/kustomization.yaml'), 'prod');
    assert.equal(environmentOf('env/dev/app/deployment.yaml'), 'dev');
    assert.equal(environmentOf('deploy/environments/qa-eu/values.yaml'), 'qa-eu');
    assert.equal(environmentOf('charts/shop/values-staging.yaml'), 'staging');
    assert.equal(environmentOf('charts/shop/values.production.yml'), 'production');
    assert.equal(environmentOf('clusters/prod/apps/shop.yaml'), 'prod');
    assert.equal(environmentOf('windows\\overlays\\dev\\a.yaml'), 'dev');
    assert.equal(environmentOf('apps/base/grafana.yaml'), undefined);
    assert.equal(environmentOf('charts/shop/values.yaml'), undefined);
    assert.equal(environmentOf('package.json'), undefined);
  });

  it('tries the user\'s patterns first and reports patterns without {env}', () => {
    const { patterns, problems } = compilePatterns(['deploy/*/{env}.yaml', 'sites/{env}', 'nothing-here', 42]);
    assert.deepEqual(problems, ['environment pattern "nothing-here" needs exactly one {env}; it is not used']);
    assert.equal(patterns.length, 2);
    assert.equal(environmentOf('deploy/shop/eu-west.yaml', patterns), 'eu-west');
    assert.equal(environmentOf('sites/berlin/app/deployment.yaml', patterns), 'berlin');
    assert.equal(environmentOf('deploy/shop/extra/eu-west.yaml', patterns), undefined);
    // Without a match the built-in rules still apply.
    assert.equal(environmentOf('overlays/prod/a.yaml', patterns), 'prod');
    const deep = compilePatterns(['**/targets/{env}/**']).patterns;
    assert.equal(environmentOf('a/b/targets/blue/c/d.yaml', deep), 'blue');
  });

  it('orders environments by promotion, others by name in between', () => {
    assert.deepEqual(['prod', 'berlin', 'dev', 'staging', 'qa', 'alpha'].sort(compareEnvironments), ['dev', 'qa', 'alpha', 'berlin', 'staging', 'prod']);
  });
});

describe('drift: versions by app and environment', () => {
  it('groups every pin by app, one column per environment, and marks the apps whose environments differ', () => {
    const pins = scanWorkspace(driftWorkspace());
    const report = driftReport(pins);
    assert.deepEqual(report.environments, ['dev', 'staging', 'prod']);
    const rows = report.apps.map((a) => [a.kind, a.name, a.drift, a.environments.map((e) => `${e.environment} ${e.versions.join(',')}`), a.unassigned.map((u) => u.version)]);
    assert.deepEqual(rows, [
      ['chart', 'podinfo', true, ['dev 6.7.0', 'prod 6.5.4'], []],
      ['image', 'grafana/grafana', true, ['dev 11.1.0', 'staging 11.1.0', 'prod 10.4.2'], ['10.4.0']],
      ['image', 'redis', false, ['dev 7.2.4', 'prod 7.2.4'], []],
    ]);
    const grafana = report.apps[1];
    assert.deepEqual(grafana.review, { source: 'github:grafana/grafana', from: '10.4.2', to: '11.1.0', fromEnvironment: 'prod', toEnvironment: 'dev' });
    assert.equal(reviewLabel(grafana.review!), 'prod 10.4.2 → dev 11.1.0');
    // The Flux HelmRelease's repository is defined in another file.
    assert.equal(report.apps[0].source, 'helm:https://stefanprodan.github.io/podinfo#podinfo');
    assert.deepEqual(report.apps[0].environments[1].pins, [{ path: 'apps/overlays/prod/podinfo.yaml', line: 10, version: '6.5.4' }]);
    assert.equal(report.apps[2].review, undefined);
  });

  it('keeps several versions in one environment and takes the whole range between environments', () => {
    const report = driftReport([
      { kind: 'image', name: 'redis', version: '7.0.0', path: 'a/prod/x.yaml', line: 1, environment: 'prod' },
      { kind: 'image', name: 'redis', version: '7.2.0', path: 'a/prod/y.yaml', line: 1, environment: 'prod' },
      { kind: 'image', name: 'redis', version: '7.1.0', path: 'a/dev/x.yaml', line: 1, environment: 'dev' },
    ]);
    assert.deepEqual(report.apps[0].environments.map((e) => [e.environment, e.versions]), [['dev', ['7.1.0']], ['prod', ['7.2.0', '7.0.0']]]);
    assert.equal(report.apps[0].drift, true);
    assert.deepEqual(report.apps[0].review, { from: '7.0.0', to: '7.2.0', fromEnvironment: 'prod', toEnvironment: 'prod' });
  });

  it('sees no drift in pins that belong to no environment', () => {
    const report = driftReport([
      { kind: 'npm', name: 'left-pad', version: '1.0.0', path: 'package.json', line: 3 },
      { kind: 'npm', name: 'left-pad', version: '1.3.0', path: 'tools/package.json', line: 3 },
    ]);
    assert.equal(report.apps[0].drift, false);
    assert.deepEqual(report.environments, []);
  });
});
