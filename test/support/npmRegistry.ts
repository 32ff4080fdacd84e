/**
 * A local npm registry for tests: full packuments and real .tgz tarballs built from fixture files
 * (ustar, with pax headers for long names, gzipped with node:zlib).
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface FixtureVersion {
  /** Paths inside the package (`CHANGELOG.md`), stored under `package/`. */
  files: Record<string, string | Buffer>;
  /** ISO 8601 publish time. */
  date: string;
  repository?: string | { type?: string; url?: string; directory?: string };
}

export interface FixturePackage {
  name: string;
  versions: Record<string, FixtureVersion>;
  repository?: string | { type?: string; url?: string; directory?: string };
}

export interface NpmRegistry {
  readonly url: string;
  /** `authorization` is the header as sent, when there was one. */
  readonly requests: { method: string; path: string; status: number; authorization?: string }[];
  close(): Promise<void>;
}

export async function startNpmRegistry(packages: FixturePackage[]): Promise<NpmRegistry> {
  const requests: NpmRegistry['requests'] = [];
  const tarballs = new Map<string, Buffer>();
  let url = '';

  const packument = (pkg: FixturePackage) => {
    const base = pkg.name.split('/').pop()!;
    const versions: Record<string, unknown> = {};
    for (const [version, v] of Object.entries(pkg.versions)) {
      const tgz = tgzOf(Object.fromEntries(Object.entries(v.files).map(([p, c]) => [`package/${p}`, c])));
      const tarPath = `/${pkg.name}/-/${base}-${version}.tgz`;
      tarballs.set(tarPath, tgz);
      versions[version] = {
        name: pkg.name,
        version,
        ...(v.repository ? { repository: v.repository } : {}),
        dist: {
          tarball: `${url}${tarPath}`,
          shasum: createHash('sha1').update(tgz).digest('hex'),
          integrity: `sha512-${createHash('sha512').update(tgz).digest('base64')}`,
        },
      };
    }
    const dates = Object.values(pkg.versions).map((v) => v.date).sort();
    return {
      name: pkg.name,
      'dist-tags': { latest: Object.keys(pkg.versions).pop() },
      versions,
      time: { created: dates[0], modified: dates[dates.length - 1], ...Object.fromEntries(Object.entries(pkg.versions).map(([k, v]) => [k, v.date])) },
      ...(pkg.repository ? { repository: pkg.repository } : {}),
    };
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const reply = (status: number, body: Buffer | string, type: string) => {
      const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
      const notModified = status === 200 && req.headers['if-none-match'] === etag;
      requests.push({ method: req.method ?? 'GET', path, status: notModified ? 304 : status, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
      if (notModified) return void res.writeHead(304, { etag }).end();
      res.writeHead(status, { 'content-type': type, ...(status === 200 ? { etag } : {}) }).end(body);
    };
    const tgz = tarballs.get(decodeURIComponent(path));
    if (tgz) return reply(200, tgz, 'application/octet-stream');
    // `/name`, `/@scope%2Fname` and `/%40scope%2Fname` all name the package.
    const name = decodeURIComponent(path.slice(1));
    const pkg = packages.find((p) => p.name === name);
    if (!pkg) return reply(404, JSON.stringify({ error: 'Not found' }), 'application/json');
    reply(200, JSON.stringify(packument(pkg)), 'application/json');
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function tgzOf(files: Record<string, string | Buffer>): Buffer {
  return gzipSync(writeTar(Object.entries(files).map(([path, data]) => ({ path, data: Buffer.from(data) }))));
}

/** A ustar archive; names that do not fit the 100-byte field get a pax `path` record. */
export function writeTar(entries: { path: string; data: Buffer }[]): Buffer {
  const blocks: Buffer[] = [];
  const add = (name: string, type: string, data: Buffer) => {
    blocks.push(header(name, type, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  };
  for (const e of entries) {
    if (Buffer.byteLength(e.path) > 100) {
      add('PaxHeader', 'x', paxRecord('path', e.path));
      add(Buffer.from(e.path).subarray(0, 100).toString('latin1').replace(/[\x80-\xff]+$/, ''), '0', e.data);
    } else {
      add(e.path, '0', e.data);
    }
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function header(name: string, type: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100, 'latin1');
  h.write('0000000\0', 108, 'latin1');
  h.write('0000000\0', 116, 'latin1');
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  h.write('14000000000\0', 136, 'latin1');
  h.write(type, 156, 'latin1');
  h.write('ustar\0' + '00', 257, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

/** `<length> key=value\n`, where the length counts its own digits. */
function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return Buffer.from(`${length}${body}`);
}
