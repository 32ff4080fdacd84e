import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { GITHUB_SCOPES } from '../common/github';
import { networkOptions } from '../common/network';
import type { Logger } from '../core/log';
import { pathInClone, readClone, remoteBranchSha } from '../adapters/gitClone';
import { openPlanPullRequest, type OpenedPlanPullRequest } from '../core/github/planPullRequest';
import { defaultPlanPullRequestBody, planPullRequestNames } from '../core/plan';
import { parseRunbook } from '../core/runbook';
import { createOctokitGitHub } from '../github/octokit';
import { planRecord } from './plans';

/** Gives a GitHub token for a provider (`github` or `github-enterprise`), or undefined. */
export type TokenProvider = (provider: 'github' | 'github-enterprise', forceNew: boolean) => Promise<string | undefined>;

/** VS Code's GitHub accounts: asks the user to sign in when there is no session. */
export const sessionTokens: TokenProvider = async (provider, forceNew) => {
  try {
    const session = await vscode.authentication.getSession(
      provider,
      GITHUB_SCOPES,
      forceNew ? { forceNewSession: { detail: 'GitHub refused the last token. Sign in again to open the plan pull request.' } } : { createIfNone: true },
    );
    return session?.accessToken;
  } catch {
    return undefined;
  }
};

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
  const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!doc || doc.languageId !== 'markdown' || doc.uri.scheme !== 'file') {
    void vscode.window.showInformationMessage('Open an upgrade plan first (Preflight: Create Upgrade Plan...).');
    return undefined;
  }
  if (doc.isDirty && !(await doc.save())) return undefined;
  const file = doc.uri.fsPath;
  const clone = await readClone(file);
  if (!clone?.origin) {
    void vscode.window.showErrorMessage(
      clone ? "Preflight: this workspace's git remote \"origin\" is not a GitHub repository." : 'Preflight: the plan is not in a git clone, so there is no repository to open a pull request in.',
    );
    return undefined;
  }
  const origin = clone.origin;
  const relPath = await pathInClone(clone, file);
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  const wsRel = folder ? vscode.workspace.asRelativePath(doc.uri, false) : relPath;
  const content = readFileSync(file);
  const facts = planFacts(context, wsRel, content.toString('utf8'));
  if (!facts) {
    void vscode.window.showErrorMessage('Preflight: this file does not look like an upgrade plan (its front matter has no APP, FROM_VERSION and TO_VERSION).');
    return undefined;
  }
  const provider = origin.host === 'github.com' ? 'github' : 'github-enterprise';
  const config = vscode.workspace.getConfiguration('preflight.upgradePlan', doc.uri);
  const reviewers = (config.get<string[]>('reviewers') ?? []).map((r) => r.replace(/^@/, '')).filter(Boolean);
  const baseBranch = clone.defaultBranch;
  const baseSha = baseBranch ? await remoteBranchSha(clone, baseBranch) : undefined;
  const names = planPullRequestNames(facts.app, facts.from, facts.to);
  const range = `${facts.app} ${facts.from} → ${facts.to}`;

  const attempt = async (forceNew: boolean) => {
    const token = await tokens(provider, forceNew);
    if (!token) return undefined;
    const api = createOctokitGitHub({
      token,
      baseUrl: origin.apiBaseUrl,
      userAgent: `preflight-vscode/${context.extension.packageJSON.version}`,
      network: networkOptions(),
      hints: { invalidToken: 'sign in to GitHub again' },
    });
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Opening the plan pull request in ${origin.owner}/${origin.repo}…`, cancellable: true },
      (_p, cancel) => {
        const controller = new AbortController();
        cancel.onCancellationRequested(() => controller.abort());
        return openPlanPullRequest(
          api,
          {
            ...names,
            repo: { owner: origin.owner, repo: origin.repo },
            baseBranch,
            baseSha,
            path: relPath,
            content,
            title: facts.title,
            body: facts.body,
            labels: facts.labels,
            reviewers,
            draft: config.get<boolean>('draft', true),
          },
          { signal: controller.signal },
        );
      },
    );
  };

  let r = await attempt(false);
  if (r && !r.ok && r.error.kind === 'auth') {
    log.warn(`GitHub refused the token for ${origin.host}: ${r.error.message}`);
    r = await attempt(true);
  }
  if (!r) {
    void vscode.window.showWarningMessage(`Preflight: sign in to ${provider === 'github' ? 'GitHub' : 'GitHub Enterprise'} to open the plan pull request.`);
    return undefined;
  }
  if (!r.ok) {
    log.error(`Plan pull request in ${origin.owner}/${origin.repo}: ${r.error.message}`);
    void vscode.window.showErrorMessage(`Preflight: ${r.error.message}`, 'Show Log').then((pick) => pick && log.show(true));
    return undefined;
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
