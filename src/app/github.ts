/** Which GitHub an API address is, the same way for every front end. */
import { GITHUB_API_URL } from '../github/octokit';

/** VS Code's authentication providers: `github` for github.com, `github-enterprise` for the rest. */
export type GitHubProvider = 'github' | 'github-enterprise';

export function githubProvider(apiUrl: string): GitHubProvider {
  return new URL(apiUrl).host.toLowerCase() === new URL(GITHUB_API_URL).host ? 'github' : 'github-enterprise';
}
