/** At the end of a run of a runbook that names its pull request: "Publish to PR". */
import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import { mainSteps, type Runbook } from '../core/runbook';
import type { StepRunResult } from './runner';

/** Offers to publish when the run ended: every main step done, or a step failed, timed out or was stopped. */
export function offerPublish(uri: vscode.Uri, rb: Runbook, result: StepRunResult): void {
  if (!rb.meta.approval) return;
  const failed = result.status === 'failed' || result.status === 'timed-out' || result.status === 'stopped';
  const done = mainSteps(rb).every((s) => s.checked);
  if (!failed && !done) return;
  void vscode.window
    .showInformationMessage(done ? 'Every step of the runbook is done. Publish the run to its pull request?' : 'The run stopped at a failed step. Publish the run to its pull request?', 'Publish to PR')
    .then((pick) => pick && vscode.commands.executeCommand(Commands.publishRunToPullRequest, uri));
}
