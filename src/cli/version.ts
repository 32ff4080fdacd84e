import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The version from Preflight's package.json, found by walking up from this file: the bundle sits in
 * dist/, the transpiled sources used by tests in out/src/cli/.
 */
export function packageVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'preflight' && pkg.version) return pkg.version;
    } catch {
      // no package.json here
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
