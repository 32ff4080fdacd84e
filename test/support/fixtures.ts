import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { main, type CliIO } from '../../src/cli/main';

/** The repository root (tests run from out/test/...). */
export const ROOT = path.resolve(__dirname, '../../..');

/** A real upstream changelog from ../shared/fixtures/release-notes, beside the repository. */
export function sharedFixture(rel: string): string {
  const p = path.join(ROOT, '..', 'shared', 'fixtures', 'release-notes', rel);
  if (!existsSync(p)) throw new Error(`missing fixture ${p}: the real release notes are expected in ../shared/fixtures/release-notes next to the repository`);
  return p;
}

export const readShared = (rel: string) => readFileSync(sharedFixture(rel), 'utf8');
export const readLocal = (name: string) => readFileSync(path.join(ROOT, 'test/fixtures/releases', name), 'utf8');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output, as `preflight ARGV` would in `cwd` with `env`. */
export async function runCli(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    out: (text) => void (stdout += text),
    error: (message) => {
      stderr += `preflight: ${message}\n`;
      return 2;
    },
    warn: (message) => void (stderr += `preflight: warning: ${message}\n`),
    err: (text) => void (stderr += text),
    cwd,
    env,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
