import * as assert from 'node:assert/strict';
import { blockLenses, parseRunbook, stepLenses } from '../../../../src/core/runbook';

const text = `# Upgrade
- [ ] Backup
  \`\`\`sh {"name":"backup"}
  pg_dump
  \`\`\`
- [x] Announce
- [ ] Announce again
- [ ] Migrate
  \`\`\`sh
  migrate
  \`\`\`

## Rollback
- [ ] Restore
  \`\`\`sh
  restore
  \`\`\`
`;

describe('step CodeLenses', () => {
  const rb = parseRunbook(text);
  const titles = (lenses: ReturnType<typeof stepLenses>, line: number) => lenses.filter((l) => l.line === line).map((l) => l.title);

  it('counts progress over the steps outside Rollback', () => {
    const lenses = stepLenses(rb, new Map());
    assert.deepEqual(titles(lenses, 0), ['▶ Run All', '1/4 done', '↺ Reset']);
  });

  it('offers Run, Mark done and done by kind of step', () => {
    const lenses = stepLenses(rb, new Map());
    assert.deepEqual(titles(lenses, 1), ['▶ Run']);
    assert.deepEqual(titles(lenses, 5), ['✓ done']);
    assert.deepEqual(titles(lenses, 6), ['✓ Mark done']);
    assert.deepEqual(titles(lenses, 13), ['▶ Run']);
  });

  it('shows the last result, Re-run, and Stop while running', () => {
    const results = new Map([
      ['backup', { status: 'passed' as const, exitCode: 0, durationMs: 2300, time: '2024-01-01T00:00:00Z' }],
      ['migrate', { status: 'failed' as const, exitCode: 1, durationMs: 10, time: '2024-01-01T00:00:00Z' }],
    ]);
    const lenses = stepLenses(rb, results, 'restore');
    assert.deepEqual(titles(lenses, 1), ['↻ Re-run', '✓ 2.3 s']);
    assert.deepEqual(titles(lenses, 7), ['↻ Re-run', '✗ exit 1']);
    assert.deepEqual(titles(lenses, 13), ['$(sync~spin) Running…', '■ Stop']);
  });
});

describe('block CodeLenses', () => {
  const readme = `# Readme
\`\`\`sh
npm ci
\`\`\`
\`\`\`sh {"name":"test","timeout":"soon"}
npm test
\`\`\`
\`\`\`json
{}
\`\`\`
`;
  const rb = parseRunbook(readme);
  const titles = (lenses: ReturnType<typeof blockLenses>, line: number) => lenses.filter((l) => l.line === line).map((l) => l.title);

  it('offers Run Block above runnable blocks outside steps, what blocks one, and the conversion at the top', () => {
    const lenses = blockLenses(rb, new Map(), undefined, true);
    assert.deepEqual(titles(lenses, 0), ['☑ Convert Blocks to Steps']);
    assert.deepEqual(titles(lenses, 1), ['▶ Run Block']);
    assert.deepEqual(titles(lenses, 4), ['⚠ Cannot run: fix the block']);
    assert.deepEqual(titles(lenses, 7), []);
    assert.deepEqual(titles(blockLenses(rb, new Map()), 0), [], 'no conversion offered in a runbook');
  });

  it('shows the last result, Re-run Block, and Stop while it runs', () => {
    const results = new Map([['block:npm ci', { status: 'failed' as const, exitCode: 1, durationMs: 10, time: 't' }]]);
    assert.deepEqual(titles(blockLenses(rb, results), 1), ['↻ Re-run Block', '✗ exit 1']);
    assert.deepEqual(titles(blockLenses(rb, results, 'block:npm ci'), 1), ['$(sync~spin) Running…', '■ Stop']);
  });
});
