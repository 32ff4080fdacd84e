/** The pull request that puts an upgrade plan up for review. */
import { RISK_LABELS, RISKS } from '../releases/model';
import { summarize } from '../releases/review';
import { portableReview } from './localPaths';
import { sourceLabel } from '../releases/sourceLabel';
import { bumpKind, chooseStrategy, DATABASE_RISKS } from './strategy';
import { planBranchName, planFileName, type UpgradePlanInput } from './upgradePlan';

export interface PlanPullRequestInput extends UpgradePlanInput {
  /** Where the plan is committed, relative to the repository root; defaults to `planFileName(...)`. */
  planPath?: string;
}

export interface PlanPullRequest {
  title: string;
  body: string;
  labels: string[];
}

export function planPullRequest(input: PlanPullRequestInput): PlanPullRequest {
  const { app } = input;
  const review = portableReview(input.review);
  const { from, to } = review;
  const strategy = input.strategy ?? chooseStrategy(review);
  const counts = summarize(review.versions);
  const flagged = RISKS.filter((r) => counts[r]);
  const releases = review.versions.length;

  const body = [
    `Upgrade plan for **${app}** from \`${from}\` to \`${to}\`: a ${bumpKind(from, to)} bump over ${releases} release${releases === 1 ? '' : 's'}, written by Preflight from the release notes in \`${sourceLabel(review.source)}\`.`,
    '',
    `Plan: \`${input.planPath ?? planFileName(app, from, to)}\``,
    '',
    `### Strategy: ${strategy.kind}`,
    '',
    ...strategy.reasons.map((r) => `- ${r}`),
    ...(strategy.intermediateVersions.length ? ['', `Upgrade path: ${[from, ...strategy.intermediateVersions, to].join(' → ')}`] : []),
    '',
    '### Flagged in the release notes',
    '',
    ...(flagged.length
      ? ['| Risk | Items |', '| --- | ---: |', ...flagged.map((r) => `| ${RISK_LABELS[r]} | ${counts[r]} |`)]
      : [`Nothing in the release notes between ${from} and ${to} was flagged. Read them anyway.`]),
    ...(review.engines.length
      ? ['', '### Engine versions', '', ...review.engines.map((e) => `- ${e.name}: ${e.from ?? '(not listed)'} → ${e.to ?? '(not listed)'}`)]
      : []),
    '',
    '### Reviewers, please check',
    '',
    `- [ ] The ${strategy.kind} strategy fits how ${app} runs, and the reasons above hold`,
    ...(strategy.intermediateVersions.length ? ['- [ ] The intermediate versions match the upgrade path the project documents'] : []),
    '- [ ] Every flagged item is understood, and each that needs action has a step in the plan',
    ...(review.engines.length ? [`- [ ] The engine versions in production are ones ${to} supports`] : []),
    '- [ ] The backup covers the database and the stored files, and the verify step really restores it',
    '- [ ] Every TODO command is replaced with the real one (each fails until it is)',
    '- [ ] The rollback steps were rehearsed in test',
    '- [ ] The window, its announcement and who is on call are agreed',
    '',
  ].join('\n');

  const labels = ['upgrade'];
  if (DATABASE_RISKS.some((r) => counts[r])) labels.push('migration');
  if (counts.breaking) labels.push('breaking');
  return { title: `Upgrade plan: ${app} ${from} → ${to}`, body, labels };
}

/** The branch, commit messages and default title of a plan's pull request, shared by the CLI and the extension. */
export function planPullRequestNames(app: string, from: string, to: string): { branch: string; commitMessage: string; updateMessage: string; title: string } {
  const range = `${app} ${from} → ${to}`;
  return { branch: planBranchName(app, to), commitMessage: `Add upgrade plan: ${range}`, updateMessage: `Update upgrade plan: ${range}`, title: `Upgrade plan: ${range}` };
}

/** A pull-request body for a plan whose review is not at hand: what reviewers should check. */
export function defaultPlanPullRequestBody(app: string, from: string, to: string, planPath: string): string {
  return [
    `Upgrade plan for **${app}** from \`${from}\` to \`${to}\`: \`${planPath}\`.`,
    '',
    'Please check the strategy, every flagged release note, the backup and the rollback steps, and that each placeholder command is replaced with the real one.',
    '',
  ].join('\n');
}
