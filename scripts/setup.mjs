// Installs what the tests need: Debian's Chromium, zsh (runbook steps are tested in bash and zsh), curl
// (the CI example's rehearsal calls its test environment with it), docker-registry (the CNCF
// Distribution registry that image: sources are tested against; the tests start their own, the
// package's service is left alone)
// and the VS Code server from the npm package code-server. Idempotent; cached under .vscode-test/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mustRun, root, testEnv } from './lib.mjs';

const CODE_SERVER_VERSION = testEnv.codeServerVersion;
const cacheDir = path.join(root, testEnv.cacheDir);
const serverDir = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
const serverMain = path.join(serverDir, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
const chromiumPath = process.env.PREFLIGHT_CHROMIUM || testEnv.chromium;

const DEBIAN_PACKAGES = ['chromium', 'libkrb5-dev', 'git', 'zsh', 'curl', 'docker-registry'];
const RIPGREP_VERSION = '1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

function missingDebianPackages() {
  return DEBIAN_PACKAGES.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

function ensureDebianPackages() {
  const missing = missingDebianPackages();
  if (!missing.length) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(`setup: these Debian packages are missing: ${missing.join(' ')}`);
    console.error(`setup: install them as root with: apt-get update && apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
  console.log(`setup: installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  mustRun('apt-get', ['update', '-qq'], { env });
  mustRun('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
}

/** code-server's nested @vscode/ripgrep downloads rg from GitHub unless its cache has the archive. */
function seedRipgrepCache() {
  const tmp = process.env.TMPDIR || os.tmpdir();
  const cache = path.join(tmp, `vscode-ripgrep-cache-${RIPGREP_VERSION}`);
  const archive = path.join(cache, RIPGREP_ASSET);
  if (existsSync(archive)) return;
  mkdirSync(cache, { recursive: true });
  const work = mkdtempSync(path.join(tmp, 'preflight-rg-'));
  try {
    mustRun('npm', ['pack', '--silent', '@vscode/ripgrep-linux-x64', '--pack-destination', work]);
    const tgz = spawnSync('sh', ['-c', `ls ${work}/*.tgz`], { encoding: 'utf8' }).stdout.trim();
    mustRun('tar', ['-xzf', tgz, '-C', work]);
    const rg = path.join(work, 'rg');
    copyFileSync(path.join(work, 'package', 'bin', 'rg'), rg);
    chmodSync(rg, 0o755);
    mustRun('tar', ['-czf', archive, '-C', work, 'rg']);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function ensureServer() {
  const marker = path.join(serverDir, '.complete');
  if (existsSync(serverMain) && existsSync(marker)) {
    console.log(`setup: VS Code server (code-server ${CODE_SERVER_VERSION}) already installed`);
    return;
  }
  console.log(`setup: installing the VS Code server from code-server@${CODE_SERVER_VERSION} (about a minute)`);
  seedRipgrepCache();
  rmSync(serverDir, { recursive: true, force: true });
  mkdirSync(serverDir, { recursive: true });
  writeFileSync(path.join(serverDir, 'package.json'), JSON.stringify({ name: 'preflight-test-server', private: true }, null, 2));
  const env = {
    ...process.env,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    // code-server builds native modules and unpacks VS Code in install scripts.
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
  };
  mustRun('npm', ['install', '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], { cwd: serverDir, env });
  if (!existsSync(serverMain)) {
    throw new Error(`setup: code-server installed but ${serverMain} is missing`);
  }
  writeFileSync(marker, new Date().toISOString());
}

mkdirSync(cacheDir, { recursive: true });
ensureDebianPackages();
if (!existsSync(chromiumPath)) {
  console.error(`setup: Chromium not found at ${chromiumPath}`);
  process.exit(1);
}
ensureServer();
console.log('setup: ready');
