import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomicSync, writeFileAtomic } from '../../../../src/adapters/atomicWrite';
import { stepScript } from '../../../../src/core/exec/stepScript';
import {
  SECRET_MASK,
  SecretMasker,
  buildEnv,
  logFileName,
  maskSecrets,
  missingVariables,
  parseLog,
  parseRunbook,
  relocateStep,
  renderReport,
  secretForms,
  stepLenses,
  variablesUsedBy,
  type RunEvent,
  type VariableSpec,
} from '../../../../src/core/runbook';

const spec = (name: string, extra: Partial<VariableSpec> = {}): VariableSpec => ({ name, secret: false, line: 0, ...extra });

describe('runbook gates fail closed', () => {
  const runbook = (attrs: string) => `# R\n- [ ] Dangerous\n  \`\`\`sh ${attrs}\n  ./wipe.sh\n  \`\`\`\n`;

  for (const [what, attrs] of [
    ['a confirm that is a number', '{"confirm":5}'],
    ['an empty confirm', '{"confirm":""}'],
    ['a confirm of spaces', '{"confirm":"   "}'],
    ['a confirm that is a list', '{"confirm":["production"]}'],
    ['attributes that are not JSON', '{"confirm":"production"'],
    ['a timeout that is a word', '{"timeout":"soon"}'],
    ['a timeout past what a timer can hold', '{"timeout":3000000}'],
  ]) {
    it(`blocks a step with ${what}`, () => {
      const rb = parseRunbook(runbook(attrs));
      const [step] = rb.steps;
      assert.ok(step.blockers.length > 0, 'the step is blocked');
      assert.ok(rb.problems.some((p) => p.severity === 'error'), 'and the problem is shown');
      const lenses = stepLenses(rb, new Map()).filter((l) => l.step === step);
      assert.ok(!lenses.some((l) => l.action === 'run'), 'no Run button');
      assert.ok(lenses.some((l) => l.action === 'showProblems'), 'a lens says why');
    });
  }

  it('keeps a valid confirm and a long but valid timeout runnable', () => {
    const [step] = parseRunbook(runbook('{"confirm":"production","timeout":2000000}')).steps;
    assert.deepEqual(step.blockers, []);
    assert.equal(step.commands[0].attrs.confirm, 'production');
    assert.equal(step.commands[0].attrs.timeout, 2000000);
  });

  it('blocks every step when the front matter cannot be read, and only steps with their own errors otherwise', () => {
    const bad = parseRunbook(`---\nvariables: [unclosed\n---\n- [ ] A\n  \`\`\`sh\n  echo a\n  \`\`\`\n- [ ] B\n  \`\`\`sh\n  echo b\n  \`\`\`\n`);
    assert.equal(bad.steps.length, 2);
    assert.ok(bad.steps.every((s) => s.blockers.length > 0));
    const mixed = parseRunbook(`- [ ] A\n  \`\`\`sh {"timeout":-1}\n  echo a\n  \`\`\`\n- [ ] B\n  \`\`\`sh\n  echo b\n  \`\`\`\n`);
    assert.ok(mixed.steps[0].blockers.length > 0);
    assert.deepEqual(mixed.steps[1].blockers, []);
  });

  it('blocks a step whose name is already taken', () => {
    const rb = parseRunbook('- [ ] A\n  ```sh {"name":"x"}\n  echo a\n  ```\n- [ ] B\n  ```sh {"name":"x"}\n  echo b\n  ```\n');
    assert.deepEqual(rb.steps[0].blockers, []);
    assert.ok(rb.steps[1].blockers.length > 0);
  });

  it('does not block on attributes of blocks that are never run', () => {
    const rb = parseRunbook('- [ ] Manual with a sample\n  ```json {"confirm":5}\n  {}\n  ```\n');
    assert.deepEqual(rb.steps[0].blockers, []);
  });
});

describe('only what a reader sees is a step', () => {
  it('ignores task items inside HTML comments and HTML blocks', () => {
    const text = [
      '# Visible',
      '- [ ] Shown',
      '  ```sh',
      '  echo shown',
      '  ```',
      '<!--',
      '- [ ] Hidden in a comment',
      '  ```sh',
      '  rm -rf /important',
      '  ```',
      '-->',
      '<div hidden>',
      '- [ ] Hidden in a div',
      '</div>',
      '',
      '<!-- - [ ] one-line comment -->',
      '- [ ] Also shown',
      '',
    ].join('\n');
    const rb = parseRunbook(text);
    assert.deepEqual(rb.steps.map((s) => s.text), ['Shown', 'Also shown']);
    assert.ok(!rb.looseBlocks.some((b) => b.code.includes('rm -rf')), 'the hidden block is not a loose block either');
  });
});

