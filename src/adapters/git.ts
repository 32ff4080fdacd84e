/**
 * git for the `git:` release-note source: read-only commands run with argument arrays (never a
 * shell), in a stable locale and without prompts, their failures turned into one-line errors.
 */
import { execFile, spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import type { Result } from '../core/releases/model';
import { fail, ok } from '../core/releases/model';
import type { GitRepo } from '../core/releases/sources/git';

const MAX_BUFFER = 1024 * 1024 * 1024;

/** The clone at `dir`, through the git executable (`git` on PATH by default). */
export function gitRepo(dir: string, exe = 'git'): GitRepo {
  const git = new Git(exe, dir);
  return {
    check: () => checkRepo(git, dir),
    run: (args, signal) => git.run(args, signal),
    catBlobs: (oids, signal) => git.catBlobs(oids, signal),
  };
}

async function checkRepo(git: Git, dir: string): Promise<Result<void>> {
  try {
    if (!(await stat(dir)).isDirectory()) return fail('source', `not a directory: ${dir}`);
  } catch {
    return fail('source', `no such directory: ${dir}`);
  }
  const probe = await git.run(['rev-parse', '--git-dir']);
  if (!probe.ok) return probe;
  const head = await git.run(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  return head.ok ? ok(undefined) : fail('git', `${dir} has no commits`);
}

/** Runs git with argument arrays (never a shell) and turns failures into one-line errors. */
class Git {
  constructor(
    private readonly exe: string,
    private readonly dir: string,
  ) {}

  run(args: string[], signal?: AbortSignal): Promise<Result<Buffer>> {
    return new Promise((resolve) => {
      execFile(
        this.exe,
        ['-C', this.dir, ...args],
        { encoding: 'buffer', maxBuffer: MAX_BUFFER, signal, env: gitEnv() },
        (err, stdout, stderr) => {
          if (!err) return resolve(ok(stdout));
          resolve(this.failure(err, stderr.toString('utf8')));
        },
      );
    });
  }

  /** Reads many blobs through one `git cat-file --batch`. */
  catBlobs(oids: string[], signal?: AbortSignal): Promise<Result<Map<string, Buffer>>> {
    if (oids.length === 0) return Promise.resolve(ok(new Map()));
    return new Promise((resolve) => {
      const child = spawn(this.exe, ['-C', this.dir, 'cat-file', '--batch'], { signal, env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      child.on('error', (err) => resolve(this.failure(err, stderr)));
      child.on('close', (code) => {
        if (code !== 0) return resolve(fail('git', `git cat-file failed in ${this.dir}: ${firstLine(stderr) || `exit code ${code}`}`));
        resolve(parseBatch(Buffer.concat(chunks)));
      });
      child.stdin.end(oids.join('\n') + '\n');
    });
  }

  private failure(err: Error & { code?: string | number | null }, stderr: string): Result<never> {
    if (err.code === 'ENOENT') return fail('git', `git is not installed or not on PATH (${this.exe})`);
    if (err.name === 'AbortError') return fail('git', 'git was cancelled');
    if (/not a git repository/i.test(stderr)) return fail('git', `not a git repository: ${this.dir}`);
    if (/dubious ownership/i.test(stderr)) return fail('git', `git refuses ${this.dir} (dubious ownership); add it to safe.directory`);
    return fail('git', `git failed in ${this.dir}: ${firstLine(stderr) || err.message}`);
  }
}

/** `<oid> blob <size>\n<bytes>\n` records; `<name> missing` lines are skipped. */
function parseBatch(out: Buffer): Result<Map<string, Buffer>> {
  const blobs = new Map<string, Buffer>();
  let pos = 0;
  while (pos < out.length) {
    const nl = out.indexOf(0x0a, pos);
    if (nl === -1) break;
    const header = out.subarray(pos, nl).toString('utf8');
    pos = nl + 1;
    const m = /^([0-9a-f]+) (\w+) (\d+)$/.exec(header);
    if (!m) continue;
    const size = Number(m[3]);
    if (m[2] === 'blob') blobs.set(m[1], out.subarray(pos, pos + size));
    pos += size + 1;
  }
  return ok(blobs);
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.replace(/^(?:fatal|error):\s*/, '') ?? '';
}

// Stable, non-interactive output whatever the user's locale and git config.
function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', GIT_OPTIONAL_LOCKS: '0' };
}
