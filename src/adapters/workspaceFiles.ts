/**
 * The files of a workspace folder that may hold version pins (YAML manifests, Dockerfiles,
 * package.json), read from disk for `preflight drift`. Folders starting with a dot and
 * `node_modules` are skipped, links are not followed, and a file over MAX_FILE_BYTES or past
 * MAX_FILES is left out (and counted), so a huge checkout cannot exhaust memory.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkspaceFile } from '../core/drift/scan';

export const MAX_FILE_BYTES = 2 * 1024 * 1024;
export const MAX_FILES = 50_000;

const SKIPPED_DIRS = new Set(['node_modules', 'bower_components', 'vendor']);

/** Whether a file name is one the pin scanners read. */
export function isPinFile(name: string): boolean {
  const base = name.toLowerCase();
  return (
    base.endsWith('.yaml') ||
    base.endsWith('.yml') ||
    base === 'package.json' ||
    base === 'dockerfile' ||
    base === 'containerfile' ||
    base.startsWith('dockerfile.') ||
    base.endsWith('.dockerfile')
  );
}

export function readWorkspaceFiles(root: string): { files: WorkspaceFile[]; skipped: number } {
  const files: WorkspaceFile[] = [];
  let skipped = 0;
  const walk = (dir: string, rel: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && !SKIPPED_DIRS.has(e.name)) walk(path.join(dir, e.name), relPath);
      } else if (e.isFile() && isPinFile(e.name)) {
        const full = path.join(dir, e.name);
        if (files.length >= MAX_FILES || lstatSync(full).size > MAX_FILE_BYTES) {
          skipped++;
          continue;
        }
        try {
          files.push({ path: relPath, text: readFileSync(full, 'utf8') });
        } catch {
          skipped++;
        }
      }
    }
  };
  walk(root, '');
  return { files, skipped };
}
