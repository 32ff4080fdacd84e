/**
 * What a local clone says about where a file's pull request goes: the clone's root, its origin on
 * GitHub, and the default branch and commit origin/HEAD names. Git is only read.
 */
import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { type GitRemote, parseGitRemote } from '../core/github/remote';

export interface Clone {
  root: string;
  origin: GitRemote | null;
  /** The branch origin/HEAD names. */
  defaultBranch?: string;
}

export async function readClone(file: string): Promise<Clone | undefined> {
  const root = await git(path.dirname(file), ['rev-parse', '--show-toplevel']);
  if (!root) return undefined;
  const [url, head] = await Promise.all([git(root, ['remote', 'get-url', 'origin']), git(root, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'])]);
  return {
    root: await realpath(root),
    origin: url ? parseGitRemote(url) : null,
    defaultBranch: head?.replace(/^origin\//, ''),
  };
}

/** The commit the clone last saw on origin's branch, if it has one. */
export function remoteBranchSha(clone: Clone, branch: string): Promise<string | undefined> {
  return git(clone.root, ['rev-parse', '--verify', '--quiet', `refs/remotes/origin/${branch}^{commit}`]);
}

/** The branch checked out, unless HEAD is detached. */
export function currentBranch(clone: Clone): Promise<string | undefined> {
  return git(clone.root, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
}

/** A file as a commit holds it, when the clone has that commit; undefined otherwise (or when the commit has no such file). */
export function fileAtCommit(clone: Clone, commit: string, repoPath: string): Promise<Buffer | undefined> {
  if (!/^[0-9a-f]{40}$/i.test(commit)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    execFile('git', ['cat-file', 'blob', `${commit}:${repoPath}`], { cwd: clone.root, timeout: 10_000, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (err, stdout) =>
      resolve(err ? undefined : stdout),
    );
  });
}

/** The file's path inside its clone, with forward slashes. */
export async function pathInClone(clone: Clone, file: string): Promise<string> {
  return path.relative(clone.root, await realpath(file)).split(path.sep).join('/');
}

/** A read-only git command's output, trimmed; undefined when it fails. */
function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 10_000 }, (err, stdout) => resolve(err ? undefined : stdout.trim() || undefined));
  });
}
