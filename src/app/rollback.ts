/**
 * Rollback readiness: can the image of the version upgraded from still be pulled? Asked of the
 * registry when a plan is written (never answered from the cache), for the plan's Rollback section
 * and its re-check step. A check that cannot be made says so; it never reads as a pass.
 */
import type { RollbackCheck } from '../core/plan/rollback';
import { canonicalVersion } from '../core/releases';
import { describeFamily, formatReference, isLoopbackHost, listFamily, parseImageReference, resolveImage, tagForVersion, withTag, type TagVersion } from '../core/registry';
import { normalizeRegistryHost, registryClients, type RegistrySettings } from './registry';

export interface RollbackCheckInput {
  /** The image as pinned or reviewed: `image:nginx:1.24-alpine` or `nginx:1.24-alpine`. */
  image: string;
  /** The version to roll back to: the review's `from`. */
  version: string;
  settings: RegistrySettings;
  now?: () => Date;
  signal?: AbortSignal;
}

export async function checkRollbackImage(input: RollbackCheckInput): Promise<RollbackCheck> {
  const now = input.now ?? (() => new Date());
  const spec = input.image.trim().replace(/^image:/i, '');
  const at = () => now().toISOString();
  const ref = parseImageReference(spec);
  if (!ref.ok) return { image: spec, status: 'unverified', checkedAt: at(), reason: ref.error.message, recheck: recheckCommand(spec, input.settings) };
  const version = canonicalVersion(input.version) ?? input.version;
  const client = registryClients(input.settings)(ref.value);
  const result = (status: RollbackCheck['status'], image: string, extra: Partial<RollbackCheck> = {}): RollbackCheck => ({ image, status, checkedAt: at(), recheck: recheckCommand(image, input.settings), ...extra });
  if (!client.ok) return result('unverified', spec, { reason: client.error.message });
  const live = { live: true, signal: input.signal };

  const family = await listFamily(client.value, ref.value, live);
  if (!family.ok) return result(family.error.code === 'not-found' ? 'missing' : 'unverified', spec, { reason: family.error.message });
  let tag = tagForVersion(version, family.value.tags, { tag: ref.value.tag });
  // A floating tag (`1.24-alpine` for 1.24.3, the image's own) may say in its version label which release it is.
  for (const candidate of tag ? [] : floatingCandidates(version, family.value.tags, ref.value.tag)) {
    const own = await resolveImage(client.value, withTag(ref.value, candidate), live);
    if (own.ok && tagForVersion(version, family.value.tags, { tag: candidate, version: own.value.version }) === candidate) {
      tag = candidate;
      break;
    }
  }
  if (!tag) {
    const newest = family.value.tags.slice(-3).map((t) => t.tag).reverse();
    const seen = newest.length ? `; the newest are ${newest.join(', ')}` : '';
    return result('missing', `${ref.value.name}:${version}`, { reason: `no tag of ${ref.value.name} in the family ${describeFamily(family.value.family)} names ${version}${seen}` });
  }
  const target = withTag(ref.value, tag);
  const image = formatReference(target);
  const found = await resolveImage(client.value, target, live);
  if (found.ok) return result('available', image, { digest: found.value.digest });
  return result(found.error.code === 'not-found' ? 'missing' : 'unverified', image, { reason: found.error.message });
}

/**
 * Tags that may float at `version`: those whose numbers begin its own (`1.24-alpine`, `1` for
 * 1.24.3), most numbers first, then the reference's own tag; at most three are asked about.
 */
function floatingCandidates(version: string, family: readonly TagVersion[], own: string | undefined): string[] {
  const numbers = version.split(/[-+]/)[0].split('.').map(Number);
  const prefixes = family
    .filter((t) => !t.prerelease && t.parts.length < numbers.length && t.parts.every((n, i) => n === numbers[i]))
    .sort((a, b) => b.parts.length - a.parts.length)
    .map((t) => t.tag);
  return [...new Set([...prefixes, ...(own ? [own] : [])])].slice(0, 3);
}

/** `preflight resolve 'image:REF'`, with `--insecure-registry HOST` when the registry needs it. */
export function recheckCommand(image: string, settings: Pick<RegistrySettings, 'insecureRegistries'>): string {
  const ref = parseImageReference(image);
  const registry = ref.ok ? ref.value.registry : '';
  const insecure = (settings.insecureRegistries ?? []).map(normalizeRegistryHost).includes(registry) && !isLoopbackHost(registry);
  return `preflight resolve ${shellQuote(`image:${image}`)}${insecure ? ` --insecure-registry ${shellQuote(registry)}` : ''}`;
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
