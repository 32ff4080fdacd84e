import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import { blockLenses, stepLenses, type StepLens } from '../core/runbook';
import { isMarkdown, isRunbook, RunbookDocuments } from './documents';
import type { StepArgs } from './present';
import type { RunRegistry } from './runState';
import { runbookSettings } from '../common/settings';

const COMMANDS: Record<StepLens['action'], string> = {
  runAll: Commands.runAll,
  runNext: Commands.runNextStep,
  reset: Commands.resetRunbook,
  run: Commands.runStep,
  markDone: Commands.markStepDone,
  stop: Commands.stopStep,
  showResult: Commands.showStepResult,
  showProblems: 'workbench.actions.view.problems',
  runBlock: Commands.runBlock,
  convertBlocks: Commands.convertBlocksToSteps,
};

/** "▶ Run" / "✓ Mark done" / "↻ Re-run" and the last result above each step; Run All at the top. */
export class StepCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changeEmitter.event;

  constructor(
    private readonly documents: RunbookDocuments,
    private readonly runs: RunRegistry,
  ) {}

  refresh(): void {
    this.changeEmitter.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!isMarkdown(doc) || doc.uri.scheme !== 'file') return [];
    if (!runbookSettings(doc.uri).codeLens) return [];
    const rb = this.documents.get(doc);
    const runbook = isRunbook(rb);
    // A README-style file (shell blocks, no steps) gets ▶ Run Block, as Runme offers, and no Run All.
    if (!runbook && !rb.looseBlocks.some((b) => b.runnable)) return [];
    const run = this.runs.get(doc.uri);
    const uri = doc.uri.toString();
    const lenses = [...(runbook ? stepLenses(rb, run.results, run.running?.key) : []), ...blockLenses(rb, run.results, run.running?.key, !runbook)];
    return lenses.map((lens) => {
      const args = lens.action === 'showProblems' ? undefined : lens.step && lens.action !== 'stop' ? ({ uri, line: lens.step.line, key: lens.step.key } satisfies StepArgs) : uri;
      return new vscode.CodeLens(new vscode.Range(lens.line, 0, lens.line, 0), {
        title: lens.title,
        command: COMMANDS[lens.action],
        arguments: args === undefined ? [] : [args],
        tooltip: lens.tooltip,
      });
    });
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
