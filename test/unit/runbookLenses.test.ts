import * as assert from 'node:assert/strict';
import { parseRunbook, stepLenses } from '../../src/core/runbook';

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
