import type * as vscode from 'vscode';

/** Where "Preflight: Set GitLab Token" keeps the token: VS Code's secret storage, never settings. */
export const GITLAB_TOKEN_SECRET = 'preflight.gitlab.token';

/** The token for `gitlab:` sources: GITLAB_TOKEN in the environment, else the one in secret storage. */
export async function gitlabToken(context: vscode.ExtensionContext): Promise<string | undefined> {
  const fromEnv = process.env.GITLAB_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  return (await context.secrets.get(GITLAB_TOKEN_SECRET))?.trim() || undefined;
}
