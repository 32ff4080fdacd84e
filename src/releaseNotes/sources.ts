import path from 'node:path';
import type * as vscode from 'vscode';
import { createFileSource, createGitSource, fail, type ReleaseSource, type Result, type ReviewItem } from '../core/releases';
import type { Logger } from '../core/log';

export interface SourceContext {
  cwd: string;
  context: vscode.ExtensionContext;
  log: Logger;
}

/** A release-note source from its spec (`git:../upstream`, `file:CHANGELOG.md`...). */
export async function createReleaseSource(spec: string, ctx: SourceContext): Promise<Result<ReleaseSource>> {
  const m = /^([a-z][a-z0-9+.-]+):(.*)$/is.exec(spec.trim());
  if (!m) return fail('source', `"${spec}" is not a source: start it with github:, npm:, git: or file:`);
  const [, scheme, rest] = m;
  switch (scheme.toLowerCase()) {
    case 'file':
      return createFileSource(rest, { cwd: ctx.cwd });
    case 'git':
      return createGitSource(rest, { cwd: ctx.cwd });
    default:
      return fail('unsupported-source', `unknown source type ${scheme}: (use github:, npm:, git: or file:)`);
  }
}

/** Where an item's source can be opened: a local file, or a web page. */
export function sourceLocation(
  source: string,
  item: Pick<ReviewItem, 'file' | 'line' | 'ref'>,
  cwd: string,
): { kind: 'file'; path: string } | { kind: 'url'; url: string } | undefined {
  const m = /^([a-z]+):(.*)$/i.exec(source);
  if (!m) return undefined;
  const [, scheme, rest] = m;
  switch (scheme) {
    case 'file':
      return { kind: 'file', path: path.resolve(cwd, item.file) };
    case 'git':
      return { kind: 'file', path: path.resolve(cwd, rest.trim(), item.file) };
    case 'github': {
      const repo = rest.trim().replace(/\/+$/, '');
      const release = /^releases\/(.+)$/.exec(item.file);
      if (release) return { kind: 'url', url: `https://github.com/${repo}/releases/tag/${encodeURIComponent(release[1])}` };
      const ref = item.ref ?? 'HEAD';
      return { kind: 'url', url: `https://github.com/${repo}/blob/${encodeURIComponent(ref)}/${item.file.split('/').map(encodeURIComponent).join('/')}#L${item.line}` };
    }
    default:
      return undefined;
  }
}
