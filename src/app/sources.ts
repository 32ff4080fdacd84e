/**
 * Release-note sources from a spec (`github:owner/repo`, `gitlab:group/project`, `helm:REPO#CHART`,
 * `npm:pkg`, `git:../upstream`, `file:CHANGELOG.md`, `image:nginx:1.25-alpine`), the same for the CLI and the extension. A front end says only what differs:
 * the token it has, where caches live, how long to wait, what to tell the user about a bad token.
 *
 * GitHub answers are cached per host and, inside, per identity (see adapters/http/etagCache);
 * npm packages' repositories are on github.com, so they get a github.com token only; an image's
 * label naming a repository gets the token of the GitHub it names (github.com or the Enterprise Server).
 */
import path from 'node:path';
import { gitRepo } from '../adapters/git';
import { createGitLabClient, GITLAB_URL, gitlabApiUrl } from '../adapters/gitlab/client';
import type { GitLabHints } from '../adapters/gitlab/errors';
import { ANONYMOUS, conditionalFetch, EtagCache } from '../adapters/http/etagCache';
import { readLocalFile } from '../adapters/localFiles';
import { unpackTarball } from '../adapters/tarball';
import type { ReleaseSource, Result, SourceContext } from '../core/releases';
import { createFileSource, createGitHubSource, createGitSource, createNpmSource, SourceRegistry } from '../core/releases';
import type { FileSourceOptions } from '../core/releases/sources/file';
import { type NetworkOptions, resilientFetch } from '../core/http/retry';
import { createHelmSource } from '../core/helm/source';
import { createGitLabSource } from '../core/releases/sources/gitlab';
import type { ErrorHints } from '../github/errors';
import { createOctokitGitHub, GITHUB_API_URL } from '../github/octokit';
import { createImageSource } from '../core/registry';
import { WELL_KNOWN_IMAGES } from '../core/releases/pins';
import { githubWebBase } from '../core/releases/links';
import { registryClients, usableImageMap } from './registry';

export interface SourceSettings {
  /** Where `github/<host>/` and `npm/` caches go. */
  cacheDir: string;
  /** Sent with every request: `preflight/0.1.0`. */
  userAgent: string;
  /** The GitHub API of `github:` sources: github.com's, or an Enterprise Server's. */
  githubApiUrl?: string;
  /** A token for that API, when the front end has one. */
  githubToken?: string;
  /** A token for github.com, for npm packages' repositories, when `githubApiUrl` is not github.com's. */
  githubDotComToken?: string;
  /** How to fix a refused token, in the front end's words. */
  hints: ErrorHints;
  /** The npm registry (`https://registry.npmjs.org` by default; may hold `user:password@`). */
  npmRegistryUrl?: string;
  /** Per-answer timeout and retries (30 s by default). */
  network?: NetworkOptions;
  /** The GitLab of `gitlab:` sources: gitlab.com, or a self-managed instance's base URL. */
  gitlabUrl?: string;
  /** A token for that GitLab, when the front end has one. */
  gitlabToken?: string;
  /** How to fix a refused or missing GitLab token, in the front end's words. */
  gitlabHints?: GitLabHints;
  /** Lists a `file:` source's versions somewhere else (the extension: in its review worker). */
  fileVersions?: FileSourceOptions['versions'];
  /** `image:` sources: where image names' notes come from, overriding their labels (`{"nginx": "github:nginx/nginx"}`). */
  imageSources?: Readonly<Record<string, string>>;
  /** `image:` sources: registries besides loopback ones that may be reached over plain HTTP. */
  insecureRegistries?: readonly string[];
}

