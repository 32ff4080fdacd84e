// `npm run demo`: VS Code in the browser on 127.0.0.1 with Preflight installed from a freshly
// packaged .vsix and a copy of the sample runbooks/ open. Ctrl+C stops it.
// Options: --port N (default 8080, or a free one), --reset (start from a fresh copy of runbooks/).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { root, support, testEnv } from './lib.mjs';
import { packageExtension } from './package.mjs';
import { prepareDemoWorkspace } from './demoWorkspace.mjs';

const argv = process.argv.slice(2);
const portArg = argv.indexOf('--port');
const demoDir = path.join(root, testEnv.cacheDir, 'demo');
const workspace = path.join(demoDir, 'workspace');

const vsix = packageExtension({ quiet: true });
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
const server = await startServer({ ...options, port });
console.log(`Preflight demo: VS Code is serving ${workspace}`);
console.log(`Open ${server.url}/?folder=${encodeURIComponent(workspace)}`);
console.log('Press Ctrl+C to stop.');
const stop = () => {
  server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => {}, 1 << 30);
