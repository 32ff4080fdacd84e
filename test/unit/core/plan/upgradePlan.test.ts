import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { bumpKind, chooseStrategy, planBranchName, planFileName, planPullRequest, renderUpgradePlan, type Strategy } from '../../../../src/core/plan';
import { buildReview, createFileSource, summarize, type Review, type ReviewItem, type ReviewVersion, type Risk } from '../../../../src/core/releases';
import { parseRunbook, type Runbook, type Step } from '../../../../src/core/runbook';
import { readLocalFile } from '../../../../src/adapters/localFiles';
import { ROOT as REPO_ROOT } from '../../../support/fixtures';

const ROOT = REPO_ROOT;
const ROCKETCHAT = path.join(ROOT, '..', 'shared', 'fixtures', 'release-notes', 'rocketchat');

function item(text: string, line: number, risks: Risk[] = [], extra: Partial<ReviewItem> = {}): ReviewItem {
  return { text, file: 'CHANGELOG.md', line, endLine: line, risks, heading: [], ...extra };
}

/** A review over `versions` (newest first), with the summary computed from the items. */
function review(from: string, to: string, versions: [string, ReviewItem[]][], extra: Partial<Review> = {}): Review {
  const vs: ReviewVersion[] = versions.map(([version, items]) => ({ version, date: null, items }));
  return { source: 'file:CHANGELOG.md', from, to, versions: vs, summary: summarize(vs), engines: [], problems: [], ...extra };
}

async function realReview(dir: string, file: string, from: string, to: string): Promise<Review> {
  const source = createFileSource(file, { read: readLocalFile, cwd: dir });
  assert.ok(source.ok);
  const result = await buildReview(source.value, from, to);
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.value;
}

async function rocketchat(from: string, to: string): Promise<Review> {
  if (!existsSync(path.join(ROCKETCHAT, 'HISTORY.md'))) {
    throw new Error(`missing fixture ${ROCKETCHAT}/HISTORY.md: the real release notes are expected in ../shared/fixtures/release-notes next to the repository`);
  }
  return realReview(ROCKETCHAT, 'HISTORY.md', from, to);
}

const patchReview = () =>
  review('2.4.0', '2.4.1', [['2.4.1', [item('- Fix the avatar cache', 3), item('- Fix XSS in the message preview', 4, ['security'])]]]);

const minorMigrationReview = () =>
  review('2.3.0', '2.5.0', [
    ['2.5.0', [item('- Remove the `LEGACY_AUTH` setting', 3, ['breaking'])]],
    ['2.4.0', [item('- Add an index on `messages.ts`; this migration may take a while on large databases', 120, ['db_migration', 'db_lock_or_downtime'], { file: 'HISTORY.md' })]],
  ]);

const hopsReview = () =>
  review('2.4.1', '3.1.0', [
    ['3.1.0', [item('- Fix the audit log', 5)]],
    ['3.0.0', [item('- You must upgrade to 2.9.x first, and to 14.10 before 3.0 if you run the bundled database', 12, ['upgrade_path'])]],
    ['2.9.4', []],
    ['2.9.3', []],
    ['2.5.0', []],
  ]);

function plan(input: Parameters<typeof renderUpgradePlan>[0]): { text: string; rb: Runbook } {
  const text = renderUpgradePlan({ date: '2024-06-01', ...input });
  return { text, rb: parseRunbook(text) };
}

function assertValidPlan(rb: Runbook): void {
  assert.deepEqual(
    rb.problems.filter((p) => p.severity === 'error'),
    [],
  );
  assert.deepEqual(rb.problems, [], 'no warnings either');
  const names = rb.steps.flatMap((s) => (s.name ? [s.name] : []));
  assert.equal(new Set(names).size, names.length, `names are unique: ${names.join(', ')}`);
  const rollback = rb.steps.filter((s) => s.rollback);
  assert.ok(rollback.length >= 3, 'a rollback section with steps');
  assert.ok(rollback.every((s) => s.heading === 'Rollback'));
  assert.deepEqual(
    rollback.map((s) => s.name),
    ['rollback-route', 'rollback-scale-down', 'restore', 'rollback-deploy', 'rollback-route-back'],
  );
  // Every rollback step comes after every other step.
  assert.ok(rb.steps.findIndex((s) => s.rollback) === rb.steps.length - rollback.length);
  for (const step of rb.steps.filter((s) => !s.manual)) {
    const code = step.commands.map((c) => c.code).join('\n');
    assert.match(code, /^\s*exit 1$/m, `${step.name} fails until it is replaced`);
    assert.match(code, /TODO/, `${step.name} says what to fill in`);
  }
}

