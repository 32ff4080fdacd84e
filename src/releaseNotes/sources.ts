import path from 'node:path';
import * as vscode from 'vscode';
import { githubTarget, githubToken } from '../common/github';
import { gitlabToken } from '../common/gitlab';
import { networkOptions } from '../common/network';
import type { Logger } from '../core/log';
import { releaseSources } from '../app/sources';
import { itemWebLink, sourceFiles, splitPackage, type ReleaseSource, type Result, type ReviewItem } from '../core/releases';
import { noteVersionsInWorker } from './analysis';
import { connectionSettings, registrySettings, releaseNoteSettings } from '../common/settings';

export interface SourceContext {
  cwd: string;
  context: vscode.ExtensionContext;
  log: Logger;
  /** Sign in to GitHub if there is no session yet (after an anonymous request was refused). */
  signIn?: boolean;
}

/**
 * A release-note source from its spec (src/app/sources.ts). GitHub requests carry the VS Code
 * GitHub session's token when there is one and keep their conditional-request cache in the
 * extension's global storage (each token's answers apart); every request waits at most
 * `preflight.network.timeout` seconds for its answer.
 */
export async function createReleaseSource(spec: string, ctx: SourceContext): Promise<Result<ReleaseSource>> {
  const target = githubTarget();
  const hosted = /^(github|npm|image):/i.test(spec.trim());
  const token = hosted ? await githubToken(target, !!ctx.signIn) : undefined;
  const dotCom = hosted && target.provider !== 'github' ? await githubToken(githubTarget(''), false) : undefined;
  const gitlab = /^gitlab:/i.test(spec.trim()) ? await gitlabToken(ctx.context) : undefined;
  const files = noteFilesFor(spec, releaseNoteSettings().files);
  // Listing a local file's versions parses it: in the review worker, like the analysis.
  const workerFile = reviewWorkerFile(ctx.context);
  const registry = releaseSources({
    cacheDir: ctx.context.globalStorageUri.fsPath,
    userAgent: `preflight-vscode/${ctx.context.extension.packageJSON.version}`,
    githubApiUrl: target.apiUrl,
    githubToken: token,
    githubDotComToken: dotCom,
    hints: { invalidToken: 'sign in to GitHub again', anonymousRateLimit: 'sign in to GitHub for a higher limit' },
    npmRegistryUrl: connectionSettings().npmRegistry,
    imageSources: releaseNoteSettings().imageSources,
    insecureRegistries: registrySettings().insecure,
    gitlabUrl: connectionSettings().gitlabUrl,
    gitlabToken: gitlab,
    gitlabHints: { invalidToken: 'run "Preflight: Set GitLab Token" with a valid token', anonymous: 'run "Preflight: Set GitLab Token"' },
    network: networkOptions(),
    fileVersions: (documents, ro, pkg) => noteVersionsInWorker(workerFile, documents, { signal: ro?.signal, timeLimitMs: reviewTimeLimitMs() }, pkg),
  });
  return registry.create(spec.trim(), { cwd: ctx.cwd, env: process.env, files });
}

/** The bundled worker that parses and classifies release notes (see analysis.ts). */
export function reviewWorkerFile(context: vscode.ExtensionContext): string {
  return vscode.Uri.joinPath(context.extensionUri, 'dist', 'reviewWorker.js').fsPath;
}

/** `preflight.releaseNotes.timeLimit`, in milliseconds. */
export function reviewTimeLimitMs(): number {
  return releaseNoteSettings().timeLimit * 1000;
}

/**
 * The `preflight.releaseNotes.files` entry for a source spec: the key equal to the spec (both
 * trimmed), else, for `github:` specs, the key equal to it ignoring case (GitHub names are not
 * case-sensitive). Non-string paths are ignored.
 */
export function noteFilesFor(spec: string, setting: unknown): string[] | undefined {
  if (!setting || typeof setting !== 'object' || Array.isArray(setting)) return undefined;
  const entries = Object.entries(setting as Record<string, unknown>).map(([k, v]) => [k.trim(), v] as const);
  const lookup = (wanted: string) => {
    const exact = entries.find(([k]) => k === wanted);
    const loose = /^github:/i.test(wanted) ? entries.find(([k]) => k.toLowerCase() === wanted.toLowerCase()) : undefined;
    return exact ?? loose;
  };
  // `github:babel/babel#@babel/core` uses its own entry, else the repository's.
  const wanted = spec.trim();
  const value = (lookup(wanted) ?? lookup(withoutPackage(wanted)))?.[1];
  if (!Array.isArray(value)) return undefined;
  const files = value.filter((f): f is string => typeof f === 'string' && f.trim() !== '');
  return files.length ? files : undefined;
}

/** A source spec without its `#PACKAGE` suffix (`github:babel/babel#@babel/core` -> `github:babel/babel`). */
export function withoutPackage(spec: string): string {
  const m = /^([a-z][a-z0-9+.-]+:)(.*)$/is.exec(spec);
  return m ? m[1] + splitPackage(m[2]).rest : spec;
}

/** Where an item's source can be opened: a local file, or a web page. */
export function sourceLocation(
  source: string,
  item: Pick<ReviewItem, 'file' | 'line' | 'ref' | 'url'>,
  cwd: string,
): { kind: 'file'; path: string } | { kind: 'url'; url: string } | undefined {
  const web = itemWebLink(source, item, githubTarget().webUrl);
  if (web) return { kind: 'url', url: web };
  const m = /^([a-z]+):(.*)$/i.exec(withoutPackage(source));
  if (!m) return undefined;
  const [, scheme, rest] = m;
  switch (scheme.toLowerCase()) {
    case 'file': {
      // Items name a file outside the workspace by its last segments: find it among the source's files.
      const files = sourceFiles(rest.split(',').map((p) => p.trim()).filter(Boolean), cwd);
      return { kind: 'file', path: files.find((f) => f.shown === item.file)?.abs ?? path.resolve(cwd, item.file) };
    }
    case 'git':
      return { kind: 'file', path: path.resolve(cwd, rest.trim(), item.file) };
    default:
      return undefined;
  }
}
