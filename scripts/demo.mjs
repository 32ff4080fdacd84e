// `npm run demo`: VS Code in the browser on 127.0.0.1 with Preflight installed from a freshly
// packaged .vsix and a copy of the sample runbooks/ open, and a local GitHub (the test server) that
// the workspace's origin and the GitHub settings point at, to try the plan's pull request. Ctrl+C stops it.
// Options: --port N (default 8080, or a free one; the GitHub takes the next one when free),
// --reset (start from a fresh copy of runbooks/).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { root, support, testEnv } from './lib.mjs';
import { packageExtension } from './package.mjs';
import { pointAtGitHub, prepareDemoWorkspace } from './demoWorkspace.mjs';
import { DEMO_APP, DEMO_REPO, pointSettingsAtGitHub, startDemoGitHub } from './demoGitHub.mjs';

const argv = process.argv.slice(2);
const portArg = argv.indexOf('--port');
// PREFLIGHT_DEMO_DIR and PREFLIGHT_VSIX (a package to install instead of a fresh one) are for the demo's own test.
const demoDir = process.env.PREFLIGHT_DEMO_DIR || path.join(root, testEnv.cacheDir, 'demo');
const workspace = path.join(demoDir, 'workspace');

const vsix = process.env.PREFLIGHT_VSIX || packageExtension({ quiet: true });
const { installVsix, startServer, freePort } = support('vscodeServer');
if (argv.includes('--reset')) rmSync(workspace, { recursive: true, force: true });
// Its own git repository, opening on the walkthrough and the demo runbook.
prepareDemoWorkspace(workspace);
const options = { dataDir: path.join(demoDir, 'data'), extensionsDir: path.join(demoDir, 'extensions'), label: 'demo' };
installVsix(options, vsix);

let port = portArg >= 0 ? Number(argv[portArg + 1]) : 8080;
if (portArg < 0) {
  const probe = await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false);
  if (probe) port = await freePort();
}
const github = await startDemoGitHub(port + 1);
pointAtGitHub(workspace, github.url, DEMO_REPO);
pointSettingsAtGitHub(path.join(options.dataDir, 'user'), github.url);
// VS Code for the Web opens a local address through a proxy path this server does not have, and
// without its path: the one local address the demo opens is its GitHub's sign-in page, so local
// addresses go to the demo's GitHub, whose root accepts the sign-in code.
const server = await startServer({ ...options, port, env: { VSCODE_PROXY_URI: `${github.url}/` } });
console.log(`Preflight demo: VS Code is serving ${workspace}`);
console.log(`Open ${server.url}/?folder=${encodeURIComponent(workspace)}`);
console.log('');
console.log(`The demo's GitHub is ${github.url} (the workspace's origin is ${DEMO_REPO} there). To try a plan's pull request:`);
console.log(`  1. Preflight: Review Release Notes..., source github:${DEMO_APP}, from 1.4.0 to 2.1.0; then Create Upgrade Plan in the panel.`);
console.log('  2. Preflight: Open Plan Pull Request; sign in to GitHub Enterprise with the code VS Code shows (the page accepts it).');
console.log(`  3. See it, and approve it as a reviewer, at ${github.url}/${DEMO_REPO}/pulls: the plan's steps from the backup on wait for that.`);
console.log('Press Ctrl+C to stop.');
const stop = () => {
  server.stop();
  void github.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => {}, 1 << 30);
