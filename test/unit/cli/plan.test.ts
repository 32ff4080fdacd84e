import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_TEMPLATE, renderUpgradePlan } from '../../../src/core/plan';
import { createSource } from '../../../src/cli/sources';
import { buildReview } from '../../../src/core/releases';
import { parseRunbook } from '../../../src/core/runbook';
import { ROOT, runCli } from '../../support/fixtures';

const CHANGELOG = path.join(ROOT, 'test/fixtures/plan/CHANGELOG.md');
const ARGS = ['plan', '--source', `file:${CHANGELOG}`, '--from', '2.9.4', '--to', '3.1.0', '--app', 'Acme App'];

describe('cli: preflight plan', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-plan-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the plan runbook where the editor would, and says what to run next', async () => {
    const r = await runCli(ARGS, dir);
    assert.equal(r.code, 0, r.stderr);
    const file = path.join(dir, 'runbooks/upgrades/acme-app-2.9.4-to-3.1.0.md');
    assert.equal(r.stdout, 'Wrote runbooks/upgrades/acme-app-2.9.4-to-3.1.0.md: Acme App 2.9.4 -> 3.1.0, recreate upgrade\nNext: preflight pr --file runbooks/upgrades/acme-app-2.9.4-to-3.1.0.md --app "Acme App" --from 2.9.4 --to 3.1.0\n');
    const text = readFileSync(file, 'utf8');
    const printed = await runCli([...ARGS, '--out', '-'], dir);
    assert.equal(printed.stdout.replace(/\d{4}-\d{2}-\d{2}/g, 'DATE'), text.replace(/\d{4}-\d{2}-\d{2}/g, 'DATE'));
    const rb = parseRunbook(text);
    assert.ok(rb.steps.length > 5);
    assert.deepEqual(rb.steps.filter((s) => s.blockers.length), [], 'a plan the runner accepts');
    assert.match(text, /You must upgrade to 2\.9\.x first/);
  });

  it('writes the same plan as the editor for the same review and template', async () => {
    const r = await runCli([...ARGS, '--out', '-'], dir);
    const source = await createSource(`file:${CHANGELOG}`, { cwd: dir, env: {}, timeoutMs: 1000 });
    assert.ok(source.ok);
    const review = await buildReview(source.value, '2.9.4', '3.1.0');
    assert.ok(review.ok);
    assert.equal(r.stdout, renderUpgradePlan({ app: 'Acme App', review: review.value }, DEFAULT_TEMPLATE));
    // The changelog lies outside the workspace: named by its name, and no link that would lead nowhere.
    assert.match(r.stdout, /\(`CHANGELOG\.md:13`\)/);
    assert.doesNotMatch(r.stdout, /\]\([./]*CHANGELOG\.md#L/);
  });

  it("uses the team's template and refuses to replace a plan without --force", async () => {
    mkdirSync(path.join(dir, '.preflight/templates'), { recursive: true });
    writeFileSync(path.join(dir, '.preflight/templates/upgrade-plan.md'), '# Team plan for {{app}} {{from}} -> {{to}} {{nope}}\n\n- [ ] Do it\n');
    const r = await runCli([...ARGS, '--out', 'plan.md'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /^preflight: warning: \.preflight\/templates\/upgrade-plan\.md:1:\d+: .*nope/m);
    assert.equal(readFileSync(path.join(dir, 'plan.md'), 'utf8'), '# Team plan for Acme App 2.9.4 -> 3.1.0 {{nope}}\n\n- [ ] Do it\n');
    const again = await runCli([...ARGS, '--out', 'plan.md'], dir);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /\npreflight: plan\.md exists already; pass --force to replace it\n$/);
    assert.equal((await runCli([...ARGS, '--out', 'plan.md', '--force', '--template', CHANGELOG], dir)).code, 0);
    assert.match(readFileSync(path.join(dir, 'plan.md'), 'utf8'), /^# Changelog/);
  });

  it('rejects missing and invalid arguments with one line', async () => {
    const cases: [string[], RegExp][] = [
      [['plan', '--source', `file:${CHANGELOG}`], /^preflight: plan needs --from, --to, --app\. Run "preflight plan --help"\.\n$/],
      [[...ARGS.slice(0, -1), ''], /^preflight: plan needs --app/],
      [['plan', '--source', `file:${CHANGELOG}`, '--from', 'x', '--to', '3.1.0', '--app', 'a'], /^preflight: --from needs a version/],
      [[...ARGS, '--template', 'missing.md'], /^preflight: cannot read the plan template missing\.md: no such file\n$/],
      [['plan', '--source', `file:${CHANGELOG}`, '--from', '2.9.4', '--to', '9.9.9', '--app', 'a'], /^preflight: unknown version 9\.9\.9/],
    ];
    for (const [argv, expected] of cases) {
      const r = await runCli(argv, dir);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, expected);
      assert.equal(r.stderr.split('\n').length, 2);
    }
    assert.ok(!existsSync(path.join(dir, 'runbooks')));
  });

  it('writes commands for the platform the workspace deploys to, and links notes in the repository relative to the plan', async () => {
    writeFileSync(path.join(dir, 'CHANGELOG.md'), readFileSync(CHANGELOG, 'utf8'));
    mkdirSync(path.join(dir, 'openshift'));
    writeFileSync(path.join(dir, 'openshift', 'chat.yaml'), 'apiVersion: route.openshift.io/v1\nkind: Route\nmetadata:\n  name: acme\n');
    const r = await runCli(['plan', '--source', 'file:CHANGELOG.md', '--from', '2.9.4', '--to', '3.1.0', '--app', 'Acme App'], dir);
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(path.join(dir, 'runbooks/upgrades/acme-app-2.9.4-to-3.1.0.md'), 'utf8');
    assert.match(text, /\(\[CHANGELOG\.md:13\]\(\.\.\/\.\.\/CHANGELOG\.md#L13\)\)/);
    assert.match(text, /oc -n "\$NAMESPACE" scale deployment\/"\$APP" --replicas=0/);
    assert.doesNotMatch(text, /kubectl/);
    assert.match(text, /- \*\*Platform:\*\* OpenShift \(OpenShift kinds in openshift\/chat\.yaml \(Route\)\)/);
    assert.ok(!text.includes(dir), 'no path of this machine');
  });
});
