/**
 * Where step scripts and secret pipes live while a step runs: a private folder (0700), scripts
 * 0600 in it, written atomically.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomicSync } from '../atomicWrite';

/** A private folder for one runner's scripts and pipes. */
export class ScriptDir {
  private dir: string | undefined;

  /** `parent`: where the folder is made (default: the system's temporary folder). */
  constructor(private readonly parent?: string) {}

  /** The folder, created (0700) on first use and again if it was removed. */
  get path(): string {
    if (!this.dir) this.dir = mkdtempSync(path.join(this.parent ?? os.tmpdir(), 'preflight-'));
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    return this.dir;
  }

  /** Writes a block's script (0600). */
  writeScript(name: string, text: string): string {
    const file = path.join(this.path, `${slugOf(name)}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}.sh`);
    writeFileAtomicSync(file, text, { mode: 0o600 });
    return file;
  }

  /** Removes the folder and whatever is left in it. */
  remove(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}

export function slugOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'step';
}

/**
 * Hands secret values to the shell through a named pipe: the script reads them NUL-separated,
 * so they exist only in the two processes' memory and the kernel's pipe buffer, never in a file,
 * the terminal or its history. Undefined when the system cannot make a pipe.
 */
export class SecretPipe {
  private constructor(
    readonly file: string,
    private readonly values: string[],
  ) {}

  static create(dir: ScriptDir, name: string, values: string[]): SecretPipe | undefined {
    const file = path.join(dir.path, `${slugOf(name)}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}.fifo`);
    try {
      execFileSync('mkfifo', ['-m', '600', file], { stdio: 'ignore' });
    } catch {
      return undefined;
    }
    return new SecretPipe(file, values);
  }

  /** Writes the values once the shell opens the pipe; resolves when they are delivered or abandoned. */
  async deliver(): Promise<void> {
    try {
      const handle = await open(this.file, 'w');
      try {
        await handle.writeFile(this.values.map((v) => `${v}\0`).join(''));
      } finally {
        await handle.close();
      }
    } catch {
      // the pipe was abandoned (the step ended before its script read it)
    } finally {
      rmSync(this.file, { force: true });
    }
  }

  /** Releases a writer still waiting for a reader that will never come. */
  abandon(): void {
    try {
      closeSync(openSync(this.file, constants.O_RDONLY | constants.O_NONBLOCK));
    } catch {
      // already delivered and removed
    }
    rmSync(this.file, { force: true });
  }
}
