import * as vscode from 'vscode';

/** Where the extension talks to GitHub: github.com, or the Enterprise Server named in settings. */
export interface GitHubTarget {
  /** The authentication provider: the built-in `github`, or `github-enterprise`. */
  provider: 'github' | 'github-enterprise';
  /** REST API base URL. */
  apiUrl: string;
  /** Web host, for links. */
  webUrl: string;
}

export const GITHUB_SCOPES = ['repo'];

export function githubTarget(enterpriseUrl = vscode.workspace.getConfiguration('preflight.github').get<string>('enterpriseUrl')): GitHubTarget {
  const url = enterpriseUrl?.trim().replace(/\/+$/, '');
  if (!url) return { provider: 'github', apiUrl: 'https://api.github.com', webUrl: 'https://github.com' };
  return { provider: 'github-enterprise', apiUrl: `${url}/api/v3`, webUrl: url };
}

/**
 * A GitHub token from VS Code's accounts, never stored by Preflight. Silent unless `ask`: reading
 * public release notes works without signing in, and the user is asked only when it is needed.
 */
export async function githubToken(target: GitHubTarget, ask: boolean): Promise<string | undefined> {
  try {
    const session = ask
      ? await vscode.authentication.getSession(target.provider, GITHUB_SCOPES, { createIfNone: true })
      : await vscode.authentication.getSession(target.provider, GITHUB_SCOPES, { silent: true });
    return session?.accessToken;
  } catch {
    // No such provider (a VS Code without GitHub accounts), or the user cancelled sign-in.
    return undefined;
  }
}
