// Shared helpers for the build, test, demo and bench scripts.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const cacheDir = path.join(root, '.vscode-test');
export const CODE_SERVER_VERSION = '4.100.3';
export const serverDir = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
export const serverMain = path.join(serverDir, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
export const chromiumPath = process.env.PREFLIGHT_CHROMIUM || '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

export function mustRun(cmd, args, opts = {}) {
  const status = run(cmd, args, opts);
  if (status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited with ${status}`);
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function checkSetup() {
  const missing = [];
  if (!existsSync(serverMain)) missing.push(`VS Code server (code-server ${CODE_SERVER_VERSION})`);
  if (!existsSync(chromiumPath)) missing.push(`Chromium at ${chromiumPath}`);
  if (missing.length) {
    throw new Error(`Missing ${missing.join(' and ')}. Run: npm run setup`);
  }
}

/**
 * Starts the VS Code server on a free loopback port and resolves once it answers HTTP.
 * Returns { port, url, stop() }.
 */
export async function startServer({ dataDir, extensionsDir, disableTrust = true, logPrefix = 'server', env = {} }) {
  const port = await freePort();
  const args = [
    serverMain,
    '--host', '127.0.0.1',
    '--port', String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--user-data-dir', path.join(dataDir, 'user'),
    '--server-data-dir', path.join(dataDir, 'server'),
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
  ];
  if (disableTrust) args.push('--disable-workspace-trust');
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const collect = (d) => {
    output += d.toString();
    if (process.env.PREFLIGHT_VERBOSE) process.stderr.write(`[${logPrefix}] ${d}`);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`VS Code server exited early (${child.exitCode}):\n${output.slice(-4000)}`);
    }
    try {
      const res = await fetch(`${url}/version`);
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      stopProcess(child);
      throw new Error(`VS Code server did not answer within 60 s:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    port,
    url,
    output: () => output,
    stop: () => stopProcess(child),
  };
}

export function stopProcess(child) {
  if (child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    try { child.kill('SIGTERM'); } catch { /* already gone */ }
  }
}

/** Builds the workbench URL that loads a development extension and optionally a test module. */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  let u = `${server.url}/?folder=${encodeURIComponent(folder)}`;
  if (payload.length) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return u;
}

export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}
