/**
 * Source factories by scheme. The application layer (src/app/sources.ts) registers `file:`, `git:`,
 * `github:` and `npm:` with their adapters; tests register their own.
 *
 * A spec may end in `#PACKAGE` to choose one package of a repository that releases several
 * (`github:babel/babel#@babel/core`, `git:.#pg-pool`, `file:CHANGELOG.md#pg`): the suffix is split
 * off when it is a package name and given to the factory as `SourceContext.package`. A suffix that
 * ends like a release-note file (`file:notes#2.md`) is part of the path.
 */
import type { Result } from '../model';
import { fail } from '../model';
import type { ReleaseSource } from '../ports';
import { isPackageName } from '../version';

export interface SourceContext {
  cwd: string;
  /** The API base for hosted sources (a GitHub Enterprise Server, a private registry). */
  apiUrl?: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Release-note files or folders to read besides the ones found by name (for sources that list files). */
  files?: readonly string[];
  /** How long hosted sources wait for each answer, in milliseconds; 30 s when unset. */
  timeoutMs?: number;
  /** The package chosen with `#PACKAGE` at the end of the spec. */
  package?: string;
}

export type SourceFactory = (spec: string, ctx: SourceContext) => Result<ReleaseSource> | Promise<Result<ReleaseSource>>;

export class SourceRegistry {
  private readonly factories = new Map<string, SourceFactory>();

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
    if (factory) {
      const { rest, pkg } = splitPackage(m[2]);
      if (pkg === undefined) return factory(rest, ctx);
      const created = await factory(rest, { ...ctx, package: pkg });
      // A factory that knows nothing of packages would review every package's notes.
      if (created.ok && created.value.package === undefined) return fail('source', `${scheme}: sources do not take a #PACKAGE suffix ("${spec}")`);
      return created;
    }
    return fail('source', `unknown source type ${scheme}: (available: ${known})`);
  }
}

// A suffix named like a release-note file is part of a path, not a package.
const NOTE_FILE_END = /\.(?:md|markdown|mdown|mkd|rst|txt|adoc|asciidoc)$/i;

/**
 * Splits `#PACKAGE` off the end of a spec (what follows the scheme): `babel/babel#@babel/core` ->
 * `babel/babel` and `@babel/core`. Nothing is split when the suffix is no package name (`#`, a
 * space, a comma) or ends like a release-note file (`notes#2.md`).
 */
export function splitPackage(spec: string): { rest: string; pkg?: string } {
  const hash = spec.lastIndexOf('#');
  if (hash === -1) return { rest: spec };
  const pkg = spec.slice(hash + 1).trim();
  if (!isPackageName(pkg) || NOTE_FILE_END.test(pkg)) return { rest: spec };
  return { rest: spec.slice(0, hash), pkg };
}
