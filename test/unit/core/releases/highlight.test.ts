import * as assert from 'node:assert/strict';
import type { NoteItem, ParsedNotes, Risk } from '../../../../src/core/releases';
import { buildReview, classify, compileUserRules, createClassifier, DEFAULT_RULES, ok, parseNotes } from '../../../../src/core/releases';
import { readLocal, readShared } from '../../../support/fixtures';



const risksOf = (text: string, heading: string[] = []) => classify({ text, heading });

/** The one item whose text contains `fragment` (optionally within one version). */
function item(parsed: ParsedNotes, fragment: string, version?: string): NoteItem {
  const found = parsed.sections
    .filter((s) => !version || s.version === version)
    .flatMap((s) => s.items)
    .filter((i) => i.text.includes(fragment));
  assert.ok(found.length >= 1, `no item contains "${fragment}"`);
  return found[0];
}

function assertRisks(parsed: ParsedNotes, expectations: [string, Risk[], number?][]): void {
  for (const [fragment, risks, line] of expectations) {
    const it = item(parsed, fragment);
    assert.deepEqual(it.risks, risks, fragment);
    if (line !== undefined) assert.equal(it.line, line, fragment);
  }
}

describe('highlighter: real changelogs', () => {
  let rocketchat: ParsedNotes;
  let saleor: ParsedNotes;
  let healthchecks: ParsedNotes;

  before(() => {
    rocketchat = parseNotes(readShared('rocketchat/HISTORY.md'), 'HISTORY.md');
    saleor = parseNotes(readShared('saleor/CHANGELOG.md'), 'CHANGELOG.md');
    healthchecks = parseNotes(readShared('healthchecks/CHANGELOG.md'), 'CHANGELOG.md');
  });

  it('flags Rocket.Chat database, engine, breaking and security items', () => {
    assertRisks(rocketchat, [
      // An index added is a migration; a lock only when the notes say it locks or takes long.
      ['Add new database indexes to improve data query performance', ['db_migration'], 53],
      ['Remove support of MongoDB 3.2 and deprecate MongoDB 3.4', ['breaking', 'db_engine_requirement', 'deprecation'], 3608],
      ['Require OPLOG/REPLICASET to run Rocket.Chat', ['breaking', 'db_engine_requirement'], 4901],
      ['Prevent start if incompatible mongo version', ['breaking', 'db_engine_requirement'], 4899],
      ['Upgrade to Meteor 1.9 and NodeJS 12', ['breaking', 'requirement'], 2047],
      ['Deprecate MongoDB version 3.2', ['db_engine_requirement', 'deprecation'], 3925],
      ['Self-XSS in validation functionality', ['security']],
      ['Add an index to the name field for omnichannel department', ['db_migration']],
      ['Filter System messages per room', ['breaking']],
    ]);
  });

  it('does not flag Rocket.Chat keyword traps', () => {
    for (const fragment of [
      'Regression: update package-lock',
      'Remove yarn.lock',
      'z-index of new message button',
      'Screen Lock settings - mobile client',
      'Improve: Remove index files from action-links',
      'Show helpful error when oplog is missing',
      'Apps room events losing data',
      'Block user option inside admin view',
      'Option BYPASS_OPLOG_VALIDATION not working',
      '- Node: `12.16.1`',
    ]) {
      assert.deepEqual(item(rocketchat, fragment).risks, [], fragment);
    }
  });

  it('flags saleor schema changes, dropped models and engine support; keeps its breaking and deprecated sections', () => {
    assertRisks(saleor, [
      ['Drop wishlist models', ['db_migration', 'data_loss'], 1393],
      // Under "Breaking changes", with nested deprecations.
      ['Migrate order id from int to UUID', ['breaking', 'db_migration', 'deprecation'], 1272],
      ['Rename models fields from created to created_at', ['db_migration']],
      ['Dropped Python 3.5 support', ['breaking', 'requirement'], 2279],
      ['removes security issue CVE-2019-3498', ['security']],
      ["Add Index for 'Created' field of the Order Model", ['db_migration'], 474],
      ['Optimize 0139_fulfil_orderline_token_old_id_created_at migration', ['db_migration']],
      ['Remove the `anonymize` plugin', ['breaking'], 17],
      ['Deprecate the `taxTypes` query', ['deprecation'], 23],
    ]);
    const v320 = saleor.sections.find((s) => s.version === '3.20.0')!;
    const breaking = v320.items.filter((i) => i.heading[0] === 'Breaking changes');
    assert.equal(breaking.length, 2);
    assert.ok(breaking.every((i) => i.risks.includes('breaking')));
  });

  it('does not flag saleor keyword traps', () => {
    for (const fragment of [
      'Migrate from Draft.js to Editor.js format',
      'for dropdown and multi-select attributes',
      'Fix search indexing of empty variants',
      'Add command to update search indexes',
      'Fixed a rare crash in the introspection query detection code',
      'Improve performance of the `productVariants` resolvers',
      'Fix thumbnail generation long image names',
    ]) {
      assert.deepEqual(item(saleor, fragment).risks, [], fragment);
    }
    // A nested bullet of a deprecation list: an export column is not a database column.
    assert.deepEqual(item(saleor, 'Add a new column `published at` to export products').risks, ['deprecation']);
  });

  it('flags healthchecks engine drops, data migrations and security, not its downtime reports', () => {
    assertRisks(healthchecks, [
      ['This release drops support of Python 3.11 and below', ['breaking', 'requirement'], 70],
      ['has dropped support\nfor PostgreSQL 12', ['breaking', 'db_engine_requirement', 'upgrade_path'], 227],
      ['Add data migration to update legacy timezones to current canonical timezones (#1250)', ['db_migration'], 78],
      ['Database schema: add Ping.kind field', ['db_migration']],
      ['it fixes a vulnerability in `urlize`', ['security'], 209],
      ['Bump the min. Python version from 3.6 to 3.8', ['requirement']],
      ['This release contains a backwards-incompatible change to the Signal integration', ['breaking']],
    ]);
    for (const fragment of [
      'Update alert templates to report downtime duration',
      'Fix daily reports to show downtime stats',
      'Switch from Selectize to Tom Select for dropdown controls',
      'Fix emails to never use non-breaking spaces',
      'Update sqlite settings to avoid "Database is locked" errors',
      'Fix Check.ping() to lock the check before updating',
      "unsub view to disable (not delete) the channel",
      'API calls to handle concurrent deletes',
      'Remove team size limits',
      'Upgrade to Django 5.2',
    ]) {
      assert.deepEqual(item(healthchecks, fragment).risks, [], fragment);
    }
  });

  it('reports Rocket.Chat engine version changes and marks the release that drops a MongoDB version', async () => {
    const text = readShared('rocketchat/HISTORY.md');
    const source = {
      id: 'memory:rocketchat',
      listVersions: async () => ok([]),
      readNotes: async () => ok({ documents: [{ file: 'HISTORY.md', text }], problems: [] }),
    };
    const mongo = await buildReview(source, '1.3.3', '2.0.0');
    assert.ok(mongo.ok);
    assert.deepEqual(mongo.value.engines, [{ name: 'MongoDB', from: '3.2, 3.4, 3.6, 4.0', to: '3.4, 3.6, 4.0' }]);
    const entry = mongo.value.versions[0].items.find((i) => i.text === '- MongoDB: `3.4, 3.6, 4.0`');
    assert.deepEqual([entry?.line, entry?.risks], [3601, ['db_engine_requirement']]);

    const node = await buildReview(source, '2.4.9', '3.0.1');
    assert.ok(node.ok);
    assert.deepEqual(node.value.engines, [{ name: 'Node', from: '8.17.0', to: '12.14.0' }]);
    const v300 = node.value.versions.find((v) => v.version === '3.0.0')!;
    assert.deepEqual(v300.items.find((i) => i.text === '- Node: `12.14.0`')?.risks, ['requirement']);
    // Patch updates of the same engines change nothing.
    const quiet = await buildReview(source, '3.0.9', '3.0.12');
    assert.ok(quiet.ok);
    assert.deepEqual(quiet.value.engines, []);
  });
});

