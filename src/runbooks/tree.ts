import * as vscode from 'vscode';
import { mainSteps, resultLabel, stepTitle, type ManualCommandEvent, type Runbook, type Step, type StepResult } from '../core/runbook';
import { Commands } from '../common/commandIds';
import { isMarkdown, isRunbook, RunbookDocuments, runbookTitle } from './documents';
import { stepState, type StepArgs } from './present';
import type { RunRegistry } from './runState';

type Node = { kind: 'section'; label: string; steps: Step[] } | { kind: 'step'; step: Step } | { kind: 'manual'; commands: readonly ManualCommandEvent[] } | { kind: 'command'; command: ManualCommandEvent };

const ICONS = {
  running: new vscode.ThemeIcon('sync~spin'),
  done: new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  todo: new vscode.ThemeIcon('circle-large-outline'),
};

/**
 * The "Runbook" view and the status-bar item: the steps of the active runbook with their state,
 * "3/12 done" and the next step.
 */
export class RunbookView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly status: vscode.StatusBarItem;
  private doc: vscode.TextDocument | undefined;

  constructor(
    private readonly documents: RunbookDocuments,
    private readonly runs: RunRegistry,
  ) {
    this.view = vscode.window.createTreeView('preflight.runbook', { treeDataProvider: this, showCollapseAll: false });
    this.status = vscode.window.createStatusBarItem('preflight.runbook', vscode.StatusBarAlignment.Left, 50);
    this.status.name = 'Preflight Runbook';
    this.track(vscode.window.activeTextEditor?.document);
  }

  /** Follows the active editor when it shows a runbook. */
  track(doc: vscode.TextDocument | undefined): void {
    if (doc && isMarkdown(doc) && doc.uri.scheme === 'file' && isRunbook(this.documents.get(doc))) this.doc = doc;
    else if (doc && isMarkdown(doc)) this.doc = undefined;
    this.refresh();
  }

  get current(): vscode.TextDocument | undefined {
    return this.doc && !this.doc.isClosed ? this.doc : undefined;
  }

  refresh(): void {
    this.changeEmitter.fire(undefined);
    this.updateHeader();
  }

  private runbook(): Runbook | undefined {
    return this.current ? this.documents.get(this.current) : undefined;
  }

  private updateHeader(): void {
    const rb = this.runbook();
    const doc = this.current;
    void vscode.commands.executeCommand('setContext', 'preflight.hasRunbook', !!rb);
    if (!rb || !doc) {
      this.view.description = undefined;
      this.view.message = 'Open a runbook: a markdown file whose task-list items have shell code blocks.';
      this.status.hide();
      return;
    }
    const main = mainSteps(rb);
    const done = main.filter((s) => s.checked).length;
    const next = main.find((s) => !s.checked);
    this.view.message = undefined;
    this.view.title = 'Runbook';
    this.view.description = `${runbookTitle(rb, doc.uri)} · ${done}/${main.length} done`;
    const run = this.runs.get(doc.uri);
    const running = run.running;
    const failure = running ? undefined : latestFailure(rb, run.results);
    if (failure) {
      // A failed step is what the operator needs to see first: its output is one click away.
      this.status.text = `$(error) ${done}/${main.length} · failed: ${truncate(stepTitle(rb.meta, failure.text, run.values), 40)}`;
      this.status.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      this.status.tooltip = `${runbookTitle(rb, doc.uri)}: click to show the output of the failed step`;
      this.status.command = { title: 'Show Step Result', command: Commands.showStepResult, arguments: [{ uri: doc.uri.toString(), line: failure.line, key: failure.key } satisfies StepArgs] };
      this.status.show();
      return;
    }
    this.status.backgroundColor = undefined;
    this.status.text = `${running ? '$(sync~spin)' : '$(checklist)'} ${done}/${main.length}${next ? ` · Next: ${truncate(stepTitle(rb.meta, next.text, run.values), 40)}` : ' · all done'}`;
    this.status.tooltip = next ? `${runbookTitle(rb, doc.uri)}: click to show the next step` : `${runbookTitle(rb, doc.uri)}: every step is done`;
    this.status.command = next
      ? { title: 'Show Next Step', command: Commands.revealStep, arguments: [{ uri: doc.uri.toString(), line: next.line, key: next.key } satisfies StepArgs] }
      : undefined;
    this.status.show();
  }

  getChildren(node?: Node): Node[] {
    const rb = this.runbook();
    if (!rb) return [];
    if (node?.kind === 'section') return node.steps.map((step) => ({ kind: 'step', step }));
    if (node?.kind === 'manual') return node.commands.map((command) => ({ kind: 'command', command }));
    if (node) return [];
    const main: Node[] = mainSteps(rb).map((step) => ({ kind: 'step', step }));
    const rollback = rb.steps.filter((s) => s.rollback);
    const manual = this.current ? this.runs.get(this.current.uri).manualCommands : [];
    return [...main, ...(rollback.length ? [{ kind: 'section' as const, label: 'Rollback', steps: rollback }] : []), ...(manual.length ? [{ kind: 'manual' as const, commands: manual }] : [])];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'manual') {
      const item = new vscode.TreeItem('Manual interventions', vscode.TreeItemCollapsibleState.Expanded);
      item.description = `${node.commands.length} typed by hand`;
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      item.contextValue = 'manual';
      return item;
    }
    if (node.kind === 'command') {
      const { command: c } = node;
      const item = new vscode.TreeItem(c.command, vscode.TreeItemCollapsibleState.None);
      item.description = c.exitCode === null ? 'no exit code' : `exit ${c.exitCode}`;
      item.tooltip = `${c.command}\n${c.time}${c.cwd ? ` in ${c.cwd}` : ''}`;
      item.iconPath = new vscode.ThemeIcon('terminal');
      item.contextValue = 'manual.command';
      return item;
    }
    if (node.kind === 'section') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
      item.iconPath = new vscode.ThemeIcon('history');
      item.contextValue = 'section';
      return item;
    }
    const doc = this.current!;
    const run = this.runs.get(doc.uri);
    const { step } = node;
    const result = run.results.get(step.key);
    const state = stepState(step, result, run.running?.key);
    const title = stepTitle(this.runbook()!.meta, step.text, run.values);
    const item = new vscode.TreeItem(title || '(untitled step)', vscode.TreeItemCollapsibleState.None);
    item.id = `${doc.uri.toString()}#${step.key}`;
    item.iconPath = ICONS[state];
    item.description = [step.manual ? 'manual' : undefined, result ? resultLabel(result) : undefined].filter(Boolean).join(' · ');
    item.tooltip = new vscode.MarkdownString(`**${title}**\n\nLine ${step.line + 1}${step.heading ? ` · ${step.heading}` : ''}`);
    item.accessibilityInformation = { label: `${title}, ${state}${result ? `, ${resultLabel(result)}` : ''}` };
    item.contextValue = state === 'running' ? 'step.running' : step.manual ? 'step.manual' : 'step.runnable';
    const args: StepArgs = { uri: doc.uri.toString(), line: step.line, key: step.key };
    item.command = { title: 'Show Step', command: Commands.revealStep, arguments: [args] };
    return item;
  }

  dispose(): void {
    this.view.dispose();
    this.status.dispose();
    this.changeEmitter.dispose();
  }
}

/** Of the unticked steps whose last run failed or timed out, the one that ended last. */
function latestFailure(rb: Runbook, results: ReadonlyMap<string, StepResult>): Step | undefined {
  let latest: { step: Step; time: string } | undefined;
  for (const step of rb.steps) {
    const r = results.get(step.key);
    if (!r || step.checked || (r.status !== 'failed' && r.status !== 'timed-out')) continue;
    if (!latest || r.time > latest.time) latest = { step, time: r.time };
  }
  return latest?.step;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
