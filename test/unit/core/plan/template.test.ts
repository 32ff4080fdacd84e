import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkPlanTemplate, DEFAULT_TEMPLATE, renderUpgradePlan, type Strategy } from '../../../../src/core/plan';
import { checkTemplate, expandTemplate } from '../../../../src/core/plan/template';
import type { Review } from '../../../../src/core/releases';
import { parseRunbook } from '../../../../src/core/runbook';
import { ROOT as REPO_ROOT } from '../../../support/fixtures';

const ROOT = REPO_ROOT;

const review: Review = {
  source: 'github:example/app',
  from: '1.4.2',
  to: '1.5.0',
  versions: [{ version: '1.5.0', date: '2024-05-01', items: [{ text: '- Add a column to `jobs`', file: 'CHANGES.md', line: 8, endLine: 8, risks: ['db_migration'], heading: [] }] }],
  summary: { db_migration: 1 },
  engines: [],
  problems: [],
};
const rolling: Strategy = { kind: 'rolling', reasons: ['told so'], intermediateVersions: [] };

const vocabulary = { values: ['a', 'b'], sections: ['yes', 'no'] };
const expand = (template: string) =>
  expandTemplate(
    template,
    new Map([
      ['a', 'A'],
      ['b', 'x "y" \\ z\n'],
    ]),
    new Map([
      ['yes', true],
      ['no', false],
    ]),
  );

