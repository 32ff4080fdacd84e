import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT as REPO_ROOT } from '../support/fixtures';

const root = REPO_ROOT;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return name.endsWith('.ts') ? [p] : [];
  });
}

/** Every module specifier a TypeScript file imports, requires or dynamically imports. */
function specifiers(code: string): string[] {
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
  for (let m = re.exec(code); m; m = re.exec(code)) out.push(m[1]);
  return out;
}

describe('architecture', () => {
  const forbidden = ['vscode', '@octokit/rest'];
  // Node I/O lives in src/adapters: core reads and writes only through the ports it declares.
  const io = ['fs', 'fs/promises', 'child_process', 'http', 'https', 'http2', 'net', 'tls', 'dgram', 'zlib', 'worker_threads', 'readline', 'tty'];

  it('keeps src/core free of vscode and @octokit/rest', () => {
    const offenders: string[] = [];
    for (const file of sources(path.join(root, 'src/core'))) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (forbidden.some((f) => spec === f || spec.startsWith(`${f}/`))) {
          offenders.push(`${path.relative(root, file)} imports ${spec}`);
        }
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('keeps Node I/O out of src/core, and core out of the layers above it', () => {
    const coreDir = path.join(root, 'src/core');
    const offenders: string[] = [];
    for (const file of sources(coreDir)) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        const bare = spec.replace(/^node:/, '');
        if (io.includes(bare)) offenders.push(`${path.relative(root, file)} imports ${spec}`);
        if (spec.startsWith('.') && !path.resolve(path.dirname(file), spec).startsWith(coreDir + path.sep)) {
          offenders.push(`${path.relative(root, file)} imports ${spec}, outside src/core`);
        }
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('keeps src/app free of vscode, so the CLI and the extension share it', () => {
    const offenders = sources(path.join(root, 'src/app')).flatMap((file) =>
      specifiers(readFileSync(file, 'utf8'))
        .filter((s) => s === 'vscode')
        .map((s) => `${path.relative(root, file)} imports ${s}`),
    );
    assert.deepEqual(offenders, []);
  });

  it('reads settings in one module and nowhere else', () => {
    const readers = sources(path.join(root, 'src'))
      .filter((f) => /\.getConfiguration\(/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f));
    assert.deepEqual(readers, ['src/common/settings.ts']);
  });

  it('keeps every source file under 400 lines', () => {
    const long = sources(path.join(root, 'src'))
      .map((f) => [path.relative(root, f), readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, lines]) => lines > 400);
    assert.deepEqual(long, []);
  });

  it('detects the import forms it checks for', () => {
    const code = `import * as vscode from 'vscode';\nimport type { X } from "@octokit/rest";\nconst o = require('vscode');\nconst p = import('@octokit/rest');\nimport 'vscode';`;
    assert.deepEqual(specifiers(code), ['vscode', '@octokit/rest', 'vscode', '@octokit/rest', 'vscode']);
  });

  it('builds Octokit in one adapter file only', () => {
    const users = sources(path.join(root, 'src')).filter((f) =>
      specifiers(readFileSync(f, 'utf8')).some((s) => s === '@octokit/rest'),
    );
    assert.ok(users.length <= 1, `@octokit/rest imported by ${users.map((f) => path.relative(root, f)).join(', ')}`);
  });

  it('lets the webview pages import the extension for its types only, and nothing from Node or npm', () => {
    const webview = path.join(root, 'src/webview');
    const offenders: string[] = [];
    for (const file of sources(webview)) {
      const code = readFileSync(file, 'utf8');
      const typeOnly = new Set<string>();
      for (const m of code.matchAll(/^\s*(?:import|export)\s+type\s[^'"]*?from\s*['"]([^'"]+)['"]/gm)) typeOnly.add(m[1]);
      for (const spec of specifiers(code)) {
        const rel = path.relative(root, file);
        if (!spec.startsWith('.')) offenders.push(`${rel} imports ${spec}`);
        else if (!path.resolve(path.dirname(file), spec).startsWith(webview + path.sep) && !typeOnly.has(spec)) offenders.push(`${rel} imports ${spec} for more than its types`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it("keeps the review page's test-only messages to its timing and host modules", () => {
    const users = sources(path.join(root, 'src/webview')).filter((f) => specifiers(readFileSync(f, 'utf8')).some((s) => s.endsWith('/testProtocol')));
    assert.deepEqual(users.map((f) => path.basename(f)).sort(), ['host.ts', 'timing.ts']);
  });

  it('keeps each feature behind one register.ts and extension.ts only composing them', () => {
    const ext = readFileSync(path.join(root, 'src/extension.ts'), 'utf8');
    for (const spec of specifiers(ext)) {
      if (spec.startsWith('./')) {
        assert.match(spec, /^\.\/(common\/[\w]+|[\w]+\/register)$/, `extension.ts imports ${spec}`);
      }
    }
  });
});
