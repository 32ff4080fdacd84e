export type * from './model';
export { parseRunbook } from './parser';
export { RUNNABLE_LANGUAGES } from './fenceAttrs';
export { applyEdit, checkboxEdit } from './edits';
export { SECRET_MASK, SecretMasker, buildEnv, expandForDisplay, maskPatterns, maskSecrets, missingVariables, secretForms, secretValues, variablesUsedBy } from './variables';
export { relocateStep, type Relocation } from './locate';
export { MAX_TIMEOUT_SECONDS } from './model';
export type { VariableValues } from './variables';
export { capOutput } from './output';
export { lastResults, logFileName, parseLog, runHolder, serializeEvent } from './runLog';
export { codeSpan, formatDuration, renderReport, type ReportOptions } from './report';
export { applyEdits, blockScript, blocksToStepsEdits, looseSteps } from './blocks';
export {
  excludedFromRunAll,
  isRunmeFile,
  prepareStep,
  runbookDirectory,
  runnableBlocks,
  stepEndRecord,
  stepRef,
  stepTitle,
  stepVariables,
  type PreparedBlock,
  type PreparedStep,
} from './prepare';
export { planCheckboxes, setCheckboxBytes, withoutTicks, type CheckboxBytes, type CheckboxPlan, type CheckboxTarget } from './ticks';
export { approvalProblem, gateStart, isGated, parsePullRequestSpec, readApproval, type ApprovalSpec, type PullRequestSpec } from './approval';
export { ciActor, ciContext, type CiContext } from './ci';
export type {
  ApprovalEvent,
  ApprovalOverrideEvent,
  ManualCommandEvent,
  PublishEvent,
  PullRequestRef,
  ConfirmEvent,
  ManualDoneEvent,
  ManualPromptEvent,
  StepBlockedEvent,
  RollbackOfferEvent,
  RunEvent,
  RunResetEvent,
  RunStartEvent,
  StepEndEvent,
  StepRef,
  StepResult,
  StepStartEvent,
  StepStatus,
  TickEvent,
} from './runLog';
export { findHardCodedSecrets, type ReplaceContext, type SecretCode, type SecretFinding } from './secrets';
export { replacementText, secretFix, type SecretFix } from './secretFix';
export { stepOutput, type StepOutput } from './stepOutput';
export { blockLenses, mainSteps, resultLabel, stepLenses, type StepLens } from './lenses';
