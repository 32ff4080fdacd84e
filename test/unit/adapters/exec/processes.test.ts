import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { plainOutput } from '../../../../src/core/exec/ansi';
import { runProcess } from '../../../../src/adapters/exec/processRunner';
import { shellKind, shellQuote, stepScript } from '../../../../src/core/exec/stepScript';

let dir: string;

/**
 * Sources step scripts one after another in one shell (bash by default), as the runbook terminal and
 * the CLI's session do, then reports.
 */
function inOneShell(steps: { code: string; cwd?: string }[], after = '', shell: 'bash' | 'zsh' = 'bash'): { stdout: string; stderr: string; status: number | null } {
  const files = steps.map((s, i) => {
    const f = path.join(dir, `step-${i}.sh`);
    writeFileSync(f, stepScript(s.code, { shell, cwd: s.cwd }));
    return f;
  });
  const driver = files.map((f) => `. ${shellQuote(f)}; echo "rc=$?"`).join('\n') + `\n${after}\necho alive`;
  const r = spawnSync(shell, shell === 'zsh' ? ['-f', '-c', driver] : ['-c', driver], { cwd: dir, encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const hasZsh = spawnSync('zsh', ['-f', '-c', 'true']).status === 0;

describe('step scripts', () => {
  before(() => {
    dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'preflight-exec-')));
    mkdirSync(path.join(dir, 'sub'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('knows which wrapper a shell takes', () => {
    assert.equal(shellKind('/bin/bash'), 'bash');
    assert.equal(shellKind('zsh'), 'zsh');
    assert.equal(shellKind('/usr/bin/zsh'), 'zsh');
    assert.equal(shellKind('sh'), 'posix');
    assert.equal(shellKind('/usr/bin/dash'), 'posix');
    assert.equal(shellKind('C:\\Program Files\\Git\\bin\\bash.exe'), 'bash');
  });

  it('quotes any string for the shell', () => {
    const nasty = `it's "$(rm -rf /)" \`x\` \\ $HOME`;
    const r = spawnSync('bash', ['-c', `printf %s ${shellQuote(nasty)}`], { encoding: 'utf8' });
    assert.equal(r.stdout, nasty);
  });

  it('stops a block at its first failing command with that status, and the shell goes on', () => {
    const r = inOneShell([{ code: 'echo one\n(exit 7)\necho never' }]);
    assert.match(r.stdout, /one\nrc=7\nalive/);
    assert.doesNotMatch(r.stdout, /never/);
  });

  it('turns exit N into the step status without closing the shell', () => {
    const r = inOneShell([{ code: 'echo a\nexit 3\necho b' }, { code: 'exit 0\necho never' }, { code: '(echo sub; exit 2) || echo "sub exited $?"' }]);
    assert.match(r.stdout, /a\nrc=3\nrc=0\nsub\nsub exited 2\nrc=0\nalive/);
  });

  it('keeps cd and export for later steps, like a person typing them', () => {
    const r = inOneShell([{ code: 'cd sub\nexport KEPT=yes' }, { code: 'echo "$KEPT $(basename "$PWD")"' }]);
    assert.match(r.stdout, /rc=0\nyes sub\nrc=0/);
  });

  it('runs a step with a cwd there and returns to where the shell was', () => {
    const r = inOneShell([{ code: 'basename "$PWD"', cwd: path.join(dir, 'sub') }], 'basename "$PWD"');
    assert.match(r.stdout, new RegExp(`^sub\\nrc=0\\n${path.basename(dir)}\\nalive`));
    const missing = inOneShell([{ code: 'echo never', cwd: path.join(dir, 'nope') }]);
    assert.match(missing.stdout, /rc=1\nalive/);
  });

  it('fails a step on a failing pipeline without changing the shell options', () => {
    const r = inOneShell([{ code: 'false | cat\necho never' }], 'false | cat; echo "after=$?"');
    assert.match(r.stdout, /rc=1\nafter=0\nalive/);
  });

  it("restores the operator's own ERR trap", () => {
    const driver = `trap 'echo mine' ERR\n. ${shellQuote(path.join(dir, 't.sh'))}; echo "rc=$?"\nfalse\necho alive`;
    writeFileSync(path.join(dir, 't.sh'), stepScript('false', { shell: 'bash' }));
    const r = spawnSync('bash', ['-c', driver], { encoding: 'utf8' });
    assert.match(r.stdout, /rc=1\nmine\nalive/);
  });

  it('runs other shells with set -e', () => {
    const f = path.join(dir, 'posix.sh');
    writeFileSync(f, stepScript('echo a\nfalse\necho b', { shell: 'posix' }));
    const r = spawnSync('sh', [f], { encoding: 'utf8' });
    assert.equal(r.stdout, 'a\n');
    assert.equal(r.status, 1);
  });
});

describe('step processes', () => {
  let work: string;
  before(() => (work = mkdtempSync(path.join(os.tmpdir(), 'preflight-proc-'))));
  after(() => rmSync(work, { recursive: true, force: true }));

  function script(code: string): string {
    const f = path.join(work, `s-${Math.random().toString(36).slice(2)}.sh`);
    writeFileSync(f, stepScript(code, { shell: 'bash' }));
    return f;
  }

  it('streams output and reports the exit code', async () => {
    let out = '';
    const run = runProcess({ shell: 'bash', scriptFile: script('echo out; echo err >&2; exit 4'), cwd: work, env: process.env, onOutput: (c) => (out += c) });
    await run.started;
    const r = await run.done;
    assert.equal(r.exitCode, 4);
    assert.equal(r.reason, undefined);
    assert.match(out, /out/);
    assert.match(out, /err/);
  });

  it('ends the whole process group at the timeout', async () => {
    const started = Date.now();
    const run = runProcess({ shell: 'bash', scriptFile: script('sleep 30 & wait'), cwd: work, env: process.env, timeout: 0.3, onOutput: () => undefined });
    const r = await run.done;
    assert.equal(r.reason, 'timed-out');
    assert.ok(Date.now() - started < 10_000);
  });

  it('stops on request', async () => {
    const run = runProcess({ shell: 'bash', scriptFile: script('sleep 30'), cwd: work, env: process.env, onOutput: () => undefined });
    await run.started;
    run.stop();
    const r = await run.done;
    assert.equal(r.reason, 'stopped');
    assert.equal(r.exitCode, null);
  });

  it('reports a shell that cannot start as an error value', async () => {
    const run = runProcess({ shell: path.join(work, 'no-such-shell'), scriptFile: script('true'), cwd: work, env: process.env, onOutput: () => undefined });
    await run.started;
    const r = await run.done;
    assert.match(r.error ?? '', /ENOENT/);
  });
});

describe('terminal output', () => {
  it('drops colours, shell-integration marks and carriage-return redraws', () => {
    const raw = '\x1b]633;C\x07\x1b[32mgreen\x1b[0m\r\nprogress 10%\rprogress 100%\r\ndone\x1b]633;D;0\x07';
    assert.equal(plainOutput(raw), 'green\nprogress 100%\ndone');
  });
});

describe('step scripts leave the shell as they found it', () => {
  it('removes the trap and the exit override after a failing step', () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'preflight-clean-'));
    try {
      const f = path.join(work, 'fail.sh');
      writeFileSync(f, stepScript('false\necho never', { shell: 'bash' }));
      const r = spawnSync('bash', ['-c', `. ${shellQuote(f)}; echo "rc=$?"; echo "trap=[$(trap -p ERR)]"; type exit | head -n 1; false; echo alive`], { encoding: 'utf8' });
      assert.match(r.stdout, /^rc=1\ntrap=\[\]\nexit is a shell builtin\nalive\n$/);
      assert.equal(r.stderr, '');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('step scripts in zsh', () => {
  before(function () {
    // npm run setup installs zsh; without it this part of the suite cannot say anything.
    if (!hasZsh) throw new Error('zsh is not installed: run npm run setup (Debian package zsh)');
    dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'preflight-zsh-')));
    mkdirSync(path.join(dir, 'sub'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('stops a block at its first failing command with that status, and the shell goes on', () => {
    const r = inOneShell([{ code: 'echo one\n(exit 7)\necho never' }], '', 'zsh');
    assert.match(r.stdout, /one\nrc=7\nalive/);
    assert.doesNotMatch(r.stdout, /never/);
  });

  it('does not stop at failures in conditions and lists, as bash does not', () => {
    const r = inOneShell([{ code: 'if false; then echo no; fi\nfalse && echo no\nfalse || echo handled\necho reached' }], '', 'zsh');
    assert.match(r.stdout, /handled\nreached\nrc=0\nalive/);
  });

  it('turns exit N into the step status without closing the shell', () => {
    const r = inOneShell([{ code: 'echo a\nexit 3\necho b' }, { code: 'exit 0\necho never' }, { code: '(echo sub; exit 2) || echo "sub exited $?"' }], '', 'zsh');
    assert.match(r.stdout, /a\nrc=3\nrc=0\nsub\nsub exited 2\nrc=0\nalive/);
  });

  it('keeps cd and export for later steps', () => {
    const r = inOneShell([{ code: 'cd sub\nexport KEPT=yes' }, { code: 'echo "$KEPT $(basename "$PWD")"' }], '', 'zsh');
    assert.match(r.stdout, /rc=0\nyes sub\nrc=0/);
  });

  it('runs a step with a cwd there and returns to where the shell was', () => {
    const r = inOneShell([{ code: 'basename "$PWD"', cwd: path.join(dir, 'sub') }], 'basename "$PWD"', 'zsh');
    assert.match(r.stdout, new RegExp(`^sub\\nrc=0\\n${path.basename(dir)}\\nalive`));
    const missing = inOneShell([{ code: 'echo never', cwd: path.join(dir, 'nope') }], '', 'zsh');
    assert.match(missing.stdout, /rc=1\nalive/);
  });

  it("fails a step on a failing pipeline and leaves the operator's options and exit as they were", () => {
    const r = inOneShell([{ code: 'false | cat\necho never' }], 'false | cat; echo "after=$?"; [[ -o errreturn ]] || echo "no errreturn"; whence -w exit', 'zsh');
    assert.match(r.stdout, /rc=1\nafter=0\nno errreturn\nexit: builtin\nalive/);
    assert.equal(r.stderr, '');
  });

  it('reads secrets from a pipe and unsets them when the step ends', () => {
    const fifo = path.join(dir, 'secrets.fifo');
    spawnSync('mkfifo', [fifo]);
    const f = path.join(dir, 'secret.sh');
    writeFileSync(f, stepScript('echo "len=${#TOKEN}"', { shell: 'zsh', secrets: { names: ['TOKEN'], fifo } }));
    const r = spawnSync('zsh', ['-f', '-c', `(printf 'tok-12345\\0' > ${shellQuote(fifo)} &); . ${shellQuote(f)}; echo "rc=$? left=[\${TOKEN-unset}]"`], { encoding: 'utf8' });
    assert.equal(r.stdout, 'len=9\nrc=0 left=[unset]\n');
  });

  it('runs as a script of its own with the same status', () => {
    const f = path.join(dir, 'own.zsh');
    writeFileSync(f, stepScript('echo a\nfalse\necho b', { shell: 'zsh' }));
    const r = spawnSync('zsh', ['-f', f], { encoding: 'utf8' });
    assert.equal(r.stdout, 'a\n');
    assert.equal(r.status, 1);
    writeFileSync(f, stepScript('exit 5', { shell: 'zsh' }));
    assert.equal(spawnSync('zsh', ['-f', f]).status, 5);
  });
});
