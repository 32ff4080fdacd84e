import * as vscode from 'vscode';
import type { GitHubProvider } from '../app/github';
import { connectionSettings } from './settings';

/** Where the extension talks to GitHub: github.com, or the Enterprise Server named in settings. */
export interface GitHubTarget {
  /** The authentication provider: the built-in `github`, or `github-enterprise`. */
  provider: GitHubProvider;
  /** REST API base URL. */
  apiUrl: string;
  /** Web host, for links. */
  webUrl: string;
}

export const GITHUB_SCOPES = ['repo'];

export function githubTarget(enterpriseUrl = connectionSettings().enterpriseUrl): GitHubTarget {
  const url = enterpriseUrl?.trim().replace(/\/+$/, '');
  if (!url) return { provider: 'github', apiUrl: 'https://api.github.com', webUrl: 'https://github.com' };
  return { provider: 'github-enterprise', apiUrl: `${url}/api/v3`, webUrl: url };
}

/** Gives a GitHub token for a provider, or undefined; `again` after GitHub refused the last one. */
export type TokenProvider = (provider: GitHubProvider, again: boolean) => Promise<string | undefined>;

/**
 * A GitHub token from VS Code's accounts, never stored by Preflight: the one way the extension gets
 * one. `silent` never asks (reading public release notes works without signing in), `ask` asks
 * when there is no session, `again` asks for a new session after GitHub refused the last token.
 */
export async function githubSessionToken(provider: GitHubProvider, mode: 'silent' | 'ask' | 'again'): Promise<string | undefined> {
  const options: vscode.AuthenticationGetSessionOptions =
    mode === 'silent' ? { silent: true } : mode === 'ask' ? { createIfNone: true } : { forceNewSession: { detail: 'GitHub refused the last token. Sign in again.' } };
  try {
    const session = await vscode.authentication.getSession(provider, GITHUB_SCOPES, options);
    return session?.accessToken;
  } catch {
    // No such provider (a VS Code without GitHub accounts), or the user cancelled sign-in.
    return undefined;
  }
}

/** The token for the target: silent unless `ask`, so the user is asked only when it is needed. */
export function githubToken(target: GitHubTarget, ask: boolean): Promise<string | undefined> {
  return githubSessionToken(target.provider, ask ? 'ask' : 'silent');
}
