import * as assert from 'node:assert/strict';
import { formatReference, isLoopbackHost, manifestReference, parseImageReference } from '../../../../src/core/registry';

const D = `sha256:${'ab'.repeat(32)}`;

describe('image references', () => {
  it('reads Docker Hub names as docker does: library/ for one component, registry-1.docker.io for the API', () => {
    const cases: [string, { registry: string; apiHost: string; repository: string; name: string; tag?: string; digest?: string }][] = [
      ['nginx', { registry: 'docker.io', apiHost: 'registry-1.docker.io', repository: 'library/nginx', name: 'nginx' }],
      ['nginx:1.25-alpine', { registry: 'docker.io', apiHost: 'registry-1.docker.io', repository: 'library/nginx', name: 'nginx', tag: '1.25-alpine' }],
      ['docker.io/library/redis:7', { registry: 'docker.io', apiHost: 'registry-1.docker.io', repository: 'library/redis', name: 'redis', tag: '7' }],
      ['index.docker.io/bitnami/redis:7.2', { registry: 'docker.io', apiHost: 'registry-1.docker.io', repository: 'bitnami/redis', name: 'bitnami/redis', tag: '7.2' }],
      ['rocketchat/rocket.chat:6.5.0', { registry: 'docker.io', apiHost: 'registry-1.docker.io', repository: 'rocketchat/rocket.chat', name: 'rocketchat/rocket.chat', tag: '6.5.0' }],
      ['ghcr.io/acme/app:v1.2.3', { registry: 'ghcr.io', apiHost: 'ghcr.io', repository: 'acme/app', name: 'ghcr.io/acme/app', tag: 'v1.2.3' }],
      ['localhost:5000/team/sub/app', { registry: 'localhost:5000', apiHost: 'localhost:5000', repository: 'team/sub/app', name: 'localhost:5000/team/sub/app' }],
      ['localhost/app:1', { registry: 'localhost', apiHost: 'localhost', repository: 'app', name: 'localhost/app', tag: '1' }],
      [`Quay.IO/keycloak/keycloak:24.0@${D}`, { registry: 'quay.io', apiHost: 'quay.io', repository: 'keycloak/keycloak', name: 'quay.io/keycloak/keycloak', tag: '24.0', digest: D }],
      [`127.0.0.1:5000/acme/app@${D}`, { registry: '127.0.0.1:5000', apiHost: '127.0.0.1:5000', repository: 'acme/app', name: '127.0.0.1:5000/acme/app', digest: D }],
      ['[::1]:5000/acme/app:2', { registry: '[::1]:5000', apiHost: '[::1]:5000', repository: 'acme/app', name: '[::1]:5000/acme/app', tag: '2' }],
    ];
    for (const [input, expected] of cases) {
      const r = parseImageReference(input);
      assert.ok(r.ok, `${input}: ${!r.ok && r.error.message}`);
      assert.deepEqual(r.value, expected, input);
    }
  });

  it('refuses what is not a reference, saying why, in linear time', () => {
    const cases: [string, RegExp][] = [
      ['', /it is empty/],
      ['Nginx/App', /path components/],
      ['acme//app', /path components/],
      ['acme/app:', /the tag ""/],
      ['acme/app:-x', /the tag "-x"/],
      ['acme/app@sha256:1234', /the digest/],
      ['acme/app:1.0 extra', /the tag/],
      ['bad_host.example.com:port/app', /the registry/],
      ['a'.repeat(600), /longer than 512/],
    ];
    for (const [input, why] of cases) {
      const r = parseImageReference(input);
      assert.equal(r.ok, false, input);
      assert.match(!r.ok ? r.error.message : '', why, input);
    }
    const start = performance.now();
    parseImageReference(`${'a-'.repeat(250)}!`);
    parseImageReference(`${'a.'.repeat(120)}com/${'b__'.repeat(80)}`);
    assert.ok(performance.now() - start < 50);
  });

  it('formats and names the manifest to ask for: the digest over the tag, latest without either', () => {
    const ref = (s: string) => {
      const r = parseImageReference(s);
      assert.ok(r.ok);
      return r.value;
    };
    assert.equal(formatReference(ref('docker.io/library/nginx:1.25')), 'nginx:1.25');
    assert.equal(manifestReference(ref('nginx')), 'latest');
    assert.equal(manifestReference(ref('nginx:1.25')), '1.25');
    assert.equal(manifestReference(ref(`nginx:1.25@${D}`)), D);
  });

  it('knows loopback registries, as Docker does', () => {
    for (const h of ['localhost', 'localhost:5000', '127.0.0.1', '127.1.2.3:80', '[::1]:5000', '::1']) assert.equal(isLoopbackHost(h), true, h);
    for (const h of ['registry.example.com', '192.0.2.2:5000', '127.0.0.1.nip.io', '[fd00::2]:5000', '128.0.0.1']) assert.equal(isLoopbackHost(h), false, h);
  });
});
