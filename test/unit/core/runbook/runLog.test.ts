import * as assert from 'node:assert/strict';
import {
  formatDuration,
  lastResults,
  logFileName,
  parseLog,
  renderReport,
  serializeEvent,
  type RunEvent,
  type StepRef,
} from '../../../../src/core/runbook';

const runId = 'run-1';
const backup: StepRef = { key: 'backup', text: 'Take a backup', line: 4 };
const migrate: StepRef = { key: 'migrate', text: 'Run the | migration', line: 9 };
const announce: StepRef = { key: 'announce', text: 'Announce it', line: 2 };

const events: RunEvent[] = [
  { type: 'run-start', runId, runbook: 'ops/db/upgrade.md', title: 'Upgrade DB', operator: 'alice', host: 'bastion-1', time: '2024-05-01T14:00:00.000Z' },
  { type: 'manual-done', runId, step: announce, time: '2024-05-01T14:00:30.000Z' },
  { type: 'step-start', runId, step: backup, command: 'pg_dump -h db', time: '2024-05-01T14:01:00.000Z' },
  { type: 'step-end', runId, step: backup, exitCode: 0, status: 'passed', durationMs: 61_500, output: 'ok\n', time: '2024-05-01T14:02:01.500Z' },
  { type: 'tick', runId, step: backup, checked: true, time: '2024-05-01T14:02:01.600Z' },
  { type: 'confirm', runId, step: migrate, accepted: true, time: '2024-05-01T14:03:00.000Z' },
  { type: 'step-start', runId, step: migrate, command: 'migrate --to 16', time: '2024-05-01T14:03:01.000Z' },
  { type: 'step-end', runId, step: migrate, exitCode: 3, status: 'failed', durationMs: 800, output: 'ERROR: relation | missing\n```\n', time: '2024-05-01T14:03:01.800Z' },
  { type: 'rollback-offer', runId, step: migrate, time: '2024-05-01T14:03:02.000Z' },
];

