/**
 * Run logs on disk, as the extension and the CLI keep them: one folder per runbook under the log
 * directory, one JSON Lines file per run, created exclusively so two runs never share one, each
 * record appended and flushed as it happens.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { logFileName } from '../core/runbook';

/** The folder that holds a runbook's run logs. */
export function logFolder(logDir: string, relPath: string): string {
  return path.dirname(path.join(logDir, logFileName(relPath, new Date())));
}

/** The latest run log of a runbook (names sort in start order), if it has one. */
export function latestLogFile(logDir: string, relPath: string): string | undefined {
  return logFiles(logDir, relPath)[0];
}

/** Every run log of a runbook, newest first. */
export function logFiles(logDir: string, relPath: string): string[] {
  const folder = logFolder(logDir, relPath);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .reverse()
    .map((f) => path.join(folder, f));
}

/** A new log file, created exclusively: two runs started at the same moment never share one. */
export function createLogFile(logDir: string, relPath: string, now: Date = new Date()): string {
  for (let attempt = 0; ; attempt++) {
    const file = path.join(logDir, logFileName(relPath, now, randomBytes(2).toString('hex')));
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      closeSync(openSync(file, 'wx', 0o644));
      return file;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 20) throw err;
    }
  }
}

/** Appends one record. */
export function appendRecord(file: string, text: string): void {
  appendFileSync(file, text);
}

/** Appends one record and flushes it to the disk before returning: a killed or crashed run loses nothing it recorded. */
export function appendRecordDurably(file: string, text: string): void {
  const fd = openSync(file, 'a');
  try {
    const bytes = Buffer.from(text, 'utf8');
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** The operator: git's user.name for the folder, else the OS user. */
export function operatorName(cwd: string): Promise<string> {
  return new Promise((resolve) => {
    execFile('git', ['config', 'user.name'], { cwd, timeout: 2000 }, (err, stdout) => {
      const name = stdout?.trim();
      resolve(!err && name ? name : osUser());
    });
  });
}
