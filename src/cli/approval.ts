/**
 * The approval gate of `preflight run`: checked through GitHub with GITHUB_TOKEN (anonymously
 * without one, which reads public repositories), at the API of the runbook's clone's origin or
 * --api-url; answers are cached as conditional requests under the CLI's cache folder. At a
 * terminal a blocked gate may be overridden with the typed word "override" and a reason.
 */
import { checkApproval } from '../app/approval';
import type { ApprovalGate } from '../core/run/ports';
import { parseRunbook, type Step } from '../core/runbook';
import type { CliIO } from './io';
import { cacheDir } from './sources';
import type { Terminal } from './terminal';
import { packageVersion } from './version';

export function cliApprovalGate(file: string, io: CliIO, opts: { apiUrl?: string; timeoutMs?: number }): ApprovalGate {
  return {
    check: (text, signal) =>
      checkApproval(
        { file, text, meta: parseRunbook(text).meta, apiUrl: opts.apiUrl, cacheDir: cacheDir(io.env) },
        {
          token: async () => io.env.GITHUB_TOKEN || undefined,
          userAgent: `preflight/${packageVersion()}`,
          network: opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : undefined,
          hints: { invalidToken: 'set GITHUB_TOKEN to a valid token', anonymousRateLimit: 'set GITHUB_TOKEN for a higher limit' },
          signal,
        },
      ),
  };
}

/** The override, asked at the terminal: the word first, then why. */
export async function askOverride(term: Terminal, step: Step, reason: string): Promise<string | undefined> {
  const word = await term.ask(`The approval gate blocks "${step.text}": ${reason}\nType "override" to run it anyway (anything else stops the run): `);
  if (word?.trim() !== 'override') return undefined;
  for (;;) {
    const why = await term.ask('Why is it overridden? (recorded in the run log and the report): ');
    if (why === undefined) return undefined;
    if (why.trim()) return why.trim();
  }
}