describe('front matter', () => {
  it('reports duplicate keys and duplicate variables itself', () => {
    const rb = parseRunbook('---\ntitle: a\ntitle: b\nvariables:\n  X: 1\n  X: 2\n---\n- [ ] s\n  ```sh\n  echo\n  ```\n');
    assert.ok(rb.problems.some((p) => /"title" appears more than once/.test(p.message)));
    assert.ok(rb.problems.some((p) => /"X" is declared more than once/.test(p.message)));
    assert.ok(rb.steps[0].blockers.length > 0);
  });

  it('refuses front matter past its size limit with a clear message, blocking the steps', () => {
    const big = `---\n${'k: v\n'.repeat(60_000)}---\n- [ ] s\n  \`\`\`sh\n  echo\n  \`\`\`\n`;
    const rb = parseRunbook(big);
    assert.ok(rb.problems.some((p) => /reads front matter up to 256 KB/.test(p.message)));
    assert.ok(rb.steps[0].blockers.length > 0);
  });

  it('reads 20,000 keys', () => {
    let fm = '---\n';
    for (let i = 0; i < 20_000; i++) fm += `k${i}: v\n`;
    const rb = parseRunbook(`${fm}---\n- [ ] s\n  \`\`\`sh\n  echo\n  \`\`\`\n`);
    assert.equal(Object.keys(rb.meta.extra).length, 20_000);
    assert.deepEqual(rb.steps[0].blockers, []);
  });
});

describe('variables named like object members', () => {
  it('treats constructor, toString and __proto__ as plain names', () => {
    const meta = { variables: [spec('constructor'), spec('toString', { default: 'x' }), spec('__proto__', { secret: true })] };
    assert.deepEqual(missingVariables(meta.variables, new Map()).map((v) => v.name), ['constructor', '__proto__']);
    const env = buildEnv(meta, new Map([['constructor', 'c'], ['__proto__', 'p']]));
    assert.deepEqual(Object.keys(env).sort(), ['__proto__', 'constructor', 'toString']);
    assert.equal(env.constructor, 'c');
    assert.equal(Object.getPrototypeOf(env), Object.prototype, 'no prototype was replaced');
  });

  it('asks only for the variables a step refers to', () => {
    const meta = { variables: [spec('DB_HOST'), spec('DB_PASSWORD', { secret: true }), spec('TICKET')] };
    assert.deepEqual(variablesUsedBy(meta, ['pg_dump -h "$DB_HOST" billing']).map((v) => v.name), ['DB_HOST']);
    assert.deepEqual(variablesUsedBy(meta, ['export PGPASSWORD=${DB_PASSWORD:-}', 'printenv TICKET']).map((v) => v.name), ['DB_PASSWORD', 'TICKET']);
    assert.deepEqual(variablesUsedBy(meta, ['echo $DB_HOSTNAME']), []);
  });
});

