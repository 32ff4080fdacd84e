/**
 * Preflight: Publish Run to Pull Request: the latest run of the open runbook as one comment on its
 * pull request (src/app/publishRun.ts, the same as `preflight report --pr`), the labels of the
 * upgrade's state, and, with `preflight.upgradePlan.commitProgress`, the ticked runbook committed
 * to the pull request's branch. The run's log records the publish, so the next one edits the same
 * comment.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { appendRecordDurably, isAlive, latestLogFile } from '../adapters/runLogFiles';
import { publishRun, type PublishedRun } from '../app/publishRun';
import { publishRecords } from '../app/runRecords';
import type { GitHubTokens } from '../common/githubTokens';
import { networkOptions } from '../common/network';
import { runbookSettings, upgradePlanSettings } from '../common/settings';
import { baseDirFor } from '../common/workspace';
import type { Logger } from '../core/log';
import { parseLog, parseRunbook, runHolder, serializeEvent, type PublishEvent } from '../core/runbook';

export async function publishRunCommand(context: vscode.ExtensionContext, log: vscode.LogOutputChannel & Logger, tokens: GitHubTokens, uri: vscode.Uri | undefined): Promise<PublishedRun | undefined> {
  const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!doc || doc.languageId !== 'markdown' || doc.uri.scheme !== 'file') {
    void vscode.window.showInformationMessage('Open a runbook first: its latest run is published to its pull request.');
    return undefined;
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Preflight publishes no run in Restricted Mode: this workspace is not trusted.');
    return undefined;
  }
  if (doc.isDirty && !(await doc.save())) return undefined;
  const file = doc.uri.fsPath;
  const base = baseDirFor(doc.uri);
  const relPath = path.relative(base, file).split(path.sep).join('/');
  const logDir = path.resolve(base, runbookSettings(doc.uri).logDirectory);
  const logFile = latestLogFile(logDir, relPath);
  if (!logFile) {
    void vscode.window.showInformationMessage('This runbook has no recorded run yet: run a step first.');
    return undefined;
  }
  const { events, problems } = parseLog(readFileSync(logFile, 'utf8'));
  for (const p of problems) log.warn(`${logFile}:${p.line + 1}: ${p.message}`);
  const content = readFileSync(file);
  const spec = parseRunbook(content.toString('utf8')).meta.approval?.pullRequest ?? { kind: 'auto' as const };

  const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Publishing the run to its pull request…', cancellable: true }, (_p, cancel) => {
    const controller = new AbortController();
    cancel.onCancellationRequested(() => controller.abort());
    return publishRun(
      { file, content, pullRequest: spec, events, earlier: publishRecords(logDir, relPath), commit: upgradePlanSettings(doc.uri).commitProgress },
      {
        token: (provider, host, again) => {
          if (again) log.warn(`GitHub refused the token for ${host}; asking to sign in again`);
          return tokens.get(provider, again);
        },
        userAgent: `preflight-vscode/${context.extension.packageJSON.version}`,
        network: networkOptions(),
        hints: { invalidToken: 'sign in to GitHub again' },
        signal: controller.signal,
      },
    );
  });
  if (!r.ok) {
    log.error(`Publish run of ${relPath}: ${r.error}`);
    void vscode.window.showErrorMessage(`Preflight: ${r.error}`, 'Show Log').then((pick) => pick && log.show(true));
    return undefined;
  }
  const p = r.value;
  for (const w of p.warnings) log.warn(`Publish run of ${relPath}: ${w}`);
  // A run another live process holds (the CLI, another window) is never written into.
  if (!runHolder(events, { pid: process.pid, host: os.hostname() }, isAlive)) {
    const record: PublishEvent = { type: 'publish', ...p.record, runId: events[events.length - 1]?.runId ?? 'unknown', time: new Date().toISOString() };
    const text = readFileSync(logFile, 'utf8');
    appendRecordDurably(logFile, (text.length && !text.endsWith('\n') ? '\n' : '') + serializeEvent(record));
  }
  log.info(`${p.comment.created ? 'Published' : 'Updated'} the run of ${relPath} on #${p.pullRequest.number} (${p.requests} requests): ${p.comment.url}`);
  const committed = p.committed ? ' The ticked runbook is committed to its branch.' : '';
  const warn = p.warnings.length ? ` ${p.warnings.join(' ')}` : '';
  void (p.warnings.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(
    `${p.comment.created ? 'Published' : 'Updated'} the run on pull request #${p.pullRequest.number} (${p.labels.filter((l) => l.startsWith('upgrade:') || l === 'manual-change').join(', ')}).${committed}${warn}`,
    'Open Comment',
  ).then((pick) => pick && vscode.env.openExternal(vscode.Uri.parse(p.comment.url)));
  return p;
}
