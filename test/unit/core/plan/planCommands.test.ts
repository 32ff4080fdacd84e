import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { planPullRequest, renderUpgradePlan, type Platform } from '../../../../src/core/plan';
import { summarize, type Review, type ReviewItem, type Risk } from '../../../../src/core/releases';
import { parseRunbook, type Step } from '../../../../src/core/runbook';

function item(text: string, risks: Risk[] = [], extra: Partial<ReviewItem> = {}): ReviewItem {
  return { text, file: 'CHANGELOG.md', line: 12, endLine: 12, risks, heading: [], ...extra };
}

function review(items: ReviewItem[], extra: Partial<Review> = {}): Review {
  const versions = [{ version: '4.0.0', date: null, items }];
  return { source: 'file:CHANGELOG.md', from: '3.9.0', to: '4.0.0', versions, summary: summarize(versions), engines: [], problems: [], ...extra };
}

function steps(r: Review, platform?: Platform): { text: string; byName: Map<string, Step> } {
  const text = renderUpgradePlan({ app: 'Chat', review: r, date: '2024-06-01', ...(platform ? { platform } : {}) });
  const byName = new Map(parseRunbook(text).steps.map((s) => [s.name ?? '', s]));
  return { text, byName };
}

const code = (s: Step | undefined) => (s?.commands ?? []).map((b) => b.code).join('\n');

const mongoReview = () => review([item('Add a migration that rewrites the `rocketchat_message` collection in MongoDB', ['db_migration'])]);

