// `npm run test:desktop`: the integration suite in desktop VS Code through @vscode/test-electron,
// for machines that can download or already have desktop VS Code (VSCODE_EXECUTABLE to use one).
import { runTests } from '@vscode/test-electron';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

async function main(): Promise<number> {
  const root = path.resolve(__dirname, '..', '..');
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'preflight-desktop-'));
  cpSync(path.join(root, 'runbooks'), path.join(workspace, 'runbooks'), { recursive: true });
  const fixtures = path.join(root, 'test/fixtures/workspace');
  if (existsSync(fixtures)) cpSync(fixtures, workspace, { recursive: true });
  const resultsFile = path.join(root, 'test-results', 'desktop.json');
  rmSync(resultsFile, { force: true });
  try {
    // Run on the minimum supported VS Code and on stable.
    for (const version of [process.env.VSCODE_VERSION ?? '1.93.0', 'stable']) {
      await runTests({
        version,
        vscodeExecutablePath: process.env.VSCODE_EXECUTABLE,
        extensionDevelopmentPath: root,
        extensionTestsPath: path.join(root, 'out/test/integration/index.js'),
        launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
        extensionTestsEnv: { PREFLIGHT_RESULTS: resultsFile },
      });
      const r = JSON.parse(readFileSync(resultsFile, 'utf8')) as { passed: number; failed: number };
      console.log(`desktop VS Code ${version}: ${r.passed} passed, ${r.failed} failed`);
      if (r.failed > 0 || r.passed === 0) return 1;
      if (process.env.VSCODE_EXECUTABLE) break;
    }
    return 0;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`test:desktop: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
