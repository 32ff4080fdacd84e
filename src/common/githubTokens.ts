/**
 * Where the extension's GitHub tokens come from, shared by the features that talk to GitHub (plan
 * pull requests, the approval gate, publishing runs): VS Code's accounts, or, for automation and
 * tests, a provider set through the test hook.
 */
import { githubSessionToken, type TokenProvider } from './github';

/** VS Code's GitHub accounts: asks the user to sign in when there is no session, and again after a refusal. */
export const sessionTokens: TokenProvider = (provider, again) => githubSessionToken(provider, again ? 'again' : 'ask');

export class GitHubTokens {
  private provider: TokenProvider = sessionTokens;

  readonly get: TokenProvider = (provider, again) => this.provider(provider, again);

  /** Undefined restores VS Code's accounts. */
  set(provider: TokenProvider | undefined): void {
    this.provider = provider ?? sessionTokens;
  }
}
