// `npm run bench` (or `node out/test/bench/registry.js`): requests to resolve a container image and
// list its tags, against Debian's docker-registry (CNCF Distribution) on 127.0.0.1, one JSON line each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveImageReference, type RegistrySettings } from '../../src/app/registry';
import type { HttpCounters } from '../../src/core/http/ports';
import { startRegistry, startTokenServer, type LocalRegistry } from '../support/registry';

const TAGS = 500;

function emit(name: string, value: number, unit: string, target?: string): void {
  console.log(JSON.stringify(target === undefined ? { name, value, unit } : { name, value, unit, target }));
}

/** An image with TAGS version tags (1.0.0 ... 1.49.9), one manifest under all of them. */
async function pushTags(registry: LocalRegistry): Promise<string> {
  const image = await registry.pushImage('acme/app', ['1.0.0'], { labels: { 'org.opencontainers.image.source': 'https://github.com/acme/app', 'org.opencontainers.image.version': '1.0.0' } });
  for (let i = 1; i < TAGS; i++) await registry.tag('acme/app', `1.${Math.floor(i / 10)}.${i % 10}`, image);
  return `${registry.host}/acme/app:1.49.9`;
}

/** Requests of a cold resolve (empty cache) and of a warm one (the same cache, a new process's clients). */
async function requests(spec: string): Promise<{ cold: number; warm: number; tags: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-bench-registry-'));
  try {
    const counters: HttpCounters = { requests: 0, counted: 0, notModified: 0 };
    const settings: RegistrySettings = { cacheDir: dir, userAgent: 'preflight-bench', env: { HOME: dir, DOCKER_CONFIG: path.join(dir, 'docker') }, counters };
    const resolve = async () => {
      const r = await resolveImageReference(spec, settings, { githubHosts: ['github.com'] });
      if (!r.ok) throw new Error(r.error.message);
      return r.value.family.total;
    };
    const tags = await resolve();
    const cold = counters.requests;
    await resolve();
    return { cold, warm: counters.requests - cold, tags };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const open = await startRegistry();
  try {
    const r = await requests(await pushTags(open));
    if (r.tags !== TAGS) throw new Error(`listed ${r.tags} tags, not ${TAGS}`);
    emit('registry_requests_resolve_500_tags_anonymous', r.cold, 'requests', '3');
    emit('registry_requests_resolve_500_tags_warm_cache', r.warm, 'requests', '0');
  } finally {
    await open.close();
  }
  // Behind token authentication (as Docker Hub, GHCR, Quay): the 401 and the anonymous token request come first.
  const token = await startTokenServer({ users: {} });
  const guarded = await startRegistry({ token });
  try {
    const r = await requests(await pushTags(guarded));
    emit('registry_requests_resolve_500_tags_anonymous_token', r.cold, 'requests');
    emit('registry_requests_resolve_500_tags_token_warm_cache', r.warm, 'requests', '0');
  } finally {
    await guarded.close();
    await token.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
