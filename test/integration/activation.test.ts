import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID } from '../support/integration';

describe('activation', () => {
  it('activates and reports how long activate() took', async () => {
    const api = await activateExtension();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    assert.equal(typeof api.activationTimeMs, 'number');
    assert.ok(api.activationTimeMs >= 0);
  });

  it('registers every command it contributes', async () => {
    await activateExtension();
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { commands: { command: string }[] };
    };
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = pkg.contributes.commands.map((c) => c.command).filter((c) => !registered.has(c));
    assert.deepEqual(missing, []);
  });

  it('runs the Show Log command', async () => {
    await activateExtension();
    await vscode.commands.executeCommand('preflight.showLog');
  });
});
