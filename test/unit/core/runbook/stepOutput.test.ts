import * as assert from 'node:assert/strict';
import { stepOutput, type RunEvent, type StepRef } from '../../../../src/core/runbook';

const runId = 'r';
const health: StepRef = { key: 'health', text: 'Check $SERVICE', line: 3 };
const titled: StepRef = { ...health, title: 'Check billing' };
const events: RunEvent[] = [
  { type: 'step-start', runId, step: titled, command: 'curl http://billing/healthz\necho done', time: '2024-05-01T14:00:00.000Z' },
  { type: 'step-end', runId, step: health, exitCode: 7, status: 'failed', durationMs: 2100, output: 'curl: (7) refused\n', time: '2024-05-01T14:00:02.100Z' },
  { type: 'step-start', runId, step: titled, command: 'curl http://billing/healthz', time: '2024-05-01T14:05:00.000Z' },
  { type: 'step-end', runId, step: health, exitCode: 0, status: 'passed', durationMs: 300, output: '', time: '2024-05-01T14:05:00.300Z' },
];

describe('step output from the run log', () => {
  it('shows the latest run: title, result, command and output', () => {
    const out = stepOutput(events, 'health');
    assert.equal(out?.title, 'Check billing');
    assert.equal(out?.text, '▶ Check billing\npassed, exit 0 · 300 ms · ended 2024-05-01T14:05:00.300Z\n\n$ curl http://billing/healthz\n\n(no output)\n');
  });

  it('shows the run that ended at the given time, with the command it ran', () => {
    const out = stepOutput(events, 'health', '2024-05-01T14:00:02.100Z');
    assert.equal(out?.text, '▶ Check billing\nfailed, exit 7 · 2.1 s · ended 2024-05-01T14:00:02.100Z\n\n$ curl http://billing/healthz\n  echo done\n\ncurl: (7) refused\n');
  });

  it('has nothing for a step without a result, or a time no run ended at', () => {
    assert.equal(stepOutput(events, 'other'), undefined);
    assert.equal(stepOutput(events, 'health', '2030-01-01T00:00:00.000Z'), undefined);
    assert.equal(stepOutput([events[0]], 'health'), undefined);
  });
});
