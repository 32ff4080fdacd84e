// Loaded by the extension host as its tests module from `npm run bench`: measures activation,
// memory with a large runbook open, and the release-note panel's render of 300 versions, then
// writes the figures to PREFLIGHT_RESULTS.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { reviewView, type Review, type ReviewVersion } from '../../src/core/releases';
import { generateRunbook } from '../support/generators';
import type { PreflightApi } from '../../src/extension';

function syntheticReview(versions: number): Review {
  const list: ReviewVersion[] = [];
  for (let i = versions; i > 0; i--) {
    const version = `${Math.floor(i / 100) + 1}.${Math.floor(i / 10) % 10}.${i % 10}`;
    list.push({
      version,
      date: '2024-01-01',
      items: Array.from({ length: 6 }, (_, j) => ({
        text: j === 0 && i % 7 === 0 ? `- Add an index on \`events.created_at\` (migration ${i}); it locks the table on large installs` : `- Fix item ${j} of ${version} ([#${i * 10 + j}](https://example.com/pull/${i * 10 + j}))`,
        file: 'CHANGELOG.md',
        line: i * 10 + j,
        endLine: i * 10 + j,
        risks: j === 0 && i % 7 === 0 ? ['db_migration', 'db_lock_or_downtime'] : [],
        heading: ['Changes'],
      })),
    });
  }
  return { source: 'file:CHANGELOG.md', from: '0.0.1', to: list[0].version, versions: list, summary: {}, engines: [], problems: [] };
}

export async function run(): Promise<void> {
  const out = process.env.PREFLIGHT_RESULTS;
  if (!out) throw new Error('PREFLIGHT_RESULTS is not set');
  const ext = vscode.extensions.getExtension<PreflightApi | undefined>('preflight.preflight');
  if (!ext) throw new Error('preflight.preflight is not loaded');
  const api = await ext.activate();
  if (!api) throw new Error('preflight.preflight exported no test hooks: the benchmark must run in ExtensionMode.Test');
  const results: Record<string, number> = { activationTimeMs: api.activationTimeMs };

  // Memory of the extension host with a 10,000-step runbook open and its CodeLenses computed.
  const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
  mkdirSync(path.join(folder, 'bench'), { recursive: true });
  const file = path.join(folder, 'bench', 'large.md');
  writeFileSync(file, generateRunbook(10_000));
  global.gc?.();
  const before = process.memoryUsage();
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
  global.gc?.();
  const after = process.memoryUsage();
  results.largeRunbookLenses = lenses.length;
  results.hostHeapUsedMb = after.heapUsed / 2 ** 20;
  results.hostHeapGrowthMb = (after.heapUsed - before.heapUsed) / 2 ** 20;
  results.hostRssMb = after.rss / 2 ** 20;
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');

  // The review panel with 300 versions: from handing over the review to the page's DOM built.
  const review = syntheticReview(300);
  await api.releaseNotes.show(syntheticReview(3)); // the first show loads the page itself
  let t = performance.now();
  await api.releaseNotes.show(syntheticReview(3));
  results.panelRoundTripSmallMs = performance.now() - t;
  t = performance.now();
  reviewView(review);
  results.panelViewModelMs = performance.now() - t;
  // Median of five renders: one figure on a shared 2-core machine is mostly noise.
  const runs: { total: number; dom: number; transit: number }[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const rendered = await api.releaseNotes.show(review);
    runs.push({ total: performance.now() - started, dom: rendered.ms, transit: rendered.transitMs });
    if (rendered.versions !== 300) throw new Error(`the panel rendered ${rendered.versions} versions`);
  }
  const median = (k: 'total' | 'dom' | 'transit') => runs.map((r) => r[k]).sort((a, b) => a - b)[2];
  results.panelRenderMs = median('total');
  results.panelRenderFirstMs = runs[0].total;
  results.panelDomMs = median('dom');
  results.panelTransitMs = median('transit');
  results.panelPayloadBytes = JSON.stringify(reviewView(review)).length;
  results.panelVersions = 300;
  writeFileSync(out, JSON.stringify(results));
}
