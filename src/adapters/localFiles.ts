/** Local files for the `file:` release-note source. */
import { readFile, stat } from 'node:fs/promises';
import type { LocalRead } from '../core/releases/sources/file';

export async function readLocalFile(absolutePath: string): Promise<LocalRead> {
  try {
    if (!(await stat(absolutePath)).isFile()) return { notAFile: true };
    return { bytes: await readFile(absolutePath) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
    return { error: (err as Error).message };
  }
}