describe('secret masking', () => {
  const secret = 'hunter2 correct-horse';

  it('masks the forms a command turns a secret into', () => {
    const forms = [
      secret,
      'correct-horse',
      encodeURIComponent(secret),
      'hunter2+correct-horse',
      JSON.stringify(`a"${secret}`).slice(4, -1),
      Buffer.from(secret).toString('base64'),
    ];
    for (const form of forms) {
      const masked = maskSecrets(`before ${form} after`, [secret]);
      assert.ok(!masked.includes(form), `${form} in ${masked}`);
      assert.ok(masked.includes(SECRET_MASK));
    }
  });

  it('masks a secret inside a longer base64 string at each alignment (Basic authorization)', () => {
    for (const user of ['a', 'ab', 'abc', 'admin', 'operator']) {
      const header = Buffer.from(`${user}:s3cr3t-passw0rd!`).toString('base64');
      const masked = maskSecrets(`Authorization: Basic ${header}`, ['s3cr3t-passw0rd!']);
      assert.notEqual(masked, `Authorization: Basic ${header}`, `alignment of "${user}:"`);
      // What is left of the encoded string cannot be decoded back to the password.
      const left = masked.replace(/^Authorization: Basic /, '').split(SECRET_MASK).join('');
      assert.ok(!Buffer.from(left, 'base64').toString('latin1').includes('passw0rd'), left);
    }
  });

  it('does not mask short words of a secret on their own', () => {
    assert.ok(!secretForms('a bc secretvalue').includes('bc'));
    assert.equal(maskSecrets('a bc', ['a bc secretvalue']), 'a bc');
  });

  it('masks a secret split across output chunks, at every split point', () => {
    const out = `token: ${secret}\nnext line ${secret}!\n`;
    for (let i = 1; i < out.length; i++) {
      for (let j = i; j < out.length; j += 7) {
        const masker = new SecretMasker([secret]);
        const shown = masker.push(out.slice(0, i)) + masker.push(out.slice(i, j)) + masker.push(out.slice(j)) + masker.end();
        assert.equal(shown, maskSecrets(out, [secret]), `split at ${i}, ${j}`);
        assert.ok(!shown.includes('hunter2'));
      }
    }
  });

  it('passes output through unchanged without secrets', () => {
    const masker = new SecretMasker([]);
    assert.equal(masker.push('abc') + masker.end(), 'abc');
  });
});

describe('the step that ran is the box that is ticked', () => {
  const base = ['# R', '- [ ] Backup', '  ```sh', '  backup', '  ```', '- [ ] Migrate', '  ```sh', '  migrate', '  ```', '- [ ] Check', '  ```sh', '  check', '  ```', ''];
  const at = (lines: string[], text: string) => parseRunbook(lines.join('\n')).steps.find((s) => s.text === text)!;

  it('follows the step when lines are added or removed above or below it', () => {
    const before = base.join('\n');
    const step = at(base, 'Migrate');
    const above = ['# R', 'Intro paragraph', '', ...base.slice(1)].join('\n');
    const r1 = relocateStep(before, step, above);
    assert.ok(r1.ok && r1.value.step.text === 'Migrate' && r1.value.step.line === step.line + 2);
    const below = [...base.slice(0, -1), '- [ ] Extra', ''].join('\n');
    const r2 = relocateStep(before, step, below);
    assert.ok(r2.ok && r2.value.step.line === step.line);
  });

  it('refuses when the running step was renamed, deleted or turned into something else', () => {
    const before = base.join('\n');
    const step = at(base, 'Migrate');
    const renamed = base.map((l) => (l === '- [ ] Migrate' ? '- [ ] Migrate (v2)' : l)).join('\n');
    assert.equal(relocateStep(before, step, renamed).ok, false);
    const deleted = [...base.slice(0, 5), ...base.slice(9)].join('\n');
    assert.equal(relocateStep(before, step, deleted).ok, false);
    const fenced = ['# R', '~~~~', ...base.slice(1), '~~~~', ''].join('\n');
    assert.equal(relocateStep(before, step, fenced).ok, false);
  });

  it('finds a step that was moved, when it is unique', () => {
    const before = base.join('\n');
    const step = at(base, 'Migrate');
    const moved = ['# R', ...base.slice(5, 9), ...base.slice(1, 5), ...base.slice(9)].join('\n');
    const r = relocateStep(before, step, moved);
    assert.ok(r.ok);
    assert.equal(r.value.step.text, 'Migrate');
    assert.equal(r.value.step.line, 1);
  });

  it('refuses when an identical twin makes the step ambiguous', () => {
    const twins = ['# R', '- [ ] Restart', '  ```sh', '  restart', '  ```', '- [ ] Restart', '  ```sh', '  restart', '  ```', ''];
    const before = twins.join('\n');
    const first = parseRunbook(before).steps[0];
    // The first twin, which ran, is deleted: the second must not be ticked in its place.
    const deletedFirst = ['# R', ...twins.slice(5)].join('\n');
    assert.equal(relocateStep(before, first, deletedFirst).ok, false);
    // An edit elsewhere leaves the twins where they were: the position decides.
    const edited = [...twins.slice(0, -1), 'trailing note', ''].join('\n');
    const r = relocateStep(before, first, edited);
    assert.ok(r.ok && r.value.step.line === 1);
  });

  it('ignores ticks of other steps (and of itself) made meanwhile', () => {
    const before = base.join('\n');
    const step = at(base, 'Migrate');
    const ticked = base.map((l) => (l === '- [ ] Backup' ? '- [x] Backup' : l)).join('\n');
    const r = relocateStep(before, step, ticked);
    assert.ok(r.ok && r.value.step.text === 'Migrate');
  });
});

