/**
 * Source factories by scheme (`file:`, `git:`...). Adapters that live outside core (GitHub, npm)
 * register themselves here.
 */
import type { ReleaseSource, Result } from '../core/releases';
import { createFileSource, createGitSource, fail } from '../core/releases';

export interface SourceContext {
  cwd: string;
  /** --api-url: the API base for hosted sources (GitHub Enterprise, a private registry). */
  apiUrl?: string;
  env: NodeJS.ProcessEnv;
}

export type SourceFactory = (spec: string, ctx: SourceContext) => Result<ReleaseSource> | Promise<Result<ReleaseSource>>;

const factories = new Map<string, SourceFactory>([
  ['file', (spec, ctx) => createFileSource(spec, { cwd: ctx.cwd })],
  ['git', (spec, ctx) => createGitSource(spec, { cwd: ctx.cwd })],
]);

// Known schemes whose adapters are not part of this build yet.
const PLANNED = new Set(['github', 'npm']);

export function registerSourceFactory(scheme: string, factory: SourceFactory): void {
  factories.set(scheme.toLowerCase(), factory);
}

export function sourceSchemes(): string[] {
  return [...factories.keys()];
}

export async function createSource(spec: string, ctx: SourceContext): Promise<Result<ReleaseSource>> {
  // One-letter "schemes" are Windows drive letters, not schemes.
  const m = /^([a-z][a-z0-9+.-]+):(.*)$/is.exec(spec);
  const known = sourceSchemes().map((s) => `${s}:`).join(', ');
  if (!m) return fail('source', `source "${spec}" has no type; use one of ${known} (for example git:. or file:CHANGELOG.md)`);
  const scheme = m[1].toLowerCase();
  const factory = factories.get(scheme);
  if (factory) return factory(m[2], ctx);
  if (PLANNED.has(scheme)) return fail('unsupported-source', `source type ${scheme}: is not available yet (available: ${known})`);
  return fail('source', `unknown source type ${scheme}: (available: ${known})`);
}
