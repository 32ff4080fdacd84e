// Runbook benchmarks in plain Node: prints one JSON line per figure.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { runProcess } from '../../src/adapters/exec/processRunner';
import { stepScript } from '../../src/core/exec/stepScript';
import { parseRunbook, stepLenses } from '../../src/core/runbook';
import { generateRunbook } from '../support/generators';

const emit = (name: string, value: number, unit: string, target?: string) =>
  console.log(JSON.stringify(target === undefined ? { name, value: Number(value.toFixed(3)), unit } : { name, value: Number(value.toFixed(3)), unit, target }));

/** Median wall time of fn over runs, after warm-up runs. */
function median(fn: () => unknown, runs = 9, warmup = 3): number {
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

const big = generateRunbook(10_000);
const md = new MarkdownIt();
const base = median(() => md.parse(big, {}));
const parse = median(() => parseRunbook(big));
const lenses = median(() => stepLenses(parseRunbook(big), new Map()));
emit('runbook_10k_steps_bytes', Buffer.byteLength(big), 'bytes');
emit('runbook_parse_ratio', parse / base, 'x markdown-it parse', '<= 1.3');
emit('runbook_codelens_ratio', lenses / base, 'x markdown-it parse', '<= 1.3');

const small = generateRunbook(200);
emit('runbook_codelens_200_steps', median(() => stepLenses(parseRunbook(small), new Map()), 51, 10), 'ms', '< 10');

// From "Run" to the step's process starting, for a step run as a process: the script is
// generated and written, then the shell is spawned.
const dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-bench-'));
const starts: number[] = [];
async function runToStart(): Promise<void> {
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    const file = path.join(dir, `step-${i}.sh`);
    writeFileSync(file, stepScript('true\n', { shell: 'bash' }), { mode: 0o600 });
    const run = runProcess({ shell: 'bash', scriptFile: file, cwd: dir, env: process.env, onOutput: () => undefined });
    await run.started;
    starts.push(performance.now() - t);
    await run.done;
  }
}
runToStart().then(() => {
  starts.sort((a, b) => a - b);
  emit('run_to_process_start', starts[starts.length >> 1], 'ms', '< 50');
  rmSync(dir, { recursive: true, force: true });
});
