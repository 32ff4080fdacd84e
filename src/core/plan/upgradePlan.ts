/**
 * The upgrade plan: a Preflight runbook written from a release-note review, for the team to review in
 * a pull request, complete and then run. Its commands are placeholders that fail until replaced, so
 * an unedited plan cannot pass by accident.
 */
import { sanitizeBranchName } from '../git/refName';
import { itemLocation, RISK_LABELS, RISKS, type Risk } from '../releases/model';
import type { Review, ReviewItem } from '../releases/review';
import { summarize } from '../releases/review';
import { sourceLabel } from '../releases/sourceLabel';
import { DEFAULT_TEMPLATE } from './defaultTemplate';
import { bumpKind, chooseStrategy, type Strategy } from './strategy';
import { checkTemplate, expandTemplate, type TemplateDiagnostic } from './template';

export interface UpgradePlanInput {
  /** The application's name as people call it ("Rocket.Chat"). */
  app: string;
  review: Review;
  /** Defaults to `chooseStrategy(review)`. */
  strategy?: Strategy;
  /** YYYY-MM-DD; defaults to today (UTC). */
  date?: string;
  /** A link to an item's source, e.g. the line on GitHub; defaults to the item's document URL. */
  sourceUrl?: (item: ReviewItem) => string | undefined;
}

/** Placeholders a plan template may use, see template.ts for the syntax. */
export const PLAN_PLACEHOLDERS = [
  'title',
  'app',
  'appSlug',
  'from',
  'to',
  'bump',
  'strategy',
  'strategyReasons',
  'intermediateVersions',
  'riskSummary',
  'risks',
  'engines',
  'upgradeSteps',
  'date',
  'source',
] as const;

export type PlanPlaceholder = (typeof PLAN_PLACEHOLDERS)[number];

/** Sections a plan template may use: `{{#recreate}}...{{/recreate}}`. */
export const PLAN_SECTIONS = ['recreate', 'rolling'] as const;

/** Problems of a plan template (unknown placeholders, unbalanced sections), independent of any review. */
export function checkPlanTemplate(template: string): TemplateDiagnostic[] {
  return checkTemplate(template, { values: PLAN_PLACEHOLDERS, sections: PLAN_SECTIONS });
}

/** The plan as runbook markdown. Unknown placeholders in `template` stay as written (see `checkPlanTemplate`). */
export function renderUpgradePlan(input: UpgradePlanInput, template: string = DEFAULT_TEMPLATE): string {
  const strategy = input.strategy ?? chooseStrategy(input.review);
  return expandTemplate(
    template,
    new Map(Object.entries(planValues(input, strategy))),
    new Map(PLAN_SECTIONS.map((s) => [s, s === strategy.kind])),
  );
}

/** `<app-slug>-<from>-to-<to>.md`, e.g. `rocket-chat-2.3.0-to-2.4.1.md`. */
export function planFileName(app: string, from: string, to: string): string {
  return `${slug(app)}-${pathSafe(from)}-to-${pathSafe(to)}.md`;
}

/** How much of the app's slug a branch name keeps, so that the version still fits after it. */
const BRANCH_APP_CHARS = 100;

/**
 * `preflight/<app-slug>-<to>`, e.g. `preflight/rocket-chat-2.4.1`: always a branch name git accepts
 * (`.lock` endings, trailing dots, `..`, `@{`, control characters and spaces mended; at most 255
 * bytes, the app's part shortened first).
 */
export function planBranchName(app: string, to: string): string {
  const appPart = slug(app).slice(0, BRANCH_APP_CHARS).replace(/-+$/, '');
  return sanitizeBranchName(`preflight/${appPart}-${pathSafe(to.trim())}`, 'preflight/plan');
}

/** Lower case, every run of other characters than letters and digits as one `-`. */
function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'app';
}

function pathSafe(version: string): string {
  return version.replace(/[^A-Za-z0-9.+-]+/g, '-').replace(/\.{2,}/g, '.');
}

