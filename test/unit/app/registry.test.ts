import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { registryClients, resolveImageReference, type RegistrySettings } from '../../../src/app/registry';
import type { HttpCounters } from '../../../src/core/http/ports';
import { parseImageReference } from '../../../src/core/registry';
import { startPagingFront, startRegistry, startTokenServer, type LocalRegistry, type TokenServer } from '../../support/registry';

const SOURCE = 'org.opencontainers.image.source';
const VERSION = 'org.opencontainers.image.version';

function settings(dir: string, extra: Partial<RegistrySettings> = {}): RegistrySettings & { counters: HttpCounters } {
  return { cacheDir: path.join(dir, 'cache'), userAgent: 'preflight-test', env: { HOME: dir, DOCKER_CONFIG: path.join(dir, 'docker') }, counters: { requests: 0, counted: 0, notModified: 0 }, ...extra } as RegistrySettings & { counters: HttpCounters };
}

function dockerConfig(dir: string, auths: Record<string, unknown>, extra: Record<string, unknown> = {}): void {
  mkdirSync(path.join(dir, 'docker'), { recursive: true });
  writeFileSync(path.join(dir, 'docker', 'config.json'), JSON.stringify({ auths, ...extra }));
}

const resolve = (spec: string, s: RegistrySettings, live = false) => resolveImageReference(spec, s, { githubHosts: ['github.com'], live });

