import * as vscode from 'vscode';
import { workspaceFolderFor } from '../common/workspace';

/** A workspace with this file at its root is the demo's: it opens on the walkthrough and the demo runbook. */
export const DEMO_MARKER = '.preflight-demo';
const WALKTHROUGH = 'preflight.preflight#preflight.gettingStarted';

/** Opens runbooks/demo.md of the workspace, copying the bundled sample there when it is missing. */
export async function openDemoRunbook(context: vscode.ExtensionContext, viewColumn?: vscode.ViewColumn): Promise<vscode.Uri | undefined> {
  const bundled = vscode.Uri.joinPath(context.extensionUri, 'runbooks', 'demo.md');
  const folder = workspaceFolderFor();
  if (!folder) {
    const content = new TextDecoder().decode(await vscode.workspace.fs.readFile(bundled));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content }));
    void vscode.window.showInformationMessage('Open a folder to run the demo runbook: steps run only in files on disk.');
    return undefined;
  }
  const target = vscode.Uri.joinPath(folder.uri, 'runbooks', 'demo.md');
  try {
    await vscode.workspace.fs.stat(target);
  } catch {
    await vscode.workspace.fs.copy(bundled, target);
  }
  await vscode.window.showTextDocument(target, { preview: false, viewColumn });
  return target;
}

/**
 * In the demo's workspace (it has the marker file), the first screen is Preflight's walkthrough
 * with the demo runbook beside it, not VS Code's generic welcome page. Opening them runs nothing.
 */
export async function openDemoOnStart(context: vscode.ExtensionContext): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') return;
  try {
    await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, DEMO_MARKER));
  } catch {
    return;
  }
  closeGenericWelcome(context);
  const runbook = await openDemoRunbook(context);
  if (runbook) await openOwnWalkthrough(runbook);
}

/**
 * The walkthrough page picks its walkthrough when it opens: while the window is still starting,
 * the workbench may not list this extension's yet, and shows another (which is then closed). So it
 * opens a moment after the runbook, and again while no tab shows it, a few times at most; never
 * once the person has opened something else (a file, a review): it would take that tab's place.
 */
async function openOwnWalkthrough(runbook: vscode.Uri): Promise<void> {
  const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await delay(WALKTHROUGH_DELAY_MS);
  for (let attempt = 0; attempt < WALKTHROUGH_ATTEMPTS; attempt++) {
    if (hasMovedOn(runbook)) return;
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, true).then(undefined, () => undefined);
    for (let waited = 0; waited < WALKTHROUGH_RETRY_MS; waited += 250) {
      await delay(250);
      if (ownWalkthroughShown()) return;
    }
  }
}

function ownWalkthroughShown(): boolean {
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => WALKTHROUGH_TAB.test(t.label) && !GENERIC_WELCOME.test(t.label)));
}

/**
 * Whether a tab shows something other than the demo runbook and the pages VS Code opens by itself
 * (walkthroughs and welcome pages have no input an extension can see).
 */
function hasMovedOn(runbook: vscode.Uri): boolean {
  return vscode.window.tabGroups.all.some((g) =>
    g.tabs.some((t) => t.input !== undefined && !(t.input instanceof vscode.TabInputText && t.input.uri.toString() === runbook.toString())),
  );
}

const WALKTHROUGH_DELAY_MS = 2000;
const WALKTHROUGH_RETRY_MS = 3000;
const WALKTHROUGH_ATTEMPTS = 6;
const WALKTHROUGH_TAB = /^Walkthrough: /;

/**
 * The tab of VS Code for the Web's setup walkthrough. (Not "Welcome": the page that shows
 * Preflight's walkthrough bears that name while it opens.)
 */
const GENERIC_WELCOME = /^Walkthrough: Setup VS Code/;
const WATCH_WELCOME_MS = 60_000;

/**
 * VS Code for the Web opens its setup walkthrough on a new profile, before or after Preflight's
 * pages: in the demo's first minute, such tabs are closed whenever they appear.
 */
function closeGenericWelcome(context: vscode.ExtensionContext): void {
  const close = () => {
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => GENERIC_WELCOME.test(t.label));
    if (tabs.length) void vscode.window.tabGroups.close(tabs).then(undefined, () => undefined);
  };
  close();
  const sub = vscode.window.tabGroups.onDidChangeTabs(close);
  const timer = setTimeout(() => sub.dispose(), WATCH_WELCOME_MS);
  context.subscriptions.push(sub, { dispose: () => clearTimeout(timer) });
}
