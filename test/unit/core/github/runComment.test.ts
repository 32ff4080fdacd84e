import * as assert from 'node:assert/strict';
import { isRunComment, publishLabels, runComment, runCommentMarker, sameLabels, upgradeState } from '../../../../src/core/github/runComment';
import { parseRunbook, type RunEvent, type StepStatus } from '../../../../src/core/runbook';

const md = (...lines: string[]) => `${lines.join('\n')}\n`;
const PLAN = md('# Upgrade', '- [ ] Backup', '  ```sh', '  backup', '  ```', '- [ ] Migrate', '  ```sh', '  migrate', '  ```', '## Rollback', '- [ ] Restore', '  ```sh', '  restore', '  ```');

let minute = 0;
const at = () => `2024-05-01T10:${String(++minute).padStart(2, '0')}:00.000Z`;
const start = (): RunEvent => ({ type: 'run-start', runId: 'r1', time: at(), runbook: 'plan.md', title: 'Upgrade', operator: 'ops', host: 'box' });
function end(text: string, status: StepStatus, output = ''): RunEvent {
  const rb = parseRunbook(PLAN);
  const s = rb.steps.find((x) => x.text === text)!;
  return { type: 'step-end', runId: 'r1', time: at(), step: { key: s.key, text: s.text, line: s.line }, exitCode: status === 'passed' ? 0 : 1, status, durationMs: 1200, output };
}

describe('core/github/runComment: the run as its pull request shows it', () => {
  const rb = parseRunbook(PLAN);
  const ticked = parseRunbook(PLAN.replace(/- \[ \] (Backup|Migrate)/g, '- [x] $1'));

  it('follows the upgrade: in progress, failed, rolled back, done', () => {
    assert.equal(upgradeState([start(), end('Backup', 'passed')], rb), 'in-progress');
    assert.equal(upgradeState([start(), end('Backup', 'passed'), end('Migrate', 'failed')], rb), 'failed');
    assert.equal(upgradeState([start(), end('Backup', 'passed'), end('Migrate', 'failed'), end('Restore', 'passed')], rb), 'rolled-back');
    assert.equal(upgradeState([start(), end('Migrate', 'failed'), end('Migrate', 'passed')], ticked), 'done');
    assert.equal(upgradeState([start()], rb), 'in-progress');
  });

  it('keeps the pull request\'s own labels, with one state label and manual-change when a command was typed by hand', () => {
    assert.deepEqual(publishLabels(['upgrade', 'upgrade:failed', 'Upgrade:In-Progress'], 'done', false), ['upgrade', 'upgrade:done']);
    assert.deepEqual(publishLabels(['upgrade'], 'failed', true), ['upgrade', 'upgrade:failed', 'manual-change']);
    assert.deepEqual(publishLabels(['manual-change'], 'done', true), ['manual-change', 'upgrade:done']);
    assert.ok(sameLabels(['b', 'A'], ['a', 'B', 'b']));
    assert.ok(!sameLabels(['a'], ['a', 'c']));
  });

  it('starts with a hidden marker naming the runbook, then the state, the timeline, and the last lines of a failure', () => {
    const output = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\n');
    const events: RunEvent[] = [
      start(),
      end('Backup', 'passed'),
      end('Migrate', 'failed', output),
      { type: 'rollback-offer', runId: 'r1', time: at(), step: { key: rb.steps[1].key, text: 'Migrate', line: rb.steps[1].line } },
      { type: 'manual-command', runId: 'r1', time: at(), command: 'kubectl rollout restart deploy/app', exitCode: 0, cwd: '/srv' },
    ];
    const body = runComment({ events, rb, path: 'plans/plan.md' });
    assert.ok(body.startsWith(`${runCommentMarker('plans/plan.md')}\n**❌ Failed** · 1/2 steps done · label \`upgrade:failed\``));
    assert.ok(isRunComment(body, 'plans/plan.md'));
    assert.ok(!isRunComment(body, 'plans/other.md'));
    assert.match(body, /^## Run report: Upgrade$/m);
    assert.match(body, /^### Manual interventions\n\n- \d\d:\d\d:\d\d ops ran `kubectl rollout restart deploy\/app` in `\/srv`: exit 0$/m);
    assert.match(body, /rollback offered to ops after "Migrate": not taken/);
    assert.match(body, /… \(20 earlier lines left out\)\nline 21\n/);
    assert.doesNotMatch(body, /^line 20$/m);
  });
});
