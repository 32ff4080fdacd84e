/**
 * A real container registry for tests: Debian's `docker-registry` (the CNCF Distribution registry,
 * installed by `npm run setup`), started with a temporary config (storage in a temporary folder,
 * listening on 127.0.0.1 at a port of its choosing), and images pushed through its HTTP API as a
 * client would: blobs by monolithic upload, manifests and indexes by PUT.
 *
 * With `auth: 'token'` the registry runs Distribution's own token authentication (`auth: token:`),
 * trusting a certificate made with openssl for the test; `startTokenServer` issues the JWTs it
 * checks, anonymous pull tokens for public repositories and others only for known users.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash, createPrivateKey, randomBytes, sign, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const REGISTRY_BINARY = process.env.PREFLIGHT_DOCKER_REGISTRY || '/usr/bin/docker-registry';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

export interface ImageFixture {
  labels?: Record<string, string>;
  /** `linux/amd64` by default. */
  platform?: { os: string; architecture: string; variant?: string };
  /** OCI media types (default) or Docker's v2 ones. */
  format?: 'oci' | 'docker';
  /** Annotations of the manifest. */
  annotations?: Record<string, string>;
}

export interface PushedImage {
  digest: string;
  configDigest: string;
  mediaType: string;
  size: number;
}

export interface LocalRegistry {
  /** `127.0.0.1:PORT`. */
  readonly host: string;
  readonly url: string;
  /** Pushes an image (config with labels, one layer, a manifest) under each tag. */
  pushImage(repository: string, tags: string[], image?: ImageFixture): Promise<PushedImage>;
  /** Pushes an index over images of several platforms under each tag. */
  pushIndex(repository: string, tags: string[], images: ImageFixture[], format?: 'oci' | 'docker'): Promise<PushedImage>;
  /** Tags a manifest pushed before once more. */
  tag(repository: string, tag: string, image: PushedImage): Promise<void>;
  /** Deletes a manifest by digest (and so every tag that names it). */
  deleteManifest(repository: string, digest: string): Promise<void>;
  /** What the registry logged. */
  log(): string;
  close(): Promise<void>;
}