describe('container images from a real registry (CNCF Distribution on 127.0.0.1)', function () {
  this.timeout(60_000);
  let registry: LocalRegistry;
  let dir: string;

  before(async () => {
    registry = await startRegistry();
    await registry.pushImage('acme/app', ['1.24.3', '1.25.0', '1.25', 'latest'], { labels: { [SOURCE]: 'https://github.com/acme/app', [VERSION]: '1.25.0' } });
    await registry.pushImage('acme/app', ['1.24.3-alpine', '1.25.0-alpine', '1.25-alpine', 'alpine', '1.26.0-rc.1-alpine'], { labels: { [SOURCE]: 'https://github.com/acme/app.git' } });
    await registry.pushIndex('acme/multi', ['2.0.0'], [{ platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, labels: { 'org.label-schema.vcs-url': 'https://github.com/acme/wrong' } }, { labels: { 'org.label-schema.vcs-url': 'git@github.com:acme/multi.git', [VERSION]: 'v2.0.0' } }], 'docker');
    await registry.pushIndex('acme/arm', ['1.0.0'], [{ platform: { os: 'linux', architecture: 'arm64' }, labels: { [SOURCE]: 'https://github.com/acme/arm' } }]);
    await registry.pushImage('acme/docker-v2', ['3.1.0'], { format: 'docker', labels: { [SOURCE]: 'https://github.com/acme/docker-v2/tree/main/images' } });
    await registry.pushImage('acme/unlabelled', ['1.0.0']);
  });
  after(() => registry.close());
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'preflight-images-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves an OCI image to the repository and version its labels name, with the tags of its family semver-sorted', async () => {
    const r = await resolve(`${registry.host}/acme/app:1.25`, settings(dir));
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.deepEqual(r.value.notes, { ok: true, value: { spec: 'github:acme/app', from: `label ${SOURCE}`, githubHost: 'github.com' } });
    assert.equal(r.value.image.version, '1.25.0');
    assert.match(r.value.image.digest, /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual(
      r.value.family.tags.map((t) => t.tag),
      ['1.24.3', '1.25', '1.25.0'],
    );
    assert.equal(r.value.family.total, 9);
  });

  it('keeps a variant as a family: 1.25-alpine compares within *-alpine, and the tag stands for the version without a label', async () => {
    const r = await resolve(`${registry.host}/acme/app:1.25-alpine`, settings(dir));
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.equal(r.value.family.family, '-alpine');
    assert.deepEqual(
      r.value.family.tags.map((t) => t.tag),
      ['1.24.3-alpine', '1.25-alpine', '1.25.0-alpine', '1.26.0-rc.1-alpine'],
    );
    assert.equal(r.value.image.version, '1.25-alpine');
    const bare = await resolve(`${registry.host}/acme/app:alpine`, settings(dir));
    assert.ok(bare.ok);
    assert.equal(bare.value.family.family, '-alpine');
  });

  it('reads a multi-arch Docker manifest list for linux/amd64, else the first platform, and the older label-schema label', async () => {
    const multi = await resolve(`${registry.host}/acme/multi:2.0.0`, settings(dir));
    assert.ok(multi.ok, !multi.ok ? multi.error.message : '');
    assert.equal(multi.value.image.platform, 'linux/amd64');
    assert.equal(multi.value.image.version, 'v2.0.0');
    assert.equal(multi.value.notes.ok && multi.value.notes.value.spec, 'github:acme/multi');
    const arm = await resolve(`${registry.host}/acme/arm:1.0.0`, settings(dir));
    assert.ok(arm.ok, !arm.ok ? arm.error.message : '');
    assert.equal(arm.value.image.platform, 'linux/arm64');
    assert.equal(arm.value.notes.ok && arm.value.notes.value.spec, 'github:acme/arm');
    const v2 = await resolve(`${registry.host}/acme/docker-v2:3.1.0`, settings(dir));
    assert.ok(v2.ok, !v2.ok ? v2.error.message : '');
    assert.equal(v2.value.notes.ok && v2.value.notes.value.spec, 'github:acme/docker-v2');
  });

  it('lets the image map override the labels, and says why an unlabelled image has no source', async () => {
    const mapped = await resolveImageReference(`${registry.host}/acme/app:1.25`, settings(dir), { githubHosts: ['github.com'], imageSources: { [`${registry.host}/acme/app`]: 'github:acme/elsewhere' } });
    assert.deepEqual(mapped.ok && mapped.value.notes, { ok: true, value: { spec: 'github:acme/elsewhere', from: 'the image map setting' } });
    const none = await resolve(`${registry.host}/acme/unlabelled:1.0.0`, settings(dir));
    assert.ok(none.ok);
    assert.ok(!none.value.notes.ok);
    assert.match(none.value.notes.error.message, /no release-note source for the image 127\.0\.0\.1:\d+\/acme\/unlabelled: it has no org\.opencontainers\.image\.source/);
  });

  it('names the tag, digest or repository that does not exist', async () => {
    const tag = await resolve(`${registry.host}/acme/app:9.9.9`, settings(dir), true);
    assert.ok(!tag.ok);
    assert.equal(tag.error.code, 'not-found');
    assert.match(tag.error.message, /tag 9\.9\.9 of 127\.0\.0\.1:\d+\/acme\/app/);
    const digest = `sha256:${'0'.repeat(64)}`;
    const byDigest = await resolve(`${registry.host}/acme/app@${digest}`, settings(dir), true);
    assert.ok(!byDigest.ok);
    assert.match(byDigest.error.message, new RegExp(`digest ${digest} of`));
    const repo = await resolve(`${registry.host}/acme/nothing:1.0.0`, settings(dir), true);
    assert.ok(!repo.ok);
    assert.equal(repo.error.code, 'not-found');
  });

  it('follows the Link header through every page of tags', async () => {
    const front = await startPagingFront(registry.url, 3);
    try {
      const r = await resolve(`${front.host}/acme/app:1.25-alpine`, settings(dir));
      assert.ok(r.ok, !r.ok ? r.error.message : '');
      assert.equal(r.value.family.total, 9);
      assert.equal(r.value.family.tags.length, 4);
      assert.equal(front.pages, 3);
    } finally {
      await front.close();
    }
  });

  it('answers again from its cache without a request, revalidates a tag with its ETag, and asks anew when told to (live)', async () => {
    const s = settings(dir);
    const cold = await resolve(`${registry.host}/acme/app:1.25`, s);
    assert.ok(cold.ok);
    const coldRequests = s.counters.requests;
    assert.equal(coldRequests, 3, 'manifest, config, tags');
    const warm = await resolve(`${registry.host}/acme/app:1.25`, s);
    assert.ok(warm.ok);
    assert.deepEqual(warm.value, cold.value);
    assert.equal(s.counters.requests, coldRequests, 'a warm cache sends nothing');
    const live = await resolve(`${registry.host}/acme/app:1.25`, s, true);
    assert.ok(live.ok);
    // The tag's manifest and the tag list are asked again; the config, by digest, is not.
    assert.equal(s.counters.requests, coldRequests + 2);
    assert.equal(s.counters.notModified, 1, 'the manifest revalidated with its ETag (Distribution sends none for tag lists)');
    const files = readdirSync(path.join(s.cacheDir, 'registry'), { recursive: true }) as string[];
    assert.ok(files.length > 0);
    assert.equal(statSync(path.join(s.cacheDir, 'registry')).mode & 0o077, 0);
  });

  it('reaches loopback registries over plain HTTP and any other over HTTPS unless it is listed as insecure', () => {
    const ref = (s: string) => {
      const r = parseImageReference(s);
      assert.ok(r.ok);
      return r.value;
    };
    const clients = registryClients({ ...settings(dir), insecureRegistries: ['http://registry.lan:5000/'] });
    const urls: string[] = [];
    for (const image of ['registry.example.com/acme/app:1', 'registry.lan:5000/acme/app:1', `${registry.host}/acme/app:1`]) {
      const c = clients(ref(image));
      assert.ok(c.ok);
      urls.push((c.value as unknown as { base: string }).base);
    }
    assert.deepEqual(urls, ['https://registry.example.com', 'http://registry.lan:5000', `http://${registry.host}`]);
  });
});