function planValues(input: UpgradePlanInput, strategy: Strategy): Record<PlanPlaceholder, string> {
  const { review } = input;
  const app = oneLine(input.app);
  return {
    title: `Upgrade ${app} ${review.from} to ${review.to}`,
    app,
    appSlug: slug(app),
    from: review.from,
    to: review.to,
    bump: bumpKind(review.from, review.to),
    strategy: strategy.kind,
    strategyReasons: strategy.reasons.map((r) => `- ${listLineText(r)}`).join('\n'),
    intermediateVersions: strategy.intermediateVersions.join(', ') || 'none',
    riskSummary: riskSummary(review),
    risks: risksSection(review, input.sourceUrl),
    engines: enginesSection(review),
    upgradeSteps: (strategy.kind === 'recreate' ? recreateSteps(strategy.intermediateVersions) : rollingSteps()).join('\n'),
    date: input.date ?? new Date().toISOString().slice(0, 10),
    source: sourceLabel(review.source),
  };
}

/** Flagged items per risk, in vocabulary order, each with the version it belongs to. */
function flaggedByRisk(review: Review): { risk: Risk; items: { version: string; item: ReviewItem }[] }[] {
  return RISKS.map((risk) => ({
    risk,
    items: review.versions.flatMap((v) => v.items.filter((i) => i.risks.includes(risk)).map((item) => ({ version: v.version, item }))),
  })).filter((group) => group.items.length > 0);
}

/** "Breaking change: 2, Database migration: 1", or "nothing". */
function riskSummary(review: Review): string {
  const counts = summarize(review.versions);
  return RISKS.filter((r) => counts[r]).map((r) => `${RISK_LABELS[r]}: ${counts[r]}`).join(', ') || 'nothing';
}

function risksSection(review: Review, sourceUrl: UpgradePlanInput['sourceUrl']): string {
  const groups = flaggedByRisk(review);
  if (groups.length === 0) {
    const count = review.versions.reduce((n, v) => n + v.items.length, 0);
    const read =
      count > 0
        ? `${count} item${count === 1 ? '' : 's'} in ${review.versions.length} version${review.versions.length === 1 ? '' : 's'} were read`
        : 'the notes hold no items for these versions';
    return `No item in the release notes between ${review.from} and ${review.to} was flagged (${read}). Read them anyway: the highlighter only knows the words release notes usually use.`;
  }
  return groups
    .map(({ risk, items }) => {
      const lines = items.map(({ version, item }) => {
        const label = item.prerelease ? `${version} (${item.prerelease})` : version;
        return `- **${label}**: ${listLineText(item.text)} (${sourceLink(item, sourceUrl)})`;
      });
      return [`### ${RISK_LABELS[risk]} (${items.length})`, '', ...lines].join('\n');
    })
    .join('\n\n');
}

function enginesSection(review: Review): string {
  if (review.engines.length === 0) return `The release notes list no engine or runtime version change between ${review.from} and ${review.to}.`;
  return review.engines.map((e) => `- ${listLineText(e.name)}: ${oneLine(e.from ?? '(not listed)')} → ${oneLine(e.to ?? '(not listed)')}`).join('\n');
}

function sourceLink(item: ReviewItem, sourceUrl: UpgradePlanInput['sourceUrl']): string {
  const location = itemLocation(item);
  const url = sourceUrl?.(item) ?? item.url;
  if (!url) return `\`${location}\``;
  // A destination in <...> may hold parentheses; spaces and angle brackets are encoded.
  return `[${location}](${/[\s()<>]/.test(url) ? `<${url.replace(/[\s<>]/g, encodeURIComponent)}>` : url})`;
}

/**
 * Text as the content of one list line: list markers dropped, on one line, and with a leading
 * `[ ]` or `[x]` escaped so that a release note never becomes a runbook step.
 */
function listLineText(text: string): string {
  const line = oneLine(text.replace(/^(?:\s*(?:[-*+]|\d{1,9}[.)])[ \t]+)+/, ''));
  return line.replace(/^\[([ xX])\]/, '\\[$1]');
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