/** Factories for the source types; front ends may register more (tests do). */
export function releaseSources(settings: SourceSettings): SourceRegistry {
  const githubApiUrl = settings.githubApiUrl ?? GITHUB_API_URL;
  const dotCom = sameApi(githubApiUrl, GITHUB_API_URL) ? settings.githubToken : settings.githubDotComToken;
  const github = (apiUrl: string, token: string | undefined, ctx: SourceContext) =>
    createOctokitGitHub({
      token,
      baseUrl: apiUrl,
      cacheDir: path.join(settings.cacheDir, 'github', new URL(apiUrl).host),
      network: { ...settings.network, ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}) },
      userAgent: settings.userAgent,
      hints: settings.hints,
    });
  const registry = new SourceRegistry();
  registry.register('file', (spec, ctx) => createFileSource(spec, { read: readLocalFile, cwd: ctx.cwd, package: ctx.package, versions: settings.fileVersions }));
  registry.register('git', (spec, ctx) => createGitSource(spec, { git: (dir) => gitRepo(dir), cwd: ctx.cwd, files: ctx.files, package: ctx.package }));
  registry.register('github', (spec, ctx) => {
    const apiUrl = ctx.apiUrl ?? githubApiUrl;
    return createGitHubSource(spec, { api: github(apiUrl, settings.githubToken, ctx), files: ctx.files, package: ctx.package });
  });
  registry.register('gitlab', (spec, ctx) => {
    const baseUrl = ctx.apiUrl ?? settings.gitlabUrl ?? GITLAB_URL;
    const api = createGitLabClient({
      baseUrl,
      token: settings.gitlabToken,
      cacheDir: path.join(settings.cacheDir, 'gitlab', new URL(gitlabApiUrl(baseUrl)).host),
      network: { ...settings.network, ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}) },
      userAgent: settings.userAgent,
      hints: settings.gitlabHints,
    });
    return createGitLabSource(spec, { api, files: ctx.files, package: ctx.package });
  });
  registry.register('helm', (spec, ctx) =>
    createHelmSource(spec, {
      // Chart repositories and registries are read anonymously (an OCI registry's pull tokens are public ones): one identity.
      fetch: resilientFetch(conditionalFetch(globalThis.fetch, { cache: new EtagCache(path.join(settings.cacheDir, 'helm')), identity: ANONYMOUS }), {
        ...settings.network,
        ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
      }),
      package: ctx.package,
      // A chart's app is on github.com: it gets a github.com token only.
      github: (repo) => createGitHubSource(repo, { api: github(GITHUB_API_URL, dotCom, ctx) }),
    }),
  );
  registry.register('npm', (spec, ctx) =>
    createNpmSource(spec, {
      fetch: resilientFetch(conditionalFetch(globalThis.fetch, { cache: new EtagCache(path.join(settings.cacheDir, 'npm')) }), {
        ...settings.network,
        ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
      }),
      unpack: unpackTarball,
      registryUrl: ctx.apiUrl ?? settings.npmRegistryUrl,
      files: ctx.files,
      package: ctx.package,
      github: (repo, o) => createGitHubSource(repo, { api: github(GITHUB_API_URL, dotCom, ctx), files: o?.files, package: o?.package }),
    }),
  );
  registry.register('image', (spec, ctx) => {
    const apiUrl = ctx.apiUrl ?? githubApiUrl;
    const enterprise = sameApi(apiUrl, GITHUB_API_URL) ? undefined : new URL(githubWebBase(apiUrl)).host.toLowerCase();
    return createImageSource(spec, {
      client: registryClients({
        cacheDir: settings.cacheDir,
        userAgent: settings.userAgent,
        insecureRegistries: settings.insecureRegistries,
        env: ctx.env,
        network: { ...settings.network, ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}) },
      }),
      imageSources: usableImageMap(settings.imageSources),
      wellKnown: WELL_KNOWN_IMAGES,
      githubHosts: ['github.com', ...(enterprise ? [enterprise] : [])],
      open: async (target, host) => {
        if (host === undefined) return registry.create(target, ctx);
        const [api, token] = host === enterprise ? [apiUrl, settings.githubToken] : [GITHUB_API_URL, dotCom];
        return createGitHubSource(target.replace(/^github:/i, ''), { api: github(api, token, ctx), files: ctx.files, package: ctx.package });
      },
    });
  });
  return registry;
}

/** One source from its spec. */
export function openReleaseSource(spec: string, settings: SourceSettings, ctx: SourceContext): Promise<Result<ReleaseSource>> {
  return releaseSources(settings).create(spec.trim(), ctx);
}

function sameApi(a: string, b: string): boolean {
  return a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();
}