describe('the run log', () => {
  it('names each run by its start to the millisecond and a tag', () => {
    const t = new Date(Date.UTC(2024, 4, 1, 14, 25, 1, 123));
    assert.equal(logFileName('ops/up.md', t, 'ab12'), 'ops--up/20240501-142501.123Z-ab12.jsonl');
    assert.notEqual(logFileName('a.md', t, 'ab12'), logFileName('a.md', t, 'cd34'));
  });

  it('reads manual decisions and blocked steps, and reports them', () => {
    const base = { runId: 'r', time: '2024-05-01T10:00:00.000Z' };
    const step = { key: 'k', text: 'Call the DBA', line: 3 };
    const events: RunEvent[] = [
      { ...base, type: 'run-start', runbook: 'r.md', title: 'T', operator: 'op', host: 'h', pid: 42 },
      { ...base, type: 'manual-prompt', step, decision: 'skip' },
      { ...base, type: 'step-blocked', step: { key: 'm', text: 'Migrate', line: 9 }, reasons: ['line 10: "confirm" must be a non-empty string'] },
    ];
    const parsed = parseLog(events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    assert.equal(parsed.problems.length, 0);
    assert.equal(parsed.events.length, 3);
    const report = renderReport(parsed.events);
    assert.match(report, /Call the DBA \| op \| 10:00:00 \| — \| skipped \(manual step\)/);
    assert.match(report, /Migrate \| op \| 10:00:00 \| — \| blocked: line 10/);
  });
});

describe('step scripts: each step gets its current environment, secrets through a pipe', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-script-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exports values per step and unsets the secrets when the step ends, in one bash session', () => {
    const fifo = path.join(dir, 'secrets.fifo');
    const s1 = path.join(dir, 's1.sh');
    const s2 = path.join(dir, 's2.sh');
    writeFileSync(s1, stepScript('echo "one:$STAGE:$TOKEN"', { shell: 'bash', exports: { STAGE: 'first' }, secrets: { names: ['TOKEN'], fifo }, unset: ['PREFLIGHT_STEP'] }));
    writeFileSync(s2, stepScript('echo "two:$STAGE:${TOKEN-unset}"', { shell: 'bash', exports: { STAGE: 'second' } }));
    // The writer side of the pipe, as the extension does it.
    const session = `mkfifo ${fifo}; (printf 'p4ss w0rd\\0' > ${fifo}) & . ${s1}; . ${s2}; echo "after:\${TOKEN-unset}"`;
    const r = spawnSync('bash', ['-c', session], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['one:first:p4ss w0rd', 'two:second:unset', 'after:unset']);
  });
});

describe('atomic writes', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-atomic-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces the content, keeps the permissions and leaves no temporary file', async () => {
    const file = path.join(dir, 'runbook.md');
    writeFileSync(file, 'old\r\n');
    chmodSync(file, 0o640);
    writeFileAtomicSync(file, Buffer.from('new\r\n'));
    assert.equal(readFileSync(file, 'utf8'), 'new\r\n');
    assert.equal(statSync(file).mode & 0o777, 0o640);
    await writeFileAtomic(file, 'newer');
    assert.equal(readFileSync(file, 'utf8'), 'newer');
    assert.equal(statSync(file).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(dir), ['runbook.md']);
  });

  it('removes what a writer killed mid-write left behind, but not a write under way', () => {
    const file = path.join(dir, 'plan.md');
    writeFileSync(file, 'v1');
    const stale = path.join(dir, '.plan.md.0123456789ab.tmp');
    const fresh = path.join(dir, '.plan.md.ba9876543210.tmp');
    writeFileSync(stale, 'half');
    writeFileSync(fresh, 'half');
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(stale, old, old);
    writeFileAtomicSync(file, 'v2');
    assert.ok(!existsSync(stale), 'the stale temporary file is gone');
    assert.ok(existsSync(fresh), 'a recent one may be another writer at work');
    rmSync(fresh);
  });

  it('creates a new file with the mode asked for', () => {
    const file = path.join(dir, 'secret.json');
    writeFileAtomicSync(file, '{}', { mode: 0o600 });
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });
});
