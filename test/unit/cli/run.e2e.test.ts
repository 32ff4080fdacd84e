/**
 * `preflight run` end to end: the built CLI (dist/cli.js) as a process, on real files in a temporary
 * folder, with real shells.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isAlive } from '../../../src/adapters/runLogFiles';
import { lastResults, parseLog, renderReport, runHolder, type RunEvent } from '../../../src/core/runbook';
import { ROOT } from '../../support/fixtures';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const md = (...lines: string[]) => `${lines.join('\n')}\n`;

/** The environment of a run outside CI, whatever runs the tests. */
function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (/^(CI|GITHUB_|GITLAB_|BUILD_URL$)/.test(k)) delete env[k];
  return { ...env, ...extra };
}

function cli(args: string[], cwd: string, env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env: baseEnv(env), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function logEvents(dir: string, name: string): { files: string[]; events: RunEvent[]; problems: number } {
  const folder = path.join(dir, '.preflight', 'runs', name.replace(/\.md$/, ''));
  const files = existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.jsonl')).sort() : [];
  let problems = 0;
  const events = files.flatMap((f) => {
    const r = parseLog(readFileSync(path.join(folder, f), 'utf8'));
    problems += r.problems.length;
    return r.events;
  });
  return { files, events, problems };
}

/** Offsets at which two equally long byte strings differ. */
function diffOffsets(a: Buffer, b: Buffer): number[] {
  assert.equal(a.length, b.length, 'the length changed');
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) out.push(i);
  return out;
}

