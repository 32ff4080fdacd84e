/**
 * The CLI package a pipeline installs: `npm pack` of the generated manifest gives a tarball that
 * installs offline (no dependencies) and puts a working `preflight` on the path. Uses the
 * dist/cli.js the unit-test build wrote.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/fixtures';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('CLI package', function () {
  this.timeout(120_000);
  let dir: string;
  let tarball: string;

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-cli-package-'));
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/package-cli.mjs'), '--no-build', '--out', dir], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    tarball = path.join(dir, 'preflight-runbooks-' + JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version + '.tgz');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the bundled CLI, its manifest and README, and no dependencies', () => {
    const list = spawnSync('tar', ['tzf', tarball], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    assert.deepEqual(list.stdout.trim().split('\n').sort(), ['package/README.md', 'package/dist/cli.js', 'package/package.json']);
    const manifest = JSON.parse(spawnSync('tar', ['xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }).stdout);
    assert.equal(manifest.name, 'preflight-runbooks');
    assert.deepEqual(manifest.bin, { preflight: 'dist/cli.js' });
    assert.equal(manifest.dependencies, undefined);
    assert.equal(manifest.devDependencies, undefined);
  });

  it('installs offline into a prefix and runs preflight --help and preflight notes', () => {
    const prefix = path.join(dir, 'prefix');
    const install = spawnSync(npm, ['install', '--prefix', prefix, tarball, '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { encoding: 'utf8' });
    assert.equal(install.status, 0, install.stderr);
    const bin = path.join(prefix, 'node_modules', '.bin', 'preflight');
    const env = { PATH: process.env.PATH, HOME: dir };
    const help = spawnSync(bin, ['--help'], { encoding: 'utf8', env, cwd: dir });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: preflight <command>/);
    const changelog = path.join(ROOT, 'test/fixtures/plan/CHANGELOG.md');
    const notes = spawnSync(bin, ['notes', '--source', `file:${changelog}`, '--from', '2.9.4', '--to', '3.1.0'], { encoding: 'utf8', env, cwd: dir });
    assert.equal(notes.status, 0, notes.stderr);
    assert.match(notes.stdout, /You must upgrade to 2\.9\.x first/);
    const gate = spawnSync(bin, ['notes', '--source', `file:${changelog}`, '--from', '2.9.4', '--to', '3.1.0', '--fail-on', 'upgrade_path'], { encoding: 'utf8', env, cwd: dir });
    assert.equal(gate.status, 3, gate.stderr);
  });
});
