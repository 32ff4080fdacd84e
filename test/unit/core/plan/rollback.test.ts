import * as assert from 'node:assert/strict';
import { renderUpgradePlan } from '../../../../src/core/plan';
import type { RollbackCheck } from '../../../../src/core/plan/rollback';
import { parseRunbook } from '../../../../src/core/runbook';
import { summarize, type Review, type ReviewVersion } from '../../../../src/core/releases';

function review(): Review {
  const versions: ReviewVersion[] = [{ version: '1.1.0', date: null, items: [{ text: '- Faster startup', file: 'CHANGELOG.md', line: 3, endLine: 3, risks: [], heading: [] }] }];
  return { source: 'image:ghcr.io/acme/app:1.1.0', from: '1.0.0', to: '1.1.0', versions, summary: summarize(versions), engines: [], problems: [] };
}

const base: RollbackCheck = {
  image: 'ghcr.io/acme/app:1.0.0',
  status: 'available',
  checkedAt: '2026-03-04T05:06:07.890Z',
  digest: `sha256:${'a'.repeat(64)}`,
  recheck: 'preflight resolve image:ghcr.io/acme/app:1.0.0',
};

/** The lines of a `## Heading` section of the plan. */
function section(plan: string, heading: string): string {
  const start = plan.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, heading);
  const end = plan.indexOf('\n## ', start + 4);
  return plan.slice(start, end < 0 ? undefined : end);
}

describe('upgrade plan: rollback readiness', () => {
  it('says in the Rollback section when the image to roll back to was verified, and re-checks it before the window', () => {
    const plan = renderUpgradePlan({ app: 'app', review: review(), date: '2026-03-04', rollbackCheck: base });
    assert.match(section(plan, 'Rollback'), /The image to roll back to, `ghcr\.io\/acme\/app:1\.0\.0` \(`sha256:a{64}`\), was verified available at 2026-03-04T05:06:07Z\./);
    const runbook = parseRunbook(plan);
    const step = runbook.steps.find((s) => s.name === 'check-rollback-image');
    assert.ok(step, 'a step that checks the image again');
    assert.equal(step.commands[0].code.trim(), 'preflight resolve image:ghcr.io/acme/app:1.0.0');
    assert.deepEqual(step.blockers, []);
    assert.equal(step.rollback, false);
    // Before the window: ahead of the backup and of the upgrade itself.
    assert.ok(plan.indexOf('check-rollback-image') < plan.indexOf('\n## Backup\n'));
    assert.deepEqual(runbook.problems, []);
  });

  it('warns to mirror the image first when it is gone or could not be checked', () => {
    const missing = renderUpgradePlan({ app: 'app', review: review(), rollbackCheck: { ...base, status: 'missing', digest: undefined, reason: 'tag 1.0.0 of ghcr.io/acme/app\nis not in the registry' } });
    const rollback = section(missing, 'Rollback');
    assert.match(rollback, /^> \*\*Warning:\*\* the image to roll back to, `ghcr\.io\/acme\/app:1\.0\.0`, could not be found in its registry at 2026-03-04T05:06:07Z: tag 1\.0\.0 of ghcr\.io\/acme\/app is not in the registry\.$/m);
    assert.match(rollback, /Mirror it to a registry you control/);
    assert.doesNotMatch(missing, /verified available/);
    const unverified = renderUpgradePlan({ app: 'app', review: review(), rollbackCheck: { ...base, status: 'unverified', digest: undefined, reason: 'cannot reach ghcr.io' } });
    assert.match(section(unverified, 'Rollback'), /could not be checked at 2026-03-04T05:06:07Z: cannot reach ghcr\.io\./);
    assert.doesNotMatch(unverified, /verified available/);
  });

  it('adds nothing to a plan without an image', () => {
    const plain = renderUpgradePlan({ app: 'app', review: { ...review(), source: 'file:CHANGELOG.md' }, date: '2026-03-04' });
    assert.doesNotMatch(plain, /rollbackImage|image to roll back to|check-rollback-image/);
    assert.doesNotMatch(plain, /\n\n\n/);
  });
});
