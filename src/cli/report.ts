/**
 * `preflight report FILE`: the markdown report of a runbook's latest run; with --pr, published on
 * the runbook's pull request (one comment, edited on later publishes, labels of the upgrade's state,
 * and the ticked runbook committed to the pull request's branch).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { publishRun } from '../app/publishRun';
import { publishRecords } from '../app/runRecords';
import { appendRecordDurably, isAlive, latestLogFile } from '../adapters/runLogFiles';
import { terminalText } from '../core/controls';
import { displayPath } from '../core/releases/sources/file';
import { parseLog, parsePullRequestSpec, parseRunbook, renderReport, runHolder, serializeEvent, type PublishEvent } from '../core/runbook';
import type { CliIO } from './io';
import { apiUrlError, requestTimeout } from './options';
import { packageVersion } from './version';
import { findWorkspace, readCommitProgress, readRunbookSettings } from './workspace';

export const REPORT_USAGE = `Usage: preflight report FILE [options]

Prints the markdown report of the latest run of the runbook FILE. With --pr, publishes it on the
runbook's pull request instead: one comment (edited on later publishes, never a second one), the
label upgrade:in-progress, upgrade:done, upgrade:failed or upgrade:rolled-back (and manual-change
after commands typed by hand), and the ticked runbook committed to the pull request's branch.

Options:
  --pr [N|URL|auto]    publish on pull request N, or the one at URL; auto (or no value): the
                       open pull request of the runbook's branch, found through the API
  --no-commit          do not commit the ticked runbook (default: the workspace setting
                       preflight.upgradePlan.commitProgress, else commit)
  --api-url URL        GitHub Enterprise Server API (https://ghe.example.com/api/v3);
                       by default the one of the origin's host
  --workspace DIR      the folder the editor opens (default: as for preflight run)
  --timeout SECONDS    how long to wait for each answer from GitHub (default 30)

Environment:
  GITHUB_TOKEN         a token that can comment on, label and push to the pull request
`;

/** `--pr` without a value means auto: a following argument that is no pull request is the next one. */
function withPrValue(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    out.push(argv[i]);
    if (argv[i] !== '--pr') continue;
    const next = argv[i + 1];
    if (next === undefined || typeof parsePullRequestSpec(next) === 'string') out.push('auto');
  }
  return out;
}

/** Exit codes: 0 done, 2 error. */
export async function runReport(argv: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: withPrValue(argv),
      options: {
        pr: { type: 'string' },
        'no-commit': { type: 'boolean' },
        'api-url': { type: 'string' },
        workspace: { type: 'string' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    return io.error(`${(err as Error).message.split('\n')[0]}. Run "preflight report --help".`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(REPORT_USAGE);
    return 0;
  }
  if (positionals.length !== 1) return io.error('report needs one runbook: preflight report FILE. Run "preflight report --help".');
  const badUrl = apiUrlError(values['api-url']);
  if (badUrl) return io.error(badUrl);
  const timeoutMs = requestTimeout(values.timeout, io.env);
  if (typeof timeoutMs === 'string') return io.error(timeoutMs);
  const spec = values.pr === undefined ? undefined : parsePullRequestSpec(values.pr);
  if (typeof spec === 'string') return io.error(`--pr: ${spec}`);

  const file = path.resolve(io.cwd, positionals[0]);
  if (!existsSync(file) || !statSync(file).isFile()) return io.error(`cannot read ${positionals[0]}: no such file`);
  const workspace = values.workspace ? path.resolve(io.cwd, values.workspace) : findWorkspace(file);
  const { settings, problem } = readRunbookSettings(workspace);
  if (problem) io.warn(problem);
  const relPath = path.relative(workspace, file).split(path.sep).join('/');
  const logDir = path.resolve(workspace, settings.logDirectory ?? '.preflight/runs');
  const log = latestLogFile(logDir, relPath);
  if (!log) return io.error(`${positionals[0]} has no recorded run yet (no log under ${displayPath(logDir, io.cwd)})`);
  const { events, problems } = parseLog(readFileSync(log, 'utf8'));
  for (const p of problems) io.warn(`${displayPath(log, io.cwd)}:${p.line + 1}: ${p.message}`);

  const content = readFileSync(file);
  if (!spec) {
    const rb = parseRunbook(content.toString('utf8'));
    io.out(terminalText(renderReport(events, { rollbackSteps: new Set(rb.steps.filter((s) => s.rollback).map((s) => s.key)) })));
    return 0;
  }

  const r = await publishRun(
    { file, content, pullRequest: spec, apiUrl: values['api-url']?.trim(), events, earlier: publishRecords(logDir, relPath), commit: !values['no-commit'] && readCommitProgress(workspace) },
    {
      token: async (_provider, _host, again) => (again ? undefined : io.env.GITHUB_TOKEN || undefined),
      userAgent: `preflight/${packageVersion()}`,
      network: { timeoutMs },
      hints: { invalidToken: 'set GITHUB_TOKEN to a valid token' },
    },
  );
  if (!r.ok) return io.error(r.error);
  const p = r.value;
  for (const w of p.warnings) io.warn(w);
  // The run's log records the publish, so the next one edits the same comment directly; a run
  // another live process holds (an editor window) is never written into.
  const holder = runHolder(events, { pid: process.pid, host: os.hostname() }, isAlive);
  if (!holder) {
    const record: PublishEvent = { type: 'publish', ...p.record, runId: events[events.length - 1]?.runId ?? 'unknown', time: new Date().toISOString() };
    const text = readFileSync(log, 'utf8');
    appendRecordDurably(log, (text.length && !text.endsWith('\n') ? '\n' : '') + serializeEvent(record));
  }
  const commit = p.committed ? `; committed the runbook to its branch (${p.committed.commit.slice(0, 12)})` : '';
  io.out(terminalText(`${p.comment.created ? 'Published' : 'Updated'} the run report on pull request #${p.pullRequest.number} (${p.labels.filter((l) => l.startsWith('upgrade:') || l === 'manual-change').join(', ')})${commit}: ${p.comment.url}\n`));
  return 0;
}