describe('highlighter: engine tables', () => {
  it('reads a supported-databases list of lines of its own (pgAdmin: "**PostgreSQL**: 12, 13, 14, 15, and 16") in one file per release, and marks the release that drops a version', async () => {
    const doc = (v: string, pg: string) => ({
      file: `docs/en_US/release_notes_${v.replace('.', '_')}.rst`,
      text: [`${'*'.repeat(12)}`, `Version ${v}`, `${'*'.repeat(12)}`, '', 'Supported Database Servers', '**************************', `**PostgreSQL**: ${pg}`, '', 'Bug fixes', '*********', '', '| Fix a crash.', ''].join('\n'),
    });
    const source = {
      id: 'memory:pgadmin',
      listVersions: async () => ok([]),
      readNotes: async () => ok({ documents: [doc('7.8', '11, 12, 13, 14 and 15'), doc('8.0', '12, 13, 14, 15, and 16'), doc('8.1', '12, 13, 14, 15, and 16')], problems: [] }),
    };
    const review = await buildReview(source, '7.8', '8.1');
    assert.ok(review.ok, JSON.stringify(review));
    assert.deepEqual(review.value.engines, [{ name: 'PostgreSQL', from: '11, 12, 13, 14 and 15', to: '12, 13, 14, 15, and 16' }]);
    const risks = (v: string) => review.value.versions.find((x) => x.version === v)?.items.find((i) => i.text.startsWith('**PostgreSQL**'))?.risks;
    assert.deepEqual(risks('8.0.0'), ['db_engine_requirement']);
    assert.deepEqual(risks('8.1.0'), []);
  });

  it('reads a patch bump of a PostgreSQL server in an engine table as no dropped version, and EDB Advanced Server as a database', async () => {
    const doc = (v: string, engines: string[]) => ({ file: 'CHANGELOG.md', text: `## ${v}\n\n### Supported database servers\n\n${engines.map((e) => `- ${e}`).join('\n')}\n` });
    const source = {
      id: 'memory:edb',
      listVersions: async () => ok([]),
      readNotes: async () =>
        ok({
          documents: [
            { file: 'CHANGELOG.md', text: [doc('3.0.0', ['EDB Postgres Advanced Server: 12.17', 'EDB Advanced Server: 12, 13', 'PostgreSQL: 12.17']), doc('2.0.0', ['EDB Postgres Advanced Server: 12.16', 'EDB Advanced Server: 11, 12, 13', 'PostgreSQL: 12.16'])].map((d) => d.text).join('\n') },
          ],
          problems: [],
        }),
    };
    const review = await buildReview(source, '2.0.0', '3.0.0');
    assert.ok(review.ok);
    const items = review.value.versions.find((v) => v.version === '3.0.0')!.items;
    assert.deepEqual(items.find((i) => i.text.includes('EDB Postgres'))?.risks, []);
    // A row of the table is no floor by itself, in the release that keeps it as in any other.
    assert.deepEqual(items.find((i) => i.text.includes('- PostgreSQL'))?.risks, []);
    assert.deepEqual(review.value.versions.find((v) => v.version === '2.0.0'), undefined);
    assert.deepEqual(items.find((i) => i.text.includes('EDB Advanced'))?.risks, ['db_engine_requirement']);
  });
});

