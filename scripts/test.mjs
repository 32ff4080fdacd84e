// `npm test`: type-check, then the three tiers — unit (plain Node), integration (inside the real
// VS Code extension host) and end to end (Chromium driving VS Code with the packaged .vsix).
// Usage: node scripts/test.mjs [unit] [integration] [e2e]   (default: all three)
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mustRun, root, run, support } from './lib.mjs';
import { packageExtension } from './package.mjs';

const tiers = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const selected = tiers.length ? tiers : ['unit', 'integration', 'e2e'];
const resultsDir = path.join(root, 'test-results');
const mocha = path.join(root, 'node_modules/mocha/bin/mocha.js');
const totals = [];

function record(tier, results, note) {
  totals.push({ tier, passed: results.passed, failed: results.failed, pending: results.pending ?? 0, note });
}

function readResults(tier, file, status) {
  if (!existsSync(file)) {
    record(tier, { passed: 0, failed: 1 }, `no results file (exit ${status})`);
    return;
  }
  const results = JSON.parse(readFileSync(file, 'utf8'));
  record(tier, results);
}

/** A scratch workspace: the sample runbooks plus the integration fixtures. */
function makeWorkspace(name) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `preflight-${name}-`));
  cpSync(path.join(root, 'runbooks'), path.join(dir, 'runbooks'), { recursive: true });
  const fixtures = path.join(root, 'test/fixtures/workspace');
  if (existsSync(fixtures)) cpSync(fixtures, dir, { recursive: true });
  // VS Code's own git extension watches the repositories the tests make and, when one goes away
  // under it, throws (EPIPE) into the shared extension host, where mocha blames the running test.
  mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'git.enabled': false }, null, 2));
  return dir;
}

mkdirSync(resultsDir, { recursive: true });
mustRun(process.execPath, [path.join(root, 'scripts/build.mjs')]);
// The extension and tests, then the webview pages (DOM, no Node types): the same two checks as `npm run typecheck`.
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
const typecheck = [run(process.execPath, [tsc, '-p', '.', '--noEmit']), run(process.execPath, [tsc, '-p', 'src/webview', '--noEmit'])];
if (typecheck.some((status) => status !== 0)) {
  console.error('test: type check failed');
  record('typecheck', { passed: 0, failed: 1 });
}

if (selected.includes('unit')) {
  console.log('\n== unit (plain Node) ==');
  const file = path.join(resultsDir, 'unit.json');
  rmSync(file, { force: true });
  const status = run(process.execPath, [mocha, '--config', '.mocharc.json'], { env: { ...process.env, PREFLIGHT_RESULTS: file } });
  readResults('unit', file, status);
}

if (selected.includes('integration')) {
  console.log('\n== integration (VS Code extension host) ==');
  const { runInExtensionHost } = support('extensionHost');
  const workspace = makeWorkspace('integration');
  try {
    const results = await runInExtensionHost({
      testsPath: path.join(root, 'out/test/integration/index.js'),
      workspace,
      resultsFile: path.join(resultsDir, 'integration.json'),
      label: 'integration',
      env: { PREFLIGHT_GREP: process.env.PREFLIGHT_GREP ?? '' },
    });
    record('integration', results);
  } catch (err) {
    console.error(String(err?.stack ?? err));
    record('integration', { passed: 0, failed: 1 }, 'did not finish');
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

if (selected.includes('e2e')) {
  console.log('\n== end to end (Chromium driving VS Code, packaged .vsix) ==');
  const vsix = packageExtension();
  const file = path.join(resultsDir, 'e2e.json');
  rmSync(file, { force: true });
  const status = run(
    process.execPath,
    [mocha, '--no-config', '--reporter', './test/reporter.js', '--timeout', '180000', 'out/test/e2e/**/*.test.js'],
    { env: { ...process.env, PREFLIGHT_RESULTS: file, PREFLIGHT_VSIX: vsix } },
  );
  readResults('e2e', file, status);
}

console.log('\n== summary ==');
for (const t of totals) {
  console.log(`${t.tier}: ${t.passed} passed, ${t.failed} failed${t.pending ? `, ${t.pending} pending` : ''}${t.note ? ` (${t.note})` : ''}`);
}
const passed = totals.reduce((n, t) => n + t.passed, 0);
const failed = totals.reduce((n, t) => n + t.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
