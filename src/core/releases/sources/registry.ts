/**
 * Source factories by scheme, shared by the CLI and the extension. `file:` and `git:` are built in;
 * `github:` and `npm:` need a GitHub client, a token and a cache directory, so the host program
 * registers them.
 */
import type { Result } from '../model';
import { fail } from '../model';
import type { ReleaseSource } from '../ports';
import { createFileSource } from './file';
import { createGitSource } from './git';

export interface SourceContext {
  cwd: string;
  /** The API base for hosted sources (a GitHub Enterprise Server, a private registry). */
  apiUrl?: string;
  env: NodeJS.ProcessEnv;
  /** Release-note files or folders to read besides the ones found by name (for sources that list files). */
  files?: readonly string[];
  /** How long hosted sources wait for each answer, in milliseconds; 30 s when unset. */
  timeoutMs?: number;
}

export type SourceFactory = (spec: string, ctx: SourceContext) => Result<ReleaseSource> | Promise<Result<ReleaseSource>>;

// Schemes whose factories the host program registers.
const HOSTED = new Set(['github', 'npm']);

export class SourceRegistry {
  private readonly factories = new Map<string, SourceFactory>([
    ['file', (spec, ctx) => createFileSource(spec, { cwd: ctx.cwd })],
    ['git', (spec, ctx) => createGitSource(spec, { cwd: ctx.cwd, files: ctx.files })],
  ]);

  register(scheme: string, factory: SourceFactory): void {
    this.factories.set(scheme.toLowerCase(), factory);
  }

  schemes(): string[] {
    return [...this.factories.keys()];
  }

  async create(spec: string, ctx: SourceContext): Promise<Result<ReleaseSource>> {
    // One-letter "schemes" are Windows drive letters, not schemes.
    const m = /^([a-z][a-z0-9+.-]+):(.*)$/is.exec(spec);
    const known = this.schemes()
      .map((s) => `${s}:`)
      .join(', ');
    if (!m) return fail('source', `source "${spec}" has no type; use one of ${known} (for example git:. or file:CHANGELOG.md)`);
    const scheme = m[1].toLowerCase();
    const factory = this.factories.get(scheme);
    if (factory) return factory(m[2], ctx);
    if (HOSTED.has(scheme)) return fail('unsupported-source', `source type ${scheme}: is not available yet (available: ${known})`);
    return fail('source', `unknown source type ${scheme}: (available: ${known})`);
  }
}
