/**
 * `git:PATH`: a local clone, bare or not. Versions are the tags (with their dates); notes are the
 * release-note files found at the `to` tag and on the default branch (HEAD), because upgrade notes
 * are often amended after a release. HEAD's copy comes first so its line numbers win when the review
 * drops identical items.
 */
import { execFile, spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { NoteFile } from '../discovery';
import { discoverNoteFiles } from '../discovery';
import type { Problem, Result } from '../model';
import { fail, ok } from '../model';
import type { NoteBundle, NoteDocument, ReadOptions, ReleaseSource, VersionRange, VersionRef } from '../ports';
import { canonicalVersion, compareVersions, isoDay, sortNewestFirst, tagRank } from '../version';
import { decodeText } from './decode';

export interface GitSourceOptions {
  cwd?: string;
  /** The git executable; `git` on PATH by default. */
  git?: string;
  /** Release-note files or folders (`notes/`) to read besides the ones found by name. */
  files?: readonly string[];
}

const MAX_BUFFER = 1024 * 1024 * 1024;

export function createGitSource(spec: string, opts: GitSourceOptions = {}): Result<ReleaseSource> {
  if (!spec.trim()) return fail('source', 'git: needs the path of a local clone (git:/path/to/repo)');
  const dir = path.resolve(opts.cwd ?? process.cwd(), spec.trim());
  const git = new Git(opts.git ?? 'git', dir);
  let checked: Promise<Result<void>> | undefined;
  const check = () => (checked ??= checkRepo(git, dir));

  return ok({
    id: `git:${dir}`,
    async listVersions(ro?: ReadOptions) {
      const ready = await check();
      if (!ready.ok) return ready;
      const out = await git.run(['for-each-ref', '--format=%(refname:strip=2)%00%(creatordate:iso-strict)', 'refs/tags'], ro?.signal);
      if (!out.ok) return out;
      const byVersion = new Map<string, VersionRef>();
      for (const line of out.value.toString('utf8').split('\n')) {
        const [tag, date] = line.split('\0');
        const version = tag ? canonicalVersion(tag) : null;
        if (!version) continue;
        const seen = byVersion.get(version);
        if (!seen || tagRank(tag, version) < tagRank(seen.tag!, version)) byVersion.set(version, { version, tag, date: isoDay(date) });
      }
      return ok(sortNewestFirst([...byVersion.values()], (v) => v.version));
    },
    async readNotes(range: VersionRange, ro?: ReadOptions) {
      const ready = await check();
      if (!ready.ok) return ready;
      const refs = ['HEAD'];
      if (ro?.toTag) refs.push(`refs/tags/${ro.toTag}`);
      return readAtRefs(git, refs, range, opts.files ?? [], ro?.signal);
    },
  });
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

const KIND_ORDER: Record<NoteFile['kind'], number> = { changelog: 0, 'version-file': 1, upgrade: 2 };

interface Entry {
  file: NoteFile;
  oid: string;
  ref: string;
}

async function readAtRefs(git: Git, refs: string[], range: VersionRange, files: readonly string[], signal?: AbortSignal): Promise<Result<NoteBundle>> {
  const entries: Entry[] = [];
  const problems: Problem[] = [];
  for (const ref of refs) {
    const listing = await git.run(['ls-tree', '-r', '-z', '--full-tree', ref], signal);
    if (!listing.ok) {
      // A missing tag is not fatal: HEAD may still hold the notes.
      if (ref !== 'HEAD') {
        problems.push({ message: `cannot list files at ${shortRef(ref)}: ${listing.error.message}` });
        continue;
      }
      return listing;
    }
    const oids = new Map<string, string>();
    for (const record of listing.value.toString('utf8').split('\0')) {
      // Symlinks (mode 120000) are blobs holding a path; their target is listed on its own.
      const m = /^(\d+) blob ([0-9a-f]+)\t(.+)$/s.exec(record);
      if (m && m[1] !== '120000') oids.set(m[3], m[2]);
    }
    for (const file of discoverNoteFiles([...oids.keys()], files)) {
      // One file per version: only the versions the review needs (`from` too, for engine diffs).
      if (file.version && (compareVersions(file.version, range.from) < 0 || compareVersions(file.version, range.to) > 0)) continue;
      entries.push({ file, oid: oids.get(file.path)!, ref: shortRef(ref) });
    }
  }
  // The same blob at HEAD and at the tag is read and parsed once.
  const unique = new Map<string, Entry>();
  for (const e of entries) if (!unique.has(`${e.file.path}\0${e.oid}`)) unique.set(`${e.file.path}\0${e.oid}`, e);
  const blobs = await git.catBlobs([...new Set([...unique.values()].map((e) => e.oid))], signal);
  if (!blobs.ok) return blobs;
  const documents: NoteDocument[] = [];
  // Changelogs before upgrade guides; for one file, HEAD before the tag.
  const ordered = [...unique.values()].sort((a, b) => KIND_ORDER[a.file.kind] - KIND_ORDER[b.file.kind] || a.file.path.localeCompare(b.file.path));
  for (const e of ordered) {
    const bytes = blobs.value.get(e.oid);
    if (!bytes) continue;
    const { text, problem } = decodeText(bytes, e.file.path);
    if (problem) problems.push(problem);
    documents.push({ file: e.file.path, text, version: e.file.version, kind: e.file.kind, ref: e.ref });
  }
  return ok({ documents, problems });
}

function shortRef(ref: string): string {
  return ref.replace(/^refs\/tags\//, '');
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
