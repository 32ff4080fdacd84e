import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createStepShell, type BlockRun, type StepShell } from '../../../../src/adapters/exec/shellSession';

const block = (script: string, extra: Partial<BlockRun> = {}): BlockRun => ({ script, label: 'test', env: {}, secrets: new Map(), ...extra });

async function run(shell: StepShell, b: BlockRun): Promise<{ status: string; exitCode: number | null; output: string; error?: string }> {
  let output = '';
  const r = await shell.run(b, (c) => (output += c)).done;
  return { ...r, output };
}

for (const name of ['bash', 'zsh']) {
  describe(`the ${name} session of a headless run`, () => {
    let dir: string;
    let tmp: string;
    let shell: StepShell;
    before(() => {
      dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), `preflight-session-${name}-`)));
      mkdirSync(path.join(dir, 'sub'));
      tmp = path.join(dir, 'tmp');
      mkdirSync(tmp);
    });
    beforeEach(() => (shell = createStepShell({ shell: name, cwd: dir, env: { ...process.env, FROM_PARENT: 'inherited' }, graceMs: 500, tmpDir: tmp })));
    afterEach(() => shell.close());
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('keeps cd and export between blocks, in one shell', async () => {
      assert.equal(shell.persistent, true);
      const first = await run(shell, block('cd sub\nexport KEPT=yes\necho "pid=$$"'));
      assert.equal(first.status, 'passed');
      const second = await run(shell, block('echo "$KEPT $(basename "$PWD") $FROM_PARENT"\necho "pid=$$"'));
      assert.match(second.output, /^yes sub inherited\n/);
      assert.equal(first.output.match(/pid=\d+/)![0], second.output.match(/pid=\d+/)![0], 'the same shell process');
    });

    it('fails a block at its first failing command with its status, keeps stdout and stderr in order, and goes on', async () => {
      const r = await run(shell, block('echo one\necho two >&2\n(exit 7)\necho never'));
      assert.deepEqual(r, { status: 'failed', exitCode: 7, output: 'one\ntwo\n' });
      assert.deepEqual(await run(shell, block('exit 3')), { status: 'failed', exitCode: 3, output: '' });
      assert.deepEqual(await run(shell, block('echo still here')), { status: 'passed', exitCode: 0, output: 'still here\n' });
    });

    it('gives each block its variables, secrets through a pipe that are gone afterwards, and no stdin', async () => {
      const r = await run(shell, block('echo "$PLAIN ${#TOKEN}"\ncat\necho "read $?"', { env: { PLAIN: 'p' }, secrets: new Map([['TOKEN', 'tok-12345']]) }));
      assert.deepEqual(r, { status: 'passed', exitCode: 0, output: 'p 9\nread 0\n' });
      assert.equal((await run(shell, block('echo "[${TOKEN-unset}] [$PLAIN]"'))).output, '[unset] [p]\n');
    });

    it('runs a block in its own cwd and comes back', async () => {
      assert.equal((await run(shell, block('basename "$PWD"', { cwd: path.join(dir, 'sub') }))).output, 'sub\n');
      assert.equal((await run(shell, block('echo "$PWD"'))).output, `${dir}\n`);
    });

    it('still sees where a block ends when it redirects its own output', async () => {
      const r = await run(shell, block('echo shown\nexec >/dev/null\necho hidden'));
      assert.deepEqual(r, { status: 'passed', exitCode: 0, output: 'shown\n' });
    });

    it('streams output as it comes, also a long output in many chunks', async () => {
      const chunks: string[] = [];
      const exec = shell.run(block('echo first\nsleep 0.3\nseq 1 20000'), (c) => chunks.push(c));
      const r = await exec.done;
      assert.equal(r.status, 'passed');
      assert.equal(chunks[0], 'first\n', 'the first line before the sleep ends');
      assert.ok(chunks.length > 1);
      const all = chunks.join('');
      assert.ok(all.endsWith('19999\n20000\n'), all.slice(-20));
    });

    it('ends the whole session at a timeout, and the next block starts a new one', async () => {
      const started = Date.now();
      const r = await run(shell, block('echo before\nsleep 30 &\nsleep 30', { timeout: 0.3 }));
      assert.equal(r.status, 'timed-out');
      assert.equal(r.exitCode, null);
      assert.equal(r.output, 'before\n');
      assert.ok(Date.now() - started < 5000);
      assert.deepEqual(await run(shell, block('echo fresh')), { status: 'passed', exitCode: 0, output: 'fresh\n' });
    });

    it('stops on request', async () => {
      const exec = shell.run(block('sleep 30'), () => undefined);
      setTimeout(() => exec.stop(), 200);
      assert.deepEqual(await exec.done, { status: 'stopped', exitCode: null, error: undefined });
    });

    it('reports a session that ended under a step', async () => {
      const r = await run(shell, block('echo bye\nkill -9 $$'));
      assert.equal(r.status, 'failed');
      assert.equal(r.output, 'bye\n');
      assert.match(r.error ?? '', /session ended/);
      assert.equal((await run(shell, block('echo again'))).output, 'again\n');
    });

    it('keeps its scripts private while they run and removes them when it closes', async () => {
      const r = await run(shell, block('stat -c %a "$TMPDIR_PROBE"/preflight-*', { env: { TMPDIR_PROBE: tmp } }));
      assert.match(r.output, /^700\n$/);
      assert.equal(readdirSync(tmp).length, 1);
      await shell.close();
      assert.deepEqual(readdirSync(tmp), []);
    });
  });
}

describe('other shells in a headless run', () => {
  it('run each block as a process of its own: cd and export do not carry over', async () => {
    const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'preflight-sh-')));
    const shell = createStepShell({ shell: 'sh', cwd: dir, env: process.env });
    try {
      assert.equal(shell.persistent, false);
      assert.deepEqual(await run(shell, block('cd /\nexport KEPT=yes\necho a\nfalse\necho b')), { status: 'failed', exitCode: 1, output: 'a\n' });
      assert.deepEqual(await run(shell, block('echo "[${KEPT-}] $PWD"', { env: { PLAIN: 'p' } })), { status: 'passed', exitCode: 0, output: `[] ${dir}\n` });
    } finally {
      await shell.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says when the shell cannot be started', async () => {
    const shell = createStepShell({ shell: '/no/such/bash', cwd: os.tmpdir(), env: process.env });
    const r = await run(shell, block('true'));
    assert.equal(r.status, 'failed');
    assert.match(r.error ?? '', /ENOENT/);
    await shell.close();
  });
});
