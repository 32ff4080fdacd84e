// Helpers shared by the build, setup, test, demo and bench scripts.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const testEnv = JSON.parse(readFileSync(path.join(root, 'test/support/testEnv.json'), 'utf8'));

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

export function mustRun(cmd, args, opts = {}) {
  const status = run(cmd, args, opts);
  if (status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${status}`);
}

/** Loads a compiled test-support module from out/ (run the build first). */
export function support(name) {
  return createRequire(import.meta.url)(path.join(root, 'out/test/support', `${name}.js`));
}
