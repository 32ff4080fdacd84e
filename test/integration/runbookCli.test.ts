import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { PreflightApi } from '../../src/extension';
import { activateExtension, testPrompts, waitFor, workspaceRoot } from '../support/integration';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const dir = () => path.join(workspaceRoot().fsPath, 'it-cli');
const logFolder = (name: string) => path.join(workspaceRoot().fsPath, '.preflight', 'runs', `it-cli--${name.replace(/\.md$/, '')}`);

function write(name: string, text: string): string {
  mkdirSync(dir(), { recursive: true });
  const file = path.join(dir(), name);
  writeFileSync(file, text);
  return file;
}

async function open(file: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  return doc;
}

async function titles(doc: vscode.TextDocument, line: number): Promise<string[]> {
  const all = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
  return all.filter((l) => l.range.start.line === line).map((l) => l.command?.title ?? '');
}

interface Event {
  type: string;
  pid?: number;
  status?: string;
  step?: { key: string };
}

function events(name: string): Event[] {
  const folder = logFolder(name);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) => readFileSync(path.join(folder, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Event));
}

/** The built CLI as a process, as an operator runs it in a terminal of this workspace. */
function cli(args: string[]): { child: ChildProcess; exit: Promise<number | null>; output: () => string } {
  // The extension host's executable runs the script as Node (Electron's too, with this variable).
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: workspaceRoot().fsPath,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', CI: '', GITHUB_ACTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  return { child, exit: new Promise((r) => child.once('exit', (code) => r(code))), output: () => output };
}

