export type * from './model';
export { parseRunbook } from './parser';
export { RUNNABLE_LANGUAGES } from './fenceAttrs';
export { applyEdit, checkboxEdit } from './edits';
export { SECRET_MASK, buildEnv, expandForDisplay, maskSecrets, missingVariables, secretValues } from './variables';
export type { VariableValues } from './variables';
export { capOutput } from './output';
export { formatDuration, lastResults, logFileName, parseLog, renderReport, serializeEvent } from './runLog';
export type {
  ConfirmEvent,
  ManualDoneEvent,
  ReportOptions,
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
export { mainSteps, resultLabel, stepLenses, type StepLens } from './lenses';
