import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import type { AppVersions } from '../core/drift/drift';
import type { Logger } from '../core/log';
import { PIN_NAME } from './scan';
import { reviewCommand, type VersionNode, VersionsView, type VersionsSnapshot } from './tree';

export interface VersionsApi {
  /** The view's items as rendered, after the current scan (ExtensionMode.Test only). */
  snapshot(): Promise<VersionsSnapshot[]>;
}

/** The "Versions" view in the Explorer, its refresh command and the drift review of an app. */
export function registerVersions(log: Logger): vscode.Disposable & VersionsApi {
  const view = new VersionsView(log);
  const tree = vscode.window.createTreeView('preflight.versions', { treeDataProvider: view, showCollapseAll: true });
  // Saves, creations, deletions and renames made in the editor. No workspace-wide file watcher: it
  // would share the host's watcher with the run-log watchers of the runbooks; Refresh picks up the rest.
  const changed = () => view.invalidate();
  const isPinFile = (uri: vscode.Uri) => uri.scheme === 'file' && PIN_NAME.test(uri.path.slice(uri.path.lastIndexOf('/') + 1));
  const anyPinFile = (uris: readonly vscode.Uri[]) => uris.some(isPinFile) && changed();
  const disposable = vscode.Disposable.from(
    view,
    tree,
    vscode.workspace.onDidSaveTextDocument((doc) => isPinFile(doc.uri) && changed()),
    vscode.workspace.onDidCreateFiles((e) => anyPinFile(e.files)),
    vscode.workspace.onDidDeleteFiles((e) => anyPinFile(e.files)),
    vscode.workspace.onDidRenameFiles((e) => anyPinFile(e.files.flatMap((f) => [f.oldUri, f.newUri]))),
    vscode.workspace.onDidChangeWorkspaceFolders(changed),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('preflight.environments') || e.affectsConfiguration('preflight.releaseNotes.imageSources')) changed();
    }),
    vscode.commands.registerCommand(Commands.refreshVersions, () => view.invalidate(0)),
    vscode.commands.registerCommand(Commands.reviewDrift, (node?: VersionNode | { app: AppVersions }) => {
      const app = node && 'app' in node ? node.app : undefined;
      if (!app?.review) return;
      const cmd = reviewCommand(app);
      return vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? []));
    }),
  );
  return Object.assign(disposable, { snapshot: () => view.snapshot() });
}
