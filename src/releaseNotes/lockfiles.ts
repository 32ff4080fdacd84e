/**
 * The lockfile that covers a package.json, for its version-pin lenses: the first of
 * npm-shrinkwrap.json, package-lock.json, pnpm-lock.yaml and yarn.lock in its folder, else in the
 * folders above it up to its workspace folder (a workspace's lockfile sits at its root). Each
 * lockfile is read and parsed once per change on disk.
 */
import * as vscode from 'vscode';
import { LOCKFILE_NAMES, MAX_LOCKFILE_BYTES, parseLockfile, type LockfileContext, type LockfileName } from '../core/releases';

interface Cached {
  mtime: number;
  size: number;
  parsed: ReturnType<typeof parseLockfile>;
}

export class LockfileReader implements vscode.Disposable {
  private readonly cache = new Map<string, Cached>();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** A lockfile was created, changed or deleted: the versions of the pins may have changed. */
  readonly onDidChange = this.emitter.event;
  private readonly watcher = vscode.workspace.createFileSystemWatcher(`**/{${LOCKFILE_NAMES.join(',')}}`);
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    const changed = (uri: vscode.Uri) => {
      this.cache.delete(uri.toString());
      this.emitter.fire();
    };
    this.subscriptions = [this.watcher.onDidCreate(changed), this.watcher.onDidChange(changed), this.watcher.onDidDelete(changed)];
  }

  /** The lockfile of the package.json at `uri`, with the package's folder relative to the lockfile's. */
  async contextFor(uri: vscode.Uri): Promise<LockfileContext> {
    const root = vscode.workspace.getWorkspaceFolder(uri)?.uri;
    const dirs: vscode.Uri[] = [];
    for (let dir = vscode.Uri.joinPath(uri, '..'); ; dir = vscode.Uri.joinPath(dir, '..')) {
      dirs.push(dir);
      // Outside every workspace folder only the file's own folder counts.
      if (!root || !dir.path.startsWith(`${root.path}/`) || dir.path === root.path || dirs.length > 32) break;
    }
    for (const dir of dirs) {
      for (const name of LOCKFILE_NAMES) {
        const file = vscode.Uri.joinPath(dir, name);
        let stat: vscode.FileStat;
        try {
          stat = await vscode.workspace.fs.stat(file);
        } catch {
          continue;
        }
        if (stat.type !== vscode.FileType.File) continue;
        const importer = uri.path.slice(dir.path.length + 1).split('/').slice(0, -1).join('/');
        if (stat.size > MAX_LOCKFILE_BYTES) return { problem: `${name} is over ${MAX_LOCKFILE_BYTES / 1024 / 1024} MB` };
        const parsed = await this.read(file, name, stat);
        return parsed.ok ? { lockfile: parsed.value, importer } : { problem: parsed.error };
      }
    }
    return { problem: 'no lockfile' };
  }

  private async read(file: vscode.Uri, name: LockfileName, stat: vscode.FileStat): Promise<ReturnType<typeof parseLockfile>> {
    const key = file.toString();
    const hit = this.cache.get(key);
    if (hit && hit.mtime === stat.mtime && hit.size === stat.size) return hit.parsed;
    let parsed: ReturnType<typeof parseLockfile>;
    try {
      parsed = parseLockfile(name, new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(file)));
    } catch (err) {
      parsed = { ok: false, error: `${name} cannot be read: ${(err as Error).message}` };
    }
    this.cache.set(key, { mtime: stat.mtime, size: stat.size, parsed });
    return parsed;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.watcher.dispose();
    this.emitter.dispose();
  }
}
