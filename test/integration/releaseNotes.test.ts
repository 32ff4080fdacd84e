import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import * as vscode from 'vscode';
import type { PreflightApi } from '../../src/extension';
import { startGitHubServer, type GitHubServer } from '../support/githubServer';
import { activateExtension, waitFor, workspaceRoot } from '../support/integration';

const repoRoot = path.resolve(__dirname, '../../..');
const rocketchat = path.resolve(repoRoot, '../shared/fixtures/release-notes/rocketchat/HISTORY.md');

function reviewTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.startsWith('Release Notes'));
}

/** A review that fails opens no panel (a tab may take a moment to leave the tab model). */
async function noReviewTab(): Promise<void> {
  await waitFor('the review panel to close', () => reviewTab() === undefined, 5_000);
}

describe('release-note review', function () {
  let api: PreflightApi;

  before(async () => {
    api = await activateExtension();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('reviews a local changelog for a range and shows it in the panel', async () => {
    const rendered = waitFor('the panel to render', async () => {
      try {
        return await api.releaseNotes.nextRender();
      } catch {
        return undefined;
      }
    }, 30_000);
    const review = await api.releaseNotes.review({ source: `file:${rocketchat}`, from: '2.3.0', to: '2.4.1' });
    assert.ok(review, 'a review');
    assert.deepEqual(review.versions.map((v) => v.version), ['2.4.1', '2.4.0', '2.3.3', '2.3.2', '2.3.1']);
    const r = await rendered;
    assert.equal(r.versions, 5);
    assert.ok(r.ms >= 0 && Number.isFinite(r.transitMs), `render timing ${JSON.stringify(r)}`);
    assert.equal(reviewTab()?.label, 'Release Notes 2.3.0 → 2.4.1');
  });

  it('reports an unknown version as an error and opens no panel', async () => {
    const review = await api.releaseNotes.review({ source: `file:${rocketchat}`, from: '2.3.0', to: '9.9.9' });
    assert.equal(review, undefined);
    await noReviewTab();
  });

  it('keeps the open reviews when a review fails, its own range included', async () => {
    const file = path.join(workspaceRoot().fsPath, 'KEPT.md');
    writeFileSync(file, '# Changelog\n\n## 2.0.0\n\n- Drops the `legacy` flag.\n\n## 1.0.0\n\n- First release\n');
    const first = await api.releaseNotes.review({ source: `file:${rocketchat}`, from: '2.3.0', to: '2.4.1' });
    const second = await api.releaseNotes.review({ source: `file:${file}`, from: '1.0.0', to: '2.0.0' });
    assert.ok(first && second, 'two reviews');
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label.startsWith('Release Notes')).map((t) => t.label).sort();
    const both = ['Release Notes 1.0.0 → 2.0.0', 'Release Notes 2.3.0 → 2.4.1'];
    // The tab model hears of a new panel's title a moment later.
    await waitFor('both review tabs', () => tabs().join('|') === both.join('|'), 5_000);

    assert.equal(await api.releaseNotes.review({ source: `file:${rocketchat}`, from: '2.3.0', to: '9.9.9' }), undefined);
    // The same source and range again, now without its notes: its panel stays with what it showed.
    writeFileSync(file, '# Changelog\n\nNothing here.\n');
    assert.equal(await api.releaseNotes.review({ source: `file:${file}`, from: '1.0.0', to: '2.0.0' }), undefined);
    assert.ok(api.releaseNotes.lastFailure(), 'the review failed');
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(tabs(), both);
  });

  it('offers a review above image tags and package.json dependencies', async () => {
    const dir = path.join(workspaceRoot().fsPath, 'it-pins');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'deployment.yaml');
    writeFileSync(file, 'spec:\n  containers:\n    - name: chat\n      image: rocketchat/rocket.chat:2.3.0\n');
    const doc = await vscode.workspace.openTextDocument(file);
    const lenses = await waitFor('pin lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
      return l?.length ? l : undefined;
    });
    assert.equal(lenses[0].range.start.line, 3);
    assert.equal(lenses[0].command?.title, 'Review release notes 2.3.0 → latest');
    assert.deepEqual(lenses[0].command?.arguments, [{ source: 'github:RocketChat/Rocket.Chat', from: '2.3.0', to: 'latest', image: 'rocketchat/rocket.chat' }]);
  });
});