describe('container images behind token authentication (Distribution auth: token, a test token server)', function () {
  this.timeout(60_000);
  let token: TokenServer;
  let registry: LocalRegistry;
  let dir: string;

  before(async () => {
    token = await startTokenServer({ users: { alice: 's3cret-pass' } });
    registry = await startRegistry({ token });
    await registry.pushImage('public/app', ['1.0.0', '1.1.0'], { labels: { [SOURCE]: 'https://github.com/acme/public' } });
    await registry.pushImage('private/app', ['2.0.0'], { labels: { [SOURCE]: 'https://github.com/acme/private' } });
  });
  after(async () => {
    await registry.close();
    await token.close();
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'preflight-images-'));
    token.requests.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('pulls a public image with an anonymous pull token, asked once per repository', async () => {
    const s = settings(dir);
    const r = await resolve(`${registry.host}/public/app:1.1.0`, s);
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.equal(r.value.notes.ok && r.value.notes.value.spec, 'github:acme/public');
    assert.deepEqual(r.value.family.tags.map((t) => t.tag), ['1.0.0', '1.1.0']);
    assert.equal(token.requests.length, 1);
    assert.equal(token.requests[0].authorization, undefined);
    assert.match(token.requests[0].path, /scope=repository%3Apublic%2Fapp%3Apull/);
  });

  it('uses the Docker config credentials for a private image, and never puts them in a message or the cache', async () => {
    dockerConfig(dir, { [`http://${registry.host}`]: { auth: Buffer.from('alice:s3cret-pass').toString('base64') } });
    const r = await resolve(`${registry.host}/private/app:2.0.0`, settings(dir));
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.equal(r.value.notes.ok && r.value.notes.value.spec, 'github:acme/private');
    assert.equal(token.requests[0].authorization, `Basic ${Buffer.from('alice:s3cret-pass').toString('base64')}`);
    const cached = (readdirSync(path.join(dir, 'cache'), { recursive: true }) as string[]).map((f) => path.join(dir, 'cache', f)).filter((f) => statSync(f).isFile());
    assert.ok(cached.length > 0);
    for (const f of cached) assert.doesNotMatch(readFileSync(f, 'utf8'), /s3cret-pass|YWxpY2U6czNjcmV0LXBhc3M/, f);

    dockerConfig(dir, { [registry.host]: { auth: Buffer.from('alice:wrong-pass').toString('base64') } });
    const wrong = await resolve(`${registry.host}/private/app:2.0.0`, settings(dir), true);
    assert.ok(!wrong.ok);
    assert.equal(wrong.error.code, 'auth');
    assert.match(wrong.error.message, /refused the credentials of alice from the Docker config/);
    assert.doesNotMatch(wrong.error.message, /wrong-pass/);
  });

  it('says a private image needs credentials, and that credential helpers are not run', async () => {
    const anonymous = await resolve(`${registry.host}/private/app:2.0.0`, settings(dir), true);
    assert.ok(!anonymous.ok);
    assert.match(anonymous.error.message, /private\/app/);
    assert.match(anonymous.error.message, /docker login/);
    dockerConfig(dir, {}, { credsStore: 'desktop' });
    const helper = await resolve(`${registry.host}/private/app:2.0.0`, settings(dir), true);
    assert.ok(!helper.ok);
    assert.match(helper.error.message, /docker-credential-desktop, which Preflight does not run/);
  });
});
