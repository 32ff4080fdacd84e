/**
 * The versions a lockfile holds for a package.json's dependencies: package-lock.json and
 * npm-shrinkwrap.json (lockfileVersion 1, 2 and 3), yarn.lock (v1 and berry) and pnpm-lock.yaml
 * (lockfile versions 5, 6 and 9). One pass over the text, nothing recursive: JSON.parse for npm's,
 * a line scanner for yarn's and pnpm's.
 */
import semver from 'semver';
import { indentOf, keyValue } from './yamlLines';

/** Names of the lockfiles read, in the order they are looked for in a folder (npm's own order first). */
export const LOCKFILE_NAMES = ['npm-shrinkwrap.json', 'package-lock.json', 'pnpm-lock.yaml', 'yarn.lock'] as const;

export type LockfileName = (typeof LOCKFILE_NAMES)[number];

/** Lockfiles larger than this are not read (a lens is not worth parsing tens of megabytes on every edit). */
export const MAX_LOCKFILE_BYTES = 32 * 1024 * 1024;

export interface Lockfile {
  /** The lockfile's name (`package-lock.json`), for messages. */
  name: LockfileName;
  /**
   * The version installed for dependency `name` (declared as `range`) of the package whose folder is
   * `importer`, relative to the lockfile's folder with `/` ('' for the same folder). Undefined when the
   * lockfile has none, or one that the range no longer allows (the lockfile is older than package.json).
   */
  locked(importer: string, name: string, range: string): string | undefined;
}

export function isLockfileName(name: string): name is LockfileName {
  return (LOCKFILE_NAMES as readonly string[]).includes(name);
}

/** Reads a lockfile by its name; an error is one line saying why it cannot be read. */
export function parseLockfile(name: LockfileName, text: string): { ok: true; value: Lockfile } | { ok: false; error: string } {
  if (text.length > MAX_LOCKFILE_BYTES) return { ok: false, error: `${name} is over ${MAX_LOCKFILE_BYTES / 1024 / 1024} MB` };
  if (name === 'yarn.lock') return { ok: true, value: yarnLock(text) };
  if (name === 'pnpm-lock.yaml') return { ok: true, value: pnpmLock(text) };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: `${name} is not valid JSON` };
  }
  if (!isObject(data)) return { ok: false, error: `${name} holds no lockfile object` };
  return { ok: true, value: npmLock(name, data) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** A version as lockfiles write it, reduced to the release: `4.18.2(react@18.2.0)`, `4.18.2_react@18.2.0`, `npm:x@1.0.0`. */
function release(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length > 256) return undefined;
  let v = raw.trim();
  const cut = v.search(/[(_]/);
  if (cut > 0) v = v.slice(0, cut);
  const at = v.lastIndexOf('@');
  if (at >= 0) v = v.slice(at + 1);
  return semver.valid(v) ?? undefined;
}

/** The version, when the range allows it: a lockfile older than its package.json says nothing about the range. */
function allowed(version: string | undefined, range: string): string | undefined {
  if (!version) return undefined;
  try {
    return semver.satisfies(version, range, { includePrerelease: true }) ? version : undefined;
  } catch {
    return undefined;
  }
}

// npm: lockfileVersion 2 and 3 list every installed folder under `packages` ("node_modules/x",
// "packages/a/node_modules/x"); version 1 lists the root's tree under `dependencies`.
function npmLock(name: LockfileName, data: Record<string, unknown>): Lockfile {
  const packages = isObject(data.packages) ? data.packages : undefined;
  const v1 = isObject(data.dependencies) ? data.dependencies : undefined;
  const versionAt = (key: string): string | undefined => {
    const entry = packages?.[key];
    return isObject(entry) && entry.link !== true ? release(entry.version) : undefined;
  };
  return {
    name,
    locked(importer, dep, range) {
      if (packages) {
        // A package that is not one of the lockfile's workspaces is not described by it.
        if (importer && !isObject(packages[importer])) return undefined;
        // Node's own lookup: the package's node_modules, then each folder above it.
        const parts = importer ? importer.split('/') : [];
        for (let n = parts.length; n >= 0; n--) {
          const prefix = parts.slice(0, n).join('/');
          const found = versionAt(`${prefix ? `${prefix}/` : ''}node_modules/${dep}`);
          if (found) return allowed(found, range);
        }
        return undefined;
      }
      const entry = importer === '' ? v1?.[dep] : undefined;
      return isObject(entry) ? allowed(release(entry.version), range) : undefined;
    },
  };
}

// yarn.lock: entries headed by the descriptors they resolve, `express@^4.18.2, express@^4.19.0:`
// (v1) or `"express@npm:^4.18.2, express@npm:^4.19.0":` (berry), each with a `version` line.
function yarnLock(text: string): Lockfile {
  const versions = new Map<string, string>();
  let heads: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line || line[0] === '#') continue;
    if (line[0] !== ' ') {
      heads = line.endsWith(':') ? line.slice(0, -1).split(',').map((d) => d.trim().replace(/^"|"$/g, '')) : [];
      continue;
    }
    if (heads.length === 0 || indentOf(line) !== 2) continue;
    const m = /^ {2}version:? +"?([^"\s]+)"?\s*$/.exec(line);
    const version = m ? release(m[1]) : undefined;
    if (version) for (const d of heads) versions.set(d, version);
    if (m) heads = [];
  }
  return {
    name: 'yarn.lock',
    locked: (_importer, dep, range) => versions.get(`${dep}@${range}`) ?? versions.get(`${dep}@npm:${range}`),
  };
}

const PNPM_SECTIONS = new Set(['dependencies', 'devDependencies', 'optionalDependencies']);

// pnpm-lock.yaml: a project's dependencies at the top level (lockfile 5 and 6 of one project) or
// under `importers` by folder (workspaces, and every lockfile 9), either as `name: version` (5) or
// as a map with `specifier` and `version` (6, 9).
function pnpmLock(text: string): Lockfile {
  const byImporter = new Map<string, Map<string, string>>();
  const record = (importer: string, dep: string, raw: string) => {
    const version = release(raw);
    if (!version) return;
    let deps = byImporter.get(importer);
    if (!deps) byImporter.set(importer, (deps = new Map()));
    deps.set(dep, version);
  };
  // The keys of the mappings the current line is inside, with their columns.
  const path: { col: number; key: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    const col = indentOf(line);
    if (col === line.length || line[col] === '#') continue;
    const kv = keyValue(line.slice(col));
    if (!kv) continue;
    while (path.length && path[path.length - 1].col >= col) path.pop();
    // Nothing deeper than a dependency's `version` is read.
    if (path.length >= 5) continue;
    path.push({ col, key: kv.key });
    const keys = path.map((p) => p.key);
    const inImporters = keys[0] === 'importers';
    const [importer, section, dep, field] = inImporters ? [keys[1], keys[2], keys[3], keys[4]] : ['.', keys[0], keys[1], keys[2]];
    if (!PNPM_SECTIONS.has(section) || dep === undefined || !kv.value || kv.structured) continue;
    if (keys.length === (inImporters ? 4 : 2)) record(importer, dep, kv.value);
    else if (field === 'version' && keys.length === (inImporters ? 5 : 3)) record(importer, dep, kv.value);
  }
  return {
    name: 'pnpm-lock.yaml',
    locked: (importer, dep, range) => allowed(byImporter.get(importer || '.')?.get(dep), range),
  };
}
