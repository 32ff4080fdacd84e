import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import {
  excludedFromRunAll,
  isGated,
  looseSteps,
  mainSteps,
  maskSecrets,
  missingVariables,
  prepareStep,
  runbookDirectory,
  stepEndRecord,
  stepTitle,
  stepVariables,
  type Runbook,
  type Step,
  type StepStatus,
} from '../core/runbook';
import type { Logger } from '../core/log';
import type { ApprovalGate } from './approvalGate';
import { findStep, RunbookDocuments, runbookTitle } from './documents';
import { runAsProcess, runInTerminal, type BlockExecution, type BlockOutcome } from './executor';
import type { ManualDecision, RunPrompts } from './prompts';
import { setCheckboxes } from './fileEdits';
import { RunRegistry, stepRef, type RunbookRun } from './runState';
import { runbookSettings } from '../common/settings';
import { baseDirFor } from '../common/workspace';

export interface StepRunResult {
  status: StepStatus | 'cancelled' | 'declined' | 'blocked';
  exitCode?: number | null;
  /** The step passed but its box could not be ticked safely (the runbook changed while it ran). */
  tickRefused?: boolean;
}

interface Loaded {
  doc: vscode.TextDocument;
  rb: Runbook;
  /** The text `rb` was parsed from. */
  snapshot: string;
}

/** Runs runbook steps: the one place that decides what a Run, Run All, Stop or Reset does. */
export class RunbookRunner {
  prompts: RunPrompts;
  /** Checked before a gated step; without it a gated step never runs. */
  gate: ApprovalGate | undefined;

  constructor(
    private readonly documents: RunbookDocuments,
    private readonly runs: RunRegistry,
    private readonly log: vscode.LogOutputChannel & Logger,
    prompts: RunPrompts,
  ) {
    this.prompts = prompts;
  }

