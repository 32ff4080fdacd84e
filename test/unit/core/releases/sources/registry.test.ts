import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { releaseSources } from '../../../../../src/app/sources';
import { ok, SourceRegistry } from '../../../../../src/core/releases';

describe('release source registry', () => {
  const ctx = { cwd: process.cwd(), env: {} };

  it('has the source types of the application layer, and says which when a spec has none', async () => {
    const registry = releaseSources({ cacheDir: mkdtempSync(path.join(tmpdir(), 'preflight-sources-')), userAgent: 'preflight-test', hints: {} });
    assert.deepEqual(registry.schemes(), ['file', 'git', 'github', 'gitlab', 'helm', 'npm', 'image']);
    const file = await registry.create('file:CHANGELOG.md', ctx);
    assert.equal(file.ok && file.value.id, 'file:CHANGELOG.md');
    assert.deepEqual(await registry.create('ftp:acme/app', ctx), {
      ok: false,
      error: { code: 'source', message: 'unknown source type ftp: (available: file:, git:, github:, gitlab:, helm:, npm:, image:)' },
    });
    assert.deepEqual(await registry.create('C:\\notes.md', ctx), {
      ok: false,
      error: { code: 'source', message: 'source "C:\\notes.md" has no type; use one of file:, git:, github:, gitlab:, helm:, npm:, image: (for example git:. or file:CHANGELOG.md)' },
    });
  });

  it('passes the spec after the scheme and the context to registered factories', async () => {
    const registry = new SourceRegistry();
    const seen: unknown[] = [];
    registry.register('GitHub', (spec, c) => {
      seen.push([spec, c.apiUrl]);
      return ok({ id: `github:${spec}`, listVersions: async () => ok([]), readNotes: async () => ok({ documents: [], problems: [] }) });
    });
    const created = await registry.create('github:acme/app', { ...ctx, apiUrl: 'https://ghe.example.com/api/v3' });
    assert.equal(created.ok && created.value.id, 'github:acme/app');
    assert.deepEqual(seen, [['acme/app', 'https://ghe.example.com/api/v3']]);
    assert.deepEqual(registry.schemes(), ['github']);
  });
});
