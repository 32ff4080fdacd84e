/**
 * The CLI's release sources: core's registry plus `github:` and `npm:`. GitHub reads its token from
 * GITHUB_TOKEN; --api-url names a GitHub Enterprise Server API or a private npm registry. Both keep
 * conditional-request caches under $XDG_CACHE_HOME/preflight (~/.cache/preflight), and wait
 * --timeout (PREFLIGHT_TIMEOUT) seconds for each answer.
 */
import os from 'node:os';
import path from 'node:path';
import type { GitHubApi } from '../core/github/ports';
import { conditionalFetch, EtagCache } from '../core/http/etagCache';
import { resilientFetch } from '../core/http/retry';
import type { ReleaseSource, Result, SourceContext, SourceFactory } from '../core/releases';
import { createGitHubSource, createNpmSource, SourceRegistry } from '../core/releases';
import { createOctokitGitHub } from '../github/octokit';
import { packageVersion } from './version';

export type { SourceContext, SourceFactory };

const registry = new SourceRegistry();

registry.register('github', (spec, ctx) => createGitHubSource(spec, { api: githubApi(ctx, ctx.apiUrl), files: ctx.files, package: ctx.package }));
registry.register('npm', (spec, ctx) =>
  createNpmSource(spec, {
    fetch: resilientFetch(conditionalFetch(globalThis.fetch, { cache: new EtagCache(cacheDir(ctx.env, 'npm')) }), { timeoutMs: ctx.timeoutMs }),
    registryUrl: ctx.apiUrl,
    files: ctx.files,
    package: ctx.package,
    // A package's repository is on github.com whatever registry --api-url names.
    github: (repo, o) => createGitHubSource(repo, { api: githubApi(ctx), files: o?.files, package: o?.package }),
  }),
);

export function registerSourceFactory(scheme: string, factory: SourceFactory): void {
  registry.register(scheme, factory);
}

export function createSource(spec: string, ctx: SourceContext): Promise<Result<ReleaseSource>> {
  return registry.create(spec, ctx);
}

function githubApi(ctx: SourceContext, apiUrl?: string): GitHubApi {
  return createOctokitGitHub({
    token: ctx.env.GITHUB_TOKEN,
    baseUrl: apiUrl,
    cacheDir: cacheDir(ctx.env, 'github'),
    network: { timeoutMs: ctx.timeoutMs },
    userAgent: `preflight/${packageVersion()}`,
    hints: { invalidToken: 'set GITHUB_TOKEN to a valid token', anonymousRateLimit: 'set GITHUB_TOKEN for a higher limit' },
  });
}

function cacheDir(env: NodeJS.ProcessEnv, name: string): string {
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'preflight', name);
}