describe('highlighter: structure and formats', () => {
  it('flags no layout: items of an upgrade guide that are only HTML wrappers or styles', () => {
    const upgrade = (text: string) => classify({ text, heading: ['Upgrading To 12.0 From 11.x'], kind: 'upgrade' });
    assert.deepEqual(upgrade('<div class="content-list" markdown="1">'), []);
    assert.deepEqual(upgrade('</div>'), []);
    assert.deepEqual(upgrade('<style> ul > li { padding: 4px 0px; } </style>'), []);
    assert.ok(upgrade('<br> Restart the queue workers after the upgrade.').includes('upgrade_path'));
    // Hugo shortcodes around tabs, alerts and details.
    assert.deepEqual(upgrade('{{< tab title="Linux package and Docker" >}}'), []);
    assert.deepEqual(upgrade('{{< /tabs >}}'), []);
    assert.ok(upgrade('{{< alert type="warning" >}} Back up the database first. {{< /alert >}}').includes('upgrade_path'));
  });

  it('uses headings, alerts, admonitions and commit markers in Keep a Changelog', () => {
    const parsed = parseNotes(readLocal('keep-a-changelog.md'), 'CHANGELOG.md');
    assertRisks(parsed, [
      ['Back up your database before upgrading', ['data_loss', 'upgrade_path']],
      ['The `LEGACY_AUTH` setting.', ['breaking']],
      ['Requires PostgreSQL 14 or later', ['breaking', 'db_engine_requirement']],
      ['column type changes from `text` to `jsonb`', ['db_migration', 'db_lock_or_downtime']],
      ['GHSA-abcd-1234-wxyz', ['security']],
      ['will be removed in 3.0', ['deprecation']],
      // Its parenthesis says it locks writes.
      ['Add index to `events.created_at`', ['db_migration', 'db_lock_or_downtime']],
      ['will be deleted by the new cleanup job', ['data_loss']],
      ['feat(api)!: drop the v1 token endpoint', ['breaking']],
      ['BREAKING CHANGE: the `token` query parameter', ['breaking']],
      ['A release candidate feature.', []],
      ['Fix dropdown alignment on the index page.', []],
      ['Fix an `IndexError` when the jsonschema validator', []],
      ['Fixed a bug that broke the login form', []],
      ['Fix breaking layout of the settings dialog', []],
      ['Update package-lock.json and remove the yarn.lock file', []],
      ['Sync files to Dropbox', []],
      ['fix: deadlock in the job runner', []],
    ]);
  });

  it('flags conventional-changelog breaking sections without flagging docs migrations or GraphQL schemas', () => {
    const parsed = parseNotes(readLocal('conventional.md'), 'CHANGELOG.md');
    assertRisks(parsed, [
      ['Node.js 18 is required', ['breaking', 'requirement']],
      ['no longer accepts a callback', ['breaking']],
      ['migrate the docs site from Docusaurus to VitePress', []],
      ['add `nullable` to the GraphQL schema generator', []],
    ]);
  });

  it('flags reStructuredText sections and warnings, plain-text NEWS and upgrade guides', () => {
    assertRisks(parseNotes(readLocal('CHANGES.rst'), 'CHANGES.rst'), [
      ['Dropped support for Python 3.8', ['breaking', 'requirement']],
      ['The ``cache`` table is renamed', ['breaking', 'db_migration', 'db_lock_or_downtime', 'upgrade_path']],
      ['Downgrading to 1.x is not possible', ['breaking', 'db_migration', 'data_loss', 'upgrade_path']],
      ['is deprecated and will be removed in 3.0', ['deprecation']],
      ['Security fix: prevent XSS', ['security']],
      ['Fix a crash in the admin.', []],
    ]);
    assertRisks(parseNotes(readLocal('django-4.2.txt'), '4.2.txt', { version: '4.2.0' }), [
      ['Support for PostgreSQL 11 is removed', ['breaking', 'db_engine_requirement']],
      ['template filter is deprecated', ['deprecation']],
      ['Django 4.2 supports Python 3.8', []],
    ]);
    assertRisks(parseNotes(readLocal('NEWS'), 'NEWS'), [
      ['frob no longer crashes', []],
      ['The --old-format option has been removed.', ['breaking']],
    ]);
    assertRisks(parseNotes(readLocal('UPGRADING.md'), 'UPGRADING.md', { upgradeGuide: true }), [
      ['You must upgrade to 2.4 first', ['upgrade_path']],
      ['Stop all workers before running the migrations', ['db_migration', 'db_lock_or_downtime', 'upgrade_path']],
      ['Run `bin/app db:migrate`', ['db_migration', 'upgrade_path']],
    ]);
  });
});

