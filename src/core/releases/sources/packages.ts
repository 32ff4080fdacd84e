/**
 * Tags of several packages in one repository (`pkg@1.2.3`, `@scope/pkg@1.2.3`, `pkg-v1.2.3`,
 * `pkg/v1.2.3`): which of them a source lists, shared by the `git:` and `github:` sources.
 *
 * - A package chosen (`#pkg` in the spec): only that package's tags. A repository whose tags name no
 *   package at all has nothing to choose between, so all its tags are kept; one whose tags name
 *   other packages only is an error that lists them.
 * - None chosen: tags of one package at most are all kept, as the tags of one project. With tags of
 *   two packages or more, the plain tags (`v1.2.3`) are kept and a problem names the packages left
 *   out; without plain tags it is an error showing the spec to type.
 */
import type { Problem, Result } from '../model';
import { fail, listOf, ok } from '../model';
import { samePackage } from '../version';

/** Which tags a source keeps, by the package each names (undefined for a plain tag). */
export interface PackageSelection {
  accepts(pkg: string | undefined): boolean;
  /** The package chosen, as the tags spell it; undefined when none was chosen or none is named. */
  package?: string;
  /** Set when tags of packages were left out without a package being chosen. */
  problem?: Problem;
}

/**
 * Chooses the tags to keep. `packages` holds the package of every version tag (undefined for plain
 * ones); `base` is the source's spec without a package (`github:babel/babel`), for messages.
 */
export function selectPackage(base: string, packages: Iterable<string | undefined>, chosen?: string): Result<PackageSelection> {
  const named = new Set<string>();
  let plain = false;
  for (const p of packages) {
    if (p === undefined) plain = true;
    else named.add(p);
  }
  const names = [...named].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (chosen !== undefined) {
    if (names.length === 0) return ok({ accepts: () => true });
    const exact = named.has(chosen) ? chosen : undefined;
    const loose = names.filter((n) => samePackage(n, chosen));
    const match = exact ?? (loose.length === 1 ? loose[0] : undefined);
    if (match === undefined) {
      return fail('source', `${base} has no tags of package ${chosen}; its tags name ${listOf(names)}${plain ? ' and plain versions' : ''}`);
    }
    return ok({ accepts: (p) => p === match, package: match });
  }
  if (names.length <= 1) return ok({ accepts: () => true });
  if (plain) {
    return ok({
      accepts: (p) => p === undefined,
      problem: { message: `${base} has tags of several packages (${listOf(names)}); only its plain version tags are used: review one package with ${base}#${names[0]}` },
    });
  }
  return fail('source', `${base} has tags of several packages (${listOf(names)}); choose one by adding #PACKAGE to the source: ${base}#${names[0]}`);
}