const stepNamed = (rb: Runbook, name: string): Step => {
  const found = rb.steps.find((s) => s.name === name);
  assert.ok(found, `no step "${name}" in ${rb.steps.map((s) => s.name).join(', ')}`);
  return found;
};
const confirmOf = (step: Step) => step.commands.find((c) => c.attrs.confirm)?.attrs.confirm;
const forwardNames = (rb: Runbook) => rb.steps.filter((s) => !s.rollback && s.name).map((s) => s.name);

describe('upgrade plan', () => {
  describe('bumpKind', () => {
    it('compares the canonical versions by their numbers', () => {
      assert.equal(bumpKind('2.4.0', '2.4.1'), 'patch');
      assert.equal(bumpKind('2.3.9', '2.4.0'), 'minor');
      assert.equal(bumpKind('2.4.1', '3.0.0'), 'major');
      assert.equal(bumpKind('v2.4', '2.4.1'), 'patch');
      assert.equal(bumpKind('1.2.3.4', '1.2.3.5'), 'patch');
    });

    it('counts a pre-release target as the release it leads to', () => {
      assert.equal(bumpKind('2.4.1', '3.0.0-rc.1'), 'major');
      assert.equal(bumpKind('2.3.5', '2.4.0rc1'), 'minor');
      assert.equal(bumpKind('3.0.0-rc.2', '3.0.0'), 'patch');
    });

    it('takes what is not a version for a major bump, the careful choice', () => {
      assert.equal(bumpKind('latest', '2.0.0'), 'major');
    });
  });

  describe('chooseStrategy', () => {
    it('upgrades a patch without database risk in place, saying why', () => {
      const s = chooseStrategy(patchReview());
      assert.equal(s.kind, 'rolling');
      assert.deepEqual(s.reasons, ['patch bump 2.4.0 → 2.4.1', 'no database migration, lock, database version requirement, data loss or upgrade path flagged in the release notes']);
      assert.deepEqual(s.intermediateVersions, []);
    });

    it('upgrades a minor bump with only breaking changes in place', () => {
      const r = review('2.3.0', '2.4.0', [['2.4.0', [item('- BREAKING: rename `SITE_URL` to `ROOT_URL`', 3, ['breaking'])]]]);
      const s = chooseStrategy(r);
      assert.equal(s.kind, 'rolling');
      assert.equal(s.reasons[0], 'minor bump 2.3.0 → 2.4.0');
    });

    it('recreates for a minor bump with a database migration, naming the item', () => {
      const s = chooseStrategy(minorMigrationReview());
      assert.equal(s.kind, 'recreate');
      assert.deepEqual(s.reasons, ['database migration and database lock or downtime in 2.4.0 (HISTORY.md:120)']);
    });

    it('recreates for each database risk, even in a patch', () => {
      const phrases: [Risk, string][] = [
        ['db_migration', 'database migration'],
        ['db_lock_or_downtime', 'database lock or downtime'],
        ['db_engine_requirement', 'database version requirement'],
        ['data_loss', 'possible data loss'],
      ];
      for (const [risk, phrase] of phrases) {
        const s = chooseStrategy(review('1.0.0', '1.0.1', [['1.0.1', [item('- something', 7, [risk])]]]));
        assert.equal(s.kind, 'recreate', risk);
        assert.deepEqual(s.reasons, [`${phrase} in 1.0.1 (CHANGELOG.md:7)`]);
      }
    });

    it('recreates for a major bump without any flagged item', () => {
      const s = chooseStrategy(review('2.4.1', '3.0.0', [['3.0.0', [item('- New look', 3)]]]));
      assert.equal(s.kind, 'recreate');
      assert.deepEqual(s.reasons, ['major bump 2.4.1 → 3.0.0']);
      assert.deepEqual(s.intermediateVersions, []);
    });

    it('takes intermediate versions from the upgrade-path notes: inside the range, oldest first, 2.9.x as its last release', () => {
      const s = chooseStrategy(hopsReview());
      assert.equal(s.kind, 'recreate');
      // 3.0 is the note's own version and 2.9.x resolves to the newest 2.9 release the review knows.
      assert.deepEqual(s.intermediateVersions, ['2.9.4']);
      assert.deepEqual(s.reasons, [
        'major bump 2.4.1 → 3.1.0',
        'upgrade path in 3.0.0 (CHANGELOG.md:12)',
        'upgrade through 2.9.4 as the upgrade-path notes ask',
      ]);
    });

    it('keeps exact versions such as "upgrade to 14.10 before" and drops those outside the range', () => {
      const r = review('14.2.0', '15.1.0', [
        ['15.1.0', [item('- If you upgrade from 13.x or older, upgrade to 14.10 before 15.1; see https://example.com/v14.12/notes and [notes](https://example.com/14.11.0)', 4, ['upgrade_path'])]],
        ['15.0.0', []],
        ['14.10.0', []],
      ]);
      assert.deepEqual(chooseStrategy(r).intermediateVersions, ['14.10.0']);
    });

    it('keeps a wildcard line the review has no release of as written, and skips the line already running', () => {
      const r = review('2.9.1', '4.0.0', [
        ['4.0.0', [item('- Upgrade to 3.x first; 2.9.x is not enough', 4, ['upgrade_path'])]],
        ['2.9.5', []],
      ]);
      assert.deepEqual(chooseStrategy(r).intermediateVersions, ['3.x']);
    });

    it('falls back to the last release of each major line on the way when the notes name no version', () => {
      const r = review('1.8.0', '4.1.0', [
        ['4.1.0', [item('- Follow the upgrade guide; skipping releases is not supported', 3, ['upgrade_path'])]],
        ['4.0.0', []],
        ['3.3.0-rc.1', []],
        ['3.2.1', []],
        ['3.2.0', []],
        ['3.0.0', []],
        ['2.7.3', []],
        ['2.0.0', []],
        ['1.9.9', []],
      ]);
      const s = chooseStrategy(r);
      assert.deepEqual(s.intermediateVersions, ['1.9.9', '2.7.3', '3.2.1']);
      assert.match(s.reasons.at(-1)!, /^upgrade through 1\.9\.9, 2\.7\.3, 3\.2\.1, the last release of each major line/);
    });

    it('has no intermediate version within one major line when the notes name none', () => {
      const r = review('2.1.0', '2.5.0', [['2.5.0', [item('- Read the upgrade notes before upgrading', 3, ['upgrade_path'])]], ['2.4.0', []]]);
      const s = chooseStrategy(r);
      assert.equal(s.kind, 'recreate');
      assert.deepEqual(s.intermediateVersions, []);
      assert.deepEqual(s.reasons, ['upgrade path in 2.5.0 (CHANGELOG.md:3)']);
    });

    it('reads the intermediate version from a real changelog through the parser and highlighter', async () => {
      const r = await realReview(path.join(ROOT, 'test/fixtures/plan'), 'CHANGELOG.md', '2.4.1', '3.1.0');
      const s = chooseStrategy(r);
      assert.equal(s.kind, 'recreate');
      assert.deepEqual(s.intermediateVersions, ['2.9.4']);
      assert.ok(s.reasons.includes('major bump 2.4.1 → 3.1.0'), s.reasons.join('\n'));
    });
  });

  describe('Rocket.Chat HISTORY.md', () => {
    it('2.3.0 → 2.4.1: a minor bump recreated for the migration in 2.4.0', async () => {
      const r = await rocketchat('2.3.0', '2.4.1');
      assert.equal(bumpKind(r.from, r.to), 'minor');
      const s = chooseStrategy(r);
      assert.equal(s.kind, 'recreate');
      assert.ok(s.reasons.includes('database migration in 2.4.0 (HISTORY.md:2764)'), s.reasons.join('\n'));
      assert.ok(!s.reasons.some((x) => x.startsWith('major')));

      const { text, rb } = plan({ app: 'Rocket.Chat', review: r });
      assertValidPlan(rb);
      assert.equal(rb.meta.title, 'Upgrade Rocket.Chat 2.3.0 to 2.4.1');
      assert.match(text, /### Database migration \(1\)\n\n- \*\*2\.4\.0\*\*: Change migration number 169 <-> 170 .*\(`HISTORY\.md:2764`\)/);
      assert.match(text, /### Engine versions\n\n- Node: 8\.15\.1 → 8\.17\.0\n- NPM: 6\.9\.0 → 6\.13\.4\n/);
    });

    it('1.3.3 → 2.1.0: a major bump with breaking changes and migrations', async () => {
      const r = await rocketchat('1.3.3', '2.1.0');
      const s = chooseStrategy(r);
      assert.equal(s.kind, 'recreate');
      assert.equal(s.reasons[0], 'major bump 1.3.3 → 2.1.0');
      assert.ok(s.reasons.includes('database migration in 2.1.0 (HISTORY.md:3442)'), s.reasons.join('\n'));

      const { text, rb } = plan({ app: 'Rocket.Chat', review: r });
      assertValidPlan(rb);
      const headings = [...text.matchAll(/^### (.+) \(\d+\)$/gm)].map((m) => m[1]);
      assert.deepEqual(headings, ['Breaking change', 'Database migration', 'Database version', 'Deprecation']);
      assert.match(text, /- MongoDB: 3\.2, 3\.4, 3\.6, 4\.0 → 3\.4, 3\.6, 4\.0/);

      const pr = planPullRequest({ app: 'Rocket.Chat', review: r });
      assert.deepEqual(pr.labels, ['upgrade', 'migration', 'breaking']);
      // 11 with "Limit exposed fields on some users. endpoints": a restriction, filed under Bug fixes.
      assert.match(pr.body, /\| Breaking change \| 11 \|/);
    });
  });

  describe('renderUpgradePlan', () => {
    it('writes front matter with the variables the steps use', () => {
      const { rb } = plan({ app: 'Rocket.Chat', review: minorMigrationReview() });
      assert.equal(rb.meta.title, 'Upgrade Rocket.Chat 2.3.0 to 2.5.0');
      assert.equal(rb.meta.shell, 'bash');
      const vars = Object.fromEntries(rb.meta.variables.map((v) => [v.name, v]));
      assert.equal(vars.APP.default, 'rocket-chat');
      assert.equal(vars.FROM_VERSION.default, '2.3.0');
      assert.equal(vars.TO_VERSION.default, '2.5.0');
      for (const name of ['NAMESPACE', 'BACKUP_DIR']) {
        assert.equal(vars[name].default, undefined, `${name} is asked for`);
        assert.ok(vars[name].prompt, `${name} has a prompt`);
      }
    });

    it('states app, versions, bump and strategy with its reasons', () => {
      const { text } = plan({ app: 'Rocket.Chat', review: minorMigrationReview() });
      assert.match(text, /^# Upgrade Rocket\.Chat 2\.3\.0 to 2\.5\.0$/m);
      assert.match(text, /^- \*\*To:\*\* 2\.5\.0, a minor bump$/m);
      assert.match(text, /^- \*\*Strategy:\*\* recreate$/m);
      assert.match(text, /^- database migration and database lock or downtime in 2\.4\.0 \(HISTORY\.md:120\)$/m);
      assert.match(text, /Generated by Preflight on 2024-06-01 /);
    });

    it('recreate: backup first, then maintenance, scale down, upgrade, migration, scale up, checks and the way back', () => {
      const { rb } = plan({ app: 'app', review: minorMigrationReview() });
      assertValidPlan(rb);
      assert.deepEqual(forwardNames(rb), ['rehearse', 'backup', 'verify-backup', 'route-maintenance', 'scale-down', 'upgrade', 'migrate', 'scale-up', 'health', 'route-back']);
      const production = rb.steps.filter((s) => !s.rollback && s.commands.some((c) => c.attrs.confirm));
      assert.equal(production[0].name, 'backup', 'the backup is the first production step');
      assert.deepEqual(
        production.map((s) => [s.name, confirmOf(s)]),
        [
          ['backup', 'production'],
          ['route-maintenance', 'maintenance'],
          ['scale-down', 'downtime'],
          ['upgrade', 'upgrade'],
          ['migrate', 'migrate'],
          ['scale-up', 'scale'],
          ['route-back', 'live'],
        ],
      );
      assert.ok(rb.steps.filter((s) => s.rollback).every((s) => confirmOf(s)), 'rollback steps change production too');
    });

    it('recreate through intermediate versions: one step per hop, in order, before the final upgrade', () => {
      const { text, rb } = plan({ app: 'app', review: hopsReview(), strategy: { kind: 'recreate', reasons: ['test'], intermediateVersions: ['2.9.4', '3.0.0'] } });
      assertValidPlan(rb);
      assert.deepEqual(forwardNames(rb).slice(3, 9), ['route-maintenance', 'scale-down', 'upgrade-to-2.9.4', 'upgrade-to-3.0.0', 'upgrade', 'migrate']);
      const hop = stepNamed(rb, 'upgrade-to-2.9.4');
      assert.equal(confirmOf(hop), 'upgrade');
      assert.match(hop.text, /intermediate version 2\.9\.4/);
      assert.match(hop.commands[0].code, /\$APP:2\.9\.4/);
      assert.match(text, /^- \*\*Intermediate versions:\*\* 2\.9\.4, 3\.0\.0$/m);
    });

    it('rolling: one rolling upgrade, no maintenance route or scaling', () => {
      const { text, rb } = plan({ app: 'app', review: patchReview() });
      assertValidPlan(rb);
      assert.deepEqual(forwardNames(rb), ['rehearse', 'backup', 'verify-backup', 'rolling-upgrade', 'health']);
      assert.equal(confirmOf(stepNamed(rb, 'rolling-upgrade')), 'upgrade');
      assert.match(text, /replaced one at a time/);
      assert.doesNotMatch(text, /Every instance of .* stops/);
    });

    it('takes the backup before anything else changes production, whatever the strategy', () => {
      const strategies: Strategy[] = [
        { kind: 'rolling', reasons: [], intermediateVersions: [] },
        { kind: 'recreate', reasons: [], intermediateVersions: [] },
        { kind: 'recreate', reasons: [], intermediateVersions: ['2.9.4'] },
      ];
      for (const strategy of strategies) {
        const { rb } = plan({ app: 'app', review: hopsReview(), strategy });
        const firstProduction = rb.steps.findIndex((s) => s.commands.some((c) => c.attrs.confirm));
        const backup = stepNamed(rb, 'backup');
        assert.equal(firstProduction, backup.index);
        const upgrades = rb.steps.filter((s) => /^(?:upgrade|rolling-upgrade|upgrade-to-.*)$/.test(s.name ?? ''));
        assert.ok(upgrades.length > 0);
        assert.ok(upgrades.every((s) => s.index > backup.index));
      }
    });

    it('lists flagged items by risk in vocabulary order, with version and a link to their source', () => {
      const r = review('2.3.0', '3.0.0', [
        [
          '3.0.0',
          [
            item('- Drops support for PostgreSQL 11', 9, ['db_engine_requirement', 'breaking']),
            item('- Fix CVE-2024-1234', 10, ['security'], { url: 'https://example.com/releases/3.0.0' }),
            item('- Unflagged', 11),
          ],
        ],
        ['3.0.0-rc.1', []],
        ['2.4.0', [item('* Migrates the\n  `sessions` table', 20, ['db_migration'], { endLine: 21, prerelease: '2.4.0-rc.1' })]],
      ]);
      const sourceUrl = (i: ReviewItem) => (i.line === 9 ? `https://github.com/o/r/blob/v3.0.0/CHANGELOG.md#L${i.line}` : undefined);
      const { text, rb } = plan({ app: 'app', review: r, sourceUrl });
      assertValidPlan(rb);
      const section = text.slice(text.indexOf('## Release-note risks'), text.indexOf('## Before the window'));
      assert.equal(
        section,
        [
          '## Release-note risks',
          '',
          '### Breaking change (1)',
          '',
          '- **3.0.0**: Drops support for PostgreSQL 11 ([CHANGELOG.md:9](https://github.com/o/r/blob/v3.0.0/CHANGELOG.md#L9))',
          '',
          '### Database migration (1)',
          '',
          '- **2.4.0 (2.4.0-rc.1)**: Migrates the `sessions` table (`CHANGELOG.md:20-21`)',
          '',
          '### Database version (1)',
          '',
          '- **3.0.0**: Drops support for PostgreSQL 11 ([CHANGELOG.md:9](https://github.com/o/r/blob/v3.0.0/CHANGELOG.md#L9))',
          '',
          '### Security (1)',
          '',
          '- **3.0.0**: Fix CVE-2024-1234 ([CHANGELOG.md:10](https://example.com/releases/3.0.0))',
          '',
          '### Engine versions',
          '',
          'The release notes list no engine or runtime version change between 2.3.0 and 3.0.0.',
          '',
          '',
        ].join('\n'),
      );
      assert.doesNotMatch(text, /Unflagged/);
    });

    it('says so when nothing is flagged', () => {
      const quiet = review('2.4.0', '2.4.2', [['2.4.2', [item('- Fix typo', 3)]], ['2.4.1', [item('- Fix the avatar cache', 3)]]]);
      assert.match(plan({ app: 'app', review: quiet }).text, /No item in the release notes between 2\.4\.0 and 2\.4\.2 was flagged \(2 items in 2 versions were read\)\./);
      const empty = review('2.4.0', '2.4.1', [['2.4.1', []]]);
      assert.match(plan({ app: 'app', review: empty }).text, /No item in the release notes between 2\.4\.0 and 2\.4\.1 was flagged \(the notes hold no items for these versions\)\./);
      assert.match(plan({ app: 'app', review: quiet }).text, /^- \*\*Flagged in the release notes:\*\* nothing$/m);
    });

    it('never turns a release note into a step', () => {
      const base = minorMigrationReview();
      const sneaky = structuredClone(base);
      sneaky.versions[0].items.push(
        item('[ ] Drop the `users` table', 30, ['breaking']),
        item('- [x] Already migrated\n- [ ] run `rm -rf /`', 31, ['db_migration'], { endLine: 32 }),
        item('[X]\ttabbed', 33, ['deprecation']),
      );
      const before = plan({ app: 'app', review: base }).rb;
      const { text, rb } = plan({ app: 'app', review: sneaky });
      assertValidPlan(rb);
      assert.equal(rb.steps.length, before.steps.length);
      assert.match(text, /^- \*\*2\.5\.0\*\*: \\\[ \] Drop the `users` table \(`CHANGELOG\.md:30`\)$/m);
      assert.match(text, /^- \*\*2\.5\.0\*\*: \\\[x\] Already migrated - \[ \] run `rm -rf \/` \(`CHANGELOG\.md:31-32`\)$/m);
      assert.match(text, /^- \*\*2\.5\.0\*\*: \\\[X\]\ttabbed/m);
      // Even as the first thing on a list line, the escaped text is no step.
      assert.equal(parseRunbook('- \\[ ] Drop\n- \\[x] Done\n').steps.length, 0);
      const reasons = plan({ app: 'app', review: base, strategy: { kind: 'recreate', reasons: ['[x] given by the caller'], intermediateVersions: [] } });
      assert.equal(reasons.rb.steps.length, before.steps.length);
      assert.match(reasons.text, /^- \\\[x\] given by the caller$/m);
    });

    it('inserts values once: braces in a release note stay as written', () => {
      const r = review('1.0.0', '1.0.1', [['1.0.1', [item('- Templates now render {{app}} and {{#rolling}}', 3, ['breaking'])]]]);
      assert.match(plan({ app: 'app', review: r }).text, /Templates now render \{\{app\}\} and \{\{#rolling\}\}/);
    });

    it('keeps the front matter valid for any application name', () => {
      const { rb } = plan({ app: 'Foo: "Bar" \\ #1', review: patchReview() });
      assertValidPlan(rb);
      assert.equal(rb.meta.title, 'Upgrade Foo: "Bar" \\ #1 2.4.0 to 2.4.1');
      assert.equal(rb.meta.variables.find((v) => v.name === 'APP')?.default, 'foo-bar-1');
    });

    it('is deterministic for a given date and defaults the date to today', () => {
      const input = { app: 'app', review: minorMigrationReview(), date: '2024-06-01' };
      assert.equal(renderUpgradePlan(input), renderUpgradePlan(input));
      const today = new Date().toISOString().slice(0, 10);
      assert.match(renderUpgradePlan({ app: 'app', review: minorMigrationReview() }), new RegExp(`Generated by Preflight on ${today} `));
    });
  });

  describe('file and branch names', () => {
    it('slugs the application and keeps the versions', () => {
      assert.equal(planFileName('Rocket.Chat', '2.3.0', '2.4.1'), 'rocket-chat-2.3.0-to-2.4.1.md');
      assert.equal(planFileName('  My App!! ', '1.0.0', '2.0.0-rc.1'), 'my-app-1.0.0-to-2.0.0-rc.1.md');
      assert.equal(planBranchName('Rocket.Chat', '2.4.1'), 'preflight/rocket-chat-2.4.1');
      assert.equal(planBranchName('@scope/pkg', '1.2.3'), 'preflight/scope-pkg-1.2.3');
    });

    it('keeps path separators out of the versions', () => {
      assert.equal(planFileName('app', '../1.0', '2.0/x'), 'app-.-1.0-to-2.0-x.md');
    });
  });

  describe('planPullRequest', () => {
    it('titles the range and labels database and breaking risks', () => {
      const pr = planPullRequest({ app: 'Rocket.Chat', review: minorMigrationReview() });
      assert.equal(pr.title, 'Upgrade plan: Rocket.Chat 2.3.0 → 2.5.0');
      assert.deepEqual(pr.labels, ['upgrade', 'migration', 'breaking']);
      assert.deepEqual(planPullRequest({ app: 'x', review: patchReview() }).labels, ['upgrade']);
      const dataLoss = review('1.0.0', '1.1.0', [['1.1.0', [item('- Drops the `tmp` table', 3, ['data_loss'])]]]);
      assert.deepEqual(planPullRequest({ app: 'x', review: dataLoss }).labels, ['upgrade', 'migration']);
    });

    it('summarises range, strategy, risks, engines and the plan file, with a checklist for reviewers', () => {
      const r = { ...hopsReview(), engines: [{ name: 'PostgreSQL', from: '13', to: null }] };
      const pr = planPullRequest({ app: 'Rocket.Chat', review: r, planPath: 'plans/rocket-chat-2.4.1-to-3.1.0.md' });
      const expected = [
        'Upgrade plan for **Rocket.Chat** from `2.4.1` to `3.1.0`: a major bump over 5 releases, written by Preflight from the release notes in `file:CHANGELOG.md`.',
        'Plan: `plans/rocket-chat-2.4.1-to-3.1.0.md`',
        '### Strategy: recreate',
        '- major bump 2.4.1 → 3.1.0',
        '- upgrade path in 3.0.0 (CHANGELOG.md:12)',
        'Upgrade path: 2.4.1 → 2.9.4 → 3.1.0',
        '| Upgrade path | 1 |',
        '- PostgreSQL: 13 → (not listed)',
        '### Reviewers, please check',
        '- [ ] The intermediate versions match the upgrade path the project documents',
        '- [ ] Every TODO command is replaced with the real one (each fails until it is)',
        '- [ ] The rollback steps were rehearsed in test',
      ];
      for (const line of expected) assert.ok(pr.body.split('\n').includes(line), `missing line: ${line}\n---\n${pr.body}`);
      assert.match(planPullRequest({ app: 'x', review: patchReview() }).body, /Plan: `x-2\.4\.0-to-2\.4\.1\.md`/);
    });

    it('says so when nothing is flagged', () => {
      const quiet = review('2.4.0', '2.4.1', [['2.4.1', [item('- Fix typo', 3)]]]);
      const pr = planPullRequest({ app: 'x', review: quiet });
      assert.match(pr.body, /Nothing in the release notes between 2\.4\.0 and 2\.4\.1 was flagged\./);
      assert.match(pr.body, /### Strategy: rolling/);
    });
  });
});
