/**
 * The platform a workspace deploys to, read from its YAML manifests and Helm charts for the upgrade
 * plan's example commands. Bounded: a few folder levels, a fixed number of files, the first part of
 * each; dependencies, build output and version-control folders are skipped.
 */
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';
import { detectPlatform, isManifestPath, MANIFEST_CHARS, type Platform, type WorkspaceFile } from '../core/plan';

const MAX_DEPTH = 4;
const MAX_FILES = 200;
const SKIP = new Set(['node_modules', '.git', 'dist', 'out', 'build', 'vendor', 'target', '.venv', '__pycache__', '.vscode-test']);

export function scanPlatform(workspace: string): Platform | undefined {
  const files: WorkspaceFile[] = [];
  const walk = (dir: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      return;
    }
    for (const e of entries) {
      if (files.length >= MAX_FILES) return;
      const abs = path.join(dir, e.name);
      if (e.isDirectory() && depth < MAX_DEPTH && !SKIP.has(e.name)) walk(abs, depth + 1);
      else if (e.isFile() && isManifestPath(e.name)) {
        const text = head(abs);
        if (text !== undefined) files.push({ path: path.relative(workspace, abs).split(path.sep).join('/'), text });
      }
    }
  };
  walk(workspace, 0);
  return detectPlatform(files);
}

function head(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(MANIFEST_CHARS);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