describe('upgrade plan templates', () => {
  describe('the default template', () => {
    it('is the text shipped as runbooks/templates/upgrade-plan.md', () => {
      assert.equal(DEFAULT_TEMPLATE, readFileSync(path.join(ROOT, 'runbooks/templates/upgrade-plan.md'), 'utf8'));
    });

    it('uses only known placeholders and is itself a runbook whose one problem is the step its placeholders write', () => {
      assert.deepEqual(checkPlanTemplate(DEFAULT_TEMPLATE), []);
      // The gate starts at the backup step, which {{backupSteps}} writes: unrendered, it names no step (and would block every one).
      assert.deepEqual(parseRunbook(DEFAULT_TEMPLATE).problems.map((p) => p.message), ['"from" of "approval" names no step: no step has the name or the text "backup".']);
    });

    it('renders a plan without problems whose production steps, from the backup on, wait for an approved pull request', () => {
      const rb = parseRunbook(renderUpgradePlan({ app: 'Example', review, date: '2024-06-01' }));
      assert.deepEqual(rb.problems, []);
      assert.deepEqual({ pullRequest: rb.meta.approval?.pullRequest, from: rb.meta.approval?.from }, { pullRequest: { kind: 'auto' }, from: 'backup' });
      const names = rb.steps.map((s) => s.name);
      assert.ok(names.indexOf('backup') > names.indexOf('rehearse'), 'the rehearsal runs before the gate');
    });
  });

  describe('a team template', () => {
    const custom = readFileSync(path.join(ROOT, 'test/fixtures/plan/team-template.md'), 'utf8');

    it('renders the placeholders it uses and the section of the strategy', () => {
      const text = renderUpgradePlan({ app: 'Example', review, date: '2024-06-01' }, custom);
      assert.match(text, /^# Example: 1\.4\.2 → 1\.5\.0 \(minor, recreate\)$/m);
      assert.match(text, /### Database migration \(1\)\n\n- \*\*1\.5\.0\*\*: Add a column to `jobs` \(`CHANGES\.md:8`\)/);
      assert.match(text, /Tell users the maintenance window is over/);
      assert.doesNotMatch(text, /rolling upgrade is done/);
      assert.doesNotMatch(text, /\{\{[#/]/);

      const rb = parseRunbook(text);
      assert.equal(rb.meta.title, 'Upgrade Example 1.4.2 to 1.5.0');
      assert.deepEqual(
        rb.steps.map((s) => s.name ?? s.text),
        ['snapshot', 'route-maintenance', 'scale-down', 'upgrade', 'migrate', 'scale-up', 'Tell users the maintenance window is over (manual)', 'restore-snapshot'],
      );
      assert.deepEqual(rb.steps.filter((s) => s.rollback).map((s) => s.name), ['restore-snapshot']);
    });

    it('follows a strategy given by the caller', () => {
      const text = renderUpgradePlan({ app: 'Example', review, strategy: rolling, date: '2024-06-01' }, custom);
      assert.match(text, /\(minor, rolling\)/);
      assert.match(text, /rolling upgrade is done/);
      assert.doesNotMatch(text, /maintenance window is over/);
      assert.deepEqual(parseRunbook(text).steps.map((s) => s.name).filter(Boolean), ['snapshot', 'rolling-upgrade', 'restore-snapshot']);
    });

    it('reports an unknown placeholder and leaves it visible', () => {
      assert.deepEqual(checkPlanTemplate(custom), [
        {
          message: `Unknown placeholder {{owner}}; known placeholders: title, app, appSlug, from, to, bump, strategy, strategyReasons, intermediateVersions, riskSummary, risks, engines, upgradeSteps, date, source, platform, databases, cli, workload, preChecks, backupSteps, restoreSteps, rollbackCheck, rollbackCheckStep.`,
          line: 10,
          column: 7,
        },
      ]);
      assert.match(renderUpgradePlan({ app: 'Example', review, date: '2024-06-01' }, custom), /^Owner: \{\{owner\}\}$/m);
    });
  });

  describe('placeholder syntax', () => {
    it('replaces values, with optional spaces, and escapes for quoted strings with | json', () => {
      assert.equal(expand('{{a}}-{{ a }}-{{b|json}}-{{ b | json }}'), 'A-A-x \\"y\\" \\\\ z\\n-x \\"y\\" \\\\ z\\n');
    });

    it('keeps sections for conditions that hold and drops standalone tag lines', () => {
      assert.equal(expand('1\n{{#yes}}\n2\n{{/yes}}\n{{#no}}\n3\n{{/no}}\n4\n'), '1\n2\n4\n');
      assert.equal(expand('a {{#yes}}b{{/yes}}{{#no}}c{{/no}} d'), 'a b d');
      assert.equal(expand('  {{#no}}  \r\nx\n{{/no}}\ny'), 'y');
      assert.equal(expand('{{#yes}}\n{{#no}}\nhidden {{a}}\n{{/no}}\nshown {{a}}\n{{/yes}}'), 'shown A\n');
    });

    it('leaves Go templates alone and turns \\{{ into a literal {{', () => {
      const go = `docker inspect --format '{{.State.Health.Status}}' && kubectl get pods -o go-template='{{range .items}}{{.metadata.name}}\\{{end}}'`;
      assert.deepEqual(checkTemplate(go, vocabulary), []);
      assert.equal(expand(go), `docker inspect --format '{{.State.Health.Status}}' && kubectl get pods -o go-template='{{range .items}}{{.metadata.name}}{{end}}'`);
      assert.equal(expand('\\{{a}} {{a}}'), '{{a}} A');
    });

    it('reports unknown names, filters and unbalanced sections at their line and column, and leaves them as written', () => {
      const template = ['{{a}} {{nope}}', '{{a | upper}}', '{{#maybe}}x{{/maybe}}', '{{#yes|json}}', '  {{#yes}}', 'open', '{{/no}}', '{{#no}}{{/yes}}'].join('\n');
      assert.deepEqual(
        checkTemplate(template, vocabulary).map((p) => [p.line, p.column, p.message]),
        [
          [0, 6, 'Unknown placeholder {{nope}}; known placeholders: a, b.'],
          [1, 0, 'Unknown filter "upper" in {{a | upper}}; known filters: json.'],
          [2, 0, 'Unknown section "maybe" in {{#maybe}}; known sections: yes, no.'],
          [2, 11, 'Unknown section "maybe" in {{/maybe}}; known sections: yes, no.'],
          [3, 0, 'A section takes no filter: {{#yes|json}}.'],
          [6, 0, '{{/no}} closes no {{#no}}.'],
          [7, 0, '{{#no}} is not closed.'],
        ],
      );
      assert.equal(
        expand(template),
        ['A {{nope}}', '{{a | upper}}', '{{#maybe}}x{{/maybe}}', '{{#yes|json}}', 'open', '{{/no}}', '{{#no}}'].join('\n'),
      );
    });

    it('reports a section left open at the end', () => {
      assert.deepEqual(checkTemplate('x\n  {{#yes}}\ny', vocabulary), [{ message: '{{#yes}} is not closed.', line: 1, column: 2 }]);
      assert.equal(expand('x\n  {{#yes}}\ny'), 'x\n  {{#yes}}\ny');
    });
  });
});
