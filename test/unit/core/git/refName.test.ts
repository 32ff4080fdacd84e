import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isValidBranchName, isValidRefName, MAX_BRANCH_BYTES, sanitizeBranchName } from '../../../../src/core/git/refName';
import { planBranchName } from '../../../../src/core/plan/upgradePlan';

type Mode = 'plain' | 'onelevel' | 'branch';
const FLAGS: Record<Mode, string> = { plain: '', onelevel: '--allow-onelevel', branch: '--branch' };

/**
 * What `git check-ref-format` says of each name, in one shell: 1 valid, 0 not. It runs outside any
 * repository, where `--branch` does not expand `@{-1}`.
 */
function gitVerdicts(cases: [Mode, string][]): boolean[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-refname-'));
  try {
    const script = 'while IFS= read -r -d "" mode && IFS= read -r -d "" name; do if git check-ref-format $mode "$name" >/dev/null 2>&1; then printf 1; else printf 0; fi; done';
    const input = cases.map(([mode, name]) => `${FLAGS[mode]}\0${name}\0`).join('');
    const r = spawnSync('bash', ['-c', script], { cwd: dir, input, encoding: 'utf8', env: { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(dir) }, maxBuffer: 1 << 20 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.length, cases.length);
    return [...r.stdout].map((c) => c === '1');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Names built from the pieces git's rules are about, from a fixed seed. */
function generatedNames(count: number): string[] {
  const pieces = ['a', 'Z', '0', '9', '-', '_', '.', '..', '/', '//', '@', '{', '}', '@{', '~', '^', ':', '?', '*', '[', ']', '\\', ' ', '\t', '\n', '\x01', '\x1f', '\x7f', 'lock', '.lock', 'LOCK', 'é', 'ü', '💥', '\u200b', '\u00a0', 'HEAD', 'refs', 'heads', 'v1.2.3', 'preflight'];
  let seed = 0x2545f491;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const names = new Set<string>();
  while (names.size < count) {
    const n = 1 + Math.floor(random() * 7);
    names.add(Array.from({ length: n }, () => pieces[Math.floor(random() * pieces.length)]).join(''));
  }
  return [...names];
}

const EDGES = [
  'main',
  'feature/x',
  'preflight/rocket-chat-7.0.0',
  'a/b.lock',
  'a.lock/b',
  'a/.b',
  'a./b',
  'a/b.',
  'a..b',
  'a/@',
  '@',
  'a@{1}',
  'HEAD',
  'refs/heads/HEAD',
  '-x',
  '/a',
  'a/',
  'a//b',
  'a b',
  'a~1',
  'a^',
  'a:b',
  'a?',
  'a*',
  'a[1]',
  'a\\b',
  'é/ü',
  'x'.repeat(300),
  `preflight/${'ü'.repeat(200)}`,
];

describe('git ref names', function () {
  this.timeout(60_000);

  it('follows git check-ref-format on many generated names', () => {
    const names = [...EDGES, ...generatedNames(400)];
    const cases: [Mode, string][] = [];
    for (const name of names) {
      // git reads a name that begins with "-" as an option, except after --branch.
      if (!name.startsWith('-')) cases.push(['plain', name], ['onelevel', name]);
      cases.push(['branch', name]);
    }
    const verdicts = gitVerdicts(cases);
    const ours = (mode: Mode, name: string) => (mode === 'branch' ? isValidBranchName(name) : isValidRefName(name, { allowOneLevel: mode === 'onelevel' }));
    const disagreements = cases.flatMap(([mode, name], i) => (ours(mode, name) !== verdicts[i] ? [`${mode} ${JSON.stringify(name)}: git says ${verdicts[i]}`] : []));
    assert.deepEqual(disagreements, []);
    // The generator reaches both sides of the rules.
    assert.ok(verdicts.filter(Boolean).length > 100 && verdicts.filter((v) => !v).length > 100);
  });

  it('sanitizes any name into a branch git accepts, at most 255 bytes', () => {
    const names = [...EDGES, ...generatedNames(400), '', '...', '.lock', '-', '@', 'HEAD', '/', 'a.lock.lock', 'x'.repeat(254) + '.lock', `${'a/'.repeat(150)}b`, '\ud800', 'right\u202eleft'];
    const sanitized = names.map((n) => sanitizeBranchName(n));
    const verdicts = gitVerdicts(sanitized.map((s) => ['branch', s]));
    const rejected = sanitized.flatMap((s, i) => (!verdicts[i] || !isValidBranchName(s) ? [`${JSON.stringify(names[i])} -> ${JSON.stringify(s)}`] : []));
    assert.deepEqual(rejected, []);
    for (const [i, s] of sanitized.entries()) {
      assert.ok(Buffer.byteLength(s) <= MAX_BRANCH_BYTES, `${JSON.stringify(names[i])}: ${Buffer.byteLength(s)} bytes`);
      assert.ok(s.length > 0);
      assert.equal(sanitizeBranchName(s), s, `not stable: ${JSON.stringify(s)}`);
      assert.ok(!/[\p{Cc}\p{Cf}\s]/u.test(s), JSON.stringify(s));
    }
  });

  it('keeps ordinary names as they are and mends the rest readably', () => {
    const cases: [string, string][] = [
      ['preflight/rocket-chat-7.0.0', 'preflight/rocket-chat-7.0.0'],
      ['feature/x.y', 'feature/x.y'],
      ['preflight/app-1.0.lock', 'preflight/app-1.0-lock'],
      ['preflight/app-1.0.', 'preflight/app-1.0'],
      ['preflight/app-1..0', 'preflight/app-1.0'],
      ['preflight/app@{u}', 'preflight/app@-u}'],
      ['preflight/my app\t2.0', 'preflight/my-app-2.0'],
      ['preflight//.hidden/', 'preflight/hidden'],
      ['-x', 'x'],
      ['', 'branch'],
      ['HEAD', 'branch'],
    ];
    for (const [input, expected] of cases) assert.equal(sanitizeBranchName(input), expected, JSON.stringify(input));
    assert.equal(sanitizeBranchName('...', 'preflight/plan'), 'preflight/plan');
  });

  it('names plan branches validly, whatever the app and the version', () => {
    assert.equal(planBranchName('Rocket.Chat', '7.0.0'), 'preflight/rocket-chat-7.0.0');
    const cases: [string, string][] = [
      ['app', '1.0.lock'],
      ['app', '1.0.'],
      ['app', '2.0.0-rc..1'],
      ['app', '1.0@{yesterday}'],
      ['app', '1.0\u0000\u0007'],
      ['a'.repeat(400), '1.0.0'],
      ['app', `1.0.0-${'x'.repeat(400)}`],
      ['💥', '1.0'],
    ];
    const branches = cases.map(([app, to]) => planBranchName(app, to));
    const verdicts = gitVerdicts(branches.map((b) => ['branch', b]));
    assert.deepEqual(
      branches.filter((b, i) => !verdicts[i] || Buffer.byteLength(b) > MAX_BRANCH_BYTES),
      [],
    );
    assert.equal(planBranchName('app', '1.0.lock'), 'preflight/app-1.0-lock');
    // A long app name is shortened so that the version still ends the branch.
    assert.match(planBranchName('a'.repeat(400), '1.0.0'), /^preflight\/a+-1\.0\.0$/);
  });
});
