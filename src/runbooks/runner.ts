import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import {
  capOutput,
  expandForDisplay,
  mainSteps,
  maskSecrets,
  missingVariables,
  buildEnv,
  secretValues,
  type Runbook,
  type Step,
  type StepStatus,
} from '../core/runbook';
import type { Logger } from '../core/log';
import { findStep, RunbookDocuments, runbookTitle } from './documents';
import { runAsProcess, runInTerminal, type BlockExecution, type BlockOutcome } from './executor';
import type { RunPrompts } from './prompts';
import { setCheckboxes } from './fileEdits';
import { RunRegistry, stepRef, type RunbookRun } from './runState';

export interface StepRunResult {
  status: StepStatus | 'cancelled' | 'declined' | 'blocked';
  exitCode?: number | null;
}

/** Runs runbook steps: the one place that decides what a Run, Run All, Stop or Reset does. */
export class RunbookRunner {
  prompts: RunPrompts;

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

  private async load(uri: vscode.Uri): Promise<{ doc: vscode.TextDocument; rb: Runbook }> {
    const doc = await vscode.workspace.openTextDocument(uri);
    return { doc, rb: this.documents.get(doc) };
  }

  async runStep(uri: vscode.Uri, ref: { line?: number; key?: string }): Promise<StepRunResult> {
    if (!this.checkTrust()) return { status: 'blocked' };
    const { doc, rb } = await this.load(uri);
    const step = findStep(rb, ref);
    if (!step) {
      void vscode.window.showErrorMessage('That step is no longer in the runbook. Save the file and try again.');
      return { status: 'cancelled' };
    }
    if (step.manual) return this.markDone(uri, ref);
    const run = this.runs.get(uri);
    if (run.running) {
      void vscode.window.showWarningMessage('A step of this runbook is already running. Stop it first.');
      return { status: 'blocked' };
    }
    return this.execute(doc, rb, step, run);
  }

  private workingDirectory(uri: vscode.Uri, rb: Runbook): string {
    const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(uri.fsPath);
    return rb.meta.cwd ? path.resolve(folder, rb.meta.cwd) : folder;
  }

  private async execute(doc: vscode.TextDocument, rb: Runbook, step: Step, run: RunbookRun): Promise<StepRunResult> {
    const title = runbookTitle(rb, doc.uri);
    // Variables: asked once per run, secrets in a password box and kept in memory only.
    for (const spec of missingVariables(rb.meta, run.values)) {
      const value = await this.prompts.variable(spec, title);
      if (value === undefined) return { status: 'cancelled' };
      run.values[spec.name] = value;
    }
    const env = buildEnv(rb.meta, run.values);
    const secrets = secretValues(rb.meta, run.values);
    const secretNames = rb.meta.variables.filter((v) => v.secret).map((v) => v.name);
    const blocks = step.commands.filter((c) => c.runnable);
    const display = blocks.map((b) => expandForDisplay(b.code, env, secretNames)).join('\n');
    const baseCwd = this.workingDirectory(doc.uri, rb);
    if (!existsSync(baseCwd)) {
      void vscode.window.showErrorMessage(`The runbook's working directory does not exist: ${baseCwd}`);
      return { status: 'cancelled' };
    }
    if (!run.active) await run.start(title, baseCwd);
    for (const block of blocks) {
      if (!block.attrs.confirm) continue;
      const accepted = await this.prompts.confirm(block.attrs.confirm, step.text, expandForDisplay(block.code, env, secretNames));
      run.append({ type: 'confirm', step: stepRef(step), accepted });
      if (!accepted) {
        this.log.info(`Step "${step.text}" not run: the confirmation word was not typed.`);
        this.runs.changed(doc.uri);
        return { status: 'declined' };
      }
    }

    const shell = rb.meta.shell || vscode.workspace.getConfiguration('preflight.runbooks', doc.uri).get<string>('shell') || 'bash';
    const waitMs = vscode.workspace.getConfiguration('preflight.runbooks', doc.uri).get<number>('shellIntegrationTimeout') ?? 5000;
    const outputLimit = vscode.workspace.getConfiguration('preflight.runbooks', doc.uri).get<number>('outputLimit') ?? 65536;
    run.append({ type: 'step-start', step: stepRef(step), command: maskSecrets(display, secrets) });
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
    this.runs.changed(doc.uri);
    let outcome: BlockOutcome = { status: 'passed', exitCode: 0, output: '' };
    let output = '';
    try {
      for (const block of blocks) {
        if (stopped) break;
        const req = {
          code: block.code,
          title,
          label: step.name ?? step.text,
          baseCwd,
          cwd: block.attrs.cwd,
          timeout: block.attrs.timeout,
          interactive: block.attrs.interactive,
          shell,
          env: { ...env, PREFLIGHT_RUNBOOK: doc.uri.fsPath, PREFLIGHT_STEP: step.text },
        };
        current = (req.interactive ? await runInTerminal(run, req, this.log, waitMs) : undefined) ?? runAsProcess(run, req);
        // Stop may come while the terminal was still starting.
        if (stopped) current.stop();
        outcome = await current.done;
        output += outcome.output;
        if (outcome.error) this.log.warn(`Step "${step.text}": ${outcome.error}`);
        if (outcome.status !== 'passed') break;
      }
    } finally {
      run.running = undefined;
    }
    const status: StepStatus = stopped && outcome.status === 'passed' ? 'stopped' : outcome.status;
    const durationMs = Date.now() - started;
    run.append({
      type: 'step-end',
      step: stepRef(step),
      exitCode: outcome.exitCode,
      status,
      durationMs,
      output: capOutput(maskSecrets(output, secrets), outputLimit),
    });
    this.log.info(`Step "${step.text}" ${status}${outcome.exitCode !== null ? ` (exit ${outcome.exitCode})` : ''} in ${durationMs} ms`);

    if (status === 'passed') {
      await this.setChecked(doc.uri, step, true, run);
    } else {
      this.offerRollback(doc.uri, step, run, status, outcome.exitCode);
    }
    this.runs.changed(doc.uri);
    return { status, exitCode: outcome.exitCode };
  }

