// Packages the `preflight` CLI for pipelines as preflight-runbooks-<version>.tgz: its own manifest
// (the extension's package.json keeps its identity), a "bin" entry for dist/cli.js, and only the
// bundled CLI and its README in the tarball. dist/cli.js bundles its libraries, so the package has
// no dependencies and installs offline.
//
//   node scripts/package-cli.mjs [--no-build] [--out DIR]
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { mustRun, root } from './lib.mjs';

/** The CLI's name on the npm registry: `preflight` there is an unrelated package. */
export const CLI_PACKAGE = 'preflight-runbooks';

export function cliManifest() {
  const ext = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  return {
    name: CLI_PACKAGE,
    version: ext.version,
    description: 'The preflight command: run markdown runbooks, review release notes between two versions, write upgrade plans and open their pull requests.',
    license: ext.license,
    repository: ext.repository,
    keywords: ['runbook', 'upgrade', 'release notes', 'changelog', 'cli'],
    bin: { preflight: 'dist/cli.js' },
    files: ['dist/cli.js'],
    engines: { node: ext.engines.node },
  };
}

const README = `# preflight-runbooks

The \`preflight\` command of Preflight, for pipelines and terminals:

\`\`\`sh
preflight notes --source github:OWNER/REPO --from A --to B [--fail-on RISKS]
preflight plan --source SRC --from A --to B --app NAME
preflight pr --file PLAN --app NAME --from A --to B
preflight run RUNBOOK.md [--confirm WORD]...
\`\`\`

\`preflight --help\` and \`preflight <command> --help\` describe every option. It needs Node.js
20 or later and nothing else.
`;

/** Writes the tarball into `outDir` and returns its path. */
export function packageCli({ build = true, outDir = root, quiet = false } = {}) {
  const stdio = quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit';
  if (build) mustRun(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio });
  const stage = path.join(root, 'out', 'cli-package');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(path.join(stage, 'dist'), { recursive: true });
  copyFileSync(path.join(root, 'dist', 'cli.js'), path.join(stage, 'dist', 'cli.js'));
  chmodSync(path.join(stage, 'dist', 'cli.js'), 0o755);
  const manifest = cliManifest();
  writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(path.join(stage, 'README.md'), README);
  mkdirSync(outDir, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['pack', '--json', '--pack-destination', outDir], { cwd: stage, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm pack failed: ${r.stderr || r.error?.message}`);
  const [{ filename }] = JSON.parse(r.stdout);
  return path.join(outDir, path.basename(filename));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--out');
  const outDir = at >= 0 ? path.resolve(args[at + 1] ?? '.') : root;
  const file = packageCli({ build: !args.includes('--no-build'), outDir });
  console.log(`cli package: ${path.relative(process.cwd(), file) || file}`);
}
