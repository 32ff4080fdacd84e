/** Upgrade plans: a runbook and a pull request written from a release-note review. */
export { bumpKind, chooseStrategy, DATABASE_RISKS, type BumpKind, type Strategy } from './strategy';
export {
  checkPlanTemplate,
  planBranchName,
  planFileName,
  PLAN_PLACEHOLDERS,
  PLAN_SECTIONS,
  renderUpgradePlan,
  type PlanPlaceholder,
  type UpgradePlanInput,
} from './upgradePlan';
export { defaultPlanPullRequestBody, planPullRequest, planPullRequestNames, type PlanPullRequest, type PlanPullRequestInput } from './pullRequestText';
export { DEFAULT_TEMPLATE } from './defaultTemplate';
export { engineFloors, floorsIn, type EngineFloor } from './floors';
export { detectPlatform, isManifestPath, MANIFEST_CHARS, type Platform, type WorkspaceFile } from './platform';
export { namedDatabases, type DatabaseId, type EngineId } from './stack';
export { isLocalPath, portablePath } from './localPaths';
export type { TemplateDiagnostic } from './template';
