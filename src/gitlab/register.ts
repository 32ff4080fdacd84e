import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import { GITLAB_TOKEN_SECRET } from '../common/gitlab';
import { connectionSettings } from '../common/settings';

/**
 * "Preflight: Set GitLab Token": asks for a personal access token (read_api) in a password box and
 * keeps it in VS Code's secret storage; an empty answer removes it. The token is never logged.
 */
export function registerGitLab(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.setGitLabToken, async () => {
    const host = safeHost(connectionSettings().gitlabUrl ?? 'https://gitlab.com');
    const token = await vscode.window.showInputBox({
      title: `GitLab token for ${host}`,
      prompt: 'A personal access token with the read_api scope, for gitlab: release-note sources. Leave empty to remove the stored token.',
      password: true,
      ignoreFocusOut: true,
    });
    if (token === undefined) return;
    if (token.trim() === '') {
      await context.secrets.delete(GITLAB_TOKEN_SECRET);
      log.info('GitLab token removed');
      void vscode.window.showInformationMessage('Preflight: the GitLab token was removed.');
      return;
    }
    await context.secrets.store(GITLAB_TOKEN_SECRET, token.trim());
    log.info(`GitLab token stored for ${host}`);
    void vscode.window.showInformationMessage(`Preflight: the GitLab token for ${host} is stored in VS Code's secret storage.`);
  });
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
