import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkRollbackImage, recheckCommand } from '../../../src/app/rollback';
import type { RegistrySettings } from '../../../src/app/registry';
import { startRegistry, type LocalRegistry, type PushedImage } from '../../support/registry';

const NOW = () => new Date('2026-03-04T05:06:07.000Z');

describe('rollback readiness: can the image of the version upgraded from still be pulled?', function () {
  this.timeout(60_000);
  let registry: LocalRegistry;
  let dir: string;
  let old: PushedImage;
  let settings: RegistrySettings;

  before(async () => {
    registry = await startRegistry();
    await registry.pushImage('acme/app', ['1.1.0', '1.1', 'latest'], { labels: { 'org.opencontainers.image.version': '1.1.0' } });
    // A floating tag only: 1.24-alpine, labelled as the release it is.
    await registry.pushImage('acme/web', ['1.24-alpine'], { labels: { 'org.opencontainers.image.version': '1.24.3' } });
    await registry.pushImage('acme/web', ['1.25.0-alpine', '1.25-alpine'], { labels: { 'org.opencontainers.image.version': '1.25.0' } });
  });
  after(() => registry.close());
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'preflight-rollback-'));
    settings = { cacheDir: path.join(dir, 'cache'), userAgent: 'preflight-test', env: { HOME: dir, DOCKER_CONFIG: path.join(dir, 'docker') } };
    old = await registry.pushImage('acme/app', ['1.0.0'], { labels: { 'org.opencontainers.image.version': '1.0.0' } });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the tag of the previous version in the family of the image upgraded to, verified now', async () => {
    const check = await checkRollbackImage({ image: `image:${registry.host}/acme/app:1.1.0`, version: '1.0.0', settings, now: NOW });
    assert.deepEqual(check, {
      image: `${registry.host}/acme/app:1.0.0`,
      status: 'available',
      checkedAt: '2026-03-04T05:06:07.000Z',
      digest: old.digest,
      recheck: `preflight resolve image:${registry.host}/acme/app:1.0.0`,
    });
  });

  it('reads a floating tag\'s version label when no tag names the whole version', async () => {
    const check = await checkRollbackImage({ image: `${registry.host}/acme/web:1.25-alpine`, version: '1.24.3', settings, now: NOW });
    assert.equal(check.status, 'available', check.reason);
    assert.equal(check.image, `${registry.host}/acme/web:1.24-alpine`);
  });

  it('says the image is missing once it is gone, even right after a check that found it (never from the cache)', async () => {
    const image = `${registry.host}/acme/app:1.1.0`;
    assert.equal((await checkRollbackImage({ image, version: '1.0.0', settings, now: NOW })).status, 'available');
    await registry.deleteManifest('acme/app', old.digest);
    const check = await checkRollbackImage({ image, version: '1.0.0', settings, now: NOW });
    assert.equal(check.status, 'missing');
    assert.equal(check.image, `${registry.host}/acme/app:1.0.0`);
    assert.match(check.reason ?? '', /no tag of 127\.0\.0\.1:\d+\/acme\/app in the family plain versions names 1\.0\.0; the newest are 1\.1\.0, 1\.1/);
    assert.equal(check.recheck, `preflight resolve image:${registry.host}/acme/app:1.0.0`);
  });

  it('says the check could not be made when the registry does not answer: never a pass', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const check = await checkRollbackImage({ image: `127.0.0.1:${port}/acme/app:1.1.0`, version: '1.0.0', settings: { ...settings, network: { timeoutMs: 2000, baseDelayMs: 1, maxDelayMs: 5 } }, now: NOW });
    assert.equal(check.status, 'unverified');
    assert.match(check.reason ?? '', new RegExp(`cannot reach 127\\.0\\.0\\.1:${port}`));
    const bad = await checkRollbackImage({ image: 'Not An Image', version: '1.0.0', settings, now: NOW });
    assert.equal(bad.status, 'unverified');
  });

  it('re-checks with --insecure-registry when the registry needs it, quoted for the shell', () => {
    assert.equal(recheckCommand('registry.lan:5000/acme/app:1.0.0', { insecureRegistries: ['registry.lan:5000'] }), 'preflight resolve image:registry.lan:5000/acme/app:1.0.0 --insecure-registry registry.lan:5000');
    assert.equal(recheckCommand('localhost:5000/acme/app:1.0.0', { insecureRegistries: ['localhost:5000'] }), 'preflight resolve image:localhost:5000/acme/app:1.0.0');
    assert.equal(recheckCommand("x'y", {}), `preflight resolve 'image:x'\\''y'`);
  });
});
