import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { codeLens, openFile, openVsCode, type Session } from '../support/e2e';

/** A workspace with no markdown at all: only the files whose version pins Preflight reviews. */
function pinsOnlyWorkspace(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-e2e-pins-'));
  mkdirSync(path.join(dir, '.vscode'));
  writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none' }, null, 2));
  writeFileSync(path.join(dir, 'Dockerfile'), 'FROM nginx:1.25.3-alpine\nCOPY site /usr/share/nginx/html\n');
  writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  db:\n    image: postgres:15.4\n');
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'shop', version: '1.0.0', dependencies: { express: '4.18.2' } }, null, 2) + '\n');
  return dir;
}

describe('version-pin CodeLens without a markdown file opened first', function () {
  let vscode: Session;
  const workspace = pinsOnlyWorkspace();

  before(async function () {
    vscode = await openVsCode({ workspace });
  });

  after(async () => {
    await vscode?.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('shows the review lens in a Dockerfile opened first in the window', async () => {
    await openFile(vscode.page, 'Dockerfile');
    await codeLens(vscode.page, /Review release notes 1\.25\.3/).waitFor({ timeout: 60_000 });
    await vscode.screenshot('pin-lens-dockerfile-first');
  });

  it('shows it in YAML and package.json too', async () => {
    await openFile(vscode.page, 'compose.yaml');
    await codeLens(vscode.page, /Review release notes 15\.4/).waitFor({ timeout: 30_000 });
    await openFile(vscode.page, 'package.json');
    await codeLens(vscode.page, /Review release notes 4\.18\.2/).waitFor({ timeout: 30_000 });
    await vscode.screenshot('pin-lens-package-json');
  });
});
