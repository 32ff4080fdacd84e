/**
 * The CLI's release sources (src/app/sources.ts): GitHub reads its token from GITHUB_TOKEN, GitLab
 * from GITLAB_TOKEN (and a self-managed GitLab from GITLAB_URL); --api-url names a GitHub Enterprise
 * Server API, a GitLab or a private npm registry. Caches live under
 * $XDG_CACHE_HOME/preflight (~/.cache/preflight); each answer waits --timeout (PREFLIGHT_TIMEOUT) seconds.
 * `image:` sources use the image map of the workspace's `.vscode/settings.json`
 * (`preflight.releaseNotes.imageSources`), and reach registries over plain HTTP only on loopback
 * addresses and those named with --insecure-registry (never from a workspace's settings).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { releaseSources, type SourceSettings } from '../app/sources';
import { stripJsonc } from './workspace';
import type { ReleaseSource, Result, SourceContext, SourceFactory } from '../core/releases';
import { packageVersion } from './version';

export type { SourceContext, SourceFactory };

// Factories registered by tests (and embedders) on top of the four source types.
const extra = new Map<string, SourceFactory>();

export function registerSourceFactory(scheme: string, factory: SourceFactory): void {
  extra.set(scheme, factory);
}

export function createSource(spec: string, ctx: SourceContext, options: Pick<SourceSettings, 'insecureRegistries'> = {}): Promise<Result<ReleaseSource>> {
  const registry = releaseSources({
    cacheDir: cacheDir(ctx.env),
    userAgent: `preflight/${packageVersion()}`,
    githubToken: ctx.env.GITHUB_TOKEN || undefined,
    hints: { invalidToken: 'set GITHUB_TOKEN to a valid token', anonymousRateLimit: 'set GITHUB_TOKEN for a higher limit' },
    imageSources: /^\s*image:/i.test(spec) ? workspaceImageSources(ctx.cwd) : undefined,
    insecureRegistries: options.insecureRegistries,
    gitlabUrl: ctx.env.GITLAB_URL || undefined,
    gitlabToken: ctx.env.GITLAB_TOKEN || undefined,
    gitlabHints: { invalidToken: 'set GITLAB_TOKEN to a valid token', anonymous: 'set GITLAB_TOKEN' },
  });
  for (const [scheme, factory] of extra) registry.register(scheme, factory);
  return registry.create(spec, ctx);
}

/**
 * `preflight.releaseNotes.imageSources` from the `.vscode/settings.json` of `cwd` or the nearest
 * folder above it that has one; nothing when it cannot be read.
 */
export function workspaceImageSources(cwd: string): Record<string, string> | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const file = path.join(dir, '.vscode', 'settings.json');
    if (existsSync(file) && statSync(file).isFile()) {
      try {
        const data = JSON.parse(stripJsonc(readFileSync(file, 'utf8'))) as Record<string, unknown>;
        const nested = (data.preflight as { releaseNotes?: { imageSources?: unknown } } | undefined)?.releaseNotes?.imageSources;
        const map = data['preflight.releaseNotes.imageSources'] ?? nested;
        return map && typeof map === 'object' && !Array.isArray(map) ? (map as Record<string, string>) : undefined;
      } catch {
        return undefined;
      }
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** $XDG_CACHE_HOME/preflight, else ~/.cache/preflight. */
export function cacheDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'preflight');
}
