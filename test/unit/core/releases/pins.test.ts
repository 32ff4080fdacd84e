import * as assert from 'node:assert/strict';
import { findVersionPins } from '../../../../src/core/releases';
import { MAX_PIN_SCAN, parseImageRef, tagVersion } from '../../../../src/core/releases/pins';

describe('version pins', () => {
  it('reads image references, ignoring registries, library/, digests and variable tags', () => {
    assert.deepEqual(parseImageRef('docker.io/library/redis:7.2.4-alpine@sha256:abc'), { name: 'redis', tag: '7.2.4-alpine' });
    assert.deepEqual(parseImageRef('registry.example.com:5000/team/app:1.2'), { name: 'registry.example.com:5000/team/app', tag: '1.2' });
    assert.equal(parseImageRef('registry.example.com:5000/team/app'), undefined);
    assert.equal(parseImageRef('app:${TAG}'), undefined);
  });

  it('takes the version from a tag, never from latest, words or dates', () => {
    assert.equal(tagVersion('2.3.0'), '2.3.0');
    assert.equal(tagVersion('v2.3.0-alpine'), '2.3.0');
    assert.equal(tagVersion('latest'), undefined);
    assert.equal(tagVersion('stable-slim'), undefined);
    assert.equal(tagVersion('20240101'), undefined);
  });

  it('reads a tag without its patch as the release line it follows, not as its .0 release', () => {
    assert.equal(tagVersion('1.25-alpine'), '1.25.x');
    assert.equal(tagVersion('2.3'), '2.3.x');
    assert.equal(tagVersion('20-bookworm'), '20.x');
    assert.equal(tagVersion('v7'), '7.x');
    assert.deepEqual(findVersionPins('compose.yaml', 'services:\n  web:\n    image: nginx:1.25-alpine\n'), [
      { line: 2, kind: 'image', name: 'nginx', version: '1.25.x', label: '1.25.x', basis: 'the tag 1.25-alpine follows the newest 1.25 release', source: undefined },
    ]);
  });

  it('finds images in Kubernetes, OpenShift and Compose YAML, several documents per file', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: rocketchat',
      '          image: rocketchat/rocket.chat:2.3.0',
      '---',
      'services:',
      '  db:',
      '    image: "mongo:4.0.20"',
      '  app:',
      '    image: ghcr.io/saleor/saleor:3.19.4',
      '  proxy:',
      '    image: nginx:latest',
      '',
    ].join('\n');
    assert.deepEqual(findVersionPins('deploy/app.yaml', text), [
      { line: 7, kind: 'image', name: 'rocketchat/rocket.chat', version: '2.3.0', label: '2.3.0', source: 'github:RocketChat/Rocket.Chat' },
      { line: 11, kind: 'image', name: 'mongo', version: '4.0.20', label: '4.0.20', source: undefined },
      { line: 13, kind: 'image', name: 'ghcr.io/saleor/saleor', version: '3.19.4', label: '3.19.4', source: 'github:saleor/saleor' },
    ]);
  });

  it('finds Helm values images and applies the user map over the built-in one', () => {
    const text = 'image:\n  registry: docker.io\n  repository: mongo\n  tag: "4.4.6"\nreplicas: 2\n';
    assert.deepEqual(findVersionPins('values.yml', text, { mongo: 'github:mongodb/mongo' }), [
      { line: 3, kind: 'image', name: 'mongo', version: '4.4.6', label: '4.4.6', source: 'github:mongodb/mongo' },
    ]);
  });

  it('finds FROM lines in Dockerfiles', () => {
    const text = 'FROM --platform=linux/amd64 node:20.11.1-bookworm AS build\nRUN npm ci\nFROM rocketchat/rocket.chat:2.3.0\nFROM scratch\n';
    assert.deepEqual(
      findVersionPins('Dockerfile', text).map((p) => [p.line, p.name, p.version, p.source]),
      [
        [0, 'node', '20.11.1', undefined],
        [2, 'rocketchat/rocket.chat', '2.3.0', 'github:RocketChat/Rocket.Chat'],
      ],
    );
  });

  it('finds package.json dependencies, without a lockfile from the lowest version their range allows, shown as the range', () => {
    const text = '{\n  "name": "app",\n  "dependencies": {\n    "express": "^4.18.2",\n    "local": "file:../local"\n  },\n  "devDependencies": { "typescript": "~5.4.0" }\n}\n';
    assert.deepEqual(findVersionPins('package.json', text), [
      { line: 3, kind: 'npm', name: 'express', version: '4.18.2', label: '^4.18.2', basis: 'the lowest version ^4.18.2 allows: no lockfile', source: 'npm:express' },
      { line: 6, kind: 'npm', name: 'typescript', version: '5.4.0', label: '~5.4.0', basis: 'the lowest version ~5.4.0 allows: no lockfile', source: 'npm:typescript' },
    ]);
  });

  it('reads block scalars, comments, anchors, sequences, quoted keys and CRLF, and leaves flow collections alone', () => {
    const text = [
      '# image: commented/out:1.0.0',
      'jobs:',
      '  - name: build',
      '    script: |',
      '      image: inside/a-script:9.9.9',
      '    image: &img "node:20.11.1" # pinned',
      '  - - image: \'nested/seq:2.0.1\'',
      '"image": quoted/key:3.1.4',
      'helm:',
      '  image:',
      '    repository: prom/prometheus',
      '    # tag: 0.0.1',
      '    tag: v2.45.0',
      '    sidecar:',
      '      tag: 9.9.9',
      'flow: { image: flow/style:1.0.0 }',
    ].join('\r\n');
    assert.deepEqual(
      findVersionPins('ci.yml', text).map((p) => [p.line, p.name, p.version]),
      [
        [5, 'node', '20.11.1'],
        [6, 'nested/seq', '2.0.1'],
        [7, 'quoted/key', '3.1.4'],
        [12, 'prom/prometheus', '2.45.0'],
      ],
    );
  });

  it('gives package.json dependencies the line of their value, escapes and nesting included', () => {
    const text = '{"name": "x", "dependencies": {\n  "a\\"b": "^1.2.3",\n  "c": {"d": "1.0.0"},\n  "e": "2.0.0"\n}, "scripts": {"f": "1.0.0"}}';
    assert.deepEqual(findVersionPins('package.json', text).map((p) => [p.line, p.name, p.version]), [
      [1, 'a"b', '1.2.3'],
      [3, 'e', '2.0.0'],
    ]);
  });

  it('finds an image after 15,000 other keys in time linear in their number', () => {
    const keys = Array.from({ length: 15_000 }, (_, i) => `key${i}: value`).join('\n');
    const start = performance.now();
    const pins = findVersionPins('values.yaml', `${keys}\nimage: redis:7.2.4\n`);
    const ms = performance.now() - start;
    assert.deepEqual(pins.map((p) => [p.line, p.name]), [[15_000, 'redis']]);
    assert.ok(ms < 250, `${ms.toFixed(0)} ms`);
  });

  it('returns nothing, quickly, for text that is not YAML', () => {
    for (const text of [']'.repeat(32 * 1024), '['.repeat(16 * 1024), '{'.repeat(16 * 1024), ': '.repeat(16 * 1024)]) {
      const start = performance.now();
      assert.deepEqual(findVersionPins('a.yaml', text), []);
      const ms = performance.now() - start;
      assert.ok(ms < 250, `${JSON.stringify(text.slice(0, 4))}…: ${ms.toFixed(0)} ms`);
    }
  });

  it(`reads at most ${MAX_PIN_SCAN / 1024} KB of a file per call`, () => {
    const filler = `${'# a comment line of some length\n'.repeat(Math.ceil(MAX_PIN_SCAN / 32))}`;
    assert.deepEqual(findVersionPins('a.yaml', `image: redis:7.2.4\n${filler}image: mongo:4.4.6\n`).map((p) => p.name), ['redis']);
    assert.deepEqual(findVersionPins('Dockerfile', `FROM redis:7.2.4\n${filler}FROM mongo:4.4.6\n`).map((p) => p.name), ['redis']);
    const deps = Object.fromEntries(Array.from({ length: 12_000 }, (_, i) => [`package-${i}`, '^1.0.0']));
    const json = JSON.stringify({ dependencies: deps }, null, 2);
    assert.ok(json.length > MAX_PIN_SCAN);
    assert.deepEqual(findVersionPins('package.json', json), []);
  });

  it('returns nothing for malformed files instead of throwing', () => {
    assert.deepEqual(findVersionPins('package.json', '{ "dependencies": '), []);
    assert.deepEqual(findVersionPins('a.yaml', 'image: [unclosed\n  - x: :'), []);
    assert.deepEqual(findVersionPins('notes.txt', 'image: redis:7.0.0'), []);
  });
});
