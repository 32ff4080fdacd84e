import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../core/log';
import { loadPlanTemplate, writeUpgradePlan } from '../app/plan';
import { githubTarget } from '../common/github';
import { planFileName, type PlanPullRequest } from '../core/plan';
import { splitPackage, type Review } from '../core/releases';
import { registrySettings, upgradePlanSettings } from '../common/settings';
import { networkOptions } from '../common/network';
import { checkRollbackImage } from '../app/rollback';
import type { RollbackCheck } from '../core/plan/rollback';
import { workspaceFolderFor } from '../common/workspace';

/** What opening the plan's pull request needs later, kept per workspace (never in settings). */
export interface PlanRecord {
  app: string;
  from: string;
  to: string;
  source: string;
  pullRequest: PlanPullRequest;
}

const PLANS_KEY = 'preflight.upgradePlans';

export function planRecord(context: vscode.ExtensionContext, relPath: string): PlanRecord | undefined {
  return context.workspaceState.get<Record<string, PlanRecord>>(PLANS_KEY, {})[relPath];
}

/** The plans written in this workspace that are still on disk, in the order they were first written. */
export function recordedPlanUris(context: vscode.ExtensionContext): vscode.Uri[] {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const uris: vscode.Uri[] = [];
  for (const rel of Object.keys(context.workspaceState.get<Record<string, PlanRecord>>(PLANS_KEY, {}))) {
    const found = folders.map((f) => vscode.Uri.joinPath(f.uri, rel)).find((u) => existsSync(u.fsPath));
    if (found) uris.push(found);
  }
  return uris;
}

async function savePlanRecord(context: vscode.ExtensionContext, relPath: string, record: PlanRecord): Promise<void> {
  const all = { ...context.workspaceState.get<Record<string, PlanRecord>>(PLANS_KEY, {}), [relPath]: record };
  await context.workspaceState.update(PLANS_KEY, all);
}

/** A name people use for the app, guessed from the source. */
export function appNameFromSource(source: string): string {
  // `github:babel/babel#@babel/core`: the package is the app.
  const m = /^([a-z][a-z0-9+.-]+:)(.*)$/is.exec(source);
  const pkg = m ? splitPackage(m[2]).pkg : undefined;
  if (pkg) return pkg;
  const spec = source.replace(/^[a-z]+:/i, '').split(',')[0].replace(/\/+$/, '');
  if (/^github:/i.test(source)) return spec.split('/').pop() ?? spec;
  if (/^npm:/i.test(source)) return spec;
  if (/^image:/i.test(source)) return spec.split('@')[0].replace(/:[^:/]*$/, '').split('/').pop() ?? spec;
  const base = path.basename(spec);
  return /\.(md|markdown|rst|txt)$/i.test(base) || /^(CHANGELOG|HISTORY|CHANGES|NEWS|RELEASES)/i.test(base) ? path.basename(path.dirname(path.resolve(spec))) : base;
}

export interface CreatePlanOptions {
  /** Skip the prompt for the app's name. */
  app?: string;
  /** Replace an existing plan without asking. */
  overwrite?: boolean;
}

/**
 * Writes the upgrade-plan runbook for a review into the workspace and opens it. An existing plan
 * is replaced only when the operator says so.
 */
export async function createPlan(
  context: vscode.ExtensionContext,
  log: Logger,
  review: Review,
  opts: CreatePlanOptions = {},
): Promise<vscode.Uri | undefined> {
  const folderUri = workspaceFolderFor(vscode.window.activeTextEditor?.document.uri)?.uri;
  const folder = folderUri?.fsPath;
  if (!folder) {
    void vscode.window.showErrorMessage('Open a folder first: the upgrade plan is written into the workspace.');
    return undefined;
  }
  const app =
    opts.app ??
    (await vscode.window.showInputBox({
      title: `Create Upgrade Plan ${review.from} → ${review.to}`,
      prompt: 'The application, as the team calls it',
      value: appNameFromSource(review.source),
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Name the application'),
    }));
  if (!app?.trim()) return undefined;
  const dir = upgradePlanSettings(folderUri).directory;
  const file = path.resolve(folder, dir, planFileName(app.trim(), review.from, review.to));
  const relPath = path.relative(folder, file).split(path.sep).join('/');
  if (existsSync(file) && !opts.overwrite) {
    const pick = await vscode.window.showWarningMessage(`${relPath} exists already.`, { modal: true }, 'Replace', 'Open Existing');
    if (pick === 'Open Existing') {
      await vscode.window.showTextDocument(vscode.Uri.file(file));
      return vscode.Uri.file(file);
    }
    if (pick !== 'Replace') return undefined;
  }
  const configured = upgradePlanSettings(folderUri).template;
  const template = loadPlanTemplate(folder, configured);
  if (!template.ok) {
    log.error(template.error);
    void vscode.window.showErrorMessage(`Preflight: ${template.error} (setting preflight.upgradePlan.template).`);
    return undefined;
  }
  for (const w of template.value.warnings) log.warn(w);
  const rollbackCheck = await rollbackCheckFor(context, log, review);
  const written = writeUpgradePlan({ app: app.trim(), review, file, planPath: relPath, template: template.value, githubWeb: githubTarget().webUrl, workspace: folder, rollbackCheck });
  await savePlanRecord(context, relPath, { app: app.trim(), from: review.from, to: review.to, source: review.source, pullRequest: written.pullRequest });
  log.info(`Wrote the upgrade plan ${relPath} from ${template.value.from}`);
  const uri = vscode.Uri.file(file);
  await vscode.window.showTextDocument(uri, { preview: false });
  return uri;
}

/** For a review of an image: whether the image to roll back to can still be pulled, asked of its registry now. */
async function rollbackCheckFor(context: vscode.ExtensionContext, log: Logger, review: Review): Promise<RollbackCheck | undefined> {
  if (!/^image:/i.test(review.source)) return undefined;
  const check = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Checking that ${review.source.slice(6)} can still be pulled…` }, () =>
    checkRollbackImage({
      image: review.source,
      version: review.from,
      settings: {
        cacheDir: context.globalStorageUri.fsPath,
        userAgent: `preflight-vscode/${context.extension.packageJSON.version}`,
        insecureRegistries: registrySettings().insecure,
        env: process.env,
        network: networkOptions(),
      },
    }),
  );
  if (check.status === 'available') log.info(`The image to roll back to, ${check.image}, is available (${check.digest ?? ''})`);
  else log.warn(`The image to roll back to, ${check.image}, ${check.status === 'missing' ? 'is not in its registry' : 'could not be checked'}: ${check.reason ?? ''}`);
  return check;
}
