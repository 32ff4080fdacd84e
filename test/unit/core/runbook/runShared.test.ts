import * as assert from 'node:assert/strict';
import {
  ciActor,
  ciContext,
  excludedFromRunAll,
  parseLog,
  parseRunbook,
  prepareStep,
  renderReport,
  runHolder,
  SECRET_MASK,
  setCheckboxBytes,
  stepEndRecord,
  stepVariables,
  type RunEvent,
} from '../../../../src/core/runbook';

const md = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('what a step run needs (shared by the extension and the CLI)', () => {
  const text = md(
    '---',
    'variables:',
    '  DB_HOST: db.internal',
    '  DB_PASSWORD:',
    '    secret: true',
    '  UNUSED: x',
    '---',
    '- [ ] Migrate',
    '  ```sh',
    '  psql -h "$DB_HOST" -W "$DB_PASSWORD"',
    '  ```',
    '  ```text',
    '  not run $UNUSED',
    '  ```',
    '- [ ] Optional',
    '  ```sh {"excludeFromRunAll":"true"}',
    '  echo later',
    '  ```',
  );
  const rb = parseRunbook(text);

  it('asks only for the variables the runnable blocks use', () => {
    assert.deepEqual(stepVariables(rb.meta, rb.steps[0]).map((v) => v.name), ['DB_HOST', 'DB_PASSWORD']);
  });

  it('splits the environment into plain values and secrets, and masks the logged command', () => {
    const p = prepareStep(rb.meta, rb.steps[0], new Map([['DB_PASSWORD', 'hunter22']]));
    assert.deepEqual(p.plainEnv, { DB_HOST: 'db.internal', UNUSED: 'x' });
    assert.deepEqual([...p.secretEnv], [['DB_PASSWORD', 'hunter22']]);
    assert.deepEqual(p.secrets, ['hunter22']);
    assert.equal(p.blocks.length, 1);
    assert.equal(p.command, `psql -h "db.internal" -W "${SECRET_MASK}"\n`);
    assert.equal(p.blocks[0].display, p.command);
  });

  it('masks the output before capping it, so no part of a secret survives a cut', () => {
    const secret = 'S3cr3t-value-0123456789';
    const output = `${'a'.repeat(1000)}${secret}${'b'.repeat(1000)}`;
    const rec = stepEndRecord(rb.steps[0], { status: 'passed', exitCode: 0, durationMs: 5, output }, [secret], 1100);
    assert.ok(!rec.output.includes(secret.slice(0, 6)) && !rec.output.includes(secret.slice(-6)));
    assert.deepEqual(rec.step, { key: rb.steps[0].key, text: 'Migrate', line: 7 });
  });

  it('tells which steps Run All leaves out', () => {
    assert.deepEqual(rb.steps.map(excludedFromRunAll), [false, true]);
  });

  it('ticks with the one byte of the box, found again after an edit, and refuses an ambiguous one', () => {
    const before = md('# R', '- [ ] One', '  ```sh', '  true', '  ```', '- [ ] Two\r', '');
    const step = parseRunbook(before).steps[0];
    const edited = before.replace('# R\n', '# R\n\nA line added while it ran. ✓\n');
    const r = setCheckboxBytes(Buffer.from(edited), [{ step, snapshot: before, checked: true }])!;
    assert.equal(r.bytes!.toString('utf8'), edited.replace('- [ ] One', '- [x] One'));
    assert.equal(r.changed[0].line, 3);
    const renamed = before.replace('One', 'Uno');
    const refused = setCheckboxBytes(Buffer.from(renamed), [{ step, snapshot: before, checked: true }])!;
    assert.equal(refused.bytes, undefined);
    assert.match(refused.refused[0].reason, /changed|removed/);
    assert.equal(setCheckboxBytes(Buffer.from([0x2d, 0x20, 0x5b, 0x20, 0x5d, 0xff]), [{ step, snapshot: before, checked: true }]), undefined, 'not UTF-8');
  });
});