const sha256 = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export async function startRegistry(opts: { token?: TokenServer } = {}): Promise<LocalRegistry> {
  if (!existsSync(REGISTRY_BINARY)) throw new Error(`${REGISTRY_BINARY} is missing: run npm run setup (Debian's docker-registry package)`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-registry-'));
  const auth = opts.token
    ? `auth:\n  token:\n    realm: ${opts.token.url}/token\n    service: ${opts.token.service}\n    issuer: ${opts.token.issuer}\n    rootcertbundle: ${opts.token.certFile}\n`
    : '';
  const config = `version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:0\n  secret: ${randomBytes(16).toString('hex')}\n${auth}`;
  writeFileSync(path.join(dir, 'config.yml'), config);
  const child = spawn(REGISTRY_BINARY, ['serve', path.join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`docker-registry did not start within 15 s:\n${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`docker-registry exited with ${code}:\n${output}`));
    });
  });
  const host = `127.0.0.1:${port}`;
  const url = `http://${host}`;
  const client = pusher(url, opts.token);
  const bodies = new Map<string, Buffer>();

  const pushImage = async (repository: string, tags: string[], image: ImageFixture = {}): Promise<PushedImage> => {
    const format = image.format ?? 'oci';
    const platform = image.platform ?? { os: 'linux', architecture: 'amd64' };
    const config = Buffer.from(JSON.stringify({ architecture: platform.architecture, os: platform.os, ...(platform.variant ? { variant: platform.variant } : {}), config: { Labels: image.labels ?? {} }, rootfs: { type: 'layers', diff_ids: [] }, history: [{ created_by: randomBytes(4).toString('hex') }] }));
    const layer = Buffer.from(`layer of ${repository} ${randomBytes(8).toString('hex')}`);
    await client.blob(repository, config);
    await client.blob(repository, layer);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: format === 'oci' ? OCI_MANIFEST : DOCKER_MANIFEST,
        config: { mediaType: format === 'oci' ? 'application/vnd.oci.image.config.v1+json' : 'application/vnd.docker.container.image.v1+json', digest: sha256(config), size: config.length },
        layers: [{ mediaType: format === 'oci' ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: sha256(layer), size: layer.length }],
        ...(image.annotations ? { annotations: image.annotations } : {}),
      }),
    );
    const pushed = { digest: sha256(manifest), configDigest: sha256(config), mediaType: format === 'oci' ? OCI_MANIFEST : DOCKER_MANIFEST, size: manifest.length, body: manifest };
    for (const tag of tags.length ? tags : [pushed.digest]) await client.manifest(repository, tag, manifest, pushed.mediaType);
    bodies.set(pushed.digest, manifest);
    return pushed;
  };

  return {
    host,
    url,
    pushImage,
    async pushIndex(repository, tags, images, format = 'oci') {
      const children: PushedImage[] = [];
      for (const image of images) children.push(await pushImage(repository, [], { ...image, format }));
      const index = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: format === 'oci' ? OCI_INDEX : DOCKER_LIST,
          manifests: children.map((c, i) => ({ mediaType: c.mediaType, digest: c.digest, size: c.size, platform: images[i].platform ?? { os: 'linux', architecture: 'amd64' } })),
        }),
      );
      const mediaType = format === 'oci' ? OCI_INDEX : DOCKER_LIST;
      for (const tag of tags) await client.manifest(repository, tag, index, mediaType);
      bodies.set(sha256(index), index);
      return { digest: sha256(index), configDigest: '', mediaType, size: index.length };
    },
    async tag(repository, tag, image) {
      await client.manifest(repository, tag, bodies.get(image.digest)!, image.mediaType);
    },
    async deleteManifest(repository, digest) {
      const res = await client.send('DELETE', `/v2/${repository}/manifests/${digest}`, repository);
      if (res.status !== 202) throw new Error(`DELETE manifest ${digest}: ${res.status} ${await res.text()}`);
    },
    log: () => output,
    async close() {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Pushes through the registry's API, with a push token from the token server when there is one. */
function pusher(base: string, token?: TokenServer) {
  const send = async (method: string, pathOrUrl: string, repository: string, body?: Buffer, contentType?: string): Promise<Response> => {
    const url = new URL(pathOrUrl, base);
    const headers: Record<string, string> = {};
    if (contentType) headers['content-type'] = contentType;
    if (token) headers.authorization = `Bearer ${token.issue(repository, ['pull', 'push', 'delete'], 'admin')}`;
    return fetch(url, { method, headers, body });
  };
  return {
    send,
    async blob(repository: string, data: Buffer) {
      const start = await send('POST', `/v2/${repository}/blobs/uploads/`, repository);
      if (start.status !== 202) throw new Error(`blob upload: ${start.status} ${await start.text()}`);
      const location = new URL(start.headers.get('location')!, base);
      location.searchParams.set('digest', sha256(data));
      const put = await send('PUT', location.href, repository, data, 'application/octet-stream');
      if (put.status !== 201) throw new Error(`blob PUT: ${put.status} ${await put.text()}`);
    },
    async manifest(repository: string, reference: string, body: Buffer, mediaType: string) {
      const res = await send('PUT', `/v2/${repository}/manifests/${reference}`, repository, body, mediaType);
      if (res.status !== 201) throw new Error(`manifest PUT ${reference}: ${res.status} ${await res.text()}`);
    },
  };
}

export interface TokenServer {
  readonly url: string;
  readonly service: string;
  readonly issuer: string;
  /** The certificate the registry trusts (PEM). */
  readonly certFile: string;
  /** Every token request, with the Authorization header it carried. */
  readonly requests: { path: string; authorization?: string; status: number }[];
  /** A token for the repository with these actions, as the server would issue it. */
  issue(repository: string, actions: string[], subject?: string): string;
  close(): Promise<void>;
}

/**
 * Issues the registry's tokens. `users` are user -> password; repositories under `private/` are
 * pulled only by them; every other repository anonymously too; wrong credentials get a 401.
 */
export async function startTokenServer(opts: { users: Record<string, string> }): Promise<TokenServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-token-'));
  const keyFile = path.join(dir, 'issuer.key');
  const certFile = path.join(dir, 'issuer.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=preflight test token issuer'], { stdio: 'ignore' });
  const key = createPrivateKey(readFileSync(keyFile));
  const x5c = new X509Certificate(readFileSync(certFile)).raw.toString('base64');
  const service = 'preflight-test-registry';
  const issuer = 'preflight-test-issuer';
  const requests: TokenServer['requests'] = [];

  const issue = (repository: string, actions: string[], subject = '') => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: issuer, sub: subject, aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access: actions.length ? [{ type: 'repository', name: repository, actions }] : [] };
    const input = `${b64({ typ: 'JWT', alg: 'ES256', x5c: [x5c] })}.${b64(claims)}`;
    return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  };

  const user = (req: IncomingMessage): string | null | undefined => {
    const m = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (!m) return undefined;
    const [name, ...rest] = Buffer.from(m[1], 'base64').toString('utf8').split(':');
    return opts.users[name] !== undefined && opts.users[name] === rest.join(':') ? name : null;
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const who = user(req);
    const reply = (status: number, body: unknown) => {
      requests.push({ path: `${url.pathname}${url.search}`, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}), status });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== '/token' || url.searchParams.get('service') !== service) return reply(404, { details: 'unknown service' });
    if (who === null) return reply(401, { details: 'incorrect username or password' });
    const scope = /^repository:([^:]+):(.+)$/.exec(url.searchParams.get('scope') ?? '');
    if (!scope) return reply(200, { token: issue('', [], who ?? ''), expires_in: 300 });
    const [, repository, wanted] = scope;
    const allowed = repository.startsWith('private/') && !who ? [] : wanted.split(',').filter((a) => a === 'pull');
    const token = issue(repository, allowed, who ?? '');
    reply(200, { token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    service,
    issuer,
    certFile,
    requests,
    issue,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A front for a registry that pages its tag lists as the distribution spec says (`n`, `last`, a
 * `Link` header to the next page), for registries that do not (Distribution 2.8 lists every tag at
 * once). Every other request is passed through untouched.
 */
export async function startPagingFront(upstream: string, pageSize: number): Promise<{ url: string; host: string; pages: number; close(): Promise<void> }> {
  const state = { pages: 0 };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection'].includes(k)).map(([k, v]) => [k, String(v)]));
    const answer = await fetch(`${upstream}${url.pathname}${/\/tags\/list$/.test(url.pathname) ? '' : url.search}`, { method: req.method, headers });
    const out: Record<string, string> = {};
    answer.headers.forEach((v, k) => {
      if (!['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(k)) out[k] = v;
    });
    let body = Buffer.from(await answer.arrayBuffer());
    if (/\/tags\/list$/.test(url.pathname) && answer.status === 200) {
      state.pages++;
      const all = (JSON.parse(body.toString('utf8')) as { name: string; tags: string[] }).tags.sort();
      const last = url.searchParams.get('last');
      const n = Number(url.searchParams.get('n') ?? pageSize) || pageSize;
      const from = last ? all.findIndex((t) => t > last) : 0;
      const page = from < 0 ? [] : all.slice(from, from + n);
      if (from >= 0 && from + n < all.length) out.link = `<${url.pathname}?n=${n}&last=${encodeURIComponent(page[page.length - 1])}>; rel="next"`;
      body = Buffer.from(JSON.stringify({ name: url.pathname.split('/').slice(2, -2).join('/'), tags: page }));
    }
    res.writeHead(answer.status, out);
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `http://${host}`,
    host,
    get pages() {
      return state.pages;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