describe('highlighter: vocabulary', () => {
  const cases: [string, Risk[]][] = [
    ['Run migrations after upgrading.', ['db_migration', 'upgrade_path']],
    ['**Upgrade notes**: please see the upgrade instructions.', ['upgrade_path']],
    ['**Update note 1: this release contains an issue that raises CPU usage in some setups.**', ['upgrade_path']],
    // A backup before the upgrade is advice; a backup tool's own work is not.
    ['Take a snapshot of the volume prior to upgrading.', ['data_loss', 'upgrade_path']],
    ['- Add a `checkpoint_timeout` option: the seconds to wait at the end of a backup before forcing a checkpoint.', []],
    ['- Check for an object lock before deleting backups in S3.', []],
    // A floor for any component, when the wording is unmistakably one.
    ['* Fix build with c-ares on Windows. c-ares >=1.18.0 is now required on Windows.', ['requirement']],
    ['Bootsnap should be at least version 1.4.2.', ['requirement']],
    ['This version needs Proj 6.1+; GEOS 3.10+ is required.', ['requirement']],
    ['- The sync agent needs libfoo >= 2.4 on every host.', ['requirement']],
    ['Support for older TypeScript versions was dropped.', ['breaking', 'requirement']],
    ['- The password must be at least 12 characters long.', []],
    ['- Keep at least 3 replicas for quorum.', []],
    ['- The gradle plugin 7.0.0.CR1 wrongly required libfoo >= 2.1', []],
    // A pointer to the upgrade guide: the release has upgrade steps, written elsewhere.
    ['Please see the [5.0 Upgrade notes](5.0-Upgrade.md) for more detail.', ['upgrade_path']],
    ['Upgrading docs: https://example.org/docs/upgrading/#upgrading-to-2-14', ['upgrade_path']],
    ['* Consider a checkable unreachable once one dependency fails. (Consult the upgrading docs.) #8218', ['upgrade_path']],
    ['* Fix a typo in the upgrade guide.', []],
    ['* connect: Default `stats_flush_interval` to 60 seconds when the collector is used.', ['breaking']],
    ['* The default auto-soft-commit time has been set to 3 seconds.', ['breaking']],
    ['Please run `php artisan migrate` after deploying.', ['db_migration']],
    ['The migration uses CREATE INDEX CONCURRENTLY.', ['db_migration']],
    ['Adds `CREATE INDEX idx_users_email ON users (email)`.', ['db_migration', 'db_lock_or_downtime']],
    ['Adds a NOT NULL constraint to users.email.', ['db_migration']],
    ['Backfill the new `tenant_id` column for existing rows.', ['db_migration']],
    ['This migration locks the table for writes.', ['db_migration', 'db_lock_or_downtime']],
    ['Put the instance in read-only mode during the upgrade.', ['db_lock_or_downtime', 'upgrade_path']],
    ['This is a long-running migration on big databases.', ['db_migration', 'db_lock_or_downtime']],
    ['The upgrade requires downtime.', ['db_lock_or_downtime']],
    ['MongoDB 4.0 or later is required.', ['db_engine_requirement']],
    ['The minimum supported Redis version is now 6.2.', ['db_engine_requirement']],
    // The verb before the floor: what is raised, then to which version.
    ['Increase c-ares minimum version requirement to 1.9.0', ['requirement']],
    ['Raise the minimum required libxml2 version to 2.9.', ['requirement']],
    ['Bump minimum OpenSSL requirement to 1.1.1', ['requirement']],
    ['We drop support for MySQL 5.7.', ['breaking', 'db_engine_requirement']],
    // A database dropped outright, with no version named.
    ['Dropped SQLite support.', ['breaking', 'db_engine_requirement']],
    ['Support for Oracle databases has been removed.', ['breaking', 'db_engine_requirement']],
    ['Removed support for MySQL.', ['breaking', 'db_engine_requirement']],
    ['This operation is irreversible.', ['data_loss']],
    ['Deleted attachments can no longer be restored: the files are no longer stored.', ['data_loss']],
    ['Fix possible data loss when saving drafts.', []],
    ['You must upgrade to 14.10 before upgrading to 15.0.', ['upgrade_path']],
    ['GitLab 15.11 is a required upgrade stop.', ['upgrade_path']],
    ['You cannot skip major versions.', ['upgrade_path']],
    ['Upgrading from versions older than 3.0 is not supported.', ['upgrade_path']],
    ['Security fix for CVE-2024-1234.', ['security']],
    ['Fixes a stored XSS vulnerability in comments.', ['security']],
    // Exposure in plain words, no security term.
    ['Prevent anonymous container access if sign-in is required.', ['security']],
    ['Do not send server errors before login: they could reveal private configuration details.', ['security']],
    ['Fix Redis Sentinel password redaction.', ['security']],
    ['Passwords are redacted when clients are logged.', ['security']],
    ['Add an anonymous usage report page.', []],
    ['`foo()` is deprecated and will be removed in 4.0.', ['deprecation']],
    ['Fix deprecation warnings in the test suite.', []],
    // Warnings added ahead of a removal are deprecations; a fix of those warnings is not.
    ['Add a deprecation warning for the `consumer.id` setting.', ['deprecation']],
    ['Add warnings for various deprecations coming in 6.0.', ['deprecation']],
    ['api: added support for `TypedStruct` in addition to the now-deprecated `udpa.TypedStruct`.', ['deprecation']],
    ['Silence deprecation warnings for Ruby 3.', []],
    // A wider column alters the table; a wider table view does not.
    ['Increase the `alertmanager_conf` column on MySQL.', ['db_migration']],
    ['Defect #2719: Increase username length limit from 30 to 60', ['db_migration']],
    ['Increase the column width of the list view.', []],
    // A fix is no new floor, plan or stop: the version it names is where the bug lived.
    ['Fixed a segmentation fault when using OpenSSL 1.1.0h or newer.', []],
    ['Fix: the gradle plugin wrongly requires Java 21+.', []],
    ['Fixed an issue where the option will be removed in a future release by mistake.', []],
    ['Fix deadlock in the scheduler.', []],
    ['Add user rename endpoint to admin api', []],
    ['Tools: Added remove flag on bucket mark command.', []],
    ['**PieChart:** Remove beta flag.', []],
    ['Kube-proxy: removed log warning about not using config file.', []],
    ['**Variables**: Removes the never refresh option.', ['breaking']],
    ['The default config for `database.MAX_OPEN_CONNS` changed from 0 (unlimited) to 100.', ['breaking']],
    ['The API now includes a `debug` field in error responses.', []],
    ['The apiserver now emits a warning for pods with a null selector.', []],
    ['`foo` now defaults to an empty array.', ['breaking']],
    ['Running multiple agents is no longer considered experimental.', []],
    ['The Python client is no longer marked as experimental.', []],
    ['Asset backfills that target partitioned assets now show their progress.', []],
    ['The backfill page shows the partitions of each run.', []],
    ['Backfill the new `tenant_id` column for existing rows after upgrading.', ['db_migration', 'upgrade_path']],
    ['Removed `Foo::bar()`, use `Foo::baz()` instead.', ['breaking']],
    ['The `legacy_auth` option was dropped in favour of `auth.mode`.', ['breaking']],
    ['Renamed the `queue` setting; set `queues` instead.', ['breaking']],
    ['`old()` will be removed in 3.0, use `new()` instead.', ['deprecation']],
    ['Removed the flaky test suite in favor of table-driven tests.', []],
    ['Fix the renamed setting: use `queues` instead of `queue`.', []],
    ['Migrate from Moment to date-fns.', []],
    ['Fix IndexError in the parser.', []],
    ['GraphQL schema: add the `tags` field.', []],
    ['Fixed a bug that broke the upload form.', []],
    ['Fix breaking layout in the sidebar.', []],
    ['Update the index page copy.', []],
    ['Add a drop-down for the time zone.', []],
    ['Regenerate package-lock.json.', []],
    ['Show the downtime duration in reports.', []],
    ['chore(deps): update dependency redis to v4.6.7', []],
    ['Upgrade to Node 20 in CI.', []],
    ['Exports may take a while on large instances.', []],
    ['The migration may take a while on large instances.', ['db_migration', 'db_lock_or_downtime']],
    ['The supervision process for Sidekiq was removed.', ['breaking']],
    ['Fix a crash when the last item is removed.', []],
    ['Starting with 16.0, installations now have two database connections by default.', ['breaking']],
    // The compiler a binary is built with is not the operator's runtime.
    ['Bump Go to 1.22.9', []],
    ['Update the Go toolchain to 1.23.5', []],
    ['The minimum supported Go version is now 1.22.', ['requirement']],
    ['Upgrade to Go 1.22.3, fixing GO-2024-2824.', ['security']],
    ['Update Node.js to 20 in the Docker image.', ['requirement']],
    ['With this release the GELF handler has finally been removed.', ['breaking']],
    ['Exceptions during the startup event will now kill the process.', ['breaking']],
    ['- **NEW** Enable the query cache within jobs by default', ['breaking']],
    ["- don't treat route segments with ':' as parameters by default", ['breaking']],
    ['1. TLS 1.0 and 1.1 disabled by default client-side.', ['breaking']],
    ['Add a `--foo` option, disabled by default.', []],
    ['* Add the deprecated_since field to COMMAND DOCS (#10545) Breaking API/ABI compatibility with 7.0 RCs', ['breaking']],
    ['2. Redis 7 uses a new version 10 format for RDB files, which is incompatible with older versions.', ['upgrade_path']],
    ['* Upgrade bundled JDK to Java 21', ['requirement']],
    // Floors for components outside any list, the version anywhere.
    ['The minimum supported version of ``asgiref`` is increased from 3.2.10 to 3.3.2.', ['requirement']],
    ['Support for ``argon2-cffi`` < 19.1.0 is removed.', ['breaking', 'requirement']],
    ['**Rails <5** is no longer supported.', ['breaking', 'requirement']],
    ['Require redis-rb 4.2', ['breaking', 'requirement']],
    ['Drop support for running with Django 4.', ['breaking', 'requirement']],
    // Builds for a platform no longer made: who runs there must move. A dependency or a test box is not one.
    ['* **core** Drop `debian` and `rhel7` images', ['breaking', 'requirement']],
    ['* [CHANGE] Stop publishing 32-bit ARM binary archives. Release artifacts continue to include amd64 and arm64 binaries.', ['breaking', 'requirement']],
    ['- Removed el7, debian10, and ubuntu1804 support; updated Debian and SLES.', ['requirement']],
    ['- Remove the dependency on python packages eventlet and greenlet.', []],
    // Advice that opens with what it saves from loss, an instruction to the operator; the same words
    // inside a description of a change are not.
    ['**To avoid data loss** reconfigure the replicas first.', ['data_loss']],
    ['To prevent losing sessions, upgrade to 25 first and enable persistent sessions.', ['data_loss', 'upgrade_path']],
    ['Handle type conversions properly to avoid data loss.', []],
    // The floor after the verb: support for the component below a version is dropped.
    ['- #6079, Remove support for libfoo < 3.10 (A. Maintainer)', ['breaking', 'requirement']],
    ['Dropped support for gRPC versions older than 1.50.', ['breaking', 'requirement']],
    ['Remove support for MariaDB versions older than 10.6', ['breaking', 'db_engine_requirement']],
    ['Remove support for the old dashboard layout.', ['breaking']],
    ['Drop support for the v1 API.', ['breaking']],
    ['Support for MySQL < 8.0 is removed.', ['breaking', 'db_engine_requirement']],
    // Support dropped, the subject first; a qualifier between the engine and its versions.
    ['Support dropped for outdated Postgres major versions 11 and 12', ['breaking', 'db_engine_requirement']],
    ['It also drops support for outdated Postgres major versions 11 and 12.', ['breaking', 'db_engine_requirement']],
    ['Support dropped for 32-bit architectures', ['breaking', 'requirement']],
    ['Support was removed for MySQL.', ['breaking', 'db_engine_requirement']],
    // Contractions, flags and formats.
    ["Don't create the monitor user anymore", ['breaking']],
    ["Fix: don't crash anymore on empty input", []],
    ['Rename --nodename to --hostname', ['breaking']],
    ['Make the --auth option mandatory when creating nodes', ['breaking']],
    ['Please notice that we changed the JSON format we use in the output.', ['breaking']],
    ['Fixed a changed log format in the audit output.', []],
    ['Remove logging of the connection password in the monitor string', ['security']],
    ['Do not print API keys in debug output.', ['security']],
    ['plugin/acl: Fix autopath from bypassing acl checks', ['security']],
    ['core: Reorder rewrite before acl to prevent bypass', ['security']],
    ['Bypass the cache for health checks.', []],
    // A component path before the verb: `plugin/chaos: Reject ...` restricts as `chaos: Reject ...` does.
    ['* plugin/chaos: Reject unknown chaos block options', ['breaking']],
    ['* plugin/chaos: Fix rejecting valid options', []],
    ['plugin/hosts: Make unsupported type fallthrough opt-in', ['breaking']],
    ['Telemetry is now opt-in.', ['breaking']],
    ['Add an opt-in cache for lookups.', []],
    // A deprecation withdrawn is none; a mass-assignment hole closed is security; a fix of a command is no step to run.
    ['Reverted the deprecation of `composed_of`.', []],
    ['Removes the deprecation of `update_attribute`.', []],
    ['Kubelet: un-deprecated the `--provider-id` flag.', []],
    ['`update_attribute` has been deprecated.', ['deprecation']],
    ['Protect foreign keys from mass assignment through the association builder.', ['security']],
    ['Use `update_column` to bypass mass-assignment protection.', []],
    ['Fix a bug where `rake db:test:prepare` loads the structure into the development database.', []],
    ['Run `rake db:migrate` after upgrading.', ['db_migration', 'upgrade_path']],
    // A changesets reference before the change ("([#123](url) by [@user](url))") leaves no brackets that hide how it starts.
    ['- ([#35549](https://github.com/o/r/pull/35549)) Security Hotfix (https://example.org/security)', ['security']],
    ['- ([#36252](https://github.com/o/r/pull/36252) by [@bot](https://github.com/bot)) fix: Security Hotfix', ['security']],
    ['- ([#35143](https://github.com/o/r/pull/35143) by [@user](https://github.com/user)) Switches from GCM to FCM as the push notification service', ['breaking']],
    // ... nor a commit in brackets and backticks before a fix ("[`d80748e`](url) Thanks [@user](url)! - Fix ...").
    ['- [#9273](https://github.com/o/r/pull/9273) [`d80748e`](https://github.com/o/r/commit/d80748e) Thanks [@user](https://github.com/user)! - Fix Prisma errors not showing when a Prisma migration errors internally', []],
    // An action that was possible without the right to it.
    ['Fixes an issue that allowed agents without the `preview-room` permission to join a closed conversation', ['security']],
    ['Fixes the possibility of seeing new messages without being subscribed to a channel.', ['security']],
    ['Fixes webhooks posting to private teams by users who were not members of the team.', ['security']],
    ['Allow exporting reports without leaving the page.', []],
    ['Bump meteor to 3.1.2 and Node version to 20.13.1', ['requirement']],
    // A floor of any named tool, stated as what is required.
    ['* kubectl 1.8.0 or later is required.', ['requirement']],
    ['The default `driver-first` now falls back to the thread context classloader.', ['breaking']],
    ['Now nginx does not allow several "Host" request header lines.', ['breaking']],
    ['* Add stricter validation to the overrides API, such as refusing duplicate labels', ['breaking']],
    ['Page pagination is still available but will be fully deprecated soon.', ['deprecation']],
    ['The default status code for queries is now `200 OK`', ['breaking']],
    // Code moved about inside the product is no change to its users.
    ['* Move code from module to service (#24287)', []],
    ['- Switch Sidekiq::Testing impl from alias_method to Module#prepend, for resiliency', []],
    ['* Changed the exit code from 0 to 1 on errors', ['breaking']],
    // A version in code quotes is a version.
    ['The compilation target is now `es2020`. This requires Node.JS version `14+`', ['requirement']],
    ['When deploying to Minikube, Minikube 0.23 or 0.24.1 or later are required.', ['requirement']],
    // A floor said in a long paragraph is a floor, whatever testing the paragraph mentions later; tests run against a database are none.
    ['This version requires PostgreSQL 9.6 or higher. Some features stay off until we get more user testing.', ['db_engine_requirement']],
    ['CI tests now run against PostgreSQL 16.', []],
    ['Tested with MySQL 8.4 and newer.', []],
    // An rst line-block entry led by its tracker link ("| `Issue #1 <url>`_ - Fixed ...") reads from its words.
    ['| `Issue #7384 <https://github.com/o/r/issues/7384>`_ -  Fixed an issue where the `DROP TABLE` preview was not shown.', []],
    ['| `Issue #7385 <https://github.com/o/r/issues/7385>`_ -  Removed support for Python 3.7.', ['breaking', 'requirement']],
    // The words of an attack close a hole, whatever the heading says, but not under features.
    ['- Fixed a hang when a malicious upstream sends endless headers.', ['security']],
    ['- Specially crafted archive paths could write outside the target folder.', ['security']],
    ['- Fix memory exhaustion from deeply nested, attacker-controlled YAML.', ['security']],
    ['- Hand-crafted dashboards are kept on upgrade.', []],
    // Secrets leaking, in any tense.
    ['- Fix database passwords leaking into the startup banner.', ['security']],
    // An index added is a migration; it is a lock or downtime when the notes say it takes long, or show the SQL that builds it.
    ['- Add an index on `events_ts`; building it may take a while on large databases.', ['db_migration', 'db_lock_or_downtime']],
    ['- Add an index on `messages.ts`; building it may take a while on large databases.', ['db_migration', 'db_lock_or_downtime']],
    ['CREATE INDEX idx_events_ts ON events (ts);', ['db_migration', 'db_lock_or_downtime']],
    ['- Add an index on `events_ts`.', ['db_migration']],
    ['- The upgrade blocks writes to `users` while it runs.', ['db_lock_or_downtime']],
    ['- This migration blocks writes to `users` while it runs.', ['db_migration', 'db_lock_or_downtime']],
    ['- This migration guide moves to the wiki.', []],
    ['- Lock-free block reads for the live store.', []],
    // What was deprecated in an earlier version and is removed now is a removal, whatever dots its version has.
    ['* `Foo::bar()`, deprecated since 1.37, has been removed.', ['breaking']],
    // No way back, or versions that must not run together: an upgrade path.
    ['- After this release the cluster cannot be downgraded to 4.x.', ['upgrade_path']],
    ['- Do not run the old and the new scheduler together.', ['upgrade_path']],
    ['- Added a side-by-side diff view.', []],
    // A removal word inside a name is no removal, nor is a new way to remove things.
    ['- Add a `--drop-orphans` switch to the import command.', []],
    ['- `cache-delete` now accepts a `--dry-run` option.', []],
    ['- Added support to rename columns in saved views.', []],
    ['- Allow to remove an environment variable from the generated defaults.', []],
    ['- Removed the `--drop-orphans` switch.', ['breaking']],
    // A rename of a name in code, anywhere in the item.
    ['- Storage: rename queue_depth to queue_depth_total in the metrics output.', ['breaking']],
    ['- Rename the `cache.dir` and `cache.ttl` settings to `store.dir` and `store.ttl`.', ['breaking']],
    ['- Rename the project to Beacon in the docs.', []],
    // A rename list: one name in code mapped to another.
    ['- `--cache.dir` -> `--cache.path`', ['breaking']],
    ['* `queue_depth_total` → `queue_depth`', ['breaking']],
    ['- The `a` option maps to -> the `b` option internally.', []],
    // Loss of data, said as a noun phrase; its fix is a fix.
    ['- Replication may stop on secondaries, which can lead to loss of upload data after a failover.', ['data_loss']],
    ['- Fix loss of upload data when the replica restarts.', []],
  ];
  for (const [text, risks] of cases) {
    it(`${JSON.stringify(text)} -> [${risks.join(', ')}]`, () => assert.deepEqual(risksOf(text), risks));
  }

  it('takes risks from sub-headings', () => {
    assert.deepEqual(risksOf('- The `foo` option.', ['Backwards incompatible changes in 5.0']), ['breaking']);
    assert.deepEqual(risksOf('- Something.', ['Upgrade notes']), ['upgrade_path']);
    assert.deepEqual(risksOf('- Something.', ['Security']), ['security']);
    assert.deepEqual(risksOf('- Something.', ['Features deprecated in 5.0']), ['deprecation']);
    assert.deepEqual(risksOf('- Something.', ['Bug Fixes']), []);
    // A protection the product offers is a feature; an attack it stops, under fixes, is security.
    assert.deepEqual(risksOf('- Protect backups from accidental or malicious deletion with object locks.', ['New features']), []);
    assert.deepEqual(risksOf('- Stop a malicious peer from exhausting file handles.', ['Bug fixes']), ['security']);
    assert.deepEqual(risksOf('- `old_name` -> `new_name`', ['Bug fixes']), []);
    // A section of manual upgrade steps is an upgrade guide's, whatever its steps say.
    assert.deepEqual(risksOf('. The old `etc/logging.properties` file should be deleted.', ['2.27.0', 'Manual update']), ['upgrade_path']);
    assert.deepEqual(risksOf('- Something.', ['Rolling upgrades']), ['upgrade_path']);
    assert.deepEqual(risksOf('- Something.', ['Manual update checks']), []);
    // A restriction is one under any heading, a fix's or a feature's.
    assert.deepEqual(risksOf('- Restrict clusters to 3 peers', ['Bugfixes']), ['breaking']);
    assert.deepEqual(risksOf('- Fix: disallow empty names', ['Bugfixes']), []);
    // Stricter is breaking in a bug-fix section too, unless the error replaces a crash.
    assert.deepEqual(risksOf('* The installer will now return an error if a conflicting entry is already present.', ['Bug fixes']), ['breaking']);
    assert.deepEqual(risksOf('* Fail hard during startup when none of the listen addresses can be bound.', ['Bug fixes']), ['breaking']);
    assert.deepEqual(risksOf('- `service`: Disallow duplicate processors within one pipeline (#6540)', ['Bug fixes']), ['breaking']);
    assert.deepEqual(risksOf('* The provisioners now reject SSH certificates signed by a certificate key.', ['Bug fixes']), ['breaking']);
    assert.deepEqual(risksOf('* Now returns an error when the file is missing, instead of crashing.', ['Bug fixes']), []);
    assert.deepEqual(risksOf('The importer will now return an error if a column is unknown, instead of silently dropping it.', ['Bug fixes']), ['breaking']);
    // An item that calls itself incompatible is breaking even when phrased as a fix, under fixes.
    assert.deepEqual(risksOf('- fix: move `conf/cert` to `t/certs`, which is not backward compatible.', ['Bugfixes']), ['breaking']);
    assert.deepEqual(risksOf('- debug get-obj: always give the id as a parameter (this is an incompatible change)', ['Fixes']), ['breaking']);
    assert.deepEqual(risksOf('- Fix incompatible changes from 2.3 being applied twice', ['Fixes']), []);
    assert.deepEqual(risksOf('- Fix a crash when the client is not backward compatible', ['Fixes']), []);
    // What is no longer required is a relaxation, not a break; what is no longer supported is one.
    assert.deepEqual(risksOf('* CLI commands no longer depend on `kubectl`'), []);
    assert.deepEqual(risksOf('* ca: Vault CA provider config no longer requires root_pki_path for secondary datacenters'), []);
    assert.deepEqual(risksOf('* The test suite scripts no longer require GNU sed.'), []);
    assert.deepEqual(risksOf('* The `--legacy` flag is no longer supported.'), ['breaking']);
    // Options to refuse things, and the opposite change, are no stricter behaviour.
    for (const text of [
      'Add a setting to disallow self-registration.',
      'Respect robots.txt Disallow rules when crawling.',
      'The parser no longer fails hard on unknown keys.',
      'New `--strict` option: fails hard on the first invalid record (off by default).',
      'Default value to use when none is configured is shown in the help.',
      'Default ports to listen on can now be configured.',
    ]) {
      assert.deepEqual(risksOf(text, ['Features']), [], text);
    }
    assert.deepEqual(risksOf('- Change `timestamp` to `time` in JSON for writes.', ['Bugfixes']), ['breaking']);
    assert.deepEqual(risksOf('* Require approval to run actions for fork pull requests', ['Features']), ['breaking']);
    assert.deepEqual(risksOf('- **Plugins:** Enforce signing for all plugins.', ['Features and enhancements']), ['breaking']);
    // Under new features, migrations, tables and indexes are what the product lets its users do, not
    // a change to the operator's database; a table or column named in code is the product's own.
    for (const text of [
      '- add fake migrations running and reverting',
      '- `migrations` Add migration for inputs.docker',
      '* Support index migrations',
      '| Added option to create unique constraint with nulls not distinct.',
      '* Introduce the query `ALTER TABLE ... DROP|DETACH PART \'part_name\'`.',
      '- new virtual column decorator',
    ]) {
      assert.deepEqual(risksOf(text, ['New features']), [], text);
    }
    assert.deepEqual(risksOf('- Add migration for inputs.docker'), ['db_migration']);
    assert.deepEqual(risksOf('- add fake migrations running and reverting', ['Changes']), ['db_migration']);
    assert.deepEqual(risksOf('- Adds a `last_seen_at` column to the `users` table.', ['Improvements']), ['db_migration']);
    assert.deepEqual(risksOf('- A background job backfills the new `search_vector` column after the upgrade.', ['Features']), ['db_migration', 'upgrade_path']);
    assert.deepEqual(risksOf('- Heads-up: migration 0103 locks the `users` table for its duration.', ['Improvements']), ['db_migration', 'db_lock_or_downtime']);
    assert.deepEqual(risksOf('- Adds a `last_seen_at` column to the `users` table.', ['Bug fixes']), []);
    // "API Changes" lists what an API gained and lost; the items say which is breaking.
    assert.deepEqual(risksOf('- Added property `admin_secret_key` (string)', ['API Changes']), []);
    assert.deepEqual(risksOf('- The `/users` endpoint was removed.', ['API Changes']), ['breaking']);
    // "Removed" under "Dependencies": a library the project no longer builds with, not a feature.
    assert.deepEqual(risksOf('- github.com/foo/bar: v1.2.0', ['v1.28.0', 'Dependencies', 'Removed']), []);
    assert.deepEqual(risksOf('- github.com/foo/bar: v1.2.0', ['v1.28.0', 'Removed']), ['breaking']);
    assert.deepEqual(risksOf('- Something.', ['Breaking changes', 'Dependencies', 'Removed']), ['breaking']);
    // A removals heading with words after it; "Minor behavior changes" defers to its items.
    assert.deepEqual(risksOf('* http: removed ``envoy.reloadable_features.foo`` and legacy code paths.', ['1.21.0', 'Removed Config or Runtime']), ['breaking']);
    assert.deepEqual(risksOf('* Something.', ['Removals']), ['breaking']);
    // What was deprecated and is now gone is a removal; a section of both keeps the deprecation.
    assert.deepEqual(risksOf('- `url` of `inputs.amqp_consumer`', ['v1.35.0', 'Deprecation Removals']), ['breaking']);
    assert.deepEqual(risksOf('- `url` of `inputs.amqp_consumer`', ['v1.35.0', 'Removed deprecations']), ['breaking']);
    assert.deepEqual(risksOf('- `url` of `inputs.amqp_consumer`', ['v1.35.0', 'Deprecations and removals']), ['deprecation']);
    assert.deepEqual(risksOf('* Something removed from the docs.', ['Removed the old sidebar from every docs page of the site']), []);
    assert.deepEqual(risksOf('* bandwidth_limit: added response trailers.', ['Minor Behavior Changes']), []);
    assert.deepEqual(risksOf('* http: `x` is now refused as invalid config.', ['Minor Behavior Changes']), ['breaking']);
    assert.deepEqual(risksOf('* Something.', ['Behavior changes']), ['breaking']);
    // "Security" inside "Bug fixes" or "Features" names the area of the work, not a vulnerability.
    assert.deepEqual(risksOf('* Fix NPE when the profile index is missing', ['8.10.0', 'Bug fixes', 'Security']), []);
    assert.deepEqual(risksOf('* Signed objects can now be nested', ['3.2', 'Minor features', 'Security']), []);
    assert.deepEqual(risksOf('* Fix an auth bypass (CVE-2024-1234)', ['8.10.0', 'Bug fixes', 'Security']), ['security']);
    assert.deepEqual(risksOf('* Something.', ['8.10.0', 'Security']), ['security']);
    assert.deepEqual(risksOf('* Something.', ['8.10.0', 'Changes', 'Security']), ['security']);
    // Conventional-commit categories generated one level under "## Breaking Changes" are sections of their own.
    assert.deepEqual(risksOf('- Fix cypress setup (#3527)', ['v1.1.0', 'Breaking Changes', 'Tests']), []);
    assert.deepEqual(risksOf('- Pin v1.1.0 release commit', ['v1.1.0', 'Breaking Changes', 'Code Generation']), []);
    assert.deepEqual(risksOf('Pagination parameters have changed.', ['v1.1.0', 'Breaking Changes']), ['breaking']);
    assert.deepEqual(risksOf('Closes https://github.com/o/r/issues/284 Closes https://github.com/o/r/pull/3480', ['v1.1.0', 'Breaking Changes']), []);
  });

  it('reads AsciiDoc that renders no prose as no note', () => {
    assert.deepEqual(classify({ text: 'coming::[8.10.0]', heading: [], kind: 'upgrade' }), []);
    assert.deepEqual(classify({ text: '++++\n<titleabbrev>8.10</titleabbrev>\n++++', heading: [], kind: 'upgrade' }), []);
    assert.deepEqual(classify({ text: 'Read these notes before upgrading: coming::[8.10.0]', heading: [], kind: 'upgrade' }), ['upgrade_path']);
  });

  it('takes no risk from the heading for a code sample that shows the change, but keeps upgrade commands', () => {
    const sample = '```ts\nuserRepository.find({ where: { photo: IsNull() } })\n```';
    assert.deepEqual(risksOf(sample, ['BREAKING CHANGES']), []);
    assert.deepEqual(risksOf(sample, ['Deprecations']), []);
    assert.deepEqual(risksOf('```sh\nphp artisan migrate\n```', ['Upgrade notes']), ['db_migration', 'upgrade_path']);
    assert.deepEqual(risksOf('- `find()` no longer accepts an id.', ['BREAKING CHANGES']), ['breaking']);
    // ... under the short lead-in it belongs to ("Before:", "Example, before:").
    assert.deepEqual(risksOf(`Before:\n\n${sample}`, ['BREAKING CHANGES']), []);
    assert.deepEqual(risksOf(`Example, before:\n${sample}`, ['Deprecations']), []);
    assert.deepEqual(risksOf(`The \`find()\` method no longer accepts a plain id as its where clause:\n\n${sample}`, ['BREAKING CHANGES']), ['breaking']);
  });

  it('reads a pointer to the changes as no change itself', () => {
    assert.deepEqual(risksOf('Also see <<breaking-changes-8.10,Breaking changes in 8.10>>.', []), []);
    assert.deepEqual(risksOf('See [the breaking changes in 2.0](#breaking).', ['Upgrade notes']), []);
    assert.deepEqual(risksOf('See [#123]: the `foo` option was removed.', []), ['breaking']);
  });

  it('reads a statement that there is nothing to do as a negative, under any heading', () => {
    assert.deepEqual(risksOf('This release does not introduce any new requirements.', ['Upgrading']), []);
    assert.deepEqual(risksOf('This version does not require any database migrations.', ['Upgrade notes']), []);
    assert.deepEqual(risksOf('Does not contain breaking changes.', ['Breaking changes']), []);
    // A statement that goes on to an action is not "nothing to do".
    assert.deepEqual(risksOf('This release does not require a migration, but you must update the `foo` setting.', ['Upgrading']), ['breaking', 'upgrade_path']);
  });
});

