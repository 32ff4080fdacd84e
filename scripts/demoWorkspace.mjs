// The demo's workspace: a copy of runbooks/, its own git repository (so VS Code does not offer
// the repository of a parent folder), and the marker that makes Preflight open on its walkthrough
// and the demo runbook. `node scripts/demoWorkspace.mjs DIR` prepares DIR when it is not there.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { root } from './lib.mjs';

function git(cwd, ...args) {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${r.stderr || r.error}`);
  return r.stdout;
}

export function prepareDemoWorkspace(workspace) {
  if (existsSync(workspace)) return workspace;
  mkdirSync(workspace, { recursive: true });
  cpSync(path.join(root, 'runbooks'), path.join(workspace, 'runbooks'), { recursive: true });
  writeFileSync(path.join(workspace, '.preflight-demo'), 'This folder is the Preflight demo: Preflight opens its walkthrough and runbooks/demo.md here.\n');
  mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  writeFileSync(path.join(workspace, '.vscode', 'settings.json'), `${JSON.stringify({ 'workbench.startupEditor': 'none' }, null, 2)}\n`);
  writeFileSync(path.join(workspace, '.gitignore'), '.preflight/\n');
  git(workspace, 'init', '--quiet', '--initial-branch=main');
  git(workspace, 'add', '-A');
  git(workspace, '-c', 'user.name=Preflight demo', '-c', 'user.email=demo@preflight.invalid', 'commit', '--quiet', '-m', 'Demo runbooks');
  return workspace;
}

/**
 * Points the demo's workspace at the demo's GitHub: its origin is a repository there (a new port on
 * each start), so that the plan's pull request can be opened. Nothing is pushed: Preflight writes
 * through the API.
 */
export function pointAtGitHub(workspace, url, repo) {
  const remote = `${url}/${repo}.git`;
  const current = spawnSync('git', ['remote', 'get-url', 'origin'], { cwd: workspace, encoding: 'utf8' });
  if (current.status === 0) git(workspace, 'remote', 'set-url', 'origin', remote);
  else git(workspace, 'remote', 'add', 'origin', remote);
  return remote;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node scripts/demoWorkspace.mjs DIR');
    process.exit(2);
  }
  console.log(prepareDemoWorkspace(path.resolve(dir)));
}
