// Builds and packages the extension into preflight-<version>.vsix at the repository root.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mustRun, root } from './lib.mjs';

export function vsixPath() {
  const { name, version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  return path.join(root, `${name}-${version}.vsix`);
}

export function packageExtension({ quiet = false } = {}) {
  const stdio = quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit';
  mustRun(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio });
  const out = vsixPath();
  // Everything the extension needs is bundled into dist/, so no node_modules ship.
  mustRun(process.execPath, [
    path.join(root, 'node_modules/@vscode/vsce/vsce'),
    'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--out', out,
  ], { stdio });
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = packageExtension();
  console.log(`package: ${path.relative(process.cwd(), out)}`);
}
