// The demo's GitHub: the GitHub test server on 127.0.0.1 with an app whose releases hold a database
// migration and a breaking change, the demo workspace's own repository, sign-in pages for VS Code's
// GitHub Enterprise account and a page to approve the plan's pull request as a reviewer.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { support } from './lib.mjs';

export const DEMO_TOKEN = 'demo-token-of-the-local-github';
export const DEMO_REPO = 'demo/preflight-demo';
export const DEMO_APP = 'demo/inventory';
const DEMO_USER = 'operator';
const REVIEWER = 'reviewer';

const RELEASES = [
  ['v1.4.0', '2025-01-10', '## What\'s new\n\n- Export the stock report as CSV.\n- Fix the search box losing focus.\n'],
  ['v1.5.0', '2025-03-02', '## What\'s new\n\n- Warehouses can be archived.\n\n## Upgrade notes\n\n- The `stock_moves` table gets a new index: the migration runs on start and takes a few minutes on large databases.\n'],
  ['v1.5.1', '2025-03-20', '## Fixes\n\n- Fix a crash when a warehouse has no address.\n'],
  ['v2.0.0', '2025-06-01', '## Breaking changes\n\n- The `/api/v1` endpoints are removed; use `/api/v2`.\n- PostgreSQL 12 is no longer supported: PostgreSQL 14 or later is required.\n\n## Database\n\n- Run `inventory migrate` before starting the new version: the migration rewrites the `items` table and cannot be rolled back. Take a backup first.\n'],
  ['v2.1.0', '2025-08-15', '## What\'s new\n\n- Barcode scanning in the web app.\n\n## Deprecations\n\n- The `INVENTORY_LEGACY_AUTH` setting is deprecated and will be removed in 3.0.\n'],
];

/** Starts the demo's GitHub on `port` (a free one when it is taken). */
export async function startDemoGitHub(port) {
  const { startGitHubServer } = support('githubServer');
  // Links to pull requests open in the browser.
  support('github/shapes').useRealWebAddresses();
  const fixture = {
    tokens: [DEMO_TOKEN],
    logins: { [DEMO_TOKEN]: DEMO_USER },
    repos: {
      [DEMO_APP]: {
        defaultBranch: 'main',
        releases: RELEASES.map(([tag, date, body]) => ({ tag, name: tag, body, createdAt: `${date}T12:00:00Z` })).reverse(),
        tags: RELEASES.map(([tag]) => tag).reverse(),
        files: { main: { 'README.md': '# inventory\n' } },
      },
      [DEMO_REPO]: { defaultBranch: 'main', releases: [], tags: [], files: { main: { 'README.md': '# Preflight demo\n' } }, collaborators: [DEMO_USER, REVIEWER] },
    },
  };
  const options = { prefix: '/api/v3', fixture, signIn: { token: DEMO_TOKEN, scopes: ['repo'], reviewer: REVIEWER } };
  try {
    return await startGitHubServer({ ...options, port });
  } catch {
    return startGitHubServer(options);
  }
}

/**
 * The user settings that send Preflight and VS Code's GitHub Enterprise account to the demo's
 * GitHub (both are user settings: an address that receives a token is not a workspace's choice).
 * Other settings in the file stay; a file that is not plain JSON is left alone, with a warning.
 */
export function pointSettingsAtGitHub(userDataDir, url) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  let settings = {};
  if (existsSync(file)) {
    try {
      settings = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      console.warn(`demo: ${file} is not plain JSON; set "preflight.github.enterpriseUrl" and "github-enterprise.uri" to ${url} there yourself`);
      return;
    }
  }
  settings['preflight.github.enterpriseUrl'] = url;
  settings['github-enterprise.uri'] = url;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(settings, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}
