/**
 * The approval gate in the editor: before a gated step runs, the runbook's pull request must
 * approve the runbook as it is (src/app/approval.ts, the same check as `preflight run`). A blocked
 * gate says why, with the pull request's link; the operator may override it by typing "override"
 * and a reason, both written to the run's log. A pass holds for the run while the runbook changes
 * in ticked boxes alone; a block is never remembered, so the step right after an approval runs.
 */
import * as vscode from 'vscode';
import { checkApproval } from '../app/approval';
import type { GitHubTokens } from '../common/githubTokens';
import { networkOptions } from '../common/network';
import type { Logger } from '../core/log';
import { isGated, maskSecrets, withoutTicks, type Runbook, type Step } from '../core/runbook';
import type { RunPrompts } from './prompts';
import { stepRef, type RunbookRun } from './runState';

export interface GateContext {
  doc: vscode.TextDocument;
  rb: Runbook;
  /** The text that runs. */
  snapshot: string;
  run: RunbookRun;
  /** Starts (or claims) the run, so the gate's records have a log. */
  ensureRun(): Promise<void>;
  prompts: RunPrompts;
}

export class ApprovalGate {
  /** By run log: the runbook, ticks aside, that passed the gate in that run. */
  private readonly passed = new Map<string, string>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Logger,
    private readonly tokens: GitHubTokens,
  ) {}

  /** True when `step` may run. */
  async allow(step: Step, g: GateContext): Promise<boolean> {
    if (!isGated(g.rb, step)) return true;
    const normal = withoutTicks(g.snapshot);
    if (g.run.logFile && this.passed.get(g.run.logFile) === normal) return true;
    const verdict = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Checking the approval of the runbook…', cancellable: true },
      (_p, cancel) => {
        const controller = new AbortController();
        cancel.onCancellationRequested(() => controller.abort());
        return checkApproval(
          { file: g.doc.uri.fsPath, text: g.snapshot, meta: g.rb.meta, cacheDir: this.context.globalStorageUri.fsPath },
          {
            token: (provider) => this.tokens.get(provider, false),
            userAgent: `preflight-vscode/${this.context.extension.packageJSON.version}`,
            network: networkOptions(),
            hints: { invalidToken: 'sign in to GitHub again' },
            signal: controller.signal,
          },
        );
      },
    );
    await g.ensureRun();
    const secrets = [...g.run.values].filter(([name]) => g.rb.meta.variables.some((v) => v.name === name && v.secret)).map(([, v]) => v);
    const mask = (s: string) => maskSecrets(s, secrets);
    const pullRequest = verdict.pullRequest && { number: verdict.pullRequest.number, url: verdict.pullRequest.url };
    const headBranch = verdict.pullRequest?.headBranch;
    if (verdict.allowed) {
      g.run.append({ type: 'approval', step: stepRef(step), allowed: true, pullRequest, approvedBy: verdict.approvedBy, commit: verdict.commit, ...(verdict.fileSha ? { fileSha: verdict.fileSha } : {}), ...(headBranch ? { headBranch } : {}) });
      this.log.info(`Approval of "${step.text}": approved by ${verdict.approvedBy.join(', ')} on #${verdict.pullRequest.number} (${verdict.requests} requests)`);
      if (g.run.logFile) this.passed.set(g.run.logFile, normal);
      return true;
    }
    const reason = mask(verdict.reason);
    g.run.append({ type: 'approval', step: stepRef(step), allowed: false, reason, ...(pullRequest ? { pullRequest } : {}), ...(headBranch ? { headBranch } : {}) });
    this.log.warn(`Step "${step.text}" blocked by the approval gate: ${reason}`);
    const why = (await g.prompts.approvalBlocked?.(step.text, reason, pullRequest?.url))?.trim();
    if (!why) return false;
    g.run.append({ type: 'approval-override', step: stepRef(step), reason: mask(why), blocked: reason });
    this.log.warn(`Approval gate overridden before "${step.text}": ${mask(why)}`);
    if (g.run.logFile) this.passed.set(g.run.logFile, normal);
    return true;
  }
}
