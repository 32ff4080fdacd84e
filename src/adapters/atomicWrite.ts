/**
 * Atomic file writes: the bytes go to a temporary file in the same folder, are flushed to disk,
 * and the temporary file is renamed over the target. A crash or a kill at any moment leaves
 * either the old file or the new one, never a truncated mix, and a concurrent reader never sees
 * an empty file. An existing file keeps its permissions.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

export interface AtomicWriteOptions {
  /** Permissions for a new file (an existing file keeps its own). Default 0o666 minus the umask. */
  mode?: number;
}

function tempName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Temporary files of this target that a writer killed mid-write left behind (older than a minute). */
function removeStaleTemps(file: string): void {
  const dir = path.dirname(file);
  const prefix = `.${path.basename(file)}.`;
  try {
    for (const name of readdirSync(dir)) {
      if (!name.startsWith(prefix) || !/^[0-9a-f]{12}\.tmp$/.test(name.slice(prefix.length))) continue;
      const p = path.join(dir, name);
      if (Date.now() - statSync(p).mtimeMs > 60_000) rmSync(p, { force: true });
    }
  } catch {
    // best effort
  }
}

/** Permissions of the file being replaced, or the requested mode for a new one. */
function modeFor(existing: { mode: number } | undefined, opts: AtomicWriteOptions): number | undefined {
  return existing ? existing.mode & 0o7777 : opts.mode;
}

export function writeFileAtomicSync(file: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  let existing: { mode: number } | undefined;
  try {
    existing = statSync(file);
  } catch {
    existing = undefined;
  }
  const mode = modeFor(existing, opts);
  const tmp = tempName(file);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', mode ?? 0o666);
    // The umask applies to a new file's mode; a replaced file keeps exactly its own.
    if (existing && mode !== undefined) fchmodSync(fd, mode);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  syncDirSync(path.dirname(file));
  removeStaleTemps(file);
}

export async function writeFileAtomic(file: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): Promise<void> {
  let existing: { mode: number } | undefined;
  try {
    existing = await stat(file);
  } catch {
    existing = undefined;
  }
  const mode = modeFor(existing, opts);
  const tmp = tempName(file);
  try {
    const handle = await open(tmp, 'wx', mode ?? 0o666);
    try {
      if (existing && mode !== undefined) await handle.chmod(mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDir(path.dirname(file));
  removeStaleTemps(file);
}

/** Makes the rename itself durable; folders that cannot be opened (some platforms) are skipped. */
function syncDirSync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}
