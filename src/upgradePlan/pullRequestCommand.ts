import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { publishPlanPullRequest } from '../app/planPullRequest';
import type { TokenProvider } from '../common/github';

export type { TokenProvider };
import { networkOptions } from '../common/network';
import type { Logger } from '../core/log';
import type { OpenedPlanPullRequest } from '../core/github/branchPullRequest';
import { defaultPlanPullRequestBody, planPullRequestNames } from '../core/plan';
import { parseRunbook } from '../core/runbook';
import { planRecord, recordedPlanUris } from './plans';
import { upgradePlanSettings } from '../common/settings';

interface PlanFacts {
  app: string;
  from: string;
  to: string;
  title: string;
  body: string;
  labels: string[];
}

/** What the PR says: recorded when the plan was created, else read from the plan's front matter. */
function planFacts(context: vscode.ExtensionContext, relPath: string, text: string): PlanFacts | undefined {
  const record = planRecord(context, relPath);
  if (record) return { app: record.app, from: record.from, to: record.to, ...record.pullRequest };
  const meta = parseRunbook(text).meta;
  const value = (name: string) => meta.variables.find((v) => v.name === name)?.default;
  const [app, from, to] = [value('APP'), value('FROM_VERSION'), value('TO_VERSION')];
  if (!app || !from || !to) return undefined;
  return {
    app,
    from,
    to,
    title: planPullRequestNames(app, from, to).title,
    body: defaultPlanPullRequestBody(app, from, to, relPath),
    labels: ['upgrade'],
  };
}

const isMarkdownFile = (doc: vscode.TextDocument) => doc.languageId === 'markdown' && doc.uri.scheme === 'file';

function isPlan(context: vscode.ExtensionContext, doc: vscode.TextDocument): boolean {
  return planFacts(context, vscode.workspace.asRelativePath(doc.uri, false), doc.getText()) !== undefined;
}

/**
 * The plan the command is for: the markdown file in the active editor; when the focus is elsewhere
 * (a review panel, a walkthrough), the one plan on screen, else one the operator picks from the plans
 * written in this workspace. Undefined when there is none, null when the operator dismissed the pick.
 */
async function planDocument(context: vscode.ExtensionContext): Promise<vscode.TextDocument | undefined | null> {
  const active = vscode.window.activeTextEditor?.document;
  if (active && isMarkdownFile(active)) return active;
  const onScreen = [...new Set(vscode.window.visibleTextEditors.map((e) => e.document))].filter((d) => isMarkdownFile(d) && isPlan(context, d));
  if (onScreen.length === 1) return onScreen[0];
  const uris = onScreen.length ? onScreen.map((d) => d.uri) : recordedPlanUris(context).reverse(); // the latest first
  if (!uris.length) return undefined;
  const pick = await vscode.window.showQuickPick(
    uris.map((u) => ({ label: path.basename(u.fsPath), description: vscode.workspace.asRelativePath(u, true), uri: u })),
    { title: 'Open Plan Pull Request', placeHolder: 'The upgrade plan to open a pull request for' },
  );
  return pick ? vscode.workspace.openTextDocument(pick.uri) : null;
}

/**
 * Commits the open plan to `preflight/<app>-<to>` through the GitHub API and opens a pull request
 * for it, or updates the open one. The working tree and the index stay as they are.
 */
export async function openPlanPullRequestCommand(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel & Logger,
  tokens: TokenProvider,
  uri: vscode.Uri | undefined,
): Promise<OpenedPlanPullRequest | undefined> {
  const doc = uri ? await vscode.workspace.openTextDocument(uri) : await planDocument(context);
  if (doc === null) return undefined;
  if (!doc || !isMarkdownFile(doc)) {
    void vscode.window.showInformationMessage('Open an upgrade plan first (Preflight: Create Upgrade Plan...).');
    return undefined;
  }
  if (doc.isDirty && !(await doc.save())) return undefined;
  const file = doc.uri.fsPath;
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  const content = readFileSync(file);
  const wsRel = folder ? vscode.workspace.asRelativePath(doc.uri, false) : path.basename(file);
  const facts = planFacts(context, wsRel, content.toString('utf8'));
  if (!facts) {
    void vscode.window.showErrorMessage('Preflight: this file does not look like an upgrade plan (its front matter has no APP, FROM_VERSION and TO_VERSION).');
    return undefined;
  }
  const config = upgradePlanSettings(doc.uri);
  const reviewers = config.reviewers.map((r) => r.replace(/^@/, '')).filter(Boolean);
  const range = `${facts.app} ${facts.from} → ${facts.to}`;
  const r = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Opening the plan pull request…', cancellable: true },
    (_p, cancel) => {
      const controller = new AbortController();
      cancel.onCancellationRequested(() => controller.abort());
      return publishPlanPullRequest(
        { file, content, app: facts.app, from: facts.from, to: facts.to, title: facts.title, body: facts.body, labels: facts.labels, reviewers, draft: config.draft },
        {
          token: (provider, host, again) => {
            if (again) log.warn(`GitHub refused the token for ${host}; asking to sign in again`);
            return tokens(provider, again);
          },
          userAgent: `preflight-vscode/${context.extension.packageJSON.version}`,
          network: networkOptions(),
          hints: { invalidToken: 'sign in to GitHub again' },
          signal: controller.signal,
        },
      );
    },
  );
  if (!r.ok) {
    const e = r.error;
    switch (e.kind) {
      case 'not-in-clone':
      case 'path-unknown':
        void vscode.window.showErrorMessage('Preflight: the plan is not in a git clone, so there is no repository to open a pull request in.');
        return undefined;
      case 'origin-not-github':
        void vscode.window.showErrorMessage('Preflight: this workspace\'s git remote "origin" is not a GitHub repository.');
        return undefined;
      case 'no-token':
        void vscode.window.showWarningMessage(`Preflight: sign in to ${e.provider === 'github' ? 'GitHub' : 'GitHub Enterprise'} to open the plan pull request.`);
        return undefined;
      case 'github':
        log.error(`Plan pull request in ${e.repo.owner}/${e.repo.repo}: ${e.error.message}`);
        void vscode.window.showErrorMessage(`Preflight: ${e.error.message}`, 'Show Log').then((pick) => pick && log.show(true));
        return undefined;
    }
  }
  const pr = r.value;
  for (const w of pr.warnings) log.warn(`Plan pull request #${pr.number}: ${w}`);
  log.info(`${pr.created ? 'Opened' : 'Updated'} plan pull request #${pr.number} (${pr.requests} requests): ${pr.url}`);
  const what = pr.created ? `Opened ${pr.draft ? 'draft ' : ''}pull request #${pr.number}` : `Updated pull request #${pr.number}${pr.fileChanged ? '' : ' (the plan is unchanged)'}`;
  const warn = pr.warnings.length ? ` ${pr.warnings.join(' ')}` : '';
  void (pr.warnings.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(`${what} for ${range}.${warn}`, 'Open Pull Request').then(
    (pick) => pick && vscode.env.openExternal(vscode.Uri.parse(pr.url)),
  );
  return pr;
}
