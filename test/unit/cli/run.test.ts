import * as assert from 'node:assert/strict';
import { formatProblem, parseRunArgs, summaryTable } from '../../../src/cli/run';
import type { BlockRun, StepShell } from '../../../src/adapters/exec/shellSession';
import { runRunbook } from '../../../src/core/run/engine';
import { EXIT, type RunObserver, type RunOptions, type RunPorts, type RunPrompts } from '../../../src/core/run/ports';
import { resolveVariables, selectSteps } from '../../../src/core/run/select';
import { parseLog, parseRunbook, type RunEvent, type Step, type VariableSpec } from '../../../src/core/runbook';

const md = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('preflight run: arguments', () => {
  it('reads repeated options, flags and the runbook', () => {
    const a = parseRunArgs(['rb.md', '--var', 'A=1', '--var', 'B=x=y', '--var', 'A=2', '--confirm', 'prod', '--confirm', 'dr', '--step', 'one', '--step', 'two', '--include-rollback', '--resume', '--report', 'r.md', '--json', '--no-tick', '--dry-run']);
    assert.ok(typeof a === 'object' && 'file' in a);
    assert.equal(a.file, 'rb.md');
    assert.deepEqual([...a.options.vars], [['A', '2'], ['B', 'x=y']]);
    assert.deepEqual(a.options.confirm, ['prod', 'dr']);
    assert.deepEqual(a.options.steps, ['one', 'two']);
    assert.deepEqual([a.options.includeRollback, a.options.resume, a.options.dryRun, a.options.tick, a.json, a.options.report], [true, true, true, false, true, 'r.md']);
    const plain = parseRunArgs(['rb.md']);
    assert.ok(typeof plain === 'object' && 'file' in plain);
    assert.deepEqual([plain.options.tick, plain.options.resume, plain.json, plain.options.from], [true, false, false, undefined]);
    assert.deepEqual(parseRunArgs(['--help']), { help: true });
  });

  it('rejects what it cannot use with one line, never echoing a value', () => {
    const cases: [string[], RegExp][] = [
      [[], /^run needs a runbook/],
      [['a.md', 'b.md'], /^run takes one runbook, not 2/],
      [['a.md', '--bogus'], /^Unknown option '--bogus'\. Run "preflight run --help"\.$/],
      [['a.md', '--var', 'NOEQUALS'], /^--var needs NAME=VALUE .*"NOEQUALS"$/],
      [['a.md', '--var', '1BAD=hunter2'], /^--var needs NAME=VALUE .*"1BAD=\.\.\."$/],
      [['a.md', '--step', 'x', '--from', 'y'], /^use --step or --from, not both$/],
      [['a.md', '--confirm', ' '], /^--confirm needs a non-empty value$/],
      [['a.md', '--from'], /argument missing/],
    ];
    for (const [argv, expected] of cases) {
      const r = parseRunArgs(argv);
      assert.equal(typeof r, 'string', argv.join(' '));
      assert.match(r as string, expected);
      assert.ok(!(r as string).includes('hunter2'));
      assert.ok(!(r as string).includes('\n'));
    }
  });

  it('prints problems like a compiler', () => {
    assert.equal(formatProblem('ops/r.md', { severity: 'error', code: 'fence-attrs', message: 'Bad.', line: 4, endLine: 5, column: 6 }), 'ops/r.md:5:7: error: Bad.');
    assert.equal(formatProblem('r.md', { severity: 'warning', code: 'cwd', message: 'Hm.', line: 0, endLine: 1 }), 'r.md:1: warning: Hm.');
  });
});