describe('CI runs', () => {
  it('knows GitHub Actions, GitLab CI and any CI=true service, with the run page when it is given', () => {
    assert.deepEqual(
      ciContext({ GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://github.com/', GITHUB_REPOSITORY: 'acme/ops', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '1' }),
      { ci: true, url: 'https://github.com/acme/ops/actions/runs/42' },
    );
    assert.equal(ciContext({ GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://ghe.example', GITHUB_REPOSITORY: 'a/b', GITHUB_RUN_ID: '7', GITHUB_RUN_ATTEMPT: '3' }).url, 'https://ghe.example/a/b/actions/runs/7/attempts/3');
    assert.deepEqual(ciContext({ GITHUB_ACTIONS: 'true' }), { ci: true, url: undefined });
    assert.deepEqual(ciContext({ GITLAB_CI: 'true', CI_JOB_URL: 'https://gitlab.example/g/p/-/jobs/9' }), { ci: true, url: 'https://gitlab.example/g/p/-/jobs/9' });
    assert.deepEqual(ciContext({ CI: 'true', BUILD_URL: 'https://jenkins.example/job/x/3/' }), { ci: true, url: 'https://jenkins.example/job/x/3/' });
    assert.deepEqual(ciContext({ CI: '1' }), { ci: true, url: undefined });
    assert.deepEqual(ciContext({ CI: 'false' }), { ci: false });
    assert.deepEqual(ciContext({}), { ci: false });
    assert.equal(ciActor({ GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'alice' }), 'alice');
    assert.equal(ciActor({ GITLAB_CI: 'true', GITLAB_USER_LOGIN: 'bob' }), 'bob');
    assert.equal(ciActor({ CI: 'true' }), undefined);
  });

  it('keeps ci and its URL in run-start, reads them back and shows them in the report', () => {
    const start = { type: 'run-start', runId: 'r', time: '2024-05-01T10:00:00.000Z', runbook: 'x.md', title: 'X', operator: 'ci', host: 'runner', pid: 7, ci: true, ciUrl: 'https://github.com/a/b/actions/runs/1' };
    const confirm = { type: 'confirm', runId: 'r', time: '2024-05-01T10:00:01.000Z', step: { key: 'k', text: 'Go', line: 1 }, accepted: true, via: 'option' };
    const { events, problems } = parseLog(`${JSON.stringify(start)}\n${JSON.stringify(confirm)}\n${JSON.stringify({ ...start, ci: 'yes' })}\n`);
    assert.equal(events.length, 2);
    assert.equal(problems.length, 1, 'a ci that is not a boolean is not a run-start');
    const report = renderReport(events);
    assert.match(report, /^- CI: https:\/\/github\.com\/a\/b\/actions\/runs\/1$/m);
    assert.match(report, /confirmed "Go" \(--confirm on the command line\)/);
  });
});

describe('which process holds a run', () => {
  const start = (pid: number | undefined, host = 'here'): RunEvent => ({ type: 'run-start', runId: 'r', time: 't', runbook: 'x.md', title: 'X', operator: 'o', host, pid });
  const self = { pid: 100, host: 'here' };
  const alive = (pids: number[]) => (pid: number) => pids.includes(pid);

  it('is the writer of the last run-start, when it is another live process on this host', () => {
    assert.deepEqual(runHolder([start(5), start(7)], self, alive([5, 7])), { pid: 7, host: 'here' });
    assert.equal(runHolder([start(7), start(5)], self, alive([7])), undefined, 'the last writer ended');
    assert.equal(runHolder([start(100)], self, alive([100])), undefined, 'this process');
    assert.equal(runHolder([start(7, 'elsewhere')], self, alive([7])), undefined, 'another host cannot be checked');
    assert.equal(runHolder([start(undefined)], self, alive([])), undefined);
    assert.equal(runHolder([], self, alive([])), undefined);
  });
});
