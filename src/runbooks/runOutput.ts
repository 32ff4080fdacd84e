import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { looseSteps, parseLog, stepOutput, stepTitle, type Runbook, type Step, type StepResult } from '../core/runbook';
import { isMarkdown, RunbookDocuments } from './documents';
import type { StepArgs } from './present';
import type { RunRegistry } from './runState';

/** The scheme of the read-only documents that show a step's output from the run log. */
export const RUN_OUTPUT_SCHEME = 'preflight-run';

function failed(r: StepResult | undefined): boolean {
  return r?.status === 'failed' || r?.status === 'timed-out';
}

/**
 * `preflight-run:` documents: the output of a step's last run, read from the run log of the
 * runbook named in the query. Only the log of a runbook Preflight tracks is read, never a path
 * taken from the URI.
 */
export class RunOutputProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly runs: RunRegistry) {}

  /** The document for a step's result: `preflight-run:/<runbook> · <step>.log?<runbook uri, key, end time>`. */
  static uri(runbook: vscode.Uri, title: string, key: string, endTime: string): vscode.Uri {
    const name = `${path.basename(runbook.fsPath)} · ${title}`.replace(/[\\/\u0000-\u001f]+/g, ' ').slice(0, 120);
    const query = new URLSearchParams({ runbook: runbook.toString(), key, end: endTime }).toString();
    return vscode.Uri.from({ scheme: RUN_OUTPUT_SCHEME, path: `/${name}.log`, query });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const q = new URLSearchParams(uri.query);
    const runbook = q.get('runbook');
    const key = q.get('key');
    if (!runbook || !key) return 'This output link is incomplete.\n';
    const file = this.runs.get(vscode.Uri.parse(runbook)).logFile;
    if (!file || !existsSync(file)) return 'The run log of this runbook is not there any more.\n';
    const out = stepOutput(parseLog(readFileSync(file, 'utf8')).events, key, q.get('end') ?? undefined);
    return out ? out.text : 'The run log has no result for this step.\n';
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** Opens the output of the step's last run in a read-only editor beside the runbook. */
export async function showStepOutput(runs: RunRegistry, documents: RunbookDocuments, a: StepArgs): Promise<vscode.TextEditor | undefined> {
  const uri = vscode.Uri.parse(a.uri);
  const run = runs.get(uri);
  const result = run.results.get(a.key);
  if (run.running?.key === a.key) {
    run.terminal?.show(true);
    if (!run.terminal) void vscode.window.showInformationMessage('The step is still running: its output shows in the runbook terminal, and here once it ends.');
    return undefined;
  }
  if (!result || !run.logFile) {
    void vscode.window.showInformationMessage('This step has no recorded output in the current run.');
    return undefined;
  }
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === a.uri);
  const rb = doc ? documents.get(doc) : undefined;
  const step = rb ? [...rb.steps, ...looseSteps(rb)].find((s) => s.key === a.key) : undefined;
  const title = step && rb ? stepTitle(rb.meta, step.text, run.values) : a.key;
  // The step stays in view beside its output (the status bar opens it from anywhere in the file).
  if (step) {
    const at = new vscode.Range(step.line, 0, step.line, 0);
    for (const e of vscode.window.visibleTextEditors) if (e.document.uri.toString() === a.uri) e.revealRange(at, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
  const output = await vscode.workspace.openTextDocument(RunOutputProvider.uri(uri, title, a.key, result.time));
  return vscode.window.showTextDocument(output, { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: false });
}

/**
 * Makes failures stand out and keeps the step in view: the failed step's lines in the error
 * colour (and in the overview ruler), a Problems entry on it, and the editor scrolled to the step
 * that is running or has just failed.
 */
export class FailureMarks implements vscode.Disposable {
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('inputValidation.errorBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorError.foreground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly problems = vscode.languages.createDiagnosticCollection('preflight-runs');
  /** What was last seen per runbook: the running step and the latest failure, to reveal each once. */
  private readonly seen = new Map<string, { running?: string; failure?: string; failureAt?: number }>();
  /** The failure last revealed in each editor. */
  private readonly revealed = new WeakMap<vscode.TextEditor, string>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  /** Editors just scrolled to a step, kept there while the workbench settles (see reveal). */
  private readonly holds = new Map<vscode.TextEditor, { range: vscode.Range; until: number; left: number }>();
  private readonly listeners: vscode.Disposable[];
  /** When each editor came into view: only an editor that has just opened may still be scrolled by the workbench. */
  private readonly shownAt = new WeakMap<vscode.TextEditor, number>();

  constructor(
    private readonly documents: RunbookDocuments,
    private readonly runs: RunRegistry,
  ) {
    // At activation the editors in view may have just opened (the file that activated the extension).
    for (const editor of vscode.window.visibleTextEditors) this.shownAt.set(editor, Date.now());
    this.listeners = [
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const editor of editors) if (!this.shownAt.has(editor)) this.shownAt.set(editor, Date.now());
      }),
      // A scroll that takes the step out of view right after the reveal (the workbench giving a reopened
      // file its saved position back) is undone, a few times at most, for a few seconds.
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => {
        const hold = this.holds.get(e.textEditor);
        if (!hold) return;
        if (Date.now() > hold.until || hold.left <= 0) {
          this.holds.delete(e.textEditor);
          return;
        }
        if (e.visibleRanges.some((r) => r.contains(hold.range))) return;
        hold.left--;
        e.textEditor.revealRange(hold.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      }),
      // The operator moving the cursor has taken over.
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.kind === vscode.TextEditorSelectionChangeKind.Keyboard || e.kind === vscode.TextEditorSelectionChangeKind.Mouse) this.holds.delete(e.textEditor);
      }),
    ];
  }

  /** Redraws every visible runbook editor and the Problems entries of open runbooks. */
  refresh(): void {
    for (const doc of vscode.workspace.textDocuments) if (isMarkdown(doc) && doc.uri.scheme === 'file') this.update(doc);
  }

  private update(doc: vscode.TextDocument): void {
    const rb = this.documents.get(doc);
    const run = this.runs.get(doc.uri);
    const steps = [...rb.steps, ...looseSteps(rb)];
    const failures = steps.filter((s) => !s.checked && failed(run.results.get(s.key)) && run.running?.key !== s.key);
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document !== doc) continue;
      editor.setDecorations(this.decoration, failures.map((s) => new vscode.Range(s.line, 0, Math.max(s.line, s.endLine - 1), 0)));
    }
    this.problems.set(doc.uri, failures.map((s) => this.problem(rb, s, run.results.get(s.key)!, run.values)));
    this.reveal(doc, rb, failures, run.running?.key, run.results);
  }

  private problem(rb: Runbook, step: Step, r: StepResult, values: ReadonlyMap<string, string>): vscode.Diagnostic {
    const what = r.status === 'timed-out' ? 'timed out' : r.exitCode !== null ? `failed with exit code ${r.exitCode}` : 'failed';
    const d = new vscode.Diagnostic(new vscode.Range(step.line, 0, step.line, Number.MAX_SAFE_INTEGER), `Step "${stepTitle(rb.meta, step.text, values)}" ${what} (${r.time}). Its output opens from the ✗ result above the step.`, vscode.DiagnosticSeverity.Error);
    d.source = 'Preflight run';
    d.code = 'step-failed';
    return d;
  }

  /** Scrolls the runbook's visible editor to a step that has just started or just failed. */
  private reveal(doc: vscode.TextDocument, rb: Runbook, failures: Step[], runningKey: string | undefined, results: ReadonlyMap<string, StepResult>): void {
    // A runbook open without an editor in view (opened by a command, or before its editor shows
    // after a reload) reveals nothing yet, and so does not count its failure as seen.
    const editors = vscode.window.visibleTextEditors.filter((e) => e.document === doc);
    if (!editors.length) return;
    const seen = this.seen.get(doc.uri.toString()) ?? {};
    this.seen.set(doc.uri.toString(), seen);
    const now = Date.now();
    let target: Step | undefined;
    if (runningKey && runningKey !== seen.running) target = rb.steps.find((s) => s.key === runningKey);
    seen.running = runningKey;
    const latest = failures.reduce<Step | undefined>((a, s) => (!a || results.get(s.key)!.time > results.get(a.key)!.time ? s : a), undefined);
    const failure = latest ? `${latest.key}\n${results.get(latest.key)!.time}` : undefined;
    if (failure && failure !== seen.failure && !runningKey) {
      target = latest;
      seen.failureAt = now;
    } else if (failure && !runningKey && !target && now - (seen.failureAt ?? 0) < 10_000) {
      // The workbench may replace the editor right after it opened (a window that reloads): a new
      // editor of the runbook shows the failure revealed moments ago too, once.
      const fresh = editors.filter((e) => this.revealed.get(e) !== failure);
      if (fresh.length && latest) {
        seen.failure = failure;
        this.show(fresh, latest, true, now, failure);
      }
      return;
    }
    seen.failure = failure;
    if (!target) return;
    this.show(editors, target, target === latest && !runningKey, now, failure);
  }

  /** Scrolls the editors to the step; a failure in an editor that has just opened is held in view a moment. */
  private show(editors: vscode.TextEditor[], target: Step, isFailure: boolean, now: number, failure: string | undefined): void {
    const range = new vscode.Range(target.line, 0, target.line, 0);
    if (isFailure && failure) for (const e of editors) this.revealed.set(e, failure);
    // Only a failure shown in an editor that has just opened is held (a running step is the operator's doing).
    const fresh = !isFailure ? [] : editors.filter((e) => {
      if (!this.shownAt.has(e)) this.shownAt.set(e, now);
      return now - this.shownAt.get(e)! < 10_000;
    });
    for (const editor of editors) editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    // An editor that has just opened may still get its saved scroll position back after this (a file
    // opened again after a reload): it is kept on the step for a few seconds. An editor in use is not.
    for (const editor of fresh) {
      const hold = { range, until: Date.now() + 6_000, left: 3 };
      this.holds.set(editor, hold);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (this.holds.get(editor) === hold) this.holds.delete(editor);
      }, 6_100);
      this.timers.add(timer);
    }
    // Looked at again a few times in the next seconds too, while it shows.
    if (!fresh.length) return;
    for (const delay of [250, 1000, 3000]) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        for (const editor of fresh) {
          if (!vscode.window.visibleTextEditors.includes(editor) || editor.visibleRanges.some((r) => r.contains(range))) continue;
          editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        }
      }, delay);
      this.timers.add(timer);
    }
  }

  clear(uri: vscode.Uri): void {
    this.problems.delete(uri);
    this.seen.delete(uri.toString());
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.holds.clear();
    for (const l of this.listeners) l.dispose();
    this.decoration.dispose();
    this.problems.dispose();
  }
}
