import * as assert from 'node:assert/strict';
import { parseRunbook, renderReport, stepRef, stepTitle, type RunEvent, type StepRef } from '../../../../src/core/runbook';

const runId = 'run-1';
const at = (s: string) => `2024-05-01T14:${s}.000Z`;
const start: RunEvent = { type: 'run-start', runId, runbook: 'ops/upgrade.md', title: 'Upgrade', operator: 'alice', host: 'bastion', time: at('00:00') };
const migrate: StepRef = { key: 'migrate', text: 'Migrate $DB_NAME', line: 4, title: 'Migrate billing' };
const announce: StepRef = { key: 'announce', text: 'Tell the on-call engineer', line: 2 };
const skipMe: StepRef = { key: 'notify', text: 'Notify the customers', line: 3 };
const restore: StepRef = { key: 'restore', text: 'Restore the backup', line: 9, rollback: true };

function table(report: string): string[] {
  return report.split('\n').filter((l) => l.startsWith('| ')).slice(1);
}

describe('run report', () => {
  it('lists each step once: a manual step done or skipped, and a step run again with its earlier results', () => {
    const events: RunEvent[] = [
      start,
      { type: 'manual-prompt', runId, step: announce, decision: 'done', time: at('00:10') },
      { type: 'manual-done', runId, step: announce, time: at('00:10') },
      { type: 'step-end', runId, step: announce, exitCode: null, status: 'passed', durationMs: 0, output: '', time: at('00:10') },
      { type: 'manual-prompt', runId, step: skipMe, decision: 'skip', time: at('00:20') },
      { type: 'step-end', runId, step: skipMe, exitCode: null, status: 'skipped', durationMs: 0, output: '', time: at('00:20') },
      { type: 'step-start', runId, step: migrate, command: 'migrate billing', time: at('01:00') },
      { type: 'step-end', runId, step: migrate, exitCode: 3, status: 'failed', durationMs: 800, output: 'boom\n', time: at('01:01') },
      { type: 'step-start', runId, step: migrate, command: 'migrate billing', time: at('02:00') },
      { type: 'step-end', runId, step: migrate, exitCode: 0, status: 'passed', durationMs: 1200, output: 'ok\n', time: at('02:01') },
    ];
    assert.deepEqual(table(renderReport(events, { includeFailedOutput: false })), [
      '| --- | --- | --- | --- | --- |',
      '| Tell the on-call engineer | alice | 14:00:10 | — | done (manual) |',
      '| Notify the customers | alice | 14:00:20 | — | skipped (manual step) |',
      '| Migrate billing | alice | 14:02:00 | 1.2 s | passed (exit 0); earlier: failed (exit 3) |',
    ]);
  });

  it('starts the list again after a reset', () => {
    const events: RunEvent[] = [
      start,
      { type: 'step-end', runId, step: migrate, exitCode: 0, status: 'passed', durationMs: 1000, output: '', time: at('01:01') },
      { type: 'run-reset', runId, time: at('01:30') },
      { type: 'step-end', runId, step: migrate, exitCode: 0, status: 'passed', durationMs: 1000, output: '', time: at('02:01') },
    ];
    assert.deepEqual(table(renderReport(events)).slice(1), [
      '| Migrate $DB_NAME | alice | 14:01:00 | 1.0 s | passed (exit 0) |',
      '| (checklist reset) | alice | 14:01:30 | — | — |',
      '| Migrate $DB_NAME | alice | 14:02:00 | 1.0 s | passed (exit 0) |',
    ]);
  });

  it('says whether each rollback offer was taken, and by which rollback step', () => {
    const failed: RunEvent[] = [
      start,
      { type: 'step-start', runId, step: migrate, command: 'm', time: at('01:00') },
      { type: 'step-end', runId, step: migrate, exitCode: 3, status: 'failed', durationMs: 800, output: '', time: at('01:01') },
      { type: 'rollback-offer', runId, step: migrate, time: at('01:02') },
    ];
    const notTaken = renderReport(failed);
    assert.ok(notTaken.includes('## Rollback offers\n\n- 14:01:02 rollback offered to alice after "Migrate billing": not taken\n'), notTaken);
    const taken = renderReport([
      ...failed,
      { type: 'step-start', runId, step: restore, command: 'psql < backup.sql', time: at('03:00') },
      { type: 'step-end', runId, step: restore, exitCode: 0, status: 'passed', durationMs: 500, output: '', time: at('03:01') },
    ]);
    assert.ok(taken.includes('- 14:01:02 rollback offered to alice after "Migrate billing": taken (Restore the backup at 14:03:00)\n'), taken);
    // A step outside the Rollback section run after the offer is not taking it.
    const other = renderReport([...failed, { type: 'step-start', runId, step: announce, command: 'x', time: at('03:00') }]);
    assert.ok(other.includes('": not taken\n'));
  });

  it('names steps by their title with variables resolved, secrets masked', () => {
    const rb = parseRunbook(
      [
        '---',
        'variables:',
        '  DB_NAME:',
        '    default: billing',
        '  DB_PASSWORD:',
        '    secret: true',
        '---',
        '- [ ] Migrate $DB_NAME on ${DB_HOST} as ${DB_PASSWORD}',
        '  ```sh',
        '  migrate',
        '  ```',
        '## Rollback',
        '- [ ] Restore $DB_NAME',
        '',
      ].join('\n'),
    );
    const [step, rollback] = rb.steps;
    const values = new Map([['DB_PASSWORD', 'hunter2hunter2']]);
    assert.equal(stepTitle(rb.meta, step.text, values), 'Migrate billing on ${DB_HOST} as ••••••');
    assert.equal(stepTitle(rb.meta, step.text, new Map()), 'Migrate billing on ${DB_HOST} as ${DB_PASSWORD}');
    assert.deepEqual(stepRef(step, stepTitle(rb.meta, step.text, values)), { key: step.key, text: step.text, line: step.line, title: 'Migrate billing on ${DB_HOST} as ••••••' });
    assert.deepEqual(stepRef(rollback), { key: rollback.key, text: 'Restore $DB_NAME', line: rollback.line, rollback: true });
    const report = renderReport([start, { type: 'step-start', runId, step: stepRef(step, stepTitle(rb.meta, step.text, values)), command: 'migrate', time: at('01:00') }]);
    assert.ok(report.includes('| Migrate billing on ${DB_HOST} as •••••• | alice |'), report);
    assert.ok(!report.includes('hunter2'));
  });
});