describe('preflight run, end to end through the built CLI', function () {
  this.timeout(60_000);
  let dir: string;

  before(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  });
  beforeEach(() => (dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'preflight-cli-run-')))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a passing runbook and ticks exactly the bytes of its boxes, nothing else', () => {
    const text = ['---\r\ntitle: Pass\r\n# a comment\r\n---\r\n', '# Pass\n', '- [ ] One  \r\n', '\t```sh {"name":"one"}\n\techo one\n\t```\n', '* [ ] Two\n', '  ```bash\n  echo two\n  ```\n', '1. [ ] Three ✓\n', '   ```sh\n   echo three\n   ```\n', '- [ ] Manual, not selected\n'].join('');
    const file = path.join(dir, 'pass.md');
    writeFileSync(file, text);
    const r = cli(['run', 'pass.md', '--step', 'one', '--step', 'two', '--step', 'three ✓'], dir);
    assert.equal(r.code, 0, r.stderr);
    const after = readFileSync(file);
    const before = Buffer.from(text);
    const boxes = ['- [ ] One', '* [ ] Two', '1. [ ] Three'].map((s) => before.indexOf(s) + s.indexOf('[') + 1);
    assert.deepEqual(diffOffsets(before, after), boxes);
    for (const at of boxes) assert.equal(after[at], 0x78);
    assert.match(r.stdout, /^▶ \[1\/3\] One\n\$ echo one\none\n✓ passed in \d+ ms$/m);
    assert.match(r.stdout, /^Summary\n {2}Step +Result +Duration\n {2}1\. One +passed +\d+ ms\n/m);
    const { events, problems } = logEvents(dir, 'pass.md');
    assert.equal(problems, 0);
    assert.deepEqual(events.map((e) => e.type), ['run-start', 'step-start', 'step-end', 'tick', 'step-start', 'step-end', 'tick', 'step-start', 'step-end', 'tick']);
    const start = events[0];
    assert.ok(start.type === 'run-start' && start.pid !== undefined && start.runbook === 'pass.md' && start.title === 'Pass' && start.host === os.hostname());
    assert.equal(start.ci, undefined);
  });

  it('stops at a failing step with its exit code and leaves the later boxes unticked', () => {
    const text = md('# Fail', '- [ ] First', '  ```sh', '  echo first', '  ```', '- [ ] Breaks', '  ```sh', '  echo before', '  (exit 3)', '  echo after-the-failure', '  ```', '- [ ] Later', '  ```sh', '  touch later-ran', '  ```');
    writeFileSync(path.join(dir, 'fail.md'), text);
    const r = cli(['run', 'fail.md'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^✗ failed \(exit 3\) in /m);
    assert.match(r.stdout, /^ {2}2\. Breaks +failed \(exit 3\)/m);
    assert.match(r.stdout, /^ {2}3\. Later +not run$/m);
    assert.equal(r.stdout.split('after-the-failure').length, 2, 'only in the command shown, never run');
    assert.match(r.stderr, /^preflight: step "Breaks" failed with exit code 3$/m);
    assert.equal(readFileSync(path.join(dir, 'fail.md'), 'utf8'), text.replace('- [ ] First', '- [x] First'));
    assert.ok(!existsSync(path.join(dir, 'later-ran')));
    const end = logEvents(dir, 'fail.md').events.find((e) => e.type === 'step-end' && e.status === 'failed');
    assert.ok(end?.type === 'step-end' && end.exitCode === 3 && end.output === 'before\n');
  });

  for (const shell of ['bash', 'zsh']) {
    it(`carries cd and export from step to step in ${shell}`, () => {
      mkdirSync(path.join(dir, 'sub'));
      const text = md('---', `shell: ${shell}`, '---', '# Shell', '- [ ] Go', '  ```sh', '  cd sub', '  export KEPT=yes', '  KEPT_LOCAL=also', '  ```', '- [ ] Check', '  ```sh', '  echo "kept=$KEPT local=$KEPT_LOCAL in=$(basename "$PWD") shell=$(ps -o comm= -p $$)"', '  ```');
      writeFileSync(path.join(dir, 'shell.md'), text);
      const r = cli(['run', 'shell.md'], dir);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^kept=yes local=also in=sub shell=${shell}$`, 'm'));
      assert.match(r.stdout, new RegExp(`^Runbook: Shell \\(shell\\.md\\), 2 steps, ${shell} \\(one shell session\\)$`, 'm'));
    });
  }

  it('runs each step of another shell as a process of its own: cd and export do not carry over', () => {
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'sh.md'), md('---', 'shell: sh', '---', '- [ ] Go', '  ```sh', '  cd sub', '  export KEPT=yes', '  ```', '- [ ] Check', '  ```sh', '  echo "kept=${KEPT:-no} in=$(basename "$PWD")"', '  ```'));
    const r = cli(['run', 'sh.md'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^kept=no in=${path.basename(dir)}$`, 'm'));
  });

  it('exits 4 at a confirm step without --confirm, records it, and runs it with the exact word', () => {
    const text = md('- [ ] Wipe', '  ```sh {"confirm":"production"}', '  touch wiped', '  ```');
    writeFileSync(path.join(dir, 'gate.md'), text);
    const r = cli(['run', 'gate.md'], dir);
    assert.equal(r.code, 4);
    assert.match(r.stderr, /^preflight: step "Wipe" needs its confirmation: pass --confirm production \(no terminal to ask\)$/m);
    assert.ok(!existsSync(path.join(dir, 'wiped')));
    assert.equal(readFileSync(path.join(dir, 'gate.md'), 'utf8'), text);
    const confirm = logEvents(dir, 'gate.md').events.find((e) => e.type === 'confirm');
    assert.ok(confirm?.type === 'confirm' && confirm.accepted === false);
    assert.equal(cli(['run', 'gate.md', '--confirm', 'Production'], dir).code, 4, 'the exact word only');
    assert.equal(cli(['run', 'gate.md', '--confirm', 'production'], dir).code, 0);
    assert.ok(existsSync(path.join(dir, 'wiped')));
  });

  it('exits 4 at a manual step without a terminal, and --from after it goes on', () => {
    writeFileSync(path.join(dir, 'manual.md'), md('- [ ] Tell the on-call engineer', '- [ ] Then', '  ```sh', '  echo then', '  ```'));
    const r = cli(['run', 'manual.md'], dir);
    assert.equal(r.code, 4);
    assert.match(r.stderr, /"Tell the on-call engineer" is a manual step/);
    assert.equal(cli(['run', 'manual.md', '--from', 'Then'], dir).code, 0);
  });

  it('--resume continues after the failure once it is fixed, in the same run', () => {
    const text = md('# Resume', '- [ ] One', '  ```sh', '  echo one >> ran.txt', '  ```', '- [ ] Two', '  ```sh', '  test -f fixed', '  echo two >> ran.txt', '  ```', '- [ ] Three', '  ```sh', '  echo three >> ran.txt', '  ```');
    const file = path.join(dir, 'resume.md');
    writeFileSync(file, text);
    assert.equal(cli(['run', 'resume.md', '--no-tick'], dir).code, 1);
    assert.equal(readFileSync(file, 'utf8'), text, '--no-tick leaves the file as it was');
    writeFileSync(path.join(dir, 'fixed'), '');
    const r = cli(['run', 'resume.md', '--resume'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^– One: already done, skipped \(--resume\)$/m);
    assert.equal(readFileSync(path.join(dir, 'ran.txt'), 'utf8'), 'one\ntwo\nthree\n');
    assert.equal(readFileSync(file, 'utf8'), text.replace('- [ ] Two', '- [x] Two').replace('- [ ] Three', '- [x] Three'), 'One ran in the first run, with --no-tick');
    const { files, events } = logEvents(dir, 'resume.md');
    assert.equal(files.length, 1, 'one log');
    assert.equal(new Set(events.map((e) => e.runId)).size, 1, 'one run');
    assert.equal(events.filter((e) => e.type === 'run-start').length, 2);
    assert.deepEqual([...lastResults(events)].map(([k, v]) => [k, v.status]), [['one', 'passed'], ['two', 'passed'], ['three', 'passed']]);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  it(`ends the running step on ${signal} and leaves a log the extension reads back`, async () => {
    writeFileSync(path.join(dir, 'slow.md'), md('# Slow', '- [ ] Sleep', '  ```sh', '  echo $$ > shell.pid', '  echo "start""ed"', '  sleep 30', '  ```', '- [ ] Never', '  ```sh', '  touch never', '  ```'));
    const child = spawn(process.execPath, [CLI, 'run', 'slow.md'], { cwd: dir, env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!/^started$/m.test(stdout)) {
      if (Date.now() > deadline) throw new Error(`the step did not start: ${stdout} ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // While it runs, the run is held by the CLI's process: the extension will not write into it.
    const live = logEvents(dir, 'slow.md').events;
    assert.deepEqual(runHolder(live, { pid: process.pid, host: os.hostname() }, isAlive), { pid: child.pid, host: os.hostname() });
    child.kill(signal);
    assert.equal(await exited, 130);
    assert.match(stderr, new RegExp(`^preflight: interrupted during "Sleep" \\(${signal}\\)$`, 'm'));
    const shellPid = Number(readFileSync(path.join(dir, 'shell.pid'), 'utf8'));
    assert.equal(isAlive(shellPid), false, "the step's shell is gone");
    assert.ok(!existsSync(path.join(dir, 'never')));
    const { events, problems } = logEvents(dir, 'slow.md');
    assert.equal(problems, 0, 'every record is whole');
    assert.deepEqual(events.map((e) => e.type), ['run-start', 'step-start', 'step-end']);
    assert.deepEqual(lastResults(events).get('sleep')?.status, 'stopped');
    assert.equal(runHolder(events, { pid: process.pid, host: os.hostname() }, isAlive), undefined, 'no longer held once the CLI has gone');
    assert.match(renderReport(events), /\| Sleep \| .* \| stopped \|/);
  });
  }

  it('ends a step at its timeout and stops the run there (exit 1)', () => {
    writeFileSync(path.join(dir, 'timeout.md'), md('- [ ] Slow', '  ```sh {"timeout":0.5}', '  sleep 20', '  ```', '- [ ] Next', '  ```sh', '  touch next', '  ```'));
    const started = Date.now();
    const r = cli(['run', 'timeout.md'], dir);
    assert.equal(r.code, 1);
    assert.ok(Date.now() - started < 15_000);
    assert.match(r.stderr, /^preflight: step "Slow" timed out after 0\.\d s$/m);
    assert.match(r.stdout, /^ {2}1\. Slow +timed out/m);
    assert.ok(!existsSync(path.join(dir, 'next')));
  });

  it('never shows a secret: not in the output (also split across chunks), the log, the report or an error', () => {
    const secret = 'tok-3141592653';
    writeFileSync(
      path.join(dir, 'secret.md'),
      md('---', 'variables:', '  API_TOKEN:', '    secret: true', '---', '- [ ] Use it', '  ```sh', `  printf 'first half %s' "\${API_TOKEN%592653}"; sleep 0.2; printf '592653 then %s\\n' "$API_TOKEN"`, '  echo "$API_TOKEN" | base64', '  echo "cannot: $API_TOKEN" >&2', '  exit 9', '  ```'),
    );
    const r = cli(['run', 'secret.md', '--report', 'report.md'], dir, { API_TOKEN: secret });
    assert.equal(r.code, 1);
    const report = readFileSync(path.join(dir, 'report.md'), 'utf8');
    const log = readdirSync(path.join(dir, '.preflight', 'runs', 'secret')).map((f) => readFileSync(path.join(dir, '.preflight', 'runs', 'secret', f), 'utf8')).join('');
    for (const [where, text] of [['stdout', r.stdout], ['stderr', r.stderr], ['log', log], ['report', report]]) {
      assert.ok(!text.includes(secret), `${where}: ${text}`);
      assert.ok(!text.includes(Buffer.from(`${secret}\n`).toString('base64').slice(0, 16)), `${where} has it in base64`);
    }
    assert.match(r.stdout, /^first half •••••• then ••••••$/m, 'the secret was split across two chunks of output');
    assert.match(r.stdout, /^cannot: ••••••$/m);
    assert.match(report, /cannot: ••••••/);
  });

  it('refuses a runbook whose steps are ambiguous: exit 2, compiler-style diagnostics, nothing run', () => {
    writeFileSync(path.join(dir, 'bad.md'), md('- [ ] Ok', '  ```sh', '  touch ran', '  ```', '- [ ] Bad', '  ```sh {"timeout":"soon"}', '  touch bad', '  ```'));
    const r = cli(['run', 'bad.md'], dir);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'bad.md:6:9: error: "timeout" must be a positive number of seconds.\npreflight: bad.md has errors that make steps ambiguous; nothing was run\n');
    assert.ok(!existsSync(path.join(dir, 'ran')));
    assert.equal(logEvents(dir, 'bad.md').files.length, 0);
    const usage = cli(['run'], dir);
    assert.deepEqual([usage.code, usage.stdout], [2, '']);
    assert.match(usage.stderr, /^preflight: run needs a runbook: preflight run FILE\. Run "preflight run --help"\.\n$/);
    assert.match(cli(['run', 'nope.md'], dir).stderr, /^preflight: cannot read nope\.md: no such file\n$/);
  });

  it('--json prints the records as JSON Lines on stdout and the output on stderr', () => {
    writeFileSync(path.join(dir, 'json.md'), md('- [ ] Say', '  ```sh', '  echo said', '  ```'));
    const r = cli(['run', 'json.md', '--json'], dir);
    assert.equal(r.code, 0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as RunEvent);
    assert.deepEqual(lines.map((e) => e.type), ['run-start', 'step-start', 'step-end', 'tick']);
    assert.deepEqual(lines, logEvents(dir, 'json.md').events, 'the same records as the log');
    assert.match(r.stderr, /^said$/m);
  });

  it('--dry-run prints each step with its resolved command and runs nothing', () => {
    const text = md('---', 'variables:', '  HOST: db.internal', '  PASS:', '    secret: true', '---', '- [ ] Connect', '  ```sh', '  psql -h "$HOST" -W "$PASS" > out', '  ```');
    writeFileSync(path.join(dir, 'dry.md'), text);
    const r = cli(['run', 'dry.md', '--dry-run'], dir, { PASS: 'pw-1234567' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^▶ \[1\/1\] Connect\n\$ psql -h "db\.internal" -W "••••••" > out$/m);
    assert.ok(!existsSync(path.join(dir, 'out')));
    assert.equal(readFileSync(path.join(dir, 'dry.md'), 'utf8'), text);
    assert.equal(logEvents(dir, 'dry.md').files.length, 0);
  });

  it('records ci: true and the CI run in run-start, and writes the log under the repository', () => {
    spawnSync('git', ['init', '-q', dir]);
    mkdirSync(path.join(dir, 'ops'));
    writeFileSync(path.join(dir, 'ops', 'ci.md'), md('- [ ] Step', '  ```sh', '  echo "$PWD"', '  ```'));
    const r = cli(['run', 'ci.md'], path.join(dir, 'ops'), { GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/ops', GITHUB_RUN_ID: '1234', GITHUB_ACTOR: 'octocat' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^::group::▶ \[1\/1\] Step$/m, 'a collapsible group per step in GitHub Actions');
    assert.match(r.stdout, new RegExp(`^${dir}$`, 'm'), 'steps run in the workspace folder');
    const { events } = logEvents(dir, 'ops--ci.md');
    const start = events[0];
    assert.ok(start?.type === 'run-start');
    assert.deepEqual([start.ci, start.ciUrl, start.operator, start.runbook], [true, 'https://github.com/acme/ops/actions/runs/1234', 'octocat', 'ops/ci.md']);
  });

  /**
   * The CLI at a terminal: `script` (util-linux) gives it a pseudo-terminal; each answer is typed
   * when its question shows.
   */
  function atTerminal(args: string[], answers: [RegExp, string][]): Promise<{ code: number | null; screen: string }> {
    return new Promise((resolve) => {
      const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
      const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd: dir, env: baseEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
      let screen = '';
      let seen = 0;
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        screen += chunk;
        const next = answers[0];
        if (next && next[0].test(screen.slice(seen))) {
          seen = screen.length;
          answers.shift();
          setTimeout(() => child.stdin.write(next[1]), 50);
        }
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, screen });
      });
    });
  }

  it('asks at a terminal: a secret without echo, a manual step, the confirm word', async () => {
    writeFileSync(
      path.join(dir, 'tty.md'),
      md('---', 'variables:', '  TOKEN:', '    secret: true', '    prompt: The API token', '---', '- [ ] Tell on-call', '- [ ] Use the token', '  ```sh {"confirm":"prod"}', '  echo "len=${#TOKEN} $TOKEN"', '  ```'),
    );
    const r = await atTerminal(['run', 'tty.md'], [
      [/The API token \(TOKEN\) \(not shown\): /, 'hunter2-typed\r'],
      [/Manual step "Tell on-call": \[d\]one, \[s\]kip or s\[t\]op\? /, 'd\r'],
      [/Type "prod" to run it: /, 'prod\r'],
    ]);
    assert.equal(r.code, 0, r.screen);
    assert.ok(!r.screen.includes('hunter2-typed'), 'the secret is neither echoed nor printed');
    assert.match(r.screen, /len=13 ••••••/);
    assert.match(r.screen, /✓ done \(manual\)/);
    assert.match(readFileSync(path.join(dir, 'tty.md'), 'utf8'), /- \[x\] Tell on-call\n- \[x\] Use the token/);
    const decisions = logEvents(dir, 'tty.md').events.flatMap((e) => (e.type === 'manual-prompt' ? [e.decision] : e.type === 'confirm' ? [`confirm ${e.accepted} ${e.via}`] : []));
    assert.deepEqual(decisions, ['done', 'confirm true typed']);
  });

  it('stops at a terminal when the word typed is not the confirm word, and on Ctrl+C at a question', async () => {
    writeFileSync(path.join(dir, 'no.md'), md('- [ ] Wipe', '  ```sh {"confirm":"production"}', '  touch wiped', '  ```'));
    const wrong = await atTerminal(['run', 'no.md'], [[/Type "production" to run it: /, 'prod\r']]);
    assert.equal(wrong.code, 4, wrong.screen);
    const interrupted = await atTerminal(['run', 'no.md'], [[/Type "production" to run it: /, '\x03']]);
    assert.equal(interrupted.code, 130, interrupted.screen);
    assert.ok(!existsSync(path.join(dir, 'wiped')));
  });
});
