// `npm run bench`: prints one JSON object per line: {"name", "value", "unit", "target"?}.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mustRun, root, support } from './lib.mjs';
import { packageExtension } from './package.mjs';

const emit = (name, value, unit, target) =>
  console.log(JSON.stringify(target === undefined ? { name, value, unit } : { name, value, unit, target }));

// Packaging builds dist/ and out/ first; keep the tools' own output off stdout.
const vsix = packageExtension({ quiet: true });
emit('extension_bundle_size', statSync(path.join(root, 'dist/extension.js')).size, 'bytes');
emit('vsix_size', statSync(vsix).size, 'bytes', '< 1000000');

const { runInExtensionHost } = support('extensionHost');
const workspace = mkdtempSync(path.join(os.tmpdir(), 'preflight-bench-'));
try {
  const r = await runInExtensionHost({
    testsPath: path.join(root, 'out/test/bench/host.js'),
    workspace,
    resultsFile: path.join(root, 'test-results', 'bench-host.json'),
    label: 'bench',
    report: false,
  });
  const round = (n) => Number(n.toFixed(3));
  emit('activation_time', round(r.activationTimeMs), 'ms', '< 20');
  emit('host_heap_used_large_runbook', round(r.hostHeapUsedMb), 'MiB');
  emit('host_heap_growth_large_runbook', round(r.hostHeapGrowthMb), 'MiB');
  emit('host_rss_large_runbook', round(r.hostRssMb), 'MiB');
  emit('release_notes_panel_render_300_versions', round(r.panelRenderMs), 'ms', '< 300');
  emit('release_notes_panel_render_300_versions_first', round(r.panelRenderFirstMs), 'ms');
  emit('release_notes_panel_view_model_300_versions', round(r.panelViewModelMs), 'ms');
  emit('release_notes_panel_message_transit', r.panelTransitMs, 'ms');
  emit('release_notes_panel_dom_300_versions', round(r.panelDomMs), 'ms');
  emit('release_notes_panel_payload_300_versions', r.panelPayloadBytes, 'bytes');
} finally {
  rmSync(workspace, { recursive: true, force: true });
}

for (const bench of ['runbooks', 'releases', 'pullRequest', 'registry', 'planRecord', 'pins']) {
  const file = path.join(root, 'out/test/bench', `${bench}.js`);
  try {
    statSync(file);
  } catch {
    continue;
  }
  mustRun(process.execPath, ['--expose-gc', file]);
}

// The highlighter's overall figures on the labelled corpus (`npm run eval` has them per risk and project).
const TARGETS = { recallHigh: '>= 0.95', recall: '>= 0.90', flagRate: '<= 0.15', trapsFlagged: '<= 0.05' };
const evalOut = execFileSync(process.execPath, [path.join(root, 'out/test/eval/main.js')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
for (const line of evalOut.split('\n')) {
  if (!line.startsWith('{')) continue;
  const r = JSON.parse(line);
  if (r.scope !== 'overall') continue;
  const part = r.part === 'held-out' ? 'heldout' : r.part === 'development' ? 'dev' : r.part.replace(/-/g, '_');
  for (const key of ['recallHigh', 'recall', 'precision', 'flagRate', 'trapsFlagged']) {
    const name = `highlighter_${part}_${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
    emit(name, r[key], 'ratio', part === 'heldout' ? TARGETS[key] : undefined);
  }
}
