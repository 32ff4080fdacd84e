import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import { baseDirFor } from '../common/workspace';
import type { HelmSource } from '../core/helm/source';
import { isPrerelease } from '../core/releases';
import { createReleaseSource } from '../releaseNotes/sources';
import type { ChartAppRequest } from './lenses';

/**
 * "Review app release notes" of a chart pin: reads which app versions the pinned chart version and
 * the chart's latest version ship (their appVersion) and where the app's notes are (the chart's
 * sources), then opens the review of that app range.
 */
export function registerCharts(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.reviewChartAppNotes, async (request?: ChartAppRequest) => {
    if (!request?.source || !request.from) return;
    const cwd = baseDirFor();
    const app = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Preflight: reading ${request.source}`, cancellable: true },
      async (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        const created = await createReleaseSource(request.source, { cwd, context, log });
        if (!created.ok) return created;
        const source = created.value as HelmSource;
        if (typeof source.appRange !== 'function') return { ok: false as const, error: { message: `${request.source} is not a Helm chart source` } };
        const versions = await source.listVersions({ signal: abort.signal });
        if (!versions.ok) return versions;
        const latest = versions.value.find((v) => !isPrerelease(v.version)) ?? versions.value[0];
        if (!latest) return { ok: false as const, error: { message: `${request.source} lists no versions` } };
        return source.appRange({ from: request.from, to: latest.version }, { signal: abort.signal });
      },
    );
    if (!app.ok) {
      log.warn(`Chart app notes: ${app.error.message}`);
      void vscode.window.showErrorMessage(`Preflight: ${app.error.message}`);
      return;
    }
    log.info(`Chart ${request.source} ${request.from} ships ${app.value.source} ${app.value.from} → ${app.value.to}`);
    await vscode.commands.executeCommand(Commands.reviewReleaseNotes, { source: app.value.source, from: app.value.from, to: app.value.to });
  });
}
