import * as assert from 'node:assert/strict';
import { approvalKeeper } from '../../../../src/core/run/gate';
import { parseRunbook } from '../../../../src/core/runbook';

const md = (...lines: string[]) => `${lines.join('\n')}\n`;
const TEXT = md('---', 'approval: { pullRequest: 3, from: Deploy }', '---', '- [ ] Check', '  ```sh', '  check', '  ```', '- [ ] Deploy', '  ```sh', '  deploy', '  ```', '- [ ] Verify', '  ```sh', '  verify', '  ```');
const PULL = { number: 3, url: 'https://github.com/acme/app/pull/3' };

describe('core/run/gate: the approval gate of a run', () => {
  const rb = parseRunbook(TEXT);
  const [check, deploy, verify] = rb.steps;

  it('checks before the first gated step only, once while the runbook changes in ticked boxes alone', async () => {
    let checks = 0;
    const records: unknown[] = [];
    const keep = approvalKeeper({ approval: { check: async () => (checks++, { allowed: true, pullRequest: PULL, approvedBy: ['alice'], commit: 'c'.repeat(40) }) } }, (e) => records.push(e), (s) => s);
    assert.equal(await keep(rb, TEXT, check), undefined);
    assert.equal(checks, 0);
    assert.equal(await keep(rb, TEXT, deploy), undefined);
    const ticked = TEXT.replace('- [ ] Deploy', '- [x] Deploy');
    assert.equal(await keep(parseRunbook(ticked), ticked, verify), undefined);
    assert.equal(checks, 1);
    const edited = ticked.replace('  verify', '  verify --all');
    assert.equal(await keep(parseRunbook(edited), edited, verify), undefined);
    assert.equal(checks, 2);
    assert.equal(records.length, 2);
  });

  it('blocks with the reason, and lets the step run once the operator typed override and a reason, both recorded', async () => {
    const blocked = { check: async () => ({ allowed: false as const, reason: 'GitHub cannot be reached (ECONNREFUSED)', pullRequest: PULL }) };
    const records: { type: string; reason?: string; blocked?: string }[] = [];
    const none = approvalKeeper({ approval: blocked }, (e) => records.push(e), (s) => s);
    assert.equal(await none(rb, TEXT, deploy), 'step "Deploy" needs an approved review: GitHub cannot be reached (ECONNREFUSED)');
    assert.deepEqual(records.map((r) => [r.type, r.reason]), [['approval', 'GitHub cannot be reached (ECONNREFUSED)']]);

    records.length = 0;
    const asked: string[] = [];
    const prompts = { variable: async () => undefined, confirm: async () => false, manual: async () => undefined, override: async (_s: unknown, reason: string) => (asked.push(reason), ' the DBA approved by phone ') };
    const over = approvalKeeper({ approval: blocked, prompts }, (e) => records.push(e), (s) => s.replace('phone', '•••'));
    assert.equal(await over(rb, TEXT, deploy), undefined);
    assert.deepEqual(asked, ['GitHub cannot be reached (ECONNREFUSED)']);
    assert.deepEqual(records.map((r) => [r.type, r.reason, r.blocked]), [['approval', 'GitHub cannot be reached (ECONNREFUSED)', undefined], ['approval-override', 'the DBA approved by •••', 'GitHub cannot be reached (ECONNREFUSED)']]);

    const noPort = approvalKeeper({}, () => undefined, (s) => s);
    assert.match((await noPort(rb, TEXT, deploy))!, /the approval cannot be checked here/);
  });
});
