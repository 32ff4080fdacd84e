/**
 * Version pins of a package.json: each dependency with the version installed, as the lockfile next
 * to it (or in a folder above it, for a workspace) records it. Without a lockfile entry, the range's
 * lowest version stands in, and the pin says so.
 */
import semver from 'semver';
import { lineStarts } from '../text/lines';
import type { Lockfile } from './lockfiles';
import type { VersionPin } from './pins';

/** What the front end found for a package.json: the lockfile that covers it, or why there is none. */
export interface LockfileContext {
  lockfile?: Lockfile;
  /** The package.json's folder relative to the lockfile's, with `/` ('' when they are one folder). */
  importer?: string;
  /** Why no lockfile is used: "no lockfile", "package-lock.json is over 32 MB"... */
  problem?: string;
}

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

export function packagePins(text: string, lock: LockfileContext = {}): VersionPin[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return [];
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return [];
  const offsets = dependencyOffsets(text);
  const starts = lineStarts(text);
  const pins: VersionPin[] = [];
  for (const field of DEPENDENCY_FIELDS) {
    const deps = (data as Record<string, unknown>)[field];
    const at = offsets.get(field);
    if (!deps || typeof deps !== 'object' || Array.isArray(deps) || !at) continue;
    for (const [name, offset] of at) {
      const spec = (deps as Record<string, unknown>)[name];
      // Ranges are short; semver's own patterns are not meant for kilobytes of text.
      if (typeof spec !== 'string' || spec.length > 256 || !semver.validRange(spec)) continue;
      const line = lineAt(starts, offset);
      const source = `npm:${name}`;
      const locked = lock.lockfile?.locked(lock.importer ?? '', name, spec);
      if (locked) {
        pins.push({ line, kind: 'npm', name, version: locked, label: locked, basis: `${locked} as ${lock.lockfile!.name} locks it`, source });
        continue;
      }
      const min = semver.minVersion(spec);
      if (!min) continue;
      const why = lock.lockfile ? `${lock.lockfile.name} has no entry of ${name} that ${spec} allows` : (lock.problem ?? 'no lockfile');
      pins.push({ line, kind: 'npm', name, version: min.version, label: spec, basis: `the lowest version ${spec} allows: ${why}`, source });
    }
  }
  return pins;
}

function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Where each string value of the top-level object's objects starts: field -> key -> offset, in
 * document order. The text is valid JSON (JSON.parse read it), so strings, brackets, commas and
 * colons are all there is to follow.
 */
function dependencyOffsets(text: string): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  // One entry per open container: its kind, and in objects the last key and whether a value is next.
  const stack: { object: boolean; key?: string; value: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push({ object: c === '{', value: c === '[' });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ':') {
      stack[stack.length - 1].value = true;
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top.object) top.value = false;
    } else if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      const top = stack[stack.length - 1];
      if (!top?.object) continue;
      if (!top.value) {
        top.key = JSON.parse(text.slice(start, i + 1)) as string;
      } else if (stack.length === 2 && stack[0].key !== undefined && top.key !== undefined) {
        let field = out.get(stack[0].key);
        if (!field) out.set(stack[0].key, (field = new Map()));
        field.set(top.key, start);
      }
    }
  }
  return out;
}
