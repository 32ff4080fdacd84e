import * as assert from 'node:assert/strict';
import { configLabels, parseManifest, pickPlatform, platformName } from '../../../../src/core/registry';

const d = (n: number) => `sha256:${String(n).padStart(64, '0')}`;
const entry = (n: number, os: string, architecture: string, extra: Record<string, unknown> = {}) => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: d(n), size: 10, platform: { os, architecture }, ...extra });

describe('manifests', () => {
  it('reads OCI and Docker v2 indexes and manifests, by their media type or their shape', () => {
    const index = parseManifest(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [entry(1, 'linux', 'arm64')] }), null);
    assert.ok(typeof index !== 'string' && index.kind === 'index' && index.manifests[0].platform?.architecture === 'arm64');
    const list = parseManifest(JSON.stringify({ schemaVersion: 2, manifests: [entry(1, 'linux', 'amd64')] }), 'application/vnd.docker.distribution.manifest.list.v2+json');
    assert.ok(typeof list !== 'string' && list.kind === 'index');
    const docker = parseManifest(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: d(2), size: 5 }, layers: [] }), null);
    assert.ok(typeof docker !== 'string' && docker.kind === 'manifest' && docker.config.digest === d(2));
    const bare = parseManifest(JSON.stringify({ schemaVersion: 2, config: { digest: d(3), size: 1 }, layers: [] }), 'application/vnd.oci.image.manifest.v1+json; charset=utf-8');
    assert.ok(typeof bare !== 'string' && bare.kind === 'manifest');
  });

  it('says why a manifest cannot be read', () => {
    assert.match(parseManifest('{', null) as string, /not JSON/);
    assert.match(parseManifest('[]', null) as string, /not a JSON object/);
    assert.match(parseManifest(JSON.stringify({ schemaVersion: 1, fsLayers: [] }), 'application/vnd.docker.distribution.manifest.v1+prettyjws') as string, /schema 1/);
    assert.match(parseManifest(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ digest: 'x', size: 1 }] }), null) as string, /not a descriptor/);
    assert.match(parseManifest(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json' }), null) as string, /no config/);
    assert.match(parseManifest(JSON.stringify({ schemaVersion: 2, mediaType: 'text/html' }), null) as string, /media type "text\/html"/);
  });

  it('picks linux/amd64 from an index, else the first real platform, never an attestation', () => {
    const attestation = entry(9, 'unknown', 'unknown', { annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } });
    assert.equal(pickPlatform([entry(1, 'linux', 'arm64'), entry(2, 'linux', 'amd64'), attestation].map((e) => parseOne(e)))?.digest, d(2));
    assert.equal(pickPlatform([attestation, entry(1, 'linux', 'arm64'), entry(3, 'windows', 'amd64')].map((e) => parseOne(e)))?.digest, d(1));
    assert.equal(pickPlatform([]), undefined);
    assert.equal(platformName(parseOne(entry(1, 'linux', 'arm', { platform: { os: 'linux', architecture: 'arm', variant: 'v7' } }))), 'linux/arm/v7');
  });

  it("reads a config's string labels only", () => {
    assert.deepEqual(configLabels(JSON.stringify({ config: { Labels: { a: '1', b: 2, __proto__: 'x' } } })), { a: '1' });
    assert.deepEqual(configLabels(JSON.stringify({ architecture: 'amd64' })), {});
    assert.deepEqual(configLabels(JSON.stringify({ config: { Labels: null } })), {});
    assert.match(configLabels('nope') as string, /not JSON/);
  });
});

function parseOne(e: Record<string, unknown>) {
  const m = parseManifest(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [e] }), null);
  if (typeof m === 'string' || m.kind !== 'index') throw new Error(String(m));
  return m.manifests[0];
}