/** Runs `work` while a timer ticks every 50 ms and a Preflight command is run every 250 ms; the longest waits for either. */
async function whileAnswering<T>(work: () => Promise<T>): Promise<{ value: T; maxTickGapMs: number; maxCommandMs: number; commands: number }> {
  let last = Date.now();
  let maxTickGapMs = 0;
  const ticks = setInterval(() => {
    maxTickGapMs = Math.max(maxTickGapMs, Date.now() - last);
    last = Date.now();
  }, 50);
  let running = true;
  let maxCommandMs = 0;
  let commands = 0;
  const asking = (async () => {
    while (running) {
      const started = Date.now();
      await vscode.commands.executeCommand('preflight.showLog');
      maxCommandMs = Math.max(maxCommandMs, Date.now() - started);
      commands++;
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  try {
    const value = await work();
    // A thread held until the work ended never ticked: the wait since the last tick counts too.
    maxTickGapMs = Math.max(maxTickGapMs, Date.now() - last);
    return { value, maxTickGapMs, maxCommandMs, commands };
  } finally {
    running = false;
    clearInterval(ticks);
    await asking;
  }
}

describe('release-note review of hostile notes', function () {
  let api: PreflightApi;
  const settings = () => vscode.workspace.getConfiguration('preflight.releaseNotes');
  const dir = () => path.join(workspaceRoot().fsPath, 'it-hostile');

  before(async () => {
    api = await activateExtension();
    mkdirSync(dir(), { recursive: true });
  });

  afterEach(async () => {
    await settings().update('rules', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('timeLimit', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('reviews a changelog of hostile lines while the extension host keeps answering', async () => {
    const file = path.join(dir(), 'CHANGELOG.md');
    writeFileSync(
      file,
      [
        '# Changelog',
        '',
        '## 2.0.0',
        '',
        '### Engine versions',
        '',
        `- Node: ${'1'.repeat(26)}!`,
        '',
        '### Changes',
        '',
        `* ${' '.repeat(3000)}!`,
        `-${' '.repeat(3000)}breaking`,
        `${'<br> '.repeat(26)}x`,
        '',
        `- ${']('.repeat(20_000)}`,
        '',
        `${'<summary'.repeat(25_000)}`,
        '',
        `### ${'['.repeat(64 * 1024)}`,
        '',
        '- **Breaking:** drop the `legacy_users` table; run the database migration before starting',
        '',
        '## 1.0.0',
        '',
        '- First release',
        '',
      ].join('\n'),
    );
    const { value: review, maxTickGapMs, maxCommandMs, commands } = await whileAnswering(() =>
      api.releaseNotes.review({ source: `file:${file}`, from: '1.0.0', to: '2.0.0' }),
    );
    assert.ok(maxTickGapMs < 1000, `the extension host was held for ${maxTickGapMs} ms`);
    assert.ok(maxCommandMs < 1000, `a command took ${maxCommandMs} ms to answer`);
    assert.ok(commands > 0, 'a command ran during the review');
    assert.ok(review, `a review (${api.releaseNotes.lastFailure()?.message})`);
    assert.deepEqual(review.versions.map((v) => v.version), ['2.0.0']);
    assert.ok(review.versions[0].items.some((i) => i.risks.includes('breaking') && i.risks.includes('db_migration')));
  });

  it('stops an analysis held by a runaway rule of the settings at the time limit while the extension host keeps answering', async () => {
    // (a+)+$ backtracks for tens of seconds on this item; the time limit ends the worker after one.
    await settings().update('rules', [{ pattern: '(a+)+$', risk: 'breaking' }], vscode.ConfigurationTarget.Global);
    await settings().update('timeLimit', 1, vscode.ConfigurationTarget.Global);
    await waitFor('the settings to reach the extension host', () => settings().get<unknown[]>('rules')?.length === 1 && settings().get('timeLimit') === 1);
    const file = path.join(dir(), 'RUNAWAY.md');
    writeFileSync(file, `# Changelog\n\n## 2.0.0\n\n- ${'a'.repeat(28)}!\n\n## 1.0.0\n\n- First release\n`);
    const started = Date.now();
    const { value: review, maxTickGapMs, maxCommandMs, commands } = await whileAnswering(() =>
      api.releaseNotes.review({ source: `file:${file}`, from: '1.0.0', to: '2.0.0' }),
    );
    const elapsed = Date.now() - started;
    assert.ok(maxTickGapMs < 1000, `the extension host was held for ${maxTickGapMs} ms`);
    assert.ok(maxCommandMs < 1000, `a command took ${maxCommandMs} ms to answer`);
    assert.ok(commands > 0, 'a command ran during the review');
    assert.equal(review, undefined);
    assert.equal(api.releaseNotes.lastFailure()?.code, 'time-limit');
    assert.match(api.releaseNotes.lastFailure()!.message, /took longer than 1 s and was stopped \(preflight\.releaseNotes\.timeLimit\); a rule in preflight\.releaseNotes\.rules may be too slow/);
    assert.ok(elapsed < 6000, `${elapsed} ms`);
    await noReviewTab();
  });
});

describe('release-note review from GitHub', function () {
  let api: PreflightApi;
  let server: GitHubServer;

  before(async () => {
    api = await activateExtension();
    server = await startGitHubServer({
      prefix: '/api/v3',
      fixture: {
        repos: {
          'acme/app': {
            defaultBranch: 'main',
            releases: [
              { tag: 'v2.3.0', body: '- Add dark mode.\n', createdAt: '2024-03-01T10:00:00Z' },
              { tag: 'v2.4.0', body: '## Breaking changes\n\n- Requires PostgreSQL 14 or later.\n\n- The migration adds an index to `events` and locks the table.\n', createdAt: '2024-04-10T10:00:00Z' },
              { tag: 'v2.4.1', body: '- Fix a crash on startup.\n', createdAt: '2024-04-20T10:00:00Z' },
            ],
            tags: ['v2.4.1', 'v2.4.0', 'v2.3.0'],
            files: {
              main: { 'docs/UPGRADE.md': '# Upgrade notes\n\n## Upgrading to 2.4.0\n\n- Back up the database first: the migration cannot be undone.\n' },
              'v2.4.1': { 'README.md': '# app\n' },
            },
          },
        },
      },
    });
    // A GitHub Enterprise Server address: requests go to <address>/api/v3.
    await vscode.workspace.getConfiguration('preflight.github').update('enterpriseUrl', server.url, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('preflight.github').update('enterpriseUrl', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await server?.close();
  });

  it('reads releases and upgrade notes, and a repeated review costs no counted request', async () => {
    const review = await api.releaseNotes.review({ source: 'github:acme/app', from: '2.3.0', to: '2.4.1' });
    assert.ok(review);
    assert.deepEqual(review.versions.map((v) => v.version), ['2.4.1', '2.4.0']);
    const risks = new Set(review.versions[1].items.flatMap((i) => i.risks));
    for (const r of ['breaking', 'db_engine_requirement', 'db_migration', 'data_loss']) assert.ok(risks.has(r as never), `${r} in ${[...risks].join(', ')}`);
    assert.ok(review.versions[1].items.some((i) => i.file === 'docs/UPGRADE.md'), 'upgrade notes from the default branch');
    assert.deepEqual(server.violations, []);
    const counted = server.countedRequests();
    assert.ok(counted > 0);
    const again = await api.releaseNotes.review({ source: 'github:acme/app', from: '2.3.0', to: '2.4.1' });
    assert.ok(again);
    assert.equal(server.countedRequests(), counted, 'answered with 304s from the ETag cache');
    assert.deepEqual(server.violations, []);
  });

  it('says which repository was not found', async () => {
    const review = await api.releaseNotes.review({ source: 'github:acme/nope', from: '1.0.0', to: '2.0.0' });
    assert.equal(review, undefined);
    assert.deepEqual(server.violations, []);
  });
});

describe('release-note review from a GitHub that never answers', function () {
  let api: PreflightApi;
  let server: Server;
  const held: ServerResponse[] = [];

  before(async () => {
    api = await activateExtension();
    server = createServer((_req, res) => void held.push(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await vscode.workspace.getConfiguration('preflight.github').update('enterpriseUrl', `http://127.0.0.1:${(server.address() as AddressInfo).port}`, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('preflight.network').update('timeout', 1, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('preflight.github').update('enterpriseUrl', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('preflight.network').update('timeout', undefined, vscode.ConfigurationTarget.Global);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('gives up after preflight.network.timeout seconds, three times for a read', async () => {
    const started = Date.now();
    const review = await api.releaseNotes.review({ source: 'github:acme/app', from: '1.0.0', to: '2.0.0' });
    assert.equal(review, undefined);
    assert.equal(held.length, 3);
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
  });
});
