// Starts the real VS Code server (from the npm package code-server) and Debian's Chromium.
// Used by the extension-host runner, the end-to-end tests, the demo and the benchmarks.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';

// Compiled to out/test/support/.
export const repoRoot = path.resolve(__dirname, '..', '..', '..');
const testEnv = JSON.parse(readFileSync(path.join(repoRoot, 'test/support/testEnv.json'), 'utf8')) as {
  codeServerVersion: string;
  cacheDir: string;
  chromium: string;
  chromiumArgs: string[];
};
export const cacheDir = path.join(repoRoot, testEnv.cacheDir);
export const serverDir = path.join(cacheDir, `code-server-${testEnv.codeServerVersion}`);
export const serverMain = path.join(serverDir, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
export const chromiumPath = process.env.PREFLIGHT_CHROMIUM || testEnv.chromium;

export function checkSetup(): void {
  const missing: string[] = [];
  if (!existsSync(serverMain)) missing.push(`the VS Code server (code-server ${testEnv.codeServerVersion})`);
  if (!existsSync(chromiumPath)) missing.push(`Chromium at ${chromiumPath}`);
  if (missing.length) throw new Error(`Missing ${missing.join(' and ')}. Run: npm run setup`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface ServerOptions {
  dataDir: string;
  extensionsDir: string;
  /** Adds --disable-workspace-trust (default true); false shows VS Code's trust prompt. */
  disableTrust?: boolean;
  env?: Record<string, string>;
  port?: number;
  label?: string;
}

export interface VsCodeServer {
  port: number;
  url: string;
  output(): string;
  stop(): void;
}

function serverArgs(o: ServerOptions): string[] {
  return [
    serverMain,
    '--accept-server-license-terms',
    '--user-data-dir', path.join(o.dataDir, 'user'),
    '--server-data-dir', path.join(o.dataDir, 'server'),
    '--extensions-dir', o.extensionsDir,
  ];
}

/** Installs a packaged .vsix the way a user does: `--install-extension`. */
export function installVsix(o: ServerOptions, vsix: string): void {
  mkdirSync(o.extensionsDir, { recursive: true });
  const r = spawnSync(process.execPath, [...serverArgs(o), '--install-extension', vsix, '--force'], { encoding: 'utf8' });
  if (r.status !== 0 || !/successfully installed/i.test(r.stdout + r.stderr)) {
    throw new Error(`installing ${vsix} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
}

function stopProcess(child: ChildProcess): void {
  if (child.exitCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
}

/** Starts the server on a loopback port and resolves once it answers HTTP. */
export async function startServer(o: ServerOptions): Promise<VsCodeServer> {
  checkSetup();
  const port = o.port ?? (await freePort());
  const args = [...serverArgs(o), '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', '--disable-telemetry'];
  if (o.disableTrust !== false) args.push('--disable-workspace-trust');
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const collect = (d: Buffer) => {
    output += d.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
    if (process.env.PREFLIGHT_VERBOSE) process.stderr.write(`[${o.label ?? 'server'}] ${d}`);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the VS Code server exited early (${child.exitCode}):\n${output.slice(-4000)}`);
    try {
      const res = await fetch(`${url}/version`);
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      stopProcess(child);
      throw new Error(`the VS Code server did not answer within 60 s:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { port, url, output: () => output, stop: () => stopProcess(child) };
}

/** The workbench URL for a folder, optionally loading a development extension and a tests module. */
export function workbenchUrl(
  server: VsCodeServer,
  o: { folder: string; extensionDevelopmentPath?: string; extensionTestsPath?: string },
): string {
  const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload: [string, string][] = [];
  if (o.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(o.extensionDevelopmentPath)]);
  if (o.extensionTestsPath) payload.push(['extensionTestsPath', remote(o.extensionTestsPath)]);
  let u = `${server.url}/?folder=${encodeURIComponent(o.folder)}`;
  if (payload.length) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return u;
}

export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: testEnv.chromiumArgs });
}
