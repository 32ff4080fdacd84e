/**
 * The version-pin lens in the real editor: a package.json pin shows the version its lockfile
 * records, follows the lockfile when it changes, and an image tag without a patch shows its line.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, waitFor, workspaceRoot } from '../support/integration';

const lockV3 = (expressVersion: string, web: Record<string, string> = {}) =>
  JSON.stringify(
    {
      name: 'chat',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'chat', workspaces: ['packages/web'], dependencies: { express: '^4.18.2' } },
        'node_modules/express': { version: expressVersion },
        'packages/web': { name: 'web', dependencies: { react: '^18.2.0' } },
        ...Object.fromEntries(Object.entries(web).map(([name, version]) => [`packages/web/node_modules/${name}`, { version }])),
      },
    },
    null,
    2,
  );

async function lensTitles(uri: vscode.Uri, expected?: (titles: string[]) => boolean): Promise<string[]> {
  // The lens provider runs on an open document's model.
  await vscode.workspace.openTextDocument(uri);
  return waitFor(`pin lenses of ${path.basename(uri.fsPath)}`, async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
    const titles = (lenses ?? []).map((l) => l.command?.title ?? '');
    return titles.length && (!expected || expected(titles)) ? titles : undefined;
  });
}

describe('version-pin lenses', function () {
  const dir = () => path.join(workspaceRoot().fsPath, 'it-lockfile');

  before(async () => {
    await activateExtension();
    rmSync(dir(), { recursive: true, force: true });
    mkdirSync(path.join(dir(), 'packages', 'web'), { recursive: true });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(dir(), { recursive: true, force: true });
  });

  it('shows the version package-lock.json locks, not the lower bound of the range, and follows the lockfile', async () => {
    const pkg = path.join(dir(), 'package.json');
    writeFileSync(pkg, '{\n  "name": "chat",\n  "dependencies": {\n    "express": "^4.18.2"\n  }\n}\n');
    writeFileSync(path.join(dir(), 'package-lock.json'), lockV3('4.21.2'));
    const doc = await vscode.workspace.openTextDocument(pkg);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.arguments]),
      [[3, 'Review release notes 4.21.2 → latest', [{ source: 'npm:express', from: '4.21.2', to: 'latest' }]]],
    );
    assert.match(lenses[0].command?.tooltip ?? '', /4\.21\.2 as package-lock\.json locks it/);

    // npm install moved the lock on: the lens follows without the package.json changing.
    writeFileSync(path.join(dir(), 'package-lock.json'), lockV3('4.22.0'));
    assert.deepEqual(await lensTitles(doc.uri, (t) => t[0].includes('4.22.0')), ['Review release notes 4.22.0 → latest']);

    // Without a lockfile the lens says the range, not a version nobody may run.
    rmSync(path.join(dir(), 'package-lock.json'));
    assert.deepEqual(await lensTitles(doc.uri, (t) => t[0].includes('^')), ['Review release notes ^4.18.2 → latest']);
  });

  it('reads the lockfile at the root of an npm workspace for one of its packages', async () => {
    writeFileSync(path.join(dir(), 'package-lock.json'), lockV3('4.21.2', { react: '18.3.1' }));
    const web = path.join(dir(), 'packages', 'web', 'package.json');
    writeFileSync(web, '{\n  "name": "web",\n  "dependencies": {\n    "react": "^18.2.0"\n  }\n}\n');
    assert.deepEqual(await lensTitles(vscode.Uri.file(web)), ['Review release notes 18.3.1 → latest']);
  });

  it('shows a tag without its patch as the release line it follows', async () => {
    const compose = path.join(dir(), 'compose.yaml');
    writeFileSync(compose, 'services:\n  proxy:\n    image: nginx:1.25-alpine\n');
    const doc = await vscode.workspace.openTextDocument(compose);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
    assert.deepEqual(
      lenses.map((l) => [l.command?.title, l.command?.arguments?.[0]?.from]),
      [['Review release notes 1.25.x → latest', '1.25.x']],
    );
  });
});
