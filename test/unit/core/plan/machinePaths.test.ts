import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { planPullRequest, renderUpgradePlan } from '../../../../src/core/plan';
import { buildReview, createFileSource, type Review } from '../../../../src/core/releases';
import { readLocalFile } from '../../../../src/adapters/localFiles';

describe('plans without machine paths', () => {
  it('names a changelog outside the workspace, and a local clone, without this machine\'s paths', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-plan-paths-'));
    const file = path.join(dir, 'CHANGELOG.md');
    writeFileSync(file, '# Changelog\n\n## 2.0.0\n\n- **Breaking:** drop the `legacy` table; run the database migration first\n\n## 1.0.0\n\n- First\n');
    const source = createFileSource(file, { read: readLocalFile, cwd: path.join(os.tmpdir(), 'workspace') });
    assert.ok(source.ok);
    const built = await buildReview(source.value, '1.0.0', '2.0.0');
    assert.ok(built.ok, built.ok ? '' : built.error.message);
    const clone: Review = { ...built.value, source: `git:${dir}` };
    for (const review of [built.value, clone]) {
      const plan = renderUpgradePlan({ app: 'App', review, date: '2024-01-01' });
      assert.ok(!plan.includes(dir), plan);
      assert.match(plan, /CHANGELOG\.md:5/);
      const pr = planPullRequest({ app: 'App', review, planPath: 'runbooks/upgrades/app-1.0.0-to-2.0.0.md' });
      assert.ok(!JSON.stringify(pr).includes(dir), JSON.stringify(pr));
    }
  });
});
