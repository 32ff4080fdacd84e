/**
 * Write an upgrade plan from a review: the one sequence the CLI and the extension share. The team's
 * template comes from an explicit file (`--template`, the `preflight.upgradePlan.template` setting),
 * else `.preflight/templates/upgrade-plan.md` in the workspace, else the built-in one. Plans are read
 * in pull requests: links to release notes are web links, or links relative to the plan for notes in
 * the repository, never a path on this machine. The example commands follow the platform the
 * workspace's manifests deploy to.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../adapters/atomicWrite';
import { checkPlanTemplate, chooseStrategy, DEFAULT_TEMPLATE, isLocalPath, planPullRequest, renderUpgradePlan, type PlanPullRequest, type Strategy, type UpgradePlanInput } from '../core/plan';
import type { RollbackCheck } from '../core/plan/rollback';
import { itemWebLink, sourceFiles, splitPackage, type Review, type ReviewItem } from '../core/releases';
import type { Result } from '../core/result';
import { scanPlatform } from './platform';

export interface PlanTemplate {
  text: string;
  /** Where it came from: a path, or "the built-in template". */
  from: string;
  /** Problems in the template (`file:line:column: message`); it is used all the same. */
  warnings: string[];
}

export const TEAM_TEMPLATE = path.join('.preflight', 'templates', 'upgrade-plan.md');

/** The template to use; an explicit file that cannot be read is an error, not a silent fallback. */
export function loadPlanTemplate(workspace: string, explicit?: string): Result<PlanTemplate, string> {
  const team = path.join(workspace, TEAM_TEMPLATE);
  const file = explicit ? path.resolve(workspace, explicit) : existsSync(team) ? team : undefined;
  if (!file) return { ok: true, value: { text: DEFAULT_TEMPLATE, from: 'the built-in template', warnings: [] } };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    return { ok: false, error: `cannot read the plan template ${path.relative(workspace, file) || file}: ${why}` };
  }
  const shown = path.relative(workspace, file) || file;
  const warnings = checkPlanTemplate(text).map((p) => `${shown}:${p.line + 1}:${p.column + 1}: ${p.message}`);
  return { ok: true, value: { text, from: shown, warnings } };
}

export interface WrittenPlan {
  file: string;
  text: string;
  strategy: Strategy;
  /** What the plan's pull request says, for opening it later. */
  pullRequest: PlanPullRequest;
}

/**
 * Renders the plan and writes it atomically to `file` (its folders made as needed). `planPath` is
 * how the pull request names the plan (its path in the repository, with forward slashes).
 */
export function writeUpgradePlan(input: { app: string; review: Review; file: string; planPath: string; template: PlanTemplate; githubWeb?: string; workspace: string; rollbackCheck?: RollbackCheck }): WrittenPlan {
  const plan = { ...planInput(input), ...(input.rollbackCheck ? { rollbackCheck: input.rollbackCheck } : {}) };
  const text = renderUpgradePlan(plan, input.template.text);
  mkdirSync(path.dirname(input.file), { recursive: true });
  writeFileAtomicSync(input.file, text);
  return { file: input.file, text, strategy: chooseStrategy(input.review), pullRequest: planPullRequest({ ...plan, planPath: input.planPath }) };
}

/**
 * What renderUpgradePlan needs beyond the review: the workspace's platform, and links that work
 * where the plan is read (`planPath`, relative to the workspace with forward slashes).
 */
export function planInput(input: { app: string; review: Review; planPath: string; githubWeb?: string; workspace: string }): UpgradePlanInput {
  const { app, review } = input;
  const platform = scanPlatform(input.workspace);
  const sourceUrl = (item: ReviewItem) => itemWebLink(review.source, item, input.githubWeb) ?? repositoryLink(review.source, item, input.planPath, input.workspace);
  return { app, review, sourceUrl, ...(platform ? { platform } : {}) };
}

/**
 * For notes read from files in the workspace: a link from the plan to the line, as GitHub shows it.
 * Items name a file by its path in the workspace, or one outside it by its last segments: the file's
 * real path decides, so a changelog outside the repository gets no link.
 */
function repositoryLink(source: string, item: ReviewItem, planPath: string, workspace: string): string | undefined {
  const m = /^file:(.*)$/i.exec(splitPackage(source).rest);
  if (!m || isLocalPath(planPath) || isLocalPath(item.file) || item.file.includes('\\')) return undefined;
  const files = sourceFiles(m[1].split(',').map((p) => p.trim()).filter(Boolean), workspace);
  const abs = files.find((f) => f.shown === item.file)?.abs;
  if (abs === undefined) return undefined;
  const inRepo = path.relative(workspace, abs);
  if (!inRepo || inRepo.startsWith('..') || path.isAbsolute(inRepo)) return undefined;
  const rel = path.posix.relative(path.posix.dirname(planPath), inRepo.split(path.sep).join('/'));
  return `${rel.split('/').map(encodeURIComponent).join('/')}#L${item.line}`;
}
