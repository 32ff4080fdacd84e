// `npm run bench` (or `node out/test/bench/releases.js`): release-note figures, one JSON line each:
// GitHub requests against the local test server, and the parser's cost relative to markdown-it.
import MarkdownIt from 'markdown-it';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildReview, createGitHubSource, listAllReleases } from '../../src/core/releases';
import { createOctokitGitHub } from '../../src/github/octokit';
import { releaseSeries, seriesVersion, startGitHubServer } from '../support/githubServer';
import { parseNotes } from '../../src/core/releases';

const HISTORY = path.resolve(__dirname, '../../../../shared/fixtures/release-notes/rocketchat/HISTORY.md');
const RELEASES = 250;

function emit(name: string, value: number, unit: string, target: string): void {
  console.log(JSON.stringify({ name, value, unit, target }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median milliseconds of each function; runs alternate so that drift and GC hit both alike. */
function timeRuns(fns: (() => void)[], warmups: number, runs: number): number[] {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < warmups; i++) for (const fn of fns) fn();
  const times = fns.map((): number[] => []);
  for (let i = 0; i < runs; i++) {
    fns.forEach((fn, k) => {
      gc?.();
      const start = performance.now();
      fn();
      times[k].push(performance.now() - start);
    });
  }
  return times.map(median);
}

async function githubFigures(): Promise<void> {
  const server = await startGitHubServer({
    fixture: {
      repos: {
        'acme/app': {
          defaultBranch: 'main',
          releases: releaseSeries(RELEASES),
          tags: releaseSeries(RELEASES).map((r) => r.tag).reverse(),
          files: {
            main: { 'docs/UPGRADE.md': `# Upgrading\n\n## Upgrading to ${seriesVersion(RELEASES - 1)}\n\n- Run the migrations.\n` },
            [`v${seriesVersion(RELEASES - 1)}`]: { 'CHANGELOG.md': `# Changelog\n\n## ${seriesVersion(RELEASES - 1)}\n\n- Faster startup.\n` },
          },
        },
      },
    },
  });
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'preflight-bench-gh-'));
  try {
    const lister = createOctokitGitHub({ baseUrl: server.apiUrl });
    const listed = await listAllReleases(lister, { owner: 'acme', repo: 'app' });
    if (!listed.ok || listed.value.length !== RELEASES) throw new Error(`listing ${RELEASES} releases failed`);
    emit('github_requests_list_releases', lister.counters().requests, 'requests', `<= ${Math.ceil(RELEASES / 100)}`);

    const review = async () => {
      const api = createOctokitGitHub({ baseUrl: server.apiUrl, cacheDir });
      const source = createGitHubSource('acme/app', { api });
      if (!source.ok) throw new Error(source.error.message);
      const r = await buildReview(source.value, seriesVersion(RELEASES - 30), seriesVersion(RELEASES - 1));
      if (!r.ok) throw new Error(r.error.message);
      return api.counters();
    };
    await review();
    emit('github_counted_requests_warm_cache', (await review()).counted, 'requests', '0');
    if (server.violations.length) throw new Error(`the GitHub test server recorded violations:\n${server.violations.join('\n')}`);
  } finally {
    await server.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

function parseFigure(): void {
  const text = readFileSync(HISTORY, 'utf8');
  const md = new MarkdownIt();
  const [ours, baseline] = timeRuns([() => parseNotes(text, 'HISTORY.md'), () => md.parse(text, {})], 2, 7);
  emit('release_notes_parse_ratio', Number((ours / baseline).toFixed(3)), 'ratio', '<= 1.5');
}

githubFigures()
  .then(parseFigure)
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  });
