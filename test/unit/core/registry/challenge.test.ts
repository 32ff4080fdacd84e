import * as assert from 'node:assert/strict';
import { parseChallenges } from '../../../../src/core/registry';

describe('WWW-Authenticate challenges', () => {
  it('reads the Bearer challenges of Docker Hub, GHCR and Quay, and Basic ones', () => {
    assert.deepEqual(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"'), [
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' } },
    ]);
    assert.deepEqual(parseChallenges('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/app:pull"')[0].params.service, 'ghcr.io');
    assert.deepEqual(parseChallenges('Basic realm="Registry Realm"'), [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]);
    assert.deepEqual(
      parseChallenges('Basic realm="x", Bearer realm="https://quay.io/v2/auth", service=quay.io, error="invalid_token"').map((c) => [c.scheme, c.params]),
      [
        ['basic', { realm: 'x' }],
        ['bearer', { realm: 'https://quay.io/v2/auth', service: 'quay.io', error: 'invalid_token' }],
      ],
    );
    assert.deepEqual(parseChallenges('Bearer realm="a\\"b"')[0].params.realm, 'a"b');
  });

  it('returns nothing for what is not a challenge, and stays linear on hostile headers', () => {
    assert.deepEqual(parseChallenges(undefined), []);
    assert.deepEqual(parseChallenges(''), []);
    assert.deepEqual(parseChallenges('=realm'), []);
    const start = performance.now();
    parseChallenges(`Bearer ${'a="'.repeat(3000)}`);
    parseChallenges(`Bearer ${'a=b,'.repeat(3000)}`);
    parseChallenges('\u0000'.repeat(100_000));
    assert.ok(performance.now() - start < 100);
  });
});
