import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { registerSourceFactory } from '../../../src/cli/main';
import { ok } from '../../../src/core/releases';
import { ROOT, runCli } from '../../support/fixtures';

const HEALTHCHECKS = path.join(ROOT, '..', 'shared', 'fixtures', 'release-notes', 'healthchecks', 'CHANGELOG.md');


const run = (argv: string[], cwd = ROOT) => runCli(argv, cwd);

describe('cli', () => {
  before(() => {
    if (!existsSync(HEALTHCHECKS)) throw new Error(`missing fixture ${HEALTHCHECKS}: the real release notes are expected in ../shared/fixtures/release-notes next to the repository`);
  });

  it('prints its version and help', async () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.deepEqual(await run(['--version']), { code: 0, stdout: `${version}\n`, stderr: '' });
    const help = await run(['help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^ {2}notes {3}Review release notes between two versions$/m);
    assert.equal((await run([])).code, 2);
    const notesHelp = await run(['notes', '--help']);
    assert.equal(notesHelp.code, 0);
    assert.match(notesHelp.stdout, /--fail-on RISKS/);
    assert.equal((await run(['help', 'notes'])).stdout, notesHelp.stdout);
  });

  it('rejects unknown commands, options and missing arguments with one line', async () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /^preflight: unknown command "frobnicate"\. Run "preflight help"\.\n$/],
      [['notes', '--bogus'], /^preflight: Unknown option '--bogus'\. Run "preflight notes --help"\.\n$/],
      [['notes', '--source', 'git:.'], /^preflight: notes needs --from, --to\. Run "preflight notes --help"\.\n$/],
      [['notes', '--source', 'CHANGELOG.md', '--from', '1.0', '--to', '2.0'], /^preflight: source "CHANGELOG\.md" has no type; use one of file:, git:/],
      [['notes', '--source', 'svn:x', '--from', '1.0', '--to', '2.0'], /^preflight: unknown source type svn: \(available: file:, git:, github:, gitlab:, helm:, npm:/],
      [['notes', '--source', 'github:owner', '--from', '1.0', '--to', '2.0'], /^preflight: github: needs OWNER\/REPO \(github:nodejs\/node\), not "owner"\n$/],
      [['notes', '--source', 'npm:Left Pad', '--from', '1.0', '--to', '2.0'], /^preflight: npm: needs a package name \(npm:express, npm:@scope\/name\), not "Left Pad"\n$/],
      [['notes', '--source', 'file:nope.md', '--from', '1.0', '--to', '2.0'], /^preflight: no such file: nope\.md\n$/],
      [['notes', '--source', `file:${HEALTHCHECKS}`, '--from', '1.0', '--to', '2.0', '--fail-on', 'breaking,oops'], /^preflight: --fail-on: unknown risk "oops" \(expected breaking, db_migration/],
      [['notes', '--source', `file:${HEALTHCHECKS}`, '--from', 'v3.5.3', '--to', 'v4.0'], /^preflight: unknown version v3\.5\.3 \(known: 72 versions from 1\.1\.0 to 4\.4\.0-dev; nearest: 3\.5\.2, 3\.6\.0\)\n$/],
    ];
    for (const [argv, expected] of cases) {
      const r = await run(argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.equal(r.stdout, '', argv.join(' '));
      assert.match(r.stderr, expected);
      assert.equal(r.stderr.split('\n').length, 2, `one line: ${r.stderr}`);
    }
  });

  it('prints a readable review of a file source, newest first, flagged items with file:line', async () => {
    const rel = path.relative(ROOT, HEALTHCHECKS);
    const r = await run(['notes', '--source', `file:${rel}`, '--from', 'v3.4', '--to', 'v4.0']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], `Release notes from file:${rel}: 3.4.0 -> 4.0.0`);
    assert.match(lines[1], /^16 versions, \d+ items, \d+ flagged$/);
    assert.equal(lines[3], '4.0.0 (2026-01-22): 10 items, 2 flagged');
    // Items name the file relative to the source, never by this machine's path.
    assert.match(r.stdout, /^ {2}CHANGELOG\.md:70-71 {2}\[breaking, requirement\] {2}This release drops support of Python 3\.11/m);
    assert.ok(!r.stdout.includes(path.dirname(HEALTHCHECKS)), 'no local path');
    assert.match(r.stdout, /^3\.5\.0 \(2024-08-20\): 11 items, 1 flagged$/m);
    assert.match(r.stdout, /^Summary: breaking \d+, db_migration \d+, db_engine_requirement 1, requirement 1, upgrade_path 1, security 1$/m);
  });

  it('prints the review as JSON and exits 3 when a --fail-on risk is present', async () => {
    const r = await run(['notes', '--source', `file:${HEALTHCHECKS}`, '--from', 'v3.5.2', '--to', 'v3.6', '--json', '--fail-on', 'security']);
    assert.equal(r.code, 3);
    const review = JSON.parse(r.stdout);
    assert.deepEqual(review.versions.map((v: { version: string }) => v.version), ['3.6.0']);
    assert.deepEqual(review.versions[0].items[0], {
      text: '- Upgrade to Django 5.1.1 (it fixes a vulnerability in `urlize` which we do use)',
      file: 'CHANGELOG.md',
      line: 209,
      endLine: 209,
      risks: ['security'],
      // Every flag says why.
      reasons: [
        { risk: 'security', source: 'heading', why: 'under the heading “Security”' },
        { risk: 'security', source: 'rule:security-words', why: 'fixes or hardens security' },
      ],
      heading: ['Security'],
    });
    assert.deepEqual(review.summary, { security: 1 });
    assert.equal((await run(['notes', '--source', `file:${HEALTHCHECKS}`, '--from', 'v3.5.2', '--to', 'v3.6', '--fail-on', 'data_loss'])).code, 0);
  });

  it('says which risks, versions and items made --fail-on exit 3, on stderr, also with --json', async () => {
    const rel = path.relative(ROOT, HEALTHCHECKS);
    const argv = ['notes', '--source', `file:${rel}`, '--from', 'v3.4', '--to', 'v4.0', '--fail-on', 'security,breaking,data_loss'];
    // A changelog outside the working folder is named by its name, never by this machine's path.
    const at = (line: number | string) => `CHANGELOG.md:${line}`;
    const expected = [
      'preflight: exit 3: --fail-on found breaking (5 items), security (1 item)',
      '  breaking:',
      `    4.0.0  ${at('70-71')}  This release drops support of Python 3.11 and below. The minimum required Python version is 3.12.`,
      `    3.9.0  ${at(155)}  Change the default value of ALLOWED_HOSTS from "*" to the domain part of SITE_ROOT`,
      `    3.7.0  ${at(195)}  Remove \`pruneflips\` management command (now cleaned up automatically)`,
      `    3.7.0  ${at(196)}  Remove \`prunenotifications\` management command (now cleaned up automatically)`,
      `    3.5.0  ${at('227-232')}  Important: this Healthchecks release is using Django 5.1, which has dropped support for PostgreSQL 12. Therefore, the PostgreSQL image in the sample \`docker-compose.yml\` file has been updated from \`p…`,
      '  security:',
      `    3.6.0  ${at(209)}  Upgrade to Django 5.1.1 (it fixes a vulnerability in \`urlize\` which we do use)`,
      '',
    ].join('\n');
    const text = await run(argv);
    assert.equal(text.code, 3);
    assert.equal(text.stderr, expected);
    assert.match(text.stdout, /^Summary: /m, 'the review itself is on stdout as before');
    const json = await run([...argv, '--json']);
    assert.equal(json.code, 3);
    assert.equal(json.stderr, expected);
    assert.ok(JSON.parse(json.stdout).versions.length > 0, 'stdout holds only the JSON');
    const passing = await run(['notes', '--source', `file:${rel}`, '--from', 'v3.4', '--to', 'v4.0', '--fail-on', 'data_loss']);
    assert.deepEqual([passing.code, passing.stderr], [0, '']);
  });

  it('keeps the --fail-on report short and free of upstream control sequences', async () => {
    registerSourceFactory('noisy', () =>
      ok({
        id: 'noisy:app',
        listVersions: async () => ok([{ version: '2.0.0' }, { version: '1.0.0' }]),
        readNotes: async () => {
          const items = Array.from({ length: 25 }, (_, i) => `- Breaking: removed option ${i}\u001b]0;pwned\u0007 ${'x'.repeat(i === 0 ? 300 : 1)}`);
          return ok({ documents: [{ file: 'CHANGES.md', text: `## 2.0.0\n\n${items.join('\n')}\n`, kind: 'changelog' as const }], problems: [] });
        },
      }),
    );
    const r = await run(['notes', '--source', 'noisy:x', '--from', '1.0.0', '--to', '2.0.0', '--fail-on', 'breaking', '--json']);
    assert.equal(r.code, 3);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines[0], 'preflight: exit 3: --fail-on found breaking (25 items)');
    assert.equal(lines.length, 2 + 20 + 1, 'headline, risk, 20 items and the rest counted');
    assert.equal(lines[lines.length - 1], '    … and 5 more');
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f]/.test(r.stderr), 'no control characters');
    assert.ok(lines[2].length < 240, `an item is cut: ${lines[2]}`);
  });

  it('merges several files of a file source by version, each item keeping its file', async () => {
    const r = await run(['notes', '--source', 'file:test/fixtures/releases/keep-a-changelog.md,test/fixtures/releases/UPGRADING.md', '--from', '2.4.0', '--to', '3.0.0', '--json']);
    assert.equal(r.code, 0);
    const review = JSON.parse(r.stdout);
    assert.equal(review.source, 'file:test/fixtures/releases/keep-a-changelog.md,test/fixtures/releases/UPGRADING.md');
    assert.deepEqual(
      review.versions.map((v: { version: string; prereleases?: string[]; items: { file: string; line: number }[] }) => [
        v.version,
        v.prereleases,
        v.items.map((i) => `${i.file}:${i.line}`),
      ]),
      [
        [
          '3.0.0',
          ['3.0.0-rc.1'],
          [
            'test/fixtures/releases/keep-a-changelog.md:13',
            'test/fixtures/releases/keep-a-changelog.md:17',
            'test/fixtures/releases/keep-a-changelog.md:20',
            'test/fixtures/releases/keep-a-changelog.md:21',
            'test/fixtures/releases/keep-a-changelog.md:25',
            'test/fixtures/releases/UPGRADING.md:5',
            'test/fixtures/releases/UPGRADING.md:7',
            'test/fixtures/releases/UPGRADING.md:8',
            'test/fixtures/releases/keep-a-changelog.md:30',
          ],
        ],
      ],
    );
  });

  it('uses source factories registered by other adapters', async () => {
    registerSourceFactory('memory', (spec) =>
      ok({
        id: `memory:${spec}`,
        listVersions: async () =>
          ok([
            { version: '2.0.0', tag: 'v2.0.0', date: '2024-05-01' },
            ...[5, 4, 3, 2, 1].map((p) => ({ version: `1.0.${p}`, tag: `v1.0.${p}` })),
            { version: '1.0.0', tag: 'v1.0.0' },
          ]),
        readNotes: async () =>
          ok({
            documents: [{ file: 'releases/v2.0.0', version: '2.0.0', kind: 'release' as const, text: '## What changed\n\n- Drops support for PostgreSQL 12.\n' }],
            problems: [],
          }),
      }),
    );
    const r = await run(['notes', '--source', 'memory:demo', '--from', 'v1.0.0', '--to', 'v2.0.0', '--fail-on', 'db_engine_requirement']);
    assert.equal(r.code, 3);
    assert.match(r.stdout, /^2\.0\.0 \(2024-05-01, tag v2\.0\.0\): 1 item, 1 flagged$/m);
    assert.match(r.stdout, /^ {2}releases\/v2\.0\.0:3 {2}\[breaking, db_engine_requirement\] {2}- Drops support for PostgreSQL 12\.$/m);
    assert.match(r.stdout, /^1\.0\.5 \.\.\. 1\.0\.1: 5 versions without notes$/m);
  });
});
