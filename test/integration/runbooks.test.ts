import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, testPrompts, waitFor, workspaceRoot } from '../support/integration';
import type { PreflightApi } from '../../src/extension';

const dir = () => path.join(workspaceRoot().fsPath, 'it-runbooks');

/** Writes a runbook into the workspace and opens it in an editor. */
async function openRunbook(name: string, text: string): Promise<vscode.TextDocument> {
  mkdirSync(dir(), { recursive: true });
  const file = path.join(dir(), name);
  writeFileSync(file, text);
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  return doc;
}

async function lenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
}

/** Finds the CodeLens on a line by its title and runs its command, as a click does. */
async function clickLens(doc: vscode.TextDocument, line: number, title: RegExp): Promise<unknown> {
  const lens = (await lenses(doc)).find((l) => l.range.start.line === line && l.command && title.test(l.command.title));
  assert.ok(lens?.command, `no "${title}" CodeLens on line ${line + 1}: ${(await lenses(doc)).filter((l) => l.range.start.line === line).map((l) => l.command?.title).join(', ')}`);
  return vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
}

interface LogEvent {
  type: string;
  status?: string;
  exitCode?: number | null;
  output?: string;
  accepted?: boolean;
  step?: { key: string; text: string; line: number };
}

function logEvents(runbookName: string): LogEvent[] {
  const folder = path.join(workspaceRoot().fsPath, '.preflight', 'runs', `it-runbooks--${runbookName.replace(/\.md$/, '')}`);
  if (!existsSync(folder)) return [];
  const files = readdirSync(folder).filter((f) => f.endsWith('.jsonl')).sort();
  return files.flatMap((f) => readFileSync(path.join(folder, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
}

function diffBytes(a: string, b: string): number {
  assert.equal(a.length, b.length, 'length changed');
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

describe('runbooks', function () {
  let api: PreflightApi;

  before(async () => {
    api = await activateExtension();
    rmSync(dir(), { recursive: true, force: true });
    rmSync(path.join(workspaceRoot().fsPath, '.preflight'), { recursive: true, force: true });
  });

  afterEach(async () => {
    api.runbooks.setRunPrompts(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('runs a step from its ▶ Run CodeLens, ticks its box with a one-character edit and logs the run', async () => {
    const text = '---\ntitle: Pass\n# a comment that must survive\n---\r\n\r\n# Pass\r\n\r\n- [ ] Say hello  \r\n\t```sh {"name":"hello"}\r\n\techo hello-from-step\r\n\t```\r\n- [ ] Later\r\n';
    const doc = await openRunbook('pass.md', text);
    const result = (await clickLens(doc, 7, /▶ Run/)) as { status: string };
    assert.equal(result.status, 'passed');
    const after = readFileSync(doc.uri.fsPath, 'utf8');
    assert.equal(diffBytes(text, after), 1);
    assert.ok(after.includes('- [x] Say hello  \r\n'), after);
    assert.equal(doc.isDirty, false, 'saved after the tick');
    const events = logEvents('pass.md');
    assert.deepEqual(events.map((e) => e.type), ['run-start', 'step-start', 'step-end', 'tick']);
    const end = events[2];
    assert.equal(end.status, 'passed');
    assert.equal(end.exitCode, 0);
    assert.equal(end.step?.key, 'hello');
    assert.match(end.output ?? '', /hello-from-step/);
    const titles = (await lenses(doc)).filter((l) => l.range.start.line === 7).map((l) => l.command?.title);
    assert.ok(titles.includes('↻ Re-run'), titles.join(', '));
    assert.ok(titles.some((t) => t?.startsWith('✓ ')), titles.join(', '));
  });

  it('leaves a failing step unticked, shows the exit code and offers the Rollback section', async () => {
    const text = '# Fail\n\n- [ ] Fails in the middle\n  ```bash\n  echo before\n  (exit 7)\n  echo after-the-failure\n  ```\n\n## Rollback\n\n- [ ] Undo\n  ```sh\n  echo undo\n  ```\n';
    const doc = await openRunbook('fail.md', text);
    const result = (await clickLens(doc, 2, /▶ Run/)) as { status: string; exitCode: number };
    assert.equal(result.status, 'failed');
    assert.equal(result.exitCode, 7);
    assert.equal(readFileSync(doc.uri.fsPath, 'utf8'), text, 'file unchanged');
    const events = logEvents('fail.md');
    const end = events.find((e) => e.type === 'step-end')!;
    assert.match(end.output ?? '', /before/);
    assert.doesNotMatch(end.output ?? '', /after-the-failure/, 'the block stops at the failing command');
    assert.ok(events.some((e) => e.type === 'rollback-offer'), 'rollback offered');
    const titles = (await lenses(doc)).filter((l) => l.range.start.line === 2).map((l) => l.command?.title);
    assert.ok(titles.includes('✗ exit 7'), titles.join(', '));
  });

  it('keeps the shell between steps: cd and export persist, and a failure does not end the shell', async () => {
    mkdirSync(path.join(dir(), 'sub'), { recursive: true });
    const text = [
      '# Shell',
      '- [ ] Go to sub',
      '  ```sh',
      '  cd it-runbooks/sub && export PREFLIGHT_IT=kept',
      '  ```',
      '- [ ] Fail',
      '  ```sh',
      '  false',
      '  ```',
      '- [ ] Check',
      '  ```sh',
      '  test "$PREFLIGHT_IT" = kept && basename "$PWD"',
      '  ```',
      '',
    ].join('\n');
    const doc = await openRunbook('shell.md', text);
    assert.equal(((await clickLens(doc, 1, /▶ Run/)) as { status: string }).status, 'passed');
    assert.equal(((await clickLens(doc, 5, /▶ Run/)) as { status: string }).status, 'failed');
    const third = (await clickLens(doc, 9, /▶ Run/)) as { status: string };
    assert.equal(third.status, 'passed');
    const ends = logEvents('shell.md').filter((e) => e.type === 'step-end');
    assert.match(ends[2].output ?? '', /\bsub\b/);
  });

  it('Run All stops at the first failure', async () => {
    const text = '# All\n- [ ] One\n  ```sh\n  echo one\n  ```\n- [ ] Two fails\n  ```sh\n  exit 3\n  ```\n- [ ] Three\n  ```sh\n  echo three\n  ```\n';
    const doc = await openRunbook('all.md', text);
    const result = (await vscode.commands.executeCommand('preflight.runAll', doc.uri.toString())) as { status: string };
    assert.equal(result.status, 'failed');
    const after = readFileSync(doc.uri.fsPath, 'utf8');
    assert.match(after, /- \[x\] One/);
    assert.match(after, /- \[ \] Two fails/);
    assert.match(after, /- \[ \] Three/);
    const started = logEvents('all.md').filter((e) => e.type === 'step-start').map((e) => e.step?.text);
    assert.deepEqual(started, ['One', 'Two fails']);
  });

  it('runs a confirm step only when the exact word is typed, showing the resolved command with secrets masked', async () => {
    const text = [
      '---',
      'variables:',
      '  TARGET:',
      '    default: prod-db',
      '  TOKEN:',
      '    secret: true',
      '---',
      '# Confirm',
      '- [ ] Dangerous',
      '  ```sh {"confirm":"production"}',
      '  echo "wiping $TARGET with $TOKEN"',
      '  ```',
      '',
    ].join('\n');
    const doc = await openRunbook('confirm.md', text);
    const shown: string[] = [];
    api.runbooks.setRunPrompts(
      testPrompts({
        variable: async (spec) => (spec.name === 'TOKEN' ? 's3cr3t-value' : undefined),
        confirm: async (_word, _step, command) => {
          shown.push(command);
          return false;
        },
      }),
    );
    const declined = (await clickLens(doc, 8, /▶ Run/)) as { status: string };
    assert.equal(declined.status, 'declined');
    assert.equal(readFileSync(doc.uri.fsPath, 'utf8'), text);
    assert.equal(shown[0].trim(), 'echo "wiping prod-db with ••••••"');
    assert.ok(!logEvents('confirm.md').some((e) => e.type === 'step-start'), 'nothing ran');

    api.runbooks.setRunPrompts(
      testPrompts({
        variable: async () => 'never-asked-again',
        confirm: async (word) => word === 'production',
      }),
    );
    const accepted = (await clickLens(doc, 8, /▶ Run/)) as { status: string };
    assert.equal(accepted.status, 'passed');
    const raw = readFileSync(path.join(workspaceRoot().fsPath, '.preflight', 'runs', 'it-runbooks--confirm', readdirSync(path.join(workspaceRoot().fsPath, '.preflight', 'runs', 'it-runbooks--confirm'))[0]), 'utf8');
    assert.ok(!raw.includes('s3cr3t-value'), 'the secret is never written to the log');
    assert.match(raw, /wiping prod-db with ••••••/);
    assert.deepEqual(
      logEvents('confirm.md').filter((e) => e.type === 'confirm').map((e) => e.accepted),
      [false, true],
    );
  });

  it('ends a step at its timeout', async () => {
    const text = '# Slow\n- [ ] Sleeps\n  ```sh {"timeout":1,"interactive":false}\n  sleep 20\n  ```\n';
    const doc = await openRunbook('slow.md', text);
    const started = Date.now();
    const result = (await clickLens(doc, 1, /▶ Run/)) as { status: string };
    assert.equal(result.status, 'timed-out');
    assert.ok(Date.now() - started < 15_000);
    assert.equal(readFileSync(doc.uri.fsPath, 'utf8'), text);
  });

  it('stops a running step from the Stop command, leaving it unticked', async () => {
    const text = '# Stop\n- [ ] Waits\n  ```sh\n  echo started; sleep 30\n  ```\n';
    const doc = await openRunbook('stop.md', text);
    const running = clickLens(doc, 1, /▶ Run/) as Promise<{ status: string }>;
    await waitFor('the step to start', async () => (await lenses(doc)).some((l) => l.command?.title === '■ Stop'), 20_000);
    await vscode.commands.executeCommand('preflight.stopStep', doc.uri.toString());
    const result = await running;
    assert.equal(result.status, 'stopped');
    assert.equal(readFileSync(doc.uri.fsPath, 'utf8'), text);
    const end = logEvents('stop.md').find((e) => e.type === 'step-end') as { status?: string; durationMs?: number; output?: string } | undefined;
    assert.equal(end?.status, 'stopped');
    assert.ok((end?.durationMs ?? 0) < 20_000, `ended after ${end?.durationMs} ms: ${end?.output}`);
  });

  it('marks a manual step done and exports a run report', async () => {
    const text = '# Manual\n- [ ] Call the on-call engineer\n- [ ] Run\n  ```sh\n  echo ok\n  ```\n';
    const doc = await openRunbook('manual.md', text);
    await clickLens(doc, 1, /✓ Mark done/);
    assert.match(readFileSync(doc.uri.fsPath, 'utf8'), /- \[x\] Call the on-call engineer/);
    const report = (await vscode.commands.executeCommand('preflight.exportRunReport', doc.uri.toString())) as vscode.Uri;
    const md = readFileSync(report.fsPath, 'utf8');
    assert.match(md, /\| Step \| Who \| Start \| Duration \| Result \|/);
    assert.match(md, /Call the on-call engineer/);
  });

  it('reports malformed front matter and bad fence attributes in the Problems panel', async () => {
    const text = '---\ntitle: [unclosed\n---\n# Bad\n- [ ] Step\n  ```sh {"timeout": "soon", "colour": 1}\n  echo hi\n  ```\n';
    const doc = await openRunbook('bad.md', text);
    const diags = await waitFor('diagnostics', () => {
      const d = vscode.languages.getDiagnostics(doc.uri);
      return d.length >= 2 ? d : undefined;
    });
    assert.ok(diags.some((d) => d.range.start.line <= 2 && d.severity === vscode.DiagnosticSeverity.Error), 'front matter error near its line');
    assert.ok(diags.some((d) => d.range.start.line === 5), 'fence attribute problem on the fence line');
  });

  it('shows nothing to run in a markdown file without runbook steps', async () => {
    const doc = await openRunbook('readme.md', '# Notes\n\n- [ ] buy milk\n');
    assert.deepEqual(await lenses(doc), []);
  });
});