describe('preflight run: variables and steps', () => {
  const rb = parseRunbook(
    md(
      '---',
      'variables:',
      '  HOST: default-host',
      '  PASS:',
      '    secret: true',
      '  EMPTY_IN_ENV: fallback',
      '---',
      '- [ ] Backup',
      '  ```sh {"name":"backup"}',
      '  echo "$HOST"',
      '  ```',
      '- [ ] Tell on-call',
      '- [ ] Optional',
      '  ```sh {"excludeFromRunAll":true}',
      '  echo optional',
      '  ```',
      '- [x] Migrate',
      '  ```sh',
      '  echo "$PASS"',
      '  ```',
      '```sh {"name":"loose-check"}',
      'echo loose',
      '```',
      '## Rollback',
      '- [ ] Restore',
      '  ```sh',
      '  echo restore',
      '  ```',
    ),
  );

  it('takes --var first, then the environment, then the default; an empty environment value is not set', () => {
    const { values, unknown } = resolveVariables(rb.meta, {
      options: new Map([['HOST', 'from-option'], ['TYPO', 'x']]),
      env: { HOST: 'from-env', PASS: 'env-secret', EMPTY_IN_ENV: '' },
    });
    assert.deepEqual([...values], [['HOST', 'from-option'], ['PASS', 'env-secret']]);
    assert.deepEqual(unknown, ['TYPO']);
    assert.deepEqual([...resolveVariables(rb.meta, { options: new Map(), env: { HOST: 'from-env' } }).values], [['HOST', 'from-env']]);
  });

  it('runs the main steps in order, without the excluded ones and without Rollback unless asked', () => {
    const texts = (s: ReturnType<typeof selectSteps>) => (typeof s === 'string' ? s : s.steps.map((x) => x.text));
    assert.deepEqual(texts(selectSteps(rb, { steps: [], includeRollback: false })), ['Backup', 'Tell on-call', 'Migrate']);
    assert.deepEqual(texts(selectSteps(rb, { steps: [], includeRollback: true })), ['Backup', 'Tell on-call', 'Migrate', 'Restore']);
    assert.deepEqual(texts(selectSteps(rb, { steps: [], from: 'tell ON-CALL', includeRollback: false })), ['Tell on-call', 'Migrate']);
    const sel = selectSteps(rb, { steps: [], includeRollback: false });
    assert.deepEqual(typeof sel === 'string' ? sel : sel.excluded.map((s) => s.text), ['Optional']);
  });

  it('runs only the steps named with --step, in the runbook\'s order: also excluded, rollback and named loose blocks', () => {
    const sel = selectSteps(rb, { steps: ['Restore', 'optional', 'backup', 'loose-check'], includeRollback: false });
    assert.ok(typeof sel !== 'string');
    assert.deepEqual(sel.steps.map((s) => [s.text, !!s.loose]), [['Backup', false], ['Optional', false], ['loose-check', true], ['Restore', false]]);
    assert.match(selectSteps(rb, { steps: ['nope'], includeRollback: false }) as string, /^--step "nope" is not a step of this runbook \(steps: "backup", "Tell on-call"/);
    assert.match(selectSteps(rb, { steps: [], from: 'Restore', includeRollback: false }) as string, /^--from "Restore" is not a step/);
    const twins = parseRunbook(md('- [ ] Same', '  ```sh', '  a', '  ```', '- [ ] Same', '  ```sh', '  b', '  ```'));
    assert.match(selectSteps(twins, { steps: ['same'], includeRollback: false }) as string, /matches 2 steps \(lines 1, 5\)/);
    const second = selectSteps(twins, { steps: ['same#2'], includeRollback: false });
    assert.ok(typeof second !== 'string' && second.steps[0].line === 4);
  });
});

/** A shell for the engine's tests: each line of a block is `out TEXT` (\n for a line break), `exit N`, `hang` or `env NAME`. */
class FakeShell implements StepShell {
  readonly kind = 'bash';
  readonly persistent = true;
  readonly runs: BlockRun[] = [];
  closed = false;
  run(block: BlockRun, onOutput: (chunk: string) => void) {
    this.runs.push(block);
    let stop: () => void = () => undefined;
    const done = (async () => {
      for (const line of block.script.split('\n')) {
        const [cmd, ...rest] = line.trim().split(' ');
        const arg = rest.join(' ');
        await new Promise((r) => setImmediate(r));
        if (cmd === 'out') onOutput(arg.replace(/\\n/g, '\n'));
        if (cmd === 'env') onOutput(`${block.env[arg] ?? block.secrets.get(arg) ?? ''}\n`);
        if (cmd === 'exit' && arg !== '0') return { status: 'failed' as const, exitCode: Number(arg) };
        if (cmd === 'hang') {
          await new Promise<void>((r) => (stop = r));
          return { status: 'stopped' as const, exitCode: null };
        }
      }
      return { status: 'passed' as const, exitCode: 0 };
    })();
    return { done, stop: () => stop() };
  }
  async close() {
    this.closed = true;
  }
}

interface Harness {
  ports: RunPorts;
  file: () => string;
  log: () => RunEvent[];
  shown: () => string;
  reports: Map<string, string>;
  shell: FakeShell;
}

function harness(text: string, o: { prompts?: RunPrompts; edit?: (text: string, runs: number) => string } = {}): Harness {
  let bytes = Buffer.from(text);
  const logs = new Map<string, string>();
  const reports = new Map<string, string>();
  let shown = '';
  let reads = 0;
  const shell = new FakeShell();
  const observer: RunObserver = {
    start: () => undefined,
    step: ({ command }) => void (shown += command),
    output: (t) => void (shown += t),
    result: () => undefined,
    event: () => undefined,
    notice: (m) => void (shown += `${m}\n`),
  };
  let clock = Date.parse('2024-05-01T10:00:00Z');
  const ports: RunPorts = {
    now: () => new Date((clock += 250)),
    readRunbook: () => {
      if (o.edit) bytes = Buffer.from(o.edit(bytes.toString('utf8'), reads++));
      return bytes;
    },
    writeRunbook: (b) => void (bytes = Buffer.from(b)),
    writeReport: (f, t) => void reports.set(f, t),
    isDirectory: () => true,
    log: {
      latest: () => {
        const last = [...logs.keys()].sort().pop();
        return last ? { id: last, text: logs.get(last)! } : undefined;
      },
      create: () => {
        const id = `log-${logs.size}`;
        logs.set(id, '');
        return id;
      },
      append: (id, t) => void logs.set(id, logs.get(id)! + t),
      read: (id) => logs.get(id)!,
    },
    createShell: () => shell,
    prompts: o.prompts,
    identity: { host: 'test-host', pid: 4242, operator: async () => 'tester', isAlive: () => false },
    observer,
  };
  return {
    ports,
    file: () => bytes.toString('utf8'),
    log: () => [...logs.values()].flatMap((t) => parseLog(t).events),
    shown: () => shown,
    reports,
    shell,
  };
}

const options = (o: Partial<RunOptions> = {}): RunOptions => ({ vars: new Map(), confirm: [], steps: [], includeRollback: false, dryRun: false, resume: false, tick: true, ...o });
const request = (o: Partial<RunOptions> = {}, env: Record<string, string> = {}, signal?: AbortSignal) => ({
  file: '/ws/rb.md',
  displayPath: 'rb.md',
  workspace: '/ws',
  outputLimit: 65536,
  env,
  options: options(o),
  signal,
});

describe('preflight run: the run engine', () => {
  const runbook = md(
    '---',
    'variables:',
    '  TOKEN:',
    '    secret: true',
    '---',
    '# Engine',
    '- [ ] One',
    '  ```sh',
    '  out one\\n',
    '  ```',
    '- [ ] Two',
    '  ```sh',
    '  out two\\n',
    '  exit 3',
    '  ```',
    '- [ ] Three',
    '  ```sh',
    '  out three\\n',
    '  ```',
  );

  it('runs the steps in order, ticks exactly the boxes of the steps that passed, and exits 1 at a failure', async () => {
    const h = harness(runbook);
    const r = await runRunbook(request(), h.ports);
    assert.equal(r.exitCode, EXIT.failed);
    assert.equal(r.message, 'step "Two" failed with exit code 3');
    assert.equal(h.file(), runbook.replace('- [ ] One', '- [x] One'));
    assert.deepEqual(h.log().map((e) => e.type), ['run-start', 'step-start', 'step-end', 'tick', 'step-start', 'step-end']);
    assert.deepEqual(r.rows.map((x) => [x.step.text, x.result, x.exitCode]), [['One', 'passed', 0], ['Two', 'failed', 3], ['Three', 'not run', null]]);
    const start = h.log()[0];
    assert.ok(start.type === 'run-start' && start.pid === 4242 && start.host === 'test-host' && start.operator === 'tester' && start.ci === undefined);
    assert.ok(h.shell.closed);
  });

  it('masks a secret in the streamed output even when it is split across two chunks, in the log and the report too', async () => {
    const text = md('---', 'variables:', '  TOKEN:', '    secret: true', '---', '- [ ] Leak', '  ```sh', '  out token=tok-31', '  out 41592653 and again tok-3141592653\\n', '  env TOKEN', '  exit 2', '  ```');
    const h = harness(text);
    const r = await runRunbook(request({ report: '/ws/report.md' }, { TOKEN: 'tok-3141592653' }), h.ports);
    assert.equal(r.exitCode, EXIT.failed);
    const everything = [h.shown(), JSON.stringify(h.log()), h.reports.get('/ws/report.md') ?? '', r.message ?? ''].join('\n');
    assert.ok(!everything.includes('tok-3141592653'), everything);
    assert.match(h.shown(), /token=•••••• and again ••••••\n••••••\n/);
    assert.equal(h.shell.runs[0].secrets.get('TOKEN'), 'tok-3141592653', 'the step itself gets the value');
    assert.match(h.reports.get('/ws/report.md')!, /## Output of failed steps/);
  });

  it('names steps in the report by their titles with variables resolved, and a secret in a title masked', async () => {
    const text = md('---', 'variables:', '  RELEASE:', '    default: "4.2"', '  TOKEN:', '    secret: true', '---', '- [ ] Deploy $RELEASE with ${TOKEN}', '  ```sh', '  out deployed', '  ```');
    const h = harness(text);
    const r = await runRunbook(request({ report: '/ws/report.md' }, { TOKEN: 'tok-2718281828' }), h.ports);
    assert.equal(r.exitCode, EXIT.passed);
    const report = h.reports.get('/ws/report.md')!;
    assert.match(report, /\| Deploy 4\.2 with •••••• \|/);
    assert.ok(!report.includes('tok-2718281828') && !report.includes('$RELEASE'), report);
  });

  it('refuses a runbook with errors that make a step ambiguous: exit 2, nothing runs, nothing is recorded', async () => {
    const h = harness(md('- [ ] Ok', '  ```sh', '  out ok', '  ```', '- [ ] Gate', '  ```sh {"confirm":""}', '  out never', '  ```'));
    const r = await runRunbook(request(), h.ports);
    assert.equal(r.exitCode, EXIT.error);
    assert.match(r.message!, /errors that make steps ambiguous; nothing was run/);
    assert.deepEqual(r.diagnostics?.map((p) => p.line), [5]);
    assert.equal(h.shell.runs.length, 0);
    assert.deepEqual(h.log(), []);
  });

  it('refuses a broken block outside the steps only when it is to run', async () => {
    const text = md('- [ ] Ok', '  ```sh', '  out ok', '  ```', '```sh {"name":"broken","timeout":"soon"}', 'out never', '```');
    const steps = harness(text);
    assert.equal((await runRunbook(request(), steps.ports)).exitCode, EXIT.passed);
    const block = harness(text);
    const r = await runRunbook(request({ steps: ['broken'] }), block.ports);
    assert.equal(r.exitCode, EXIT.error);
    assert.equal(block.shell.runs.length, 0);
  });

  it('stops at a confirm step without --confirm and without a terminal: exit 4, recorded', async () => {
    const text = md('- [ ] Prod', '  ```sh {"confirm":"production"}', '  out ran', '  ```');
    const h = harness(text);
    const r = await runRunbook(request(), h.ports);
    assert.equal(r.exitCode, EXIT.gate);
    assert.equal(h.shell.runs.length, 0);
    const confirm = h.log().find((e) => e.type === 'confirm');
    assert.ok(confirm?.type === 'confirm' && confirm.accepted === false && confirm.via === 'option');
    assert.equal(h.file(), text);

    const given = harness(text);
    assert.equal((await runRunbook(request({ confirm: ['prod'] }), given.ports)).exitCode, EXIT.gate, 'only the exact word');
    const exact = harness(text);
    assert.equal((await runRunbook(request({ confirm: ['production'] }), exact.ports)).exitCode, EXIT.passed);
    assert.equal(exact.shell.runs.length, 1);
  });

  it('asks at a terminal: the confirm word typed exactly, a manual step done, skipped or stopped', async () => {
    const text = md('- [ ] Tell on-call', '- [ ] Prod', '  ```sh {"confirm":"production"}', '  out ran', '  ```', '- [ ] Sign off');
    const asked: string[] = [];
    const answers = ['done', 'skip'] as const;
    const prompts: RunPrompts = {
      variable: async () => undefined,
      confirm: async (word, step, command) => (asked.push(`${word}:${step.text}:${command.trim()}`), true),
      manual: async (step) => (asked.push(step.text), answers[asked.filter((a) => !a.includes(':')).length - 1]),
    };
    const h = harness(text, { prompts });
    const r = await runRunbook(request(), h.ports);
    assert.equal(r.exitCode, EXIT.passed);
    assert.deepEqual(asked, ['Tell on-call', 'production:Prod:out ran', 'Sign off']);
    assert.equal(h.file(), text.replace('- [ ] Tell on-call', '- [x] Tell on-call').replace('- [ ] Prod', '- [x] Prod'), 'a skipped manual step stays unticked');
    assert.deepEqual(h.log().filter((e) => e.type === 'manual-prompt').map((e) => (e.type === 'manual-prompt' ? e.decision : '')), ['done', 'skip']);
    const typed = h.log().find((e) => e.type === 'confirm');
    assert.ok(typed?.type === 'confirm' && typed.via === 'typed');

    const declined = harness(text, { prompts: { ...prompts, confirm: async () => false, manual: async () => 'done' } });
    assert.equal((await runRunbook(request(), declined.ports)).exitCode, EXIT.gate);
    assert.equal(declined.shell.runs.length, 0);
  });

  it('never passes a manual step on its own: without a terminal the run stops there (exit 4), unless --from starts after it', async () => {
    const text = md('- [ ] First', '  ```sh', '  out 1', '  ```', '- [ ] Tell on-call', '- [ ] Last', '  ```sh', '  out 3', '  ```');
    const h = harness(text);
    const r = await runRunbook(request(), h.ports);
    assert.equal(r.exitCode, EXIT.gate);
    assert.match(r.message!, /"Tell on-call" is a manual step/);
    assert.equal(h.file(), text.replace('- [ ] First', '- [x] First'));
    assert.deepEqual(h.log().filter((e) => e.type === 'manual-prompt').map((e) => (e.type === 'manual-prompt' ? e.decision : '')), ['stop']);
    const from = harness(text);
    assert.equal((await runRunbook(request({ from: 'Last' }), from.ports)).exitCode, EXIT.passed);
  });

  it('asks for a missing variable at a terminal, and without one fails before running anything (exit 2)', async () => {
    const text = md('---', 'variables:', '  HOST:', '  PASS:', '    secret: true', '---', '- [ ] Use', '  ```sh', '  env HOST', '  env PASS', '  ```');
    const none = harness(text);
    const r = await runRunbook(request({ vars: new Map([['HOST', 'h']]) }), none.ports);
    assert.equal(r.exitCode, EXIT.error);
    assert.match(r.message!, /^missing variable PASS: pass --var PASS=VALUE or set it in the environment/);
    assert.equal(none.shell.runs.length, 0);
    assert.deepEqual(none.log(), []);
    const asked: VariableSpec[] = [];
    const tty = harness(text, { prompts: { variable: async (spec) => (asked.push(spec), 'typed-secret-1'), confirm: async () => false, manual: async () => 'stop' } });
    assert.equal((await runRunbook(request({ vars: new Map([['HOST', 'h']]) }), tty.ports)).exitCode, EXIT.passed);
    assert.deepEqual(asked.map((s) => [s.name, s.secret]), [['PASS', true]]);
    assert.equal(tty.shell.runs[0].secrets.get('PASS'), 'typed-secret-1');
    assert.ok(!tty.shown().includes('typed-secret-1'));
  });

  it('ends the running step on an interrupt, records it as stopped and exits 130', async () => {
    const controller = new AbortController();
    const h = harness(md('- [ ] Hangs', '  ```sh', '  out started\\n', '  hang', '  ```', '- [ ] Never', '  ```sh', '  out never', '  ```'));
    const running = runRunbook(request({}, {}, controller.signal), h.ports);
    setTimeout(() => controller.abort(), 50);
    const r = await running;
    assert.equal(r.exitCode, EXIT.interrupted);
    const end = h.log().find((e) => e.type === 'step-end');
    assert.ok(end?.type === 'step-end' && end.status === 'stopped' && end.exitCode === null && end.output === 'started\n');
    assert.equal(h.shell.runs.length, 1);
  });

  it('ticks the step that ran after lines were added above it, and refuses when the step was edited', async () => {
    const text = md('# T', '- [ ] Slow', '  ```sh', '  out slow', '  ```', '- [ ] Next', '  ```sh', '  out next', '  ```');
    // Reads: 0 the start, 1 before the step, 2 its tick.
    const moved = harness(text, { edit: (t, n) => (n === 2 ? t.replace('# T\n', '# T\n\nA note added meanwhile.\n') : t) });
    assert.equal((await runRunbook(request(), moved.ports)).exitCode, EXIT.passed);
    assert.equal(moved.file(), text.replace('# T\n', '# T\n\nA note added meanwhile.\n').replace('[ ] Slow', '[x] Slow').replace('[ ] Next', '[x] Next'));

    const renamed = harness(text, { edit: (t, n) => (n === 2 ? t.replace('Slow', 'Slower') : t) });
    const r = await runRunbook(request(), renamed.ports);
    assert.equal(r.exitCode, EXIT.error);
    assert.match(r.message!, /^step "Slow" passed, but its box was not ticked: the step was changed/);
    assert.equal(renamed.file(), text.replace('Slow', 'Slower'), 'no box ticked');
    assert.equal(renamed.shell.runs.length, 1, 'and nothing more runs');
  });

  it('stops before a step that was changed while an earlier one ran', async () => {
    const text = md('- [ ] A', '  ```sh', '  out a', '  ```', '- [ ] B', '  ```sh', '  out b', '  ```');
    const h = harness(text, { edit: (t, n) => (n === 3 ? t.replace('out b', 'out changed') : t) });
    const r = await runRunbook(request(), h.ports);
    assert.equal(r.exitCode, EXIT.error);
    assert.match(r.message!, /step "B" cannot be found as it was/);
    assert.equal(h.shell.runs.length, 1);
  });

  it('--resume skips what is ticked or recorded as passed and continues the latest run', async () => {
    const h = harness(runbook);
    await runRunbook(request({ tick: false }), h.ports);
    h.ports.readRunbook = () => Buffer.from(runbook.replace('exit 3', 'exit 0'));
    const r = await runRunbook(request({ resume: true, tick: false }), h.ports);
    assert.equal(r.exitCode, EXIT.passed);
    assert.deepEqual(r.rows.map((x) => x.result), ['skipped', 'passed', 'passed']);
    const events = h.log();
    assert.equal(new Set(events.map((e) => e.runId)).size, 1, 'one run');
    assert.deepEqual(events.filter((e) => e.type === 'run-start').length, 2, 'the resumed part says who continued it');
  });

  it('records ci and the CI run in run-start, and the CI actor as the operator', async () => {
    const h = harness(md('- [ ] A', '  ```sh', '  out a', '  ```'));
    await runRunbook(request({}, { GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/ops', GITHUB_RUN_ID: '99', GITHUB_ACTOR: 'alice' }), h.ports);
    const start = h.log()[0];
    assert.ok(start.type === 'run-start');
    assert.deepEqual([start.ci, start.ciUrl, start.operator], [true, 'https://github.com/acme/ops/actions/runs/99', 'alice']);
  });

  it('--dry-run shows each step with its resolved command, secrets masked, and runs and records nothing', async () => {
    const text = md('---', 'variables:', '  HOST: db', '  PASS:', '    secret: true', '---', '- [ ] Connect', '  ```sh {"confirm":"go"}', '  psql -h $HOST -p "$PASS"', '  ```');
    const steps: string[] = [];
    const h = harness(text);
    h.ports.observer.step = ({ command, notes }) => void steps.push(command, ...notes);
    const r = await runRunbook(request({ dryRun: true }, { PASS: 'pw-secret-9' }), h.ports);
    assert.equal(r.exitCode, EXIT.passed);
    assert.deepEqual(steps, ['psql -h db -p "••••••"\n', 'confirm "go": needs --confirm go or a terminal; otherwise the run stops here (exit 4)']);
    assert.equal(h.shell.runs.length, 0);
    assert.deepEqual(h.log(), []);
    assert.equal(h.file(), text);
  });

  it('runs a named block outside the steps with --step, logs it like a step and ticks nothing', async () => {
    const text = md('# Readme', '```sh {"name":"hello"}', 'out hi', '```');
    const h = harness(text);
    const r = await runRunbook(request({ steps: ['hello'] }), h.ports);
    assert.equal(r.exitCode, EXIT.passed);
    assert.equal(h.file(), text);
    assert.deepEqual(h.log().map((e) => e.type), ['run-start', 'step-start', 'step-end']);
  });

  it('maps each outcome to its exit code', () => {
    assert.deepEqual(EXIT, { passed: 0, failed: 1, error: 2, gate: 4, interrupted: 130 });
  });

  it('prints a summary table with the step, its result and duration', () => {
    const step = (text: string) => ({ text, key: text }) as Step;
    const table = summaryTable([
      { step: step('Backup'), result: 'passed', exitCode: 0, durationMs: 2300 },
      { step: step('Migrate'), result: 'failed', exitCode: 3, durationMs: 120 },
      { step: step('Verify'), result: 'not run', exitCode: null },
    ]);
    assert.equal(table, ['', 'Summary', '  Step        Result           Duration', '  1. Backup   passed           2.3 s', '  2. Migrate  failed (exit 3)  120 ms', '  3. Verify   not run', ''].join('\n'));
  });
});


describe('preflight run: runbooks with nothing to run', () => {
  it('says so (exit 2) and records nothing', async () => {
    for (const [text, expected] of [
      ['# Notes\n\nNo steps here.\n', /^rb\.md has no steps \(task-list items such as "- \[ \] Take a backup"\)$/],
      ['# Readme\n```sh\necho a\n```\n', /has no steps .*; run one of its 1 shell blocks with --step NAME .*Convert Blocks to Steps$/],
      ['- [ ] Only optional\n  ```sh {"excludeFromRunAll":true}\n  out x\n  ```\n', /^no step of rb\.md to run: the remaining ones are excludeFromRunAll; name them with --step$/],
    ] as const) {
      const h = harness(text);
      const r = await runRunbook(request(), h.ports);
      assert.equal(r.exitCode, EXIT.error);
      assert.match(r.message!, expected);
      assert.deepEqual(h.log(), []);
    }
  });

  it('warns when another live process holds the latest run, and records this one on its own', async () => {
    const text = md('- [ ] A', '  ```sh', '  out a', '  ```');
    const h = harness(text);
    await runRunbook(request({ tick: false }), h.ports);
    const notices: string[] = [];
    h.ports.observer.notice = (m) => void notices.push(m);
    h.ports.identity = { ...h.ports.identity, pid: 5555, isAlive: (pid) => pid === 4242 };
    const r = await runRunbook(request({ resume: true, tick: false }), h.ports);
    assert.equal(r.exitCode, EXIT.passed);
    assert.match(notices[0], /^the latest run of rb\.md is held by process 4242 on test-host .*recorded on its own$/);
    assert.equal(new Set(h.log().map((e) => e.runId)).size, 2, 'two runs');
  });
});
