import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import { isMarkdown, isRunbook, mainSteps, RunbookDocuments } from './documents';
import { resultLabel, type StepArgs } from './present';
import type { RunRegistry } from './runState';

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
    if (!vscode.workspace.getConfiguration('preflight.runbooks', doc.uri).get<boolean>('codeLens', true)) return [];
    const rb = this.documents.get(doc);
    if (!isRunbook(rb)) return [];
    const run = this.runs.get(doc.uri);
    const uri = doc.uri.toString();
    const lenses: vscode.CodeLens[] = [];
    const main = mainSteps(rb);
    const done = main.filter((s) => s.checked).length;
    const top = new vscode.Range(0, 0, 0, 0);
    lenses.push(
      new vscode.CodeLens(top, { title: '▶ Run All', command: Commands.runAll, arguments: [uri] }),
      new vscode.CodeLens(top, { title: `${done}/${main.length} done`, command: Commands.runNextStep, arguments: [uri], tooltip: 'Run the next step' }),
      new vscode.CodeLens(top, { title: '↺ Reset', command: Commands.resetRunbook, arguments: [uri], tooltip: 'Untick every step and start a new run' }),
    );
    for (const step of rb.steps) {
      const range = new vscode.Range(step.line, 0, step.line, 0);
      const args: StepArgs = { uri, line: step.line, key: step.key };
      const result = run.results.get(step.key);
      if (run.running?.key === step.key) {
        lenses.push(
          new vscode.CodeLens(range, { title: '$(sync~spin) Running…', command: Commands.showStepResult, arguments: [args] }),
          new vscode.CodeLens(range, { title: '■ Stop', command: Commands.stopStep, arguments: [uri] }),
        );
        continue;
      }
      if (step.manual) {
        if (!step.checked) lenses.push(new vscode.CodeLens(range, { title: '✓ Mark done', command: Commands.markStepDone, arguments: [args] }));
        else lenses.push(new vscode.CodeLens(range, { title: '✓ done', command: Commands.showStepResult, arguments: [args] }));
        continue;
      }
      const again = result !== undefined || step.checked;
      lenses.push(new vscode.CodeLens(range, { title: again ? '↻ Re-run' : '▶ Run', command: Commands.runStep, arguments: [args] }));
      if (result) {
        lenses.push(new vscode.CodeLens(range, { title: resultLabel(result), command: Commands.showStepResult, arguments: [args], tooltip: `Last run ${result.time}` }));
      }
    }
    return lenses;
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
