import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { PreflightApi } from '../../src/extension';
import { activateExtension, testPrompts, waitFor, workspaceRoot } from '../support/integration';

const dir = () => path.join(workspaceRoot().fsPath, 'it-hardening');
const logFolder = (name: string) => path.join(workspaceRoot().fsPath, '.preflight', 'runs', `it-hardening--${name.replace(/\.md$/, '')}`);

async function openRunbook(name: string, text: string): Promise<vscode.TextDocument> {
  mkdirSync(dir(), { recursive: true });
  const file = path.join(dir(), name);
  writeFileSync(file, text);
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  return doc;
}

async function lensTitles(doc: vscode.TextDocument, line: number): Promise<string[]> {
  const all = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
  return all.filter((l) => l.range.start.line === line).map((l) => l.command?.title ?? '');
}

interface Event {
  type: string;
  status?: string;
  decision?: string;
  reasons?: string[];
  output?: string;
  step?: { text: string };
}

function events(name: string): Event[] {
  const folder = logFolder(name);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) =>
      readFileSync(path.join(folder, f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as Event];
          } catch {
            return [];
          }
        }),
    );
}

const runStep = (doc: vscode.TextDocument, line: number) =>
  vscode.commands.executeCommand('preflight.runStep', { uri: doc.uri.toString(), line, key: undefined }) as Promise<{ status: string; tickRefused?: boolean }>;