describe('upgrade plan commands', () => {
  it('backs up, verifies and restores with the tools of the database the notes name', () => {
    const cases: [Review, RegExp[], RegExp[]][] = [
      [mongoReview(), [/mongodump/, /mongorestore/, /mongorestore/], [/pg_dump|pg_restore|mysqldump/]],
      [review([item('Migrate the PostgreSQL schema', ['db_migration'])]), [/pg_dump --format=custom/, /pg_restore/, /pg_restore/], [/mongodump|mysqldump/]],
      [review([item('MariaDB: rebuild the full-text indexes', ['db_migration'])]), [/mysqldump --single-transaction/, /mysql /, /mysql /], [/pg_dump|mongodump/]],
      [review([item('Redis keys are renamed on start-up', ['db_migration'])]), [/redis-cli BGSAVE[\s\S]*redis-cli --rdb/, /redis-check-rdb/, /dump\.rdb/], [/pg_dump|mongodump|mysqldump/]],
    ];
    for (const [r, [backup, verify, restore], absent] of cases) {
      const { byName } = steps(r);
      assert.match(code(byName.get('backup')), backup);
      assert.match(code(byName.get('verify-backup')), verify);
      assert.match(code(byName.get('restore')), restore);
      for (const name of ['backup', 'verify-backup', 'restore']) for (const a of absent) assert.doesNotMatch(code(byName.get(name)), a, name);
    }
  });

  it('names the databases in the plan, and keeps every placeholder failing', () => {
    const { text, byName } = steps(mongoReview());
    assert.match(text, /- \*\*Databases the release notes name:\*\* MongoDB/);
    for (const name of ['backup', 'verify-backup', 'restore']) assert.match(code(byName.get(name)), /^exit 1$/m);
  });

  it('uses oc on OpenShift and kubectl elsewhere', () => {
    const oc: Platform = { cli: 'oc', evidence: ['OpenShift kinds in deploy/app.yaml (DeploymentConfig, Route)'] };
    const { text } = steps(mongoReview(), oc);
    assert.match(text, /oc -n "\$NAMESPACE" set image dc\/"\$APP"/);
    assert.match(text, /oc -n "\$NAMESPACE" exec deploy\/"\$APP"-mongodb -- mongodump/);
    assert.doesNotMatch(text, /kubectl/);
    assert.match(text, /- \*\*Platform:\*\* OpenShift \(OpenShift kinds in deploy\/app\.yaml \(DeploymentConfig, Route\)\)/);
    assert.doesNotMatch(steps(mongoReview()).text, /\boc -n/);
  });

  it('upgrades and rolls back with Helm when the workspace holds a chart', () => {
    const chart: Platform = { cli: 'kubectl', helmChart: 'charts/chat', evidence: ['Helm chart charts/chat/Chart.yaml'] };
    const { byName } = steps(mongoReview(), chart);
    assert.match(code(byName.get('upgrade')), /helm upgrade "\$APP" \.\/charts\/chat -n "\$NAMESPACE" --reuse-values --set image\.tag="\$TO_VERSION"/);
    assert.match(code(byName.get('rollback-deploy')), /helm rollback "\$APP"/);
    assert.doesNotMatch(code(byName.get('upgrade')), / set image (?:deployment|dc)\//);
  });

  it('turns an engine floor into a pre-check before the backup', () => {
    const r = review([item('MongoDB 3.2 is no longer supported', ['db_engine_requirement'])], { engines: [{ name: 'MongoDB', from: '3.2, 3.4, 3.6, 4.0', to: '3.4, 3.6, 4.0' }] });
    const rb = parseRunbook(steps(r).text);
    const names = rb.steps.map((s) => s.name);
    assert.ok(names.includes('check-mongodb-version'), names.join(', '));
    assert.ok(names.indexOf('check-mongodb-version') < names.indexOf('backup'));
    const check = rb.steps.find((s) => s.name === 'check-mongodb-version')!;
    assert.match(check.text, /MongoDB is 3\.4 or later/);
    assert.match(code(check), /required=3\.4\n/);
    assert.doesNotMatch(steps(mongoReview()).text, /check-\w+-version/);
  });

  it('the pre-check fails unedited, fails below the floor and passes at or above it', () => {
    const r = review([item('Requires PostgreSQL 12.4 or later', ['db_engine_requirement'])]);
    const script = code(parseRunbook(steps(r).text).steps.find((s) => s.name === 'check-postgresql-version'));
    const run = (version?: string) => {
      const filled = version === undefined ? script : script.replace(/running_version\(\) \{[\s\S]*?\n\}/, `running_version() { echo "${version}"; }`);
      return spawnSync('bash', ['-c', filled], { encoding: 'utf8', env: { PATH: process.env.PATH, TO_VERSION: '4.0.0' } });
    };
    const unedited = run();
    assert.equal(unedited.status, 1);
    assert.match(unedited.stderr, /TODO: read the running PostgreSQL version/);
    const below = run('12.3 (Debian 12.3-1.pgdg100+1)');
    assert.equal(below.status, 1);
    assert.match(below.stderr, /PostgreSQL 12\.3 is below 12\.4, which 4\.0\.0 needs/);
    assert.equal(run('12.10').status, 0, 'sort -V compares numerically: 12.10 is above 12.4');
    assert.equal(run('12.4').status, 0);
    assert.equal(run('v16.2').status, 0);
    assert.equal(run('').status, 1);
  });

  it('never names a path on the machine that wrote the plan', () => {
    const local = review([item('Migrate the PostgreSQL schema', ['db_migration'], { file: '/home/ops/src/chat/HISTORY.md', url: 'file:///home/ops/src/chat/HISTORY.md' })], {
      source: 'file:/home/ops/src/chat/HISTORY.md',
    });
    const text = renderUpgradePlan({ app: 'Chat', review: local, date: '2024-06-01' });
    assert.doesNotMatch(text, /\/home\/ops/);
    assert.match(text, /`HISTORY\.md:12`/);
    assert.match(text, /release notes in `file:HISTORY\.md`/);
    assert.doesNotMatch(planPullRequest({ app: 'Chat', review: local }).body, /\/home\/ops/);
    const linked = renderUpgradePlan({ app: 'Chat', review: review([item('Drop the cache', ['breaking'])]), sourceUrl: () => '../../CHANGELOG.md#L12', date: '2024-06-01' });
    assert.match(linked, /\[CHANGELOG\.md:12\]\(\.\.\/\.\.\/CHANGELOG\.md#L12\)/);
  });
});