describe('runbook run log', () => {
  it('round-trips events through JSON lines', () => {
    const text = events.map(serializeEvent).join('');
    assert.equal(text.split('\n').length, events.length + 1);
    assert.ok(events.map(serializeEvent).every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n')));
    assert.deepEqual(parseLog(text), { events, problems: [] });
  });

  it('keeps a multi-line output on one line', () => {
    const text = serializeEvent(events[7]);
    assert.equal(text.indexOf('\n'), text.length - 1);
  });

  it('tolerates a truncated last line and CRLF', () => {
    const full = events.map(serializeEvent).join('');
    const cut = full + serializeEvent(events[2]).slice(0, 25);
    const parsed = parseLog(cut);
    assert.deepEqual(parsed.events, events);
    assert.deepEqual(parsed.problems.map((p) => [p.code, p.line]), [['log-truncated', events.length]]);
    assert.deepEqual(parseLog(full.replace(/\n/g, '\r\n')).events, events);
  });

  it('skips garbled and foreign lines in the middle and reports each', () => {
    const lines = [
      serializeEvent(events[0]),
      '{not json\n',
      '\n',
      '{"type":"launch","runId":"x","time":"t"}\n',
      '{"type":"tick","runId":"x","time":"t","step":{"key":"k"},"checked":true}\n',
      '{"type":"step-end","runId":"x","time":"t","step":{"key":"k","text":"","line":1},"exitCode":0,"status":"great","durationMs":1,"output":""}\n',
      '[1,2]\n',
      'null\n',
      serializeEvent(events[1]),
    ];
    const parsed = parseLog(lines.join(''));
    assert.deepEqual(parsed.events, [events[0], events[1]]);
    assert.deepEqual(parsed.problems.map((p) => [p.code, p.line]), [
      ['log-line', 1],
      ['log-line', 3],
      ['log-line', 4],
      ['log-line', 5],
      ['log-line', 6],
      ['log-line', 7],
    ]);
  });

  it('never throws on odd input', () => {
    for (const text of ['', '\n\n', 'garbage', '{"type":"run-reset"', '\u0000\u0001', '{"type":"run-reset","runId":"r","time":"t"}']) {
      assert.doesNotThrow(() => parseLog(text));
    }
    assert.equal(parseLog('{"type":"run-reset","runId":"r","time":"t"}').events.length, 1);
  });

  describe('lastResults', () => {
    it('keeps the latest result of each step', () => {
      const rerun: RunEvent = { type: 'step-end', runId: 'run-2', step: migrate, exitCode: 0, status: 'passed', durationMs: 700, output: '', time: '2024-05-01T15:00:00.000Z' };
      const results = lastResults([...events, rerun]);
      assert.deepEqual([...results.keys()], ['backup', 'migrate']);
      assert.deepEqual(results.get('migrate'), { status: 'passed', exitCode: 0, durationMs: 700, time: '2024-05-01T15:00:00.000Z' });
      assert.deepEqual(results.get('backup'), { status: 'passed', exitCode: 0, durationMs: 61_500, time: '2024-05-01T14:02:01.500Z' });
      assert.equal(lastResults(events).get('migrate')?.status, 'failed');
    });

    it('forgets everything before a reset', () => {
      const reset: RunEvent = { type: 'run-reset', runId, time: '2024-05-01T14:10:00.000Z' };
      assert.equal(lastResults([...events, reset]).size, 0);
      const after: RunEvent = { type: 'step-end', runId, step: backup, exitCode: null, status: 'stopped', durationMs: 5, output: '', time: '2024-05-01T14:11:00.000Z' };
      assert.deepEqual([...lastResults([...events, reset, after]).entries()], [
        ['backup', { status: 'stopped', exitCode: null, durationMs: 5, time: '2024-05-01T14:11:00.000Z' }],
      ]);
    });
  });

  describe('renderReport', () => {
    const report = renderReport(events);

    it('has a header with runbook, title, operator, host and start', () => {
      assert.ok(report.startsWith('# Run report: Upgrade DB\n'));
      for (const line of ['- Runbook: ops/db/upgrade.md', '- Title: Upgrade DB', '- Operator: alice', '- Host: bastion-1', '- Started: 2024-05-01T14:00:00.000Z']) {
        assert.ok(report.includes(`${line}\n`), line);
      }
    });

    it('lists steps in a timeline table with escaped pipes', () => {
      const table = report.split('\n').filter((l) => l.startsWith('|'));
      assert.deepEqual(table, [
        '| Step | Who | Start | Duration | Result |',
        '| --- | --- | --- | --- | --- |',
        '| Announce it | alice | 14:00:30 | — | done (manual) |',
        '| Take a backup | alice | 14:01:00 | 1 min 2 s | passed (exit 0) |',
        '| Run the \\| migration | alice | 14:03:01 | 800 ms | failed (exit 3) |',
      ]);
    });

    it('lists confirmations, rollback offers and the output of failures', () => {
      assert.ok(report.includes('## Confirmations\n\n- 14:03:00 alice confirmed "Run the | migration"\n'));
      assert.ok(report.includes('## Rollback offers\n\n- 14:03:02 rollback offered to alice after "Run the | migration": not taken\n'));
      assert.ok(report.includes('### Run the | migration (14:03:01, failed (exit 3))\n\n````text\nERROR: relation | missing\n```\n````\n'));
      assert.ok(!renderReport(events, { includeFailedOutput: false }).includes('## Output of failed steps'));
    });

    it('shows interrupted steps, resets, steps ended without a start and later dates', () => {
      const more: RunEvent[] = [
        events[0],
        { type: 'step-start', runId, step: backup, command: 'x', time: '2024-05-01T23:59:00.000Z' },
        { type: 'run-reset', runId, time: '2024-05-02T00:10:00.000Z' },
        { type: 'step-end', runId: 'other', step: migrate, exitCode: null, status: 'timed-out', durationMs: 2 * 3600_000 + 5 * 60_000, output: '', time: '2024-05-02T03:00:00.000Z' },
      ];
      const table = renderReport(more, { includeFailedOutput: false }).split('\n').filter((l) => l.startsWith('| '));
      assert.deepEqual(table.slice(2), [
        '| Take a backup | alice | 23:59:00 | — | no result (interrupted) |',
        '| (checklist reset) | alice | 2024-05-02 00:10:00 | — | — |',
        '| Run the \\| migration | unknown | 2024-05-02 00:55:00 | 2 h 5 min | timed out |',
      ]);
    });

    it('renders an empty or headless log without throwing', () => {
      assert.match(renderReport([]), /^# Run report: untitled run\n/);
      const headless = renderReport([events[2], { ...events[3], time: 'not a date' } as RunEvent]);
      assert.ok(headless.includes('No run-start record'));
      assert.ok(headless.includes('| Take a backup | unknown | 14:01:00 | 1 min 2 s | passed (exit 0) |'));
    });
  });

  it('formats durations', () => {
    assert.deepEqual([0, 999, 1000, 59_949, 59_950, 3_599_000, 3_600_000, 86_400_000].map(formatDuration), [
      '0 ms',
      '999 ms',
      '1.0 s',
      '59.9 s',
      '1 min 0 s',
      '59 min 59 s',
      '1 h 0 min',
      '24 h 0 min',
    ]);
  });

  describe('logFileName', () => {
    const t = new Date('2024-05-01T14:25:01.789Z');

    it('names a folder per runbook and a file per UTC start time, to the millisecond', () => {
      assert.equal(logFileName('ops/db/upgrade.md', t), 'ops--db--upgrade/20240501-142501.789Z.jsonl');
      assert.equal(logFileName('upgrade.MD', t), 'upgrade/20240501-142501.789Z.jsonl');
      assert.equal(logFileName('docs\\run book.markdown', t), 'docs--run_book/20240501-142501.789Z.jsonl');
    });

    it('keeps the folder inside the log root', () => {
      assert.equal(logFileName('../../etc/passwd.md', t), '_--_--etc--passwd/20240501-142501.789Z.jsonl');
      assert.equal(logFileName('/abs/./x:y*.md', t), 'abs--x_y_/20240501-142501.789Z.jsonl');
      assert.equal(logFileName('.md', t), 'runbook/20240501-142501.789Z.jsonl');
      assert.equal(logFileName('Планы/обновление.md', t), 'Планы--обновление/20240501-142501.789Z.jsonl');
    });
  });
});
