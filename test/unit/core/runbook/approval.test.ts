import * as assert from 'node:assert/strict';
import { gateStart, isGated, parsePullRequestSpec, parseRunbook, withoutTicks } from '../../../../src/core/runbook';

const md = (...lines: string[]) => `${lines.join('\n')}\n`;
const STEPS = ['# Upgrade', '- [ ] Check the version', '  ```sh', '  check', '  ```', '- [x] Take a backup', '  ```sh {"name":"backup"}', '  backup', '  ```', '- [ ] Migrate', '  ```sh', '  migrate', '  ```'];

describe('core/runbook/approval: the approval gate a runbook declares', () => {
  it('reads pullRequest auto, a number or a URL, and from by fence name or, failing that, by text', () => {
    const rb = parseRunbook(md('---', 'approval: { pullRequest: 12, from: backup }', '---', ...STEPS));
    assert.deepEqual(rb.problems, []);
    assert.deepEqual(rb.meta.approval, { pullRequest: { kind: 'number', number: 12 }, from: 'backup', line: 1 });
    assert.equal(gateStart(rb)?.text, 'Take a backup');
    assert.deepEqual(rb.steps.map((s) => isGated(rb, s)), [false, true, true]);
    const byText = parseRunbook(md('---', 'approval:', '  pullRequest: auto', '  from: "migrate"', '---', ...STEPS));
    assert.deepEqual(byText.steps.map((s) => isGated(byText, s)), [false, false, true]);
    const all = parseRunbook(md('---', 'approval: { pullRequest: "https://ghe.example.com/acme/app/pull/3" }', '---', ...STEPS));
    assert.deepEqual(all.meta.approval?.pullRequest, { kind: 'url', url: 'https://ghe.example.com/acme/app/pull/3', host: 'ghe.example.com', owner: 'acme', repo: 'app', number: 3, apiBaseUrl: 'https://ghe.example.com/api/v3' });
    assert.deepEqual(all.steps.map((s) => isGated(all, s)), [true, true, true]);
  });

  it('blocks every step when from names no step, and reports a gate it cannot read', () => {
    const rb = parseRunbook(md('---', 'approval: { pullRequest: 12, from: deploy }', '---', ...STEPS));
    assert.match(rb.problems[0].message, /"from" of "approval" names no step: no step has the name or the text "deploy"/);
    assert.ok(rb.steps.every((s) => s.blockers.length === 1 && isGated(rb, s)));
    const bad = parseRunbook(md('---', 'approval: { pullRequest: soon }', '---', ...STEPS));
    assert.match(bad.problems[0].message, /"pullRequest" must be auto, a pull request number or its URL/);
    assert.equal(bad.problems[0].severity, 'error');
    assert.match(parsePullRequestSpec('0') as string, /is not a pull request number/);
    assert.deepEqual(parsePullRequestSpec('#42'), { kind: 'number', number: 42 });
  });

  it('reads two versions that differ only in ticked boxes as the same runbook', () => {
    const text = md('---', 'approval: { pullRequest: 1 }', '---', ...STEPS);
    const ticked = text.replace('- [ ] Migrate', '- [X] Migrate');
    assert.equal(withoutTicks(ticked), withoutTicks(text));
    assert.equal(withoutTicks(text), text.replace('- [x] Take', '- [ ] Take'));
    assert.notEqual(withoutTicks(text.replace('  migrate', '  migrate --force')), withoutTicks(text));
    // A bracket that is no step's box stays as written.
    assert.equal(withoutTicks('Not a step: [x]\n'), 'Not a step: [x]\n');
  });
});
