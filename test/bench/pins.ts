// Pin scanning benchmarks in plain Node: a workspace of 2,000 manifests (Deployments, Flux
// HelmReleases, Helm values files in dev, staging and prod) scanned for pins and drift.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readWorkspaceFiles } from '../../src/adapters/workspaceFiles';
import { driftReport } from '../../src/core/drift/drift';
import { scanWorkspace } from '../../src/core/drift/scan';
import { largeWorkspace } from '../support/driftWorkspace';

const emit = (name: string, value: number, unit: string, target?: string) =>
  console.log(JSON.stringify(target === undefined ? { name, value: Number(value.toFixed(3)), unit } : { name, value: Number(value.toFixed(3)), unit, target }));

function median(fn: () => unknown, runs = 7, warmup = 2): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

const files = largeWorkspace(2000);
const pins = scanWorkspace(files);
if (pins.length < 1900) throw new Error(`the benchmark workspace yields ${pins.length} pins, expected about 2,000`);
emit('pins_scan_2000_manifests', median(() => driftReport(scanWorkspace(files))), 'ms', '< 1000');

// As `preflight drift` does it: the files read from disk, then scanned.
const dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-bench-pins-'));
try {
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    writeFileSync(path.join(dir, f.path), f.text);
  }
  emit('pins_scan_2000_manifests_from_disk', median(() => driftReport(scanWorkspace(readWorkspaceFiles(dir).files))), 'ms', '< 1000');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
