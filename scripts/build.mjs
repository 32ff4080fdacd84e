// Bundles the extension, its review worker and the CLI into dist/, the webview pages into dist/media/,
// and transpiles src/ and test/ (not the pages) into out/ for the tests.
// Type checking is `npm run typecheck` (tsc --noEmit, once for the extension and once for the pages); esbuild only strips types.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { root } from './lib.mjs';

const watch = process.argv.includes('--watch');

function tsFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const webview = path.join(root, 'src/webview');

const bundles = [
  {
    entryPoints: [path.join(root, 'src/extension.ts')],
    outfile: path.join(root, 'dist/extension.js'),
  },
  {
    entryPoints: [path.join(root, 'src/cli.ts')],
    outfile: path.join(root, 'dist/cli.js'),
    banner: { js: '#!/usr/bin/env node' },
  },
  // The release-note review's analysis runs in a worker thread of the extension host.
  {
    entryPoints: [path.join(root, 'src/releaseNotes/reviewWorker.ts')],
    outfile: path.join(root, 'dist/reviewWorker.js'),
  },
].map((b) => ({
  ...b,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  minify: true,
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
}));

// The review panel's page: browser code that imports the extension's message types only, never its code.
// Its script and stylesheet share dist/media/, the panel's one resource root.
const pages = {
  entryPoints: [
    { in: path.join(webview, 'releaseNotes/main.ts'), out: 'releaseNotes' },
    { in: path.join(webview, 'releaseNotes/releaseNotes.css'), out: 'releaseNotes' },
  ],
  outdir: path.join(root, 'dist/media'),
  tsconfig: path.join(webview, 'tsconfig.json'),
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  minify: true,
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
};

const tests = {
  entryPoints: [...tsFiles(path.join(root, 'src')).filter((f) => !f.startsWith(webview + path.sep)), ...tsFiles(path.join(root, 'test'))],
  outbase: root,
  outdir: path.join(root, 'out'),
  bundle: false,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
};

if (watch) {
  for (const opts of [...bundles, pages, tests]) {
    const ctx = await esbuild.context(opts);
    await ctx.watch();
  }
  console.log('build: watching');
} else {
  rmSync(path.join(root, 'out'), { recursive: true, force: true });
  await Promise.all([...bundles, pages, tests].map((o) => esbuild.build(o)));
}