  /** Ticks or unticks a step with a one-character edit, and records the tick. */
  private async setChecked(uri: vscode.Uri, step: Step, checked: boolean, run: RunbookRun): Promise<void> {
    const changed = await setCheckboxes(uri, [{ step, checked }]);
    if (changed.length && run.active) run.append({ type: 'tick', step: stepRef(changed[0]), checked });
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

  async markDone(uri: vscode.Uri, ref: { line?: number; key?: string }): Promise<StepRunResult> {
    if (!this.checkTrust()) return { status: 'blocked' };
    const { rb } = await this.load(uri);
    const step = findStep(rb, ref);
    if (!step) return { status: 'cancelled' };
    const run = this.runs.get(uri);
    if (!run.active) await run.start(runbookTitle(rb, uri), this.workingDirectory(uri, rb));
    run.append({ type: 'manual-done', step: stepRef(step) });
    run.append({ type: 'step-end', step: stepRef(step), exitCode: null, status: 'passed', durationMs: 0, output: '' });
    await this.setChecked(uri, step, true, run);
    this.runs.changed(uri);
    return { status: 'passed' };
  }

  /** The first unticked step outside the Rollback section. */
  nextStep(rb: Runbook): Step | undefined {
    return mainSteps(rb).find((s) => !s.checked);
  }

  async runNext(uri: vscode.Uri): Promise<StepRunResult> {
    const { rb } = await this.load(uri);
    const next = this.nextStep(rb);
    if (!next) {
      void vscode.window.showInformationMessage('Every step of this runbook is done.');
      return { status: 'cancelled' };
    }
    return this.runStep(uri, { line: next.line, key: next.key });
  }

  /**
   * Runs the unticked steps in order. Stops at the first failure, at a manual step (a person has
   * to do it), and asks at every confirm step.
   */
  async runAll(uri: vscode.Uri): Promise<StepRunResult> {
    if (!this.checkTrust()) return { status: 'blocked' };
    let last: StepRunResult = { status: 'passed' };
    const done = new Set<string>();
    for (;;) {
      const { rb } = await this.load(uri);
      const step = mainSteps(rb).find((s) => !s.checked && !done.has(s.key) && !s.commands.some((c) => c.runnable && c.attrs.excludeFromRunAll));
      if (!step) break;
      done.add(step.key);
      if (step.manual) {
        void vscode.window.showInformationMessage(`Run All paused at a manual step: "${step.text}". Mark it done to go on.`);
        await revealLine(uri, step.line);
        return { status: 'cancelled' };
      }
      last = await this.runStep(uri, { line: step.line, key: step.key });
      if (last.status !== 'passed') return last;
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
    const { rb } = await this.load(uri);
    await setCheckboxes(uri, rb.steps.filter((s) => s.checked).map((step) => ({ step, checked: false })));
    run.reset();
    this.runs.changed(uri);
  }
}

export async function revealLine(uri: vscode.Uri, line: number): Promise<void> {
  const editor = await vscode.window.showTextDocument(uri, { preserveFocus: false, preview: false });
  const pos = new vscode.Position(line, 0);
  editor.selection = new vscode.Selection(pos, pos);
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