describe('highlighter: user rules', () => {
  it('compiles valid rules and reports invalid ones without throwing', () => {
    const compiled = compileUserRules([
      { pattern: 'elastic\\s*search\\s+reindex', risk: 'db_lock_or_downtime' },
      { pattern: '(unclosed', risk: 'breaking' },
      { pattern: 'x', risk: 'nonsense' },
      { pattern: '', risk: 'breaking' },
      { pattern: 'Upgrade checklist', risk: 'upgrade_path', scope: 'heading', flags: 'gi' },
    ]);
    const { problems } = compiled;
    assert.equal(compiled.text.length + compiled.heading.length, 2);
    assert.deepEqual(
      problems.map((p) => p.message.replace(/:.*/, '')),
      ['release-note rule 2', 'release-note rule 3', 'release-note rule 4'],
    );
    assert.match(problems[0].message, /invalid regular expression/);
    assert.match(problems[1].message, /unknown risk "nonsense"/);

    const classifier = createClassifier(compiled);
    assert.deepEqual(classifier.classify({ text: 'Run an ElasticSearch reindex', heading: [] }), ['db_lock_or_downtime']);
    assert.deepEqual(classifier.classify({ text: 'Run an ElasticSearch reindex', heading: [] }), ['db_lock_or_downtime'], 'no lastIndex state');
    assert.deepEqual(classifier.classify({ text: 'Copy the config.', heading: ['Upgrade checklist'] }), ['upgrade_path']);
  });

  it('has unique rule ids and hints that are lower case', () => {
    const ids = DEFAULT_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const rule of DEFAULT_RULES) for (const hint of rule.hints ?? []) assert.equal(hint, hint.toLowerCase(), rule.id);
  });
});