describe('runbook hardening', function () {
  let api: PreflightApi;

  before(async () => {
    api = await activateExtension();
    rmSync(dir(), { recursive: true, force: true });
  });

  afterEach(async () => {
    api.runbooks.setRunPrompts(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('blocks a step whose confirm is invalid: no Run button, nothing runs, the reason is logged', async () => {
    const text = '# Gate\n- [ ] Start\n  ```sh\n  echo start\n  ```\n- [ ] Wipe\n  ```sh {"confirm":""}\n  touch it-hardening/wiped\n  ```\n';
    const doc = await openRunbook('gate.md', text);
    api.runbooks.setRunPrompts(testPrompts({}));
    assert.ok((await lensTitles(doc, 5)).some((t) => t.startsWith('⚠ Cannot run')));
    assert.ok(!(await lensTitles(doc, 5)).some((t) => /Run/.test(t) && !t.startsWith('⚠')));
    assert.equal((await runStep(doc, 1)).status, 'passed');
    assert.equal((await runStep(doc, 5)).status, 'blocked');
    assert.ok(!existsSync(path.join(dir(), 'wiped')), 'the command never ran');
    const blocked = events('gate.md').find((e) => e.type === 'step-blocked');
    assert.match(blocked?.reasons?.join(' ') ?? '', /confirm/);
    // Run All stops there too.
    const all = (await vscode.commands.executeCommand('preflight.runAll', doc.uri.toString())) as { status: string };
    assert.equal(all.status, 'blocked');
    assert.ok(!existsSync(path.join(dir(), 'wiped')));
    assert.match(readFileSync(doc.uri.fsPath, 'utf8'), /- \[ \] Wipe/);
  });

  it('Run Next and Run All stop at a manual step and ask; only "done" ticks it, and the log says which', async () => {
    const text = '# Manual\n- [ ] Tell the on-call engineer\n- [ ] Run\n  ```sh\n  echo ran\n  ```\n- [ ] Sign off\n- [ ] Last\n  ```sh\n  echo last\n  ```\n';
    const doc = await openRunbook('manual-gate.md', text);
    const asked: string[] = [];
    const decisions = ['skip', 'stop', 'done'] as const;
    api.runbooks.setRunPrompts(testPrompts({ manualStep: async (step) => (asked.push(step), decisions[asked.length - 1]) }));

    const next = (await vscode.commands.executeCommand('preflight.runNextStep', doc.uri.toString())) as { status: string };
    assert.equal(next.status, 'skipped');
    assert.equal(readFileSync(doc.uri.fsPath, 'utf8'), text, 'a skipped manual step is not ticked');

    const all = (await vscode.commands.executeCommand('preflight.runAll', doc.uri.toString())) as { status: string };
    assert.equal(all.status, 'cancelled', 'stopped at "Sign off"');
    let now = readFileSync(doc.uri.fsPath, 'utf8');
    assert.match(now, /- \[ \] Tell the on-call engineer/);
    assert.match(now, /- \[x\] Run/);
    assert.match(now, /- \[ \] Sign off/);
    assert.match(now, /- \[ \] Last/);

    await vscode.commands.executeCommand('preflight.runAll', doc.uri.toString());
    now = readFileSync(doc.uri.fsPath, 'utf8');
    assert.match(now, /- \[x\] Sign off/);
    assert.match(now, /- \[x\] Last/);
    assert.deepEqual(asked, ['Tell the on-call engineer', 'Sign off', 'Sign off']);
    assert.deepEqual(
      events('manual-gate.md').filter((e) => e.type === 'manual-prompt').map((e) => e.decision),
      ['skip', 'stop', 'done'],
    );
  });

  it('ticks the step that ran when lines were added above it meanwhile, on disk', async () => {
    const text = '# Edit\n- [ ] Slow\n  ```sh {"interactive":false}\n  sleep 1.5\n  ```\n- [ ] Other\n  ```sh\n  echo other\n  ```\n';
    const doc = await openRunbook('moved.md', text);
    const running = runStep(doc, 1);
    await waitFor('the step to start', () => events('moved.md').some((e) => e.type === 'step-start'), 10_000);
    writeFileSync(doc.uri.fsPath, text.replace('# Edit\n', '# Edit\n\nA note added while the step ran.\n'));
    const result = await running;
    assert.equal(result.status, 'passed');
    assert.equal(result.tickRefused, false);
    const after = readFileSync(doc.uri.fsPath, 'utf8');
    assert.match(after, /- \[x\] Slow/);
    assert.match(after, /- \[ \] Other/);
  });

  it('ticks nothing when the running step is renamed in the editor meanwhile, and says so', async () => {
    const text = '# Edit\n- [ ] Slow\n  ```sh {"interactive":false}\n  sleep 1.5\n  ```\n- [ ] Other\n  ```sh\n  echo other\n  ```\n';
    const doc = await openRunbook('renamed.md', text);
    const running = runStep(doc, 1);
    await waitFor('the step to start', () => events('renamed.md').some((e) => e.type === 'step-start'), 10_000);
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.replace(new vscode.Range(1, 6, 1, 10), 'Slower'));
    const result = await running;
    assert.equal(result.status, 'passed');
    assert.equal(result.tickRefused, true);
    assert.equal(doc.getText(), text.replace('Slow\n', 'Slower\n'), 'no box ticked in the editor');
    assert.ok(!events('renamed.md').some((e) => e.type === 'tick'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('ticks nothing when the identical twin before the running step is deleted meanwhile', async () => {
    const twin = '- [ ] Restart\n  ```sh {"interactive":false}\n  sleep 1.5\n  ```\n';
    const text = `# Twins\n${twin}${twin}`;
    const doc = await openRunbook('twins.md', text);
    const running = runStep(doc, 5);
    await waitFor('the step to start', () => events('twins.md').some((e) => e.type === 'step-start'), 10_000);
    writeFileSync(doc.uri.fsPath, `# Twins\n${twin}`);
    const result = await running;
    assert.equal(result.tickRefused, true);
    assert.equal(readFileSync(doc.uri.fsPath, 'utf8'), `# Twins\n${twin}`, 'the remaining twin stays unticked');
  });

  it('gives each terminal step its current variables, and leaves no secret in the shell after the step', async () => {
    const out = path.join(dir(), 'env-out');
    mkdirSync(out, { recursive: true });
    const text = [
      '---',
      'variables:',
      '  API_TOKEN:',
      '    secret: true',
      '  UNUSED:',
      '    prompt: never asked',
      '---',
      '# Env',
      '- [ ] First',
      '  ```sh',
      `  echo "$PREFLIGHT_STEP" > ${out}/first && test -n "$API_TOKEN" && echo "$API_TOKEN" | wc -c > ${out}/len`,
      '  ```',
      '- [ ] Second',
      '  ```sh',
      `  echo "$PREFLIGHT_STEP" > ${out}/second`,
      '  ```',
      '',
    ].join('\n');
    const doc = await openRunbook('env.md', text);
    const asked: string[] = [];
    api.runbooks.setRunPrompts(testPrompts({ variable: async (spec) => (asked.push(spec.name), 'tok-3141592653') }));
    assert.equal((await runStep(doc, 8)).status, 'passed');
    assert.equal((await runStep(doc, 12)).status, 'passed');
    assert.deepEqual(asked, ['API_TOKEN'], 'asked only for what the step uses');
    assert.equal(readFileSync(path.join(out, 'first'), 'utf8').trim(), 'First');
    assert.equal(readFileSync(path.join(out, 'second'), 'utf8').trim(), 'Second', 'the second step saw its own PREFLIGHT_STEP');
    assert.equal(readFileSync(path.join(out, 'len'), 'utf8').trim(), '15');

    // What the operator's shell holds after the steps: no secret.
    const terminal = vscode.window.terminals.find((t) => t.name.startsWith('Runbook: Env'));
    assert.ok(terminal?.shellIntegration, 'the runbook terminal has shell integration');
    const envFile = path.join(out, 'shell-env');
    const ended = new Promise<void>((resolve) => {
      const sub = vscode.window.onDidEndTerminalShellExecution((e) => {
        if (e.terminal === terminal) {
          sub.dispose();
          resolve();
        }
      });
    });
    terminal.shellIntegration.executeCommand(`env > ${envFile}`);
    await ended;
    const env = readFileSync(envFile, 'utf8');
    assert.ok(!env.includes('tok-3141592653'), 'the secret is not left in the shell');
    assert.ok(!/^API_TOKEN=/m.test(env));
    for (const log of readdirSync(logFolder('env.md'))) assert.ok(!readFileSync(path.join(logFolder('env.md'), log), 'utf8').includes('tok-3141592653'));
  });

  it('says that a working directory is missing instead of failing to spawn, and warns about one outside the workspace', async () => {
    const text = '# Cwd\n- [ ] Here\n  ```sh {"cwd":"no/such/dir","interactive":false}\n  pwd\n  ```\n- [ ] Outside\n  ```sh {"cwd":"/tmp"}\n  pwd\n  ```\n';
    const doc = await openRunbook('cwd.md', text);
    assert.equal((await runStep(doc, 1)).status, 'cancelled');
    assert.ok(!events('cwd.md').some((e) => e.type === 'step-start'));
    const diags = await waitFor('cwd diagnostics', () => {
      const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.code === 'cwd');
      return d.length >= 2 ? d : undefined;
    });
    assert.ok(diags.some((d) => d.range.start.line === 2 && /does not exist/.test(d.message)));
    assert.ok(diags.some((d) => d.range.start.line === 6 && /outside the workspace/.test(d.message)));
  });

  describe('the run log', () => {
    let holder: ChildProcess | undefined;
    after(() => holder?.kill());

    const seed = (name: string, lines: string[]) => {
      mkdirSync(logFolder(name), { recursive: true });
      writeFileSync(path.join(logFolder(name), '20200101-000000.000Z-aaaa.jsonl'), lines.join('\n'));
    };
    const start = (pid: number) =>
      JSON.stringify({ type: 'run-start', runId: 'seeded', time: '2020-01-01T00:00:00.000Z', runbook: 'x.md', title: 'Seeded', operator: 'someone', host: os.hostname(), pid });

    it('does not write into a run another live process holds', async () => {
      holder = spawn('sleep', ['60'], { stdio: 'ignore' });
      await new Promise((r) => holder!.once('spawn', r));
      const text = '# Held\n- [ ] Step\n  ```sh\n  echo hi\n  ```\n';
      seed('held.md', [start(holder.pid!), '']);
      const before = readdirSync(logFolder('held.md')).map((f) => readFileSync(path.join(logFolder('held.md'), f), 'utf8'));
      const doc = await openRunbook('held.md', text);
      let asked = 0;
      api.runbooks.setRunPrompts(testPrompts({ startNewRun: async () => (asked++, false) }));
      assert.equal((await runStep(doc, 1)).status, 'cancelled');
      assert.equal(asked, 1);
      assert.deepEqual(readdirSync(logFolder('held.md')).map((f) => readFileSync(path.join(logFolder('held.md'), f), 'utf8')), before, 'the held log is untouched');
      api.runbooks.setRunPrompts(testPrompts({ startNewRun: async () => true }));
      assert.equal((await runStep(doc, 1)).status, 'passed');
      assert.equal(readdirSync(logFolder('held.md')).length, 2, 'a new run in a file of its own');
    });

    it('continues a run whose last record was cut off, on a line of its own', async () => {
      const text = '# Cut\n- [ ] Step\n  ```sh\n  echo hi\n  ```\n';
      seed('cut.md', [start(2 ** 22 + 12345), '{"type":"step-start","runId":"seeded","ti']);
      const doc = await openRunbook('cut.md', text);
      assert.equal((await runStep(doc, 1)).status, 'passed');
      const types = events('cut.md').map((e) => e.type);
      assert.deepEqual(types, ['run-start', 'run-start', 'step-start', 'step-end', 'tick'], 'the resumed run is recorded and no new record is lost');
    });
  });
});
