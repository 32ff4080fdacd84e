import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT as REPO_ROOT } from '../support/fixtures';

const root = REPO_ROOT;
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return name.endsWith('.ts') ? [p] : [];
  });
}

describe('manifest', () => {
  it('is the extension preflight.preflight', () => {
    assert.equal(`${pkg.publisher}.${pkg.name}`, 'preflight.preflight');
    assert.equal(pkg.displayName, 'Preflight');
    assert.equal(pkg.engines.vscode, '^1.93.0');
    assert.equal(pkg.main, './dist/extension.js');
  });

  it('activates lazily and declares limited support for untrusted workspaces', () => {
    const events: string[] = pkg.activationEvents ?? [];
    assert.ok(!events.includes('*'), 'no "*" activation');
    assert.ok(!events.includes('onStartupFinished'), 'no onStartupFinished activation');
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  it('activates for a review panel VS Code restores after a reload', () => {
    assert.ok((pkg.activationEvents ?? []).includes('onWebviewPanel:preflight.releaseNotes'));
  });

  it('activates for the files that show version-pin CodeLenses, not only for markdown', () => {
    // The pins of YAML manifests, Dockerfiles and package.json are offered as soon as one is opened.
    const events: string[] = pkg.activationEvents ?? [];
    for (const language of ['markdown', 'yaml', 'dockerfile', 'json']) assert.ok(events.includes(`onLanguage:${language}`), `activates on ${language}: ${events.join(', ')}`);
  });

  it('puts every command in the Preflight category', () => {
    for (const c of pkg.contributes.commands) {
      assert.equal(c.category, 'Preflight', c.command);
    }
  });

  it('registers in code every command it contributes', () => {
    // Command ids are registered through the constants in src/common/commandIds.ts.
    const ids = readFileSync(path.join(root, 'src/common/commandIds.ts'), 'utf8');
    const code = sources(path.join(root, 'src')).map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const c of pkg.contributes.commands) {
      const m = new RegExp(`(\\w+): '${c.command.replace(/\./g, '\\.')}'`).exec(ids);
      assert.ok(m, `${c.command} has no constant in commandIds.ts`);
      assert.ok(new RegExp(`registerCommand\\(\\s*Commands\\.${m[1]}\\b`).test(code), `${c.command} is never registered`);
    }
  });

  it('contributes menus and keybindings only for contributed commands', () => {
    const known = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
    const menus: Record<string, { command?: string }[]> = pkg.contributes.menus ?? {};
    for (const [where, items] of Object.entries(menus)) {
      for (const item of items) {
        if (item.command) assert.ok(known.has(item.command), `${where}: ${item.command}`);
      }
    }
    for (const kb of pkg.contributes.keybindings ?? []) {
      assert.ok(known.has(kb.command), `keybinding: ${kb.command}`);
    }
  });
});
