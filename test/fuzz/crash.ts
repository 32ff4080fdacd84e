/**
 * Crash during a tick's write: a child process ticks and unticks a runbook as fast as it can
 * and is killed (SIGKILL) at a random moment, while this process reads the file in a loop. Every
 * read, and the file after each kill, must be the runbook with its box in one state or the other:
 * never empty, never cut short, never a mix.
 *
 * The same is run with a plain in-place write as a control, to show the check catches what the
 * atomic write prevents.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface CrashFigures {
  mode: 'atomic' | 'in-place';
  kills: number;
  reads: number;
  /** Reads or final states that were neither of the two valid contents. */
  torn: number;
  /** Temporary files a killed writer left behind (hidden, next to the runbook). */
  leftovers: number;
}

const CHILD = String.raw`
const { writeFileSync } = require('node:fs');
const { writeFileAtomicSync } = require(process.env.ATOMIC);
const file = process.env.FILE;
const offset = Number(process.env.OFFSET);
const atomic = process.env.MODE === 'atomic';
const base = require('node:fs').readFileSync(file);
const a = Buffer.from(base); a[offset] = 0x20;
const b = Buffer.from(base); b[offset] = 0x78;
process.send?.('ready');
for (let i = 0; ; i++) {
  const next = i % 2 ? a : b;
  if (atomic) writeFileAtomicSync(file, next); else writeFileSync(file, next);
}
`;

function runbookText(steps: number): string {
  const out = ['---', 'title: Crash test', '---', '', '# Crash test', ''];
  for (let i = 0; i < steps; i++) out.push(`- [ ] Step ${i}`, '  ```sh', `  echo step ${i} && sleep 0`, '  ```');
  return `${out.join('\n')}\n`;
}

export async function fuzzCrash(mode: CrashFigures['mode'], opts: { deadline: number; atomicModule: string; maxKills?: number }): Promise<CrashFigures> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-crash-'));
  const file = path.join(dir, 'runbook.md');
  const text = runbookText(4000);
  writeFileSync(file, text);
  const offset = text.indexOf('[ ]') + 1;
  const valid = new Set([text, `${text.slice(0, offset)}x${text.slice(offset + 1)}`]);
  const figures: CrashFigures = { mode, kills: 0, reads: 0, torn: 0, leftovers: 0 };
  try {
    while (Date.now() < opts.deadline && figures.kills < (opts.maxKills ?? 200)) {
      const child = spawn(process.execPath, ['-e', CHILD], {
        env: { ...process.env, ATOMIC: opts.atomicModule, FILE: file, OFFSET: String(offset), MODE: mode },
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      await new Promise<void>((resolve) => child.once('message', () => resolve()));
      const killAt = Date.now() + 2 + Math.random() * 25;
      while (Date.now() < killAt) {
        figures.reads++;
        if (!valid.has(readFileSync(file, 'utf8'))) figures.torn++;
      }
      child.kill('SIGKILL');
      await new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
      figures.kills++;
      if (!valid.has(readFileSync(file, 'utf8'))) {
        figures.torn++;
        writeFileSync(file, text);
      }
    }
    figures.leftovers = readdirSync(dir).filter((f) => f !== 'runbook.md').length;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
