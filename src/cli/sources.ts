/**
 * The CLI's release sources (src/app/sources.ts): GitHub reads its token from GITHUB_TOKEN, GitLab
 * from GITLAB_TOKEN (and a self-managed GitLab from GITLAB_URL); --api-url names a GitHub Enterprise
 * Server API, a GitLab or a private npm registry. Caches live under
 * $XDG_CACHE_HOME/preflight (~/.cache/preflight); each answer waits --timeout (PREFLIGHT_TIMEOUT) seconds.
 */
import os from 'node:os';
import path from 'node:path';
import { releaseSources } from '../app/sources';
import type { ReleaseSource, Result, SourceContext, SourceFactory } from '../core/releases';
import { packageVersion } from './version';

export type { SourceContext, SourceFactory };

// Factories registered by tests (and embedders) on top of the four source types.
const extra = new Map<string, SourceFactory>();

export function registerSourceFactory(scheme: string, factory: SourceFactory): void {
  extra.set(scheme, factory);
}

export function createSource(spec: string, ctx: SourceContext): Promise<Result<ReleaseSource>> {
  const registry = releaseSources({
    cacheDir: cacheDir(ctx.env),
    userAgent: `preflight/${packageVersion()}`,
    githubToken: ctx.env.GITHUB_TOKEN || undefined,
    hints: { invalidToken: 'set GITHUB_TOKEN to a valid token', anonymousRateLimit: 'set GITHUB_TOKEN for a higher limit' },
    gitlabUrl: ctx.env.GITLAB_URL || undefined,
    gitlabToken: ctx.env.GITLAB_TOKEN || undefined,
    gitlabHints: { invalidToken: 'set GITLAB_TOKEN to a valid token', anonymous: 'set GITLAB_TOKEN' },
  });
  for (const [scheme, factory] of extra) registry.register(scheme, factory);
  return registry.create(spec, ctx);
}

function cacheDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'preflight');
}