interface StepAttrs {
  name: string;
  confirm?: string;
  timeout?: number;
}

/** A task-list step whose command fails with a TODO until the team replaces it. */
function todoStep(text: string, attrs: StepAttrs, todo: string, examples: string[]): string {
  return [
    `- [ ] ${text}`,
    `  \`\`\`sh ${JSON.stringify(attrs)}`,
    '  # TODO: e.g.',
    ...examples.map((e) => `  #   ${e}`),
    `  echo "TODO: ${todo}" >&2`,
    '  exit 1',
    '  ```',
  ].join('\n');
}

const KUBECTL = 'kubectl -n "$NAMESPACE"';

function recreateSteps(intermediateVersions: readonly string[]): string[] {
  // Versions go into a fence's info string and shell lines: keep only what versions are made of.
  const hops = [...new Set(intermediateVersions.map((v) => v.replace(/[^\w.+-]/g, '')))].map((version) =>
    todoStep(
      `Upgrade to the intermediate version ${version} with one replica, and wait until it has started and migrated the database`,
      { name: `upgrade-to-${version}`, confirm: 'upgrade', timeout: 3600 },
      `upgrade $APP to ${version}`,
      [
        `${KUBECTL} set image deployment/"$APP" "$APP=registry.example.com/$APP:${version}"`,
        `${KUBECTL} scale deployment/"$APP" --replicas=1`,
        `${KUBECTL} rollout status deployment/"$APP" --timeout=3600s`,
      ],
    ),
  );
  return [
    todoStep('Switch the route to the maintenance instance', { name: 'route-maintenance', confirm: 'maintenance' }, 'switch the route of $APP to the maintenance instance', [
      `${KUBECTL} patch service "$APP" -p '{"spec":{"selector":{"app":"maintenance"}}}'`,
    ]),
    todoStep('Scale $APP down to zero so that no instance of the old version uses the database', { name: 'scale-down', confirm: 'downtime', timeout: 600 }, 'scale $APP down to zero', [
      `${KUBECTL} scale deployment/"$APP" --replicas=0`,
      `${KUBECTL} wait --for=delete pod -l app="$APP" --timeout=540s`,
    ]),
    ...hops,
    todoStep('Deploy $TO_VERSION with one replica and the recreate strategy', { name: 'upgrade', confirm: 'upgrade', timeout: 1800 }, 'deploy $APP $TO_VERSION', [
      `${KUBECTL} patch deployment/"$APP" -p '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}'`,
      `${KUBECTL} set image deployment/"$APP" "$APP=registry.example.com/$APP:$TO_VERSION"`,
      `${KUBECTL} scale deployment/"$APP" --replicas=1`,
    ]),
    todoStep('Run the database migration, or follow the one $APP runs at start-up, until it has finished', { name: 'migrate', confirm: 'migrate', timeout: 3600 }, 'run or follow the migration of $APP', [
      `${KUBECTL} rollout status deployment/"$APP" --timeout=3600s`,
      `${KUBECTL} logs deployment/"$APP" | grep -i migrat`,
    ]),
    todoStep('Scale $APP back up to its usual replica count', { name: 'scale-up', confirm: 'scale', timeout: 900 }, 'scale $APP back up', [
      `${KUBECTL} scale deployment/"$APP" --replicas=3`,
      `${KUBECTL} rollout status deployment/"$APP" --timeout=900s`,
    ]),
  ];
}

function rollingSteps(): string[] {
  return [
    todoStep('Roll out $TO_VERSION one instance at a time, and wait until every instance runs it', { name: 'rolling-upgrade', confirm: 'upgrade', timeout: 1800 }, 'roll out $APP $TO_VERSION', [
      `${KUBECTL} set image deployment/"$APP" "$APP=registry.example.com/$APP:$TO_VERSION"`,
      `${KUBECTL} rollout status deployment/"$APP" --timeout=1800s`,
    ]),
  ];
}
