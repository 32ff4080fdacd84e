// Runs a mocha suite inside the real VS Code extension host: the VS Code server plus Chromium as
// the client, with the extension and the tests module passed in the workbench URL (the server
// ignores --extensionDevelopmentPath). The verdict comes from the results file the suite writes:
// the extension host's exit code stays 0 even when the suite fails.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, repoRoot, startServer, workbenchUrl } from './vscodeServer';

export interface SuiteResults {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string }[];
  tests: { title: string; state: 'passed' | 'failed' | 'pending'; duration?: number }[];
}

/** The extension host's console reaches the page only as formatted fragments, so report from the file. */
function printResults(r: SuiteResults): void {
  for (const t of r.tests) {
    const mark = t.state === 'passed' ? '  ✔' : t.state === 'failed' ? '  ✗' : '  -';
    process.stdout.write(`${mark} ${t.title}${t.duration !== undefined ? ` (${t.duration} ms)` : ''}\n`);
  }
  for (const f of r.failures) process.stdout.write(`\n  FAILED ${f.title}\n${f.error.replace(/^/gm, '    ')}\n`);
}

export interface HostRunOptions {
  testsPath: string;
  workspace: string;
  resultsFile: string;
  label: string;
  timeoutMs?: number;
  env?: Record<string, string>;
  /** Print each test's result from the results file (default true; false for non-mocha modules). */
  report?: boolean;
}

export async function runInExtensionHost<T = SuiteResults>(o: HostRunOptions): Promise<T> {
  const timeoutMs = o.timeoutMs ?? 300_000;
  rmSync(o.resultsFile, { force: true });
  mkdirSync(path.dirname(o.resultsFile), { recursive: true });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'preflight-host-'));
  const extensionsDir = path.join(dataDir, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  const server = await startServer({
    dataDir,
    extensionsDir,
    label: o.label,
    env: { ...o.env, PREFLIGHT_RESULTS: o.resultsFile },
  });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    if (process.env.PREFLIGHT_VERBOSE) page.on('console', (msg) => process.stderr.write(`[page] ${msg.text()}\n`));
    await page.goto(
      workbenchUrl(server, { folder: o.workspace, extensionDevelopmentPath: repoRoot, extensionTestsPath: o.testsPath }),
    );
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(o.resultsFile)) {
      if (Date.now() > deadline) {
        await page.screenshot({ path: o.resultsFile.replace(/\.json$/, '-timeout.png') }).catch(() => undefined);
        throw new Error(`${o.label}: no results after ${timeoutMs / 1000} s. Server log:\n${server.output().slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    // The reporter writes the file in one call; give that write a moment to finish.
    await new Promise((r) => setTimeout(r, 100));
    const results = JSON.parse(readFileSync(o.resultsFile, 'utf8'));
    if (o.report !== false) printResults(results as SuiteResults);
    return results as T;
  } finally {
    await browser.close().catch(() => undefined);
    server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
