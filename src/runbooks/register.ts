import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import type { Logger } from '../core/log';
import { blocksToStepsEdits, looseSteps } from '../core/runbook';
import { StepCodeLensProvider } from './codeLens';
import { RunbookDiagnostics } from './diagnostics';
import { isMarkdown, RunbookDocuments } from './documents';
import type { StepArgs } from './present';
import { inputBoxPrompts, type RunPrompts } from './prompts';
import { exportRunReport } from './report';
import { revealLine, RunbookRunner, type StepRunResult } from './runner';
import { FailureMarks, RUN_OUTPUT_SCHEME, RunOutputProvider, showStepOutput } from './runOutput';
import { RunRegistry } from './runState';
import { openDemoOnStart, openDemoRunbook } from './demo';
import { SecretFixProvider } from './secretActions';
import { RunbookView } from './tree';
import type { GitHubTokens } from '../common/githubTokens';
import { ApprovalGate } from './approvalGate';
import { recordManualCommands } from './manualCommands';
import { offerPublish } from './publishOffer';

export interface RunbooksApi {
  /** Answers variable and confirmation prompts programmatically (automation and tests); undefined restores the input boxes. */
  setRunPrompts(prompts: RunPrompts | undefined): void;
}

/** Executable markdown runbooks: CodeLens, commands, the Runbook view, diagnostics and the run log. */
export function registerRunbooks(context: vscode.ExtensionContext, log: vscode.LogOutputChannel & Logger, tokens: GitHubTokens): vscode.Disposable & RunbooksApi {
  const documents = new RunbookDocuments();
  const runs = new RunRegistry(log);
  const runner = new RunbookRunner(documents, runs, log, inputBoxPrompts);
  runner.gate = new ApprovalGate(context, log, tokens);
  /** Runs, then offers "Publish to PR" when the run of a runbook with a pull request ended. */
  const thenOffer = async (uri: vscode.Uri, result: Promise<StepRunResult>): Promise<StepRunResult> => {
    const r = await result;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc) offerPublish(uri, documents.get(doc), r);
    return r;
  };
  const lenses = new StepCodeLensProvider(documents, runs);
  const view = new RunbookView(documents, runs);
  const diagnostics = new RunbookDiagnostics(documents);
  const outputs = new RunOutputProvider(runs);
  const marks = new FailureMarks(documents, runs);

  /** The runbook a command is about: its argument (a URI string, a StepArgs, a tree node) or the active runbook. */
  const targetUri = (arg: unknown): vscode.Uri | undefined => {
    if (typeof arg === 'string') return vscode.Uri.parse(arg);
    if (arg instanceof vscode.Uri) return arg;
    if (arg && typeof arg === 'object' && 'uri' in arg && typeof arg.uri === 'string') return vscode.Uri.parse(arg.uri);
    const active = vscode.window.activeTextEditor?.document;
    if (active && isMarkdown(active)) return active.uri;
    return view.current?.uri;
  };
  const stepArgs = (arg: unknown): StepArgs | undefined => {
    if (arg && typeof arg === 'object') {
      if ('kind' in arg && arg.kind === 'step' && 'step' in arg && view.current) {
        const step = arg.step as { line: number; key: string };
        return { uri: view.current.uri.toString(), line: step.line, key: step.key };
      }
      if ('line' in arg && 'uri' in arg) return arg as StepArgs;
    }
    const editor = vscode.window.activeTextEditor;
    if (editor && isMarkdown(editor.document)) {
      const line = editor.selection.active.line;
      const step = documents.get(editor.document).steps.filter((s) => s.line <= line && line < s.endLine).pop();
      if (step) return { uri: editor.document.uri.toString(), line: step.line, key: step.key };
    }
    return undefined;
  };
  /** The block a Run Block is about: its arguments, or the shell block outside the steps under the cursor. */
  const blockArgs = (arg: unknown): StepArgs | undefined => {
    if (arg && typeof arg === 'object' && 'line' in arg && 'uri' in arg) return arg as StepArgs;
    const editor = vscode.window.activeTextEditor;
    if (editor && isMarkdown(editor.document)) {
      const line = editor.selection.active.line;
      const block = looseSteps(documents.get(editor.document)).find((b) => b.line <= line && line < b.endLine);
      if (block) return { uri: editor.document.uri.toString(), line: block.line, key: block.key };
    }
    return undefined;
  };
  const noRunbook = () => void vscode.window.showInformationMessage('Open a runbook first: a markdown file with task-list steps.');
  const withUri = (fn: (uri: vscode.Uri) => unknown) => (arg: unknown) => {
    const uri = targetUri(arg);
    return uri ? fn(uri) : noRunbook();
  };
  const withStep = (fn: (uri: vscode.Uri, a: StepArgs) => Promise<StepRunResult>) => (arg: unknown) => {
    const a = stepArgs(arg);
    if (!a) {
      void vscode.window.showInformationMessage('Put the cursor on a runbook step, or use its ▶ Run button.');
      return undefined;
    }
    return fn(vscode.Uri.parse(a.uri), a);
  };

  const refresh = () => {
    lenses.refresh();
    view.refresh();
    marks.refresh();
  };
  for (const doc of vscode.workspace.textDocuments) diagnostics.update(doc);

  const disposable = vscode.Disposable.from(
    documents,
    runs,
    lenses,
    view,
    diagnostics,
    outputs,
    marks,
    vscode.workspace.registerTextDocumentContentProvider(RUN_OUTPUT_SCHEME, outputs),
    vscode.window.onDidChangeVisibleTextEditors(() => marks.refresh()),
    vscode.languages.registerCodeLensProvider({ language: 'markdown', scheme: 'file' }, lenses),
    vscode.languages.registerCodeActionsProvider({ language: 'markdown' }, new SecretFixProvider(documents), SecretFixProvider.metadata),
    runs.onDidChange(refresh),
    recordManualCommands(runs, documents, log),
    vscode.window.onDidChangeActiveTextEditor((e) => view.track(e?.document)),
    vscode.workspace.onDidOpenTextDocument((d) => diagnostics.update(d)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      diagnostics.clear(d.uri);
      marks.clear(d.uri);
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (!isMarkdown(e.document) || e.contentChanges.length === 0) return;
      diagnostics.schedule(e.document);
      if (e.document === view.current || e.document === vscode.window.activeTextEditor?.document) view.track(e.document);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(refresh),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('preflight.runbooks') && refresh()),
    vscode.commands.registerCommand(Commands.runStep, withStep((uri, a) => thenOffer(uri, runner.runStep(uri, a)))),
    vscode.commands.registerCommand(Commands.markStepDone, withStep((uri, a) => runner.markDone(uri, a))),
    vscode.commands.registerCommand(Commands.runBlock, (arg: unknown) => {
      const a = blockArgs(arg);
      if (!a) {
        void vscode.window.showInformationMessage('Put the cursor in a shell block outside the steps, or use its ▶ Run Block button.');
        return undefined;
      }
      return runner.runBlock(vscode.Uri.parse(a.uri), a);
    }),
    vscode.commands.registerCommand(Commands.convertBlocksToSteps, withUri((uri) => convertBlocksToSteps(uri))),
    vscode.commands.registerCommand(Commands.runNextStep, withUri((uri) => thenOffer(uri, runner.runNext(uri)))),
    vscode.commands.registerCommand(Commands.runAll, withUri((uri) => thenOffer(uri, runner.runAll(uri)))),
    vscode.commands.registerCommand(Commands.stopStep, withUri((uri) => {
      if (!runner.stop(uri)) void vscode.window.showInformationMessage('No step of this runbook is running.');
    })),
    vscode.commands.registerCommand(Commands.resetRunbook, withUri(async (uri) => {
      const pick = await vscode.window.showWarningMessage(
        'Reset this runbook? Every step is unticked and the next step starts a new run. The log of this run is kept.',
        { modal: true },
        'Reset',
      );
      if (pick === 'Reset') await runner.reset(uri);
    })),
    vscode.commands.registerCommand(Commands.exportRunReport, withUri((uri) => exportRunReport(runs.get(uri)))),
    vscode.commands.registerCommand(Commands.revealStep, (arg: unknown) => {
      const a = stepArgs(arg);
      if (a) return revealLine(vscode.Uri.parse(a.uri), a.line);
      return undefined;
    }),
    vscode.commands.registerCommand(Commands.showStepResult, (arg: unknown) => {
      const a = stepArgs(arg) ?? blockArgs(arg);
      return a ? showStepOutput(runs, documents, a) : log.show(true);
    }),
    vscode.commands.registerCommand(Commands.openDemoRunbook, () => openDemoRunbook(context)),
  );
  void openDemoOnStart(context);
  return Object.assign(disposable, {
    setRunPrompts(prompts: RunPrompts | undefined) {
      runner.prompts = prompts ?? inputBoxPrompts;
    },
  });
}

/**
 * Turns each shell block outside the steps (at the top level of the file) into a checkbox step, as
 * an edit in the editor: the operator sees it, can undo it, and saves it. Resolves to the number of
 * blocks converted.
 */
async function convertBlocksToSteps(uri: vscode.Uri): Promise<number> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const edits = blocksToStepsEdits(doc.getText());
  if (edits.length === 0) {
    void vscode.window.showInformationMessage('There is no shell block outside the steps to turn into a step (blocks inside lists and quotes stay as they are).');
    return 0;
  }
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) we.insert(uri, doc.positionAt(e.offset), e.newText);
  if (!(await vscode.workspace.applyEdit(we))) return 0;
  await vscode.window.showTextDocument(doc, { preview: false });
  const count = edits.filter((e) => e.newText.startsWith('- [ ] ')).length;
  void vscode.window.showInformationMessage(`${count} ${count === 1 ? 'block is' : 'blocks are'} now checkbox steps. Save the file to keep them.`);
  return count;
}