  /** Nothing runs in Restricted Mode; says why and offers to manage trust. */
  private checkTrust(): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window
      .showWarningMessage(
        'Preflight runs no runbook step in Restricted Mode: this workspace is not trusted. Trust the workspace to run steps.',
        'Manage Workspace Trust',
      )
      .then((pick) => pick && vscode.commands.executeCommand('workbench.trust.manage'));
    return false;
  }

  private async load(uri: vscode.Uri): Promise<Loaded> {
    const doc = await vscode.workspace.openTextDocument(uri);
    return { doc, rb: this.documents.get(doc), snapshot: doc.getText() };
  }

  /** The run this window may write to, when no step of it runs; else what the step's run comes to. */
  private async idleRun(uri: vscode.Uri): Promise<RunbookRun | StepRunResult> {
    const run = await this.writableRun(uri);
    if (!run) return { status: 'cancelled' };
    if (!run.running) return run;
    void vscode.window.showWarningMessage('A step of this runbook is already running. Stop it first.');
    return { status: 'blocked' };
  }

  /**
   * The run this window may write to. A run restored from the log that another live process
   * (another window, the CLI) still holds is not taken over: the operator may start a new one.
   */
  private async writableRun(uri: vscode.Uri): Promise<RunbookRun | undefined> {
    const run = this.runs.get(uri);
    run.refreshHolder();
    if (!run.heldBy) return run;
    if (!(await this.prompts.startNewRun(run.heldBy))) return undefined;
    run.detach();
    return run;
  }

  async runStep(uri: vscode.Uri, ref: { line?: number; key?: string }): Promise<StepRunResult> {
    if (!this.checkTrust()) return { status: 'blocked' };
    const loaded = await this.load(uri);
    const step = findStep(loaded.rb, ref);
    if (!step) {
      void vscode.window.showErrorMessage('That step is no longer in the runbook. Save the file and try again.');
      return { status: 'cancelled' };
    }
    const run = await this.idleRun(uri);
    if ('status' in run) return run;
    if (!(await this.passesGate(loaded, step, run))) return { status: 'blocked' };
    if (step.manual) return this.manualStep(loaded, step, run);
    return this.execute(loaded, step, run);
  }

  /**
   * Runs a shell block outside any step (▶ Run Block): like a step, recorded like one, but there is
   * no box to tick.
   */
  async runBlock(uri: vscode.Uri, ref: { line?: number; key?: string }): Promise<StepRunResult> {
    if (!this.checkTrust()) return { status: 'blocked' };
    const loaded = await this.load(uri);
    const blocks = looseSteps(loaded.rb);
    const block = (ref.key !== undefined ? blocks.find((b) => b.key === ref.key && (ref.line === undefined || b.line === ref.line)) : undefined) ?? blocks.find((b) => b.line === ref.line) ?? (ref.key !== undefined ? blocks.find((b) => b.key === ref.key) : undefined);
    if (!block) {
      void vscode.window.showErrorMessage('That block is no longer in the file. Save the file and try again.');
      return { status: 'cancelled' };
    }
    const run = await this.idleRun(uri);
    if ('status' in run) return run;
    if (!(await this.passesGate(loaded, block, run))) return { status: 'blocked' };
    return this.execute(loaded, block, run);
  }

  /** The approval gate before a gated step (approvalGate.ts); a step the runbook blocks is refused later. */
  private passesGate(loaded: Loaded, step: Step, run: RunbookRun): Promise<boolean> {
    if (step.blockers.length || !isGated(loaded.rb, step)) return Promise.resolve(true);
    if (!this.gate) return Promise.resolve(false);
    const ensureRun = () => this.ensureRun(run, runbookTitle(loaded.rb, loaded.doc.uri), this.workingDirectory(loaded.doc.uri, loaded.rb));
    return this.gate.allow(step, { ...loaded, run, ensureRun, prompts: this.prompts });
  }

  private workingDirectory(uri: vscode.Uri, rb: Runbook): string {
    const folder = baseDirFor(uri);
    return runbookDirectory(rb.meta, { workspace: folder, document: path.dirname(uri.fsPath) });
  }

  private async ensureRun(run: RunbookRun, title: string, cwd: string): Promise<void> {
    if (!run.active) await run.start(title, cwd);
    else await run.claim(cwd);
  }

  /** Refuses a step whose meaning the runbook leaves ambiguous, saying why. */
  private async refuseBlocked(loaded: Loaded, step: Step, run: RunbookRun): Promise<StepRunResult> {
    const reasons = step.blockers;
    this.log.warn(`Step "${step.text}" not run: ${reasons.join('; ')}`);
    if (run.active) {
      await run.claim(this.workingDirectory(loaded.doc.uri, loaded.rb));
      run.append({ type: 'step-blocked', step: stepRef(step), reasons });
    }
    void vscode.window
      .showErrorMessage(`Step "${step.text}" was not run: ${reasons[0]}${reasons.length > 1 ? ` (and ${reasons.length - 1} more)` : ''}. Fix the runbook first; the problems are in the Problems panel.`, 'Show Step')
      .then((pick) => pick && revealLine(loaded.doc.uri, step.line));
    this.runs.changed(loaded.doc.uri);
    return { status: 'blocked' };
  }

  private async execute(loaded: Loaded, step: Step, run: RunbookRun): Promise<StepRunResult> {
    const { doc, rb, snapshot } = loaded;
    if (step.blockers.length) return this.refuseBlocked(loaded, step, run);
    const title = runbookTitle(rb, doc.uri);
    // Variables: asked when a step that uses them first runs; secrets in a password box, kept in memory only.
    for (const spec of missingVariables(stepVariables(rb.meta, step), run.values)) {
      const value = await this.prompts.variable(spec, title);
      if (value === undefined) return { status: 'cancelled' };
      run.values.set(spec.name, value);
    }
    const prepared = prepareStep(rb.meta, step, run.values);
    const { blocks: prepBlocks, plainEnv, secretEnv, secrets } = prepared;
    const blocks = prepBlocks.map((b) => b.block);

    const baseCwd = this.workingDirectory(doc.uri, rb);
    for (const dir of [baseCwd, ...blocks.flatMap((b) => (b.attrs.cwd ? [path.resolve(baseCwd, b.attrs.cwd)] : []))]) {
      if (!isDirectory(dir)) {
        void vscode.window.showErrorMessage(`Step "${step.text}" was not run: its working directory ${dir} does not exist.`);
        return { status: 'cancelled' };
      }
    }
    await this.ensureRun(run, title, baseCwd);
    for (const { block, display } of prepBlocks) {
      if (!block.attrs.confirm) continue;
      const accepted = await this.prompts.confirm(block.attrs.confirm, step.text, display);
      run.append({ type: 'confirm', step: stepRef(step), accepted });
      if (!accepted) {
        this.log.info(`Step "${step.text}" not run: the confirmation word was not typed.`);
        return { status: 'declined' };
      }
    }

    const config = runbookSettings(doc.uri);
    const shell = rb.meta.shell || config.shell;
    const waitMs = config.shellIntegrationTimeout;
    const outputLimit = config.outputLimit;
    run.append({ type: 'step-start', step: stepRef(step, stepTitle(rb.meta, step.text, run.values)), command: prepared.command });
    this.log.info(`Run step "${step.text}" (${path.basename(doc.uri.fsPath)}:${step.line + 1})`);

    const started = Date.now();
    let current: BlockExecution | undefined;
    let stopped = false;
    run.running = {
      key: step.key,
      started,
      stop: () => {
        stopped = true;
        current?.stop();
      },
    };
    let outcome: BlockOutcome = { status: 'passed', exitCode: 0, output: '' };
    let output = '';
    try {
      for (const { block, script } of prepBlocks) {
        if (stopped) break;
        const req = {
          code: script,
          title,
          label: step.name ?? step.text,
          baseCwd,
          cwd: block.attrs.cwd,
          timeout: block.attrs.timeout,
          interactive: block.attrs.interactive,
          shell,
          env: { ...plainEnv, PREFLIGHT_RUNBOOK: doc.uri.fsPath, PREFLIGHT_STEP: step.text },
          secrets: secretEnv,
        };
        current = (req.interactive ? await runInTerminal(run, req, this.log, waitMs) : undefined) ?? runAsProcess(run, req);
        // Stop may come while the terminal was still starting.
        if (stopped) current.stop();
        outcome = await current.done;
        output += outcome.output;
        if (outcome.error) this.log.warn(`Step "${step.text}": ${maskSecrets(outcome.error, secrets)}`);
        if (outcome.status !== 'passed') break;
      }
    } finally {
      run.running = undefined;
    }
    const status: StepStatus = stopped && outcome.status === 'passed' ? 'stopped' : outcome.status;
    const durationMs = Date.now() - started;
    run.append(stepEndRecord(step, { status, exitCode: outcome.exitCode, durationMs, output }, secrets, outputLimit));
    this.log.info(`Step "${step.text}" ${status}${outcome.exitCode !== null ? ` (exit ${outcome.exitCode})` : ''} in ${durationMs} ms`);

    let tickRefused = false;
    if (status === 'passed') {
      // A block outside the steps has no box.
      if (!step.loose) tickRefused = !(await this.setChecked(doc.uri, step, snapshot, true, run));
    } else {
      this.offerRollback(doc.uri, step, run, status, outcome.exitCode);
    }
    return { status, exitCode: outcome.exitCode, tickRefused };
  }

  /**
   * Ticks or unticks a step with a one-character edit, and records the tick. False when the step
   * could not be found safely in the runbook as it is now (it was edited while the step ran).
   */
  private async setChecked(uri: vscode.Uri, step: Step, snapshot: string, checked: boolean, run: RunbookRun): Promise<boolean> {
    const { changed, refused } = await setCheckboxes(uri, [{ step, snapshot, checked }]);
    if (changed.length && run.active) run.append({ type: 'tick', step: stepRef(changed[0]), checked });
    for (const r of refused) {
      this.log.warn(`Step "${r.step.text}": its box was not ${checked ? 'ticked' : 'unticked'}: ${r.reason}.`);
      void vscode.window
        .showWarningMessage(`Step "${r.step.text}" ${checked ? 'passed, but its box was not ticked' : 'was not unticked'}: ${r.reason}. Check the runbook and ${checked ? 'tick' : 'untick'} it by hand if that is right.`, 'Show Step')
        .then((pick) => pick && revealLine(uri, r.step.line));
    }
    return refused.length === 0;
  }

  private offerRollback(uri: vscode.Uri, step: Step, run: RunbookRun, status: StepStatus, exitCode: number | null): void {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const rb = doc ? this.documents.get(doc) : undefined;
    const rollback = rb?.steps.find((s) => s.rollback);
    const what = status === 'timed-out' ? 'timed out' : status === 'stopped' ? 'was stopped' : `failed${exitCode !== null ? ` (exit ${exitCode})` : ''}`;
    const actions = rollback ? ['Open Rollback', 'Show Log'] : ['Show Log'];
    if (rollback) run.append({ type: 'rollback-offer', step: stepRef(step) });
    void vscode.window
      .showWarningMessage(`Step "${step.text}" ${what}.${rollback ? ' The runbook has a Rollback section.' : ''}`, ...actions)
      .then((pick) => {
        if (pick === 'Open Rollback' && rollback) void revealLine(uri, rollback.line);
        if (pick === 'Show Log') this.log.show(true);
      });
  }

  /** Marks a manual step done because the operator said so (its ✓ Mark done button or command). */
  async markDone(uri: vscode.Uri, ref: { line?: number; key?: string }): Promise<StepRunResult> {
    if (!this.checkTrust()) return { status: 'blocked' };
    const loaded = await this.load(uri);
    const step = findStep(loaded.rb, ref);
    if (!step) return { status: 'cancelled' };
    const run = await this.writableRun(uri);
    if (!run) return { status: 'cancelled' };
    return this.recordManualDone(loaded, step, run);
  }

  private async recordManualDone(loaded: Loaded, step: Step, run: RunbookRun): Promise<StepRunResult> {
    const uri = loaded.doc.uri;
    await this.ensureRun(run, runbookTitle(loaded.rb, uri), this.workingDirectory(uri, loaded.rb));
    run.append({ type: 'manual-done', step: stepRef(step) });
    run.append({ type: 'step-end', step: stepRef(step), exitCode: null, status: 'passed', durationMs: 0, output: '' });
    const ticked = await this.setChecked(uri, step, loaded.snapshot, true, run);
    return { status: 'passed', tickRefused: !ticked };
  }

  /**
   * A manual step reached by Run, Run Next or Run All: it is done only when the operator says
   * so. Mark done, skip (recorded, not ticked) or stop, and the log says which.
   */
  private async manualStep(loaded: Loaded, step: Step, run: RunbookRun): Promise<StepRunResult> {
    const uri = loaded.doc.uri;
    await revealLine(uri, step.line);
    const decision: ManualDecision = (await this.prompts.manualStep(step.text, runbookTitle(loaded.rb, uri))) ?? 'stop';
    await this.ensureRun(run, runbookTitle(loaded.rb, uri), this.workingDirectory(uri, loaded.rb));
    run.append({ type: 'manual-prompt', step: stepRef(step), decision });
    this.log.info(`Manual step "${step.text}": ${decision === 'done' ? 'marked done' : decision === 'skip' ? 'skipped' : 'stopped here'}`);
    if (decision === 'done') return this.recordManualDone(loaded, step, run);
    if (decision === 'skip') {
      run.append({ type: 'step-end', step: stepRef(step), exitCode: null, status: 'skipped', durationMs: 0, output: '' });
      return { status: 'skipped' };
    }
    return { status: 'cancelled' };
  }

  /** The first step outside the Rollback section that is neither ticked nor skipped in this run. */
  nextStep(rb: Runbook, run: RunbookRun): Step | undefined {
    return mainSteps(rb).find((s) => !s.checked && run.results.get(s.key)?.status !== 'skipped');
  }

  async runNext(uri: vscode.Uri): Promise<StepRunResult> {
    const { rb } = await this.load(uri);
    const next = this.nextStep(rb, this.runs.get(uri));
    if (!next) {
      void vscode.window.showInformationMessage('Every step of this runbook is done.');
      return { status: 'cancelled' };
    }
    return this.runStep(uri, { line: next.line, key: next.key });
  }

  /**
   * Runs the unticked steps in order. Stops at the first failure, asks at every manual step
   * (Mark done / Skip / Stop) and at every confirm step.
   */
  async runAll(uri: vscode.Uri): Promise<StepRunResult> {
    if (!this.checkTrust()) return { status: 'blocked' };
    let last: StepRunResult = { status: 'passed' };
    const done = new Set<string>();
    for (;;) {
      const { rb } = await this.load(uri);
      const run = this.runs.get(uri);
      const step = mainSteps(rb).find(
        (s) => !s.checked && !done.has(s.key) && run.results.get(s.key)?.status !== 'skipped' && !excludedFromRunAll(s),
      );
      if (!step) break;
      done.add(step.key);
      last = await this.runStep(uri, { line: step.line, key: step.key });
      if (last.status === 'skipped') continue;
      if (last.status !== 'passed' || last.tickRefused) return last;
    }
    return last;
  }

  stop(uri: vscode.Uri): boolean {
    const run = this.runs.get(uri);
    if (!run.running) return false;
    run.running.stop();
    return true;
  }

  /** Unticks every step (one character each) and starts a new run. */
  async reset(uri: vscode.Uri): Promise<void> {
    const run = this.runs.get(uri);
    run.running?.stop();
    const { rb, snapshot } = await this.load(uri);
    await setCheckboxes(uri, rb.steps.filter((s) => s.checked).map((step) => ({ step, snapshot, checked: false })));
    run.refreshHolder();
    if (run.heldBy) run.detach();
    else run.reset();
  }
}

function isDirectory(dir: string): boolean {
  try {
    return existsSync(dir) && statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

export async function revealLine(uri: vscode.Uri, line: number): Promise<void> {
  const editor = await vscode.window.showTextDocument(uri, { preserveFocus: false, preview: false });
  const pos = new vscode.Position(line, 0);
  editor.selection = new vscode.Selection(pos, pos);
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
