/** Command ids: the same strings as contributes.commands in package.json. */
export const Commands = {
  showLog: 'preflight.showLog',
  runStep: 'preflight.runStep',
  runBlock: 'preflight.runBlock',
  convertBlocksToSteps: 'preflight.convertBlocksToSteps',
  runNextStep: 'preflight.runNextStep',
  runAll: 'preflight.runAll',
  stopStep: 'preflight.stopStep',
  markStepDone: 'preflight.markStepDone',
  resetRunbook: 'preflight.resetRunbook',
  exportRunReport: 'preflight.exportRunReport',
  revealStep: 'preflight.revealStep',
  showStepResult: 'preflight.showStepResult',
  openDemoRunbook: 'preflight.openDemoRunbook',
  reviewReleaseNotes: 'preflight.reviewReleaseNotes',
  createUpgradePlan: 'preflight.createUpgradePlan',
  openPlanPullRequest: 'preflight.openPlanPullRequest',
} as const;