describe('runbooks run by the CLI', function () {
  let api: PreflightApi;
  let running: ChildProcess | undefined;

  before(async () => {
    api = await activateExtension();
    rmSync(dir(), { recursive: true, force: true });
  });
  afterEach(async () => {
    running?.kill('SIGKILL');
    running = undefined;
    api.runbooks.setRunPrompts(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows the results of a run the CLI made, and continues that run like its own', async () => {
    const text = '# From the CLI\n- [ ] Passes\n  ```sh\n  echo passed-in-cli\n  ```\n- [ ] Fails\n  ```sh\n  exit 3\n  ```\n- [ ] Later\n  ```sh\n  echo later\n  ```\n';
    const file = write('done.md', text);
    const run = cli(['run', file, '--workspace', workspaceRoot().fsPath]);
    assert.equal(await run.exit, 1, run.output());
    const doc = await open(file);
    assert.ok((await titles(doc, 1)).some((t) => t.startsWith('✓ ')), (await titles(doc, 1)).join(', '));
    assert.ok((await titles(doc, 5)).includes('✗ exit 3'), (await titles(doc, 5)).join(', '));
    assert.match(doc.getText(), /- \[x\] Passes/);

    // Fixed, the next step runs in the CLI's run: one log, a run-start of this window in it.
    writeFileSync(file, readFileSync(file, 'utf8').replace('exit 3', 'echo fixed'));
    await waitFor('the fix to load', () => doc.getText().includes('echo fixed'));
    const next = (await vscode.commands.executeCommand('preflight.runNextStep', doc.uri.toString())) as { status: string };
    assert.equal(next.status, 'passed');
    assert.equal(readdirSync(logFolder('done.md')).length, 1, 'the same log');
    const starts = events('done.md').filter((e) => e.type === 'run-start');
    assert.equal(starts.length, 2);
    assert.equal(starts[0].pid, run.child.pid, 'the CLI wrote its pid');
    assert.equal(starts[1].pid, process.pid);
  });

  it('shows a live CLI run as it goes and does not write into it while the CLI holds it', async () => {
    const gate = path.join(dir(), 'go');
    rmSync(gate, { force: true });
    const text = `# Live\n- [ ] Quick\n  \`\`\`sh\n  echo quick\n  \`\`\`\n- [ ] Waits\n  \`\`\`sh\n  while [ ! -f ${JSON.stringify(gate)} ]; do sleep 0.1; done\n  \`\`\`\n- [ ] Mine\n  \`\`\`sh\n  echo mine\n  \`\`\`\n`;
    const file = write('live.md', text);
    const doc = await open(file);
    const run = cli(['run', file, '--workspace', workspaceRoot().fsPath]);
    running = run.child;
    await waitFor('the CLI result to show', async () => (await titles(doc, 1)).some((t) => t.startsWith('✓ ')), 20_000);

    let asked = 0;
    api.runbooks.setRunPrompts(testPrompts({ startNewRun: async () => (asked++, false) }));
    const before = readdirSync(logFolder('live.md')).map((f) => readFileSync(path.join(logFolder('live.md'), f), 'utf8'));
    const mine = (await vscode.commands.executeCommand('preflight.runStep', { uri: doc.uri.toString(), line: 9, key: undefined })) as { status: string };
    assert.equal(mine.status, 'cancelled');
    assert.equal(asked, 1, 'asked to start a run of its own instead');
    const now = readdirSync(logFolder('live.md')).map((f) => readFileSync(path.join(logFolder('live.md'), f), 'utf8'));
    assert.ok(now.length === before.length && now.every((t, i) => t.startsWith(before[i])), 'nothing written into the CLI run');

    writeFileSync(gate, '');
    assert.equal(await run.exit, 0, run.output());
    running = undefined;
    await waitFor('the rest of the CLI run to show', async () => (await titles(doc, 5)).some((t) => t.startsWith('✓ ')), 20_000);
  });

  it('reads back the log of a CLI run ended by SIGTERM in the middle of a step', async () => {
    const text = '# Stopped\n- [ ] Sleeps\n  ```sh\n  echo "start""ed"\n  sleep 30\n  ```\n- [ ] Never\n  ```sh\n  echo never\n  ```\n';
    const file = write('stopped.md', text);
    const run = cli(['run', file, '--workspace', workspaceRoot().fsPath]);
    running = run.child;
    await waitFor('the step to start', () => /^started$/m.test(run.output()), 20_000);
    run.child.kill('SIGTERM');
    assert.equal(await run.exit, 130, run.output());
    running = undefined;
    const doc = await open(file);
    assert.ok((await titles(doc, 1)).includes('■ stopped'), (await titles(doc, 1)).join(', '));
    assert.deepEqual(await titles(doc, 6), ['▶ Run']);
    assert.equal(readFileSync(file, 'utf8'), text);
  });

  it('offers ▶ Run Block on a shell block outside any step: logged like a step, never ticked', async () => {
    const out = path.join(dir(), 'block.txt');
    const text = `# A README\n\nInstall it:\n\n\`\`\`sh\necho block-ran > ${JSON.stringify(out)}\n\`\`\`\n\n- a plain list\n`;
    const file = write('readme.md', text);
    const doc = await open(file);
    assert.deepEqual(await titles(doc, 4), ['▶ Run Block']);
    assert.deepEqual(await titles(doc, 0), ['☑ Convert Blocks to Steps']);
    const all = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
    const lens = all.find((l) => l.command?.title === '▶ Run Block')!;
    const result = (await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []))) as { status: string };
    assert.equal(result.status, 'passed');
    assert.equal(readFileSync(out, 'utf8'), 'block-ran\n');
    assert.equal(readFileSync(file, 'utf8'), text, 'nothing ticked, nothing changed');
    assert.deepEqual(events('readme.md').map((e) => e.type), ['run-start', 'step-start', 'step-end']);
    assert.match(events('readme.md')[1].step!.key, /^block:echo block-ran/);
    const after = await titles(doc, 4);
    assert.ok(after.includes('↻ Re-run Block') && after.some((t) => t.startsWith('✓ ')), after.join(', '));
  });

  it('turns the blocks of a README into checkbox steps in the editor', async () => {
    const text = '# Setup\n\n```sh {"name":"install"}\n$ npm ci\n```\n\n```bash\nnpm test\n```\n';
    const file = write('convert.md', text);
    const doc = await open(file);
    const count = await vscode.commands.executeCommand('preflight.convertBlocksToSteps', doc.uri.toString());
    assert.equal(count, 2);
    assert.equal(doc.getText(), '# Setup\n\n- [ ] install\n  ```sh {"name":"install"}\n  $ npm ci\n  ```\n\n- [ ] `npm test`\n  ```bash\n  npm test\n  ```\n');
    assert.equal(doc.isDirty, true, 'left for the operator to save');
    assert.ok((await titles(doc, 2)).includes('▶ Run'));
    assert.ok((await titles(doc, 0)).includes('▶ Run All'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
