/**
 * The upgrade plan: a Preflight runbook written from a release-note review, for the team to review in
 * a pull request, complete and then run. Its commands are placeholders that fail until replaced, so
 * an unedited plan cannot pass by accident.
 */
import { sanitizeBranchName } from '../git/refName';
import { itemLocation, RISK_LABELS, RISKS, type Risk } from '../releases/model';
import type { Review, ReviewItem } from '../releases/review';
import { summarize } from '../releases/review';
import { DEFAULT_TEMPLATE } from './defaultTemplate';
import { engineFloors } from './floors';
import { isAbsolutePath, portableReview } from './localPaths';
import type { Platform } from './platform';
import { preCheckSteps } from './preChecks';
import { ENGINES, namedDatabases } from './stack';
import { backupSteps, clusterCli, recreateSteps, restoreSteps, rollingSteps, workload, type StepContext } from './steps';
import { rollbackCheckStep, rollbackCheckText, type RollbackCheck } from './rollback';
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
  /**
   * A link to an item's source: the line on GitHub, or a link relative to the plan. Without one, an
   * item's web address is used; a local path never is.
   */
  sourceUrl?: (item: ReviewItem) => string | undefined;
  /** The platform the workspace's manifests deploy to (see detectPlatform); kubectl when unknown. */
  platform?: Platform;
  /** Whether the image to roll back to can still be pulled (`{{#rollbackImage}}` holds only with one). */
  rollbackCheck?: RollbackCheck;
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
  'platform',
  'databases',
  'cli',
  'workload',
  'preChecks',
  'backupSteps',
  'restoreSteps',
  'rollbackCheck',
  'rollbackCheckStep',
] as const;

export type PlanPlaceholder = (typeof PLAN_PLACEHOLDERS)[number];

/** Sections a plan template may use: `{{#recreate}}...{{/recreate}}`. */
export const PLAN_SECTIONS = ['recreate', 'rolling', 'preChecks', 'rollbackImage'] as const;

/** Problems of a plan template (unknown placeholders, unbalanced sections), independent of any review. */
export function checkPlanTemplate(template: string): TemplateDiagnostic[] {
  return checkTemplate(template, { values: PLAN_PLACEHOLDERS, sections: PLAN_SECTIONS });
}

/** The plan as runbook markdown. Unknown placeholders in `template` stay as written (see `checkPlanTemplate`). */
export function renderUpgradePlan(input: UpgradePlanInput, template: string = DEFAULT_TEMPLATE): string {
  const originals = new Map<ReviewItem, ReviewItem>();
  const review = portableReview(input.review, originals);
  const strategy = input.strategy ?? chooseStrategy(review);
  // The link is made from the item as read: its path says whether it lies in the repository.
  const given = input.sourceUrl;
  const sourceUrl = given && ((item: ReviewItem) => given(originals.get(item) ?? item));
  const values = planValues({ ...input, review, ...(sourceUrl ? { sourceUrl } : {}) }, strategy);
  const sections: Record<(typeof PLAN_SECTIONS)[number], boolean> = {
    recreate: strategy.kind === 'recreate',
    rolling: strategy.kind === 'rolling',
    preChecks: values.preChecks !== '',
    rollbackImage: input.rollbackCheck !== undefined,
  };
  return expandTemplate(template, new Map(Object.entries(values)), new Map(Object.entries(sections)));
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
  const { review, platform } = input;
  const app = oneLine(input.app);
  const databases = namedDatabases(review);
  const ctx: StepContext = { platform, databases };
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
    upgradeSteps: (strategy.kind === 'recreate' ? recreateSteps(strategy.intermediateVersions, ctx) : rollingSteps(ctx)).join('\n'),
    date: input.date ?? new Date().toISOString().slice(0, 10),
    source: review.source,
    platform: platformText(platform),
    databases: databases.map((d) => ENGINES[d].label).join(', ') || 'none named in the release notes',
    cli: clusterCli(ctx),
    workload: workload(ctx),
    preChecks: preCheckSteps(engineFloors(review), clusterCli(ctx)).join('\n'),
    backupSteps: backupSteps(ctx).join('\n'),
    restoreSteps: restoreSteps(ctx).join('\n'),
    rollbackCheck: input.rollbackCheck ? rollbackCheckText(input.rollbackCheck) : '',
    rollbackCheckStep: input.rollbackCheck ? rollbackCheckStep(input.rollbackCheck) : '',
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

/** "Helm chart charts/chat/Chart.yaml; OpenShift kinds in deploy/app.yaml (Route)", or what is assumed. */
function platformText(platform: Platform | undefined): string {
  if (!platform) return 'not found in the workspace; the examples use kubectl';
  const name = [platform.helmChart !== undefined ? 'Helm' : '', platform.cli === 'oc' ? 'OpenShift' : 'Kubernetes'].filter(Boolean).join(' on ');
  return `${name} (${platform.evidence.map(oneLine).join('; ')})`;
}

function sourceLink(item: ReviewItem, sourceUrl: UpgradePlanInput['sourceUrl']): string {
  const location = itemLocation(item);
  const given = sourceUrl?.(item);
  const url = given !== undefined && !isAbsolutePath(given) ? given : item.url && /^https?:\/\//i.test(item.url) ? item.url : undefined;
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
