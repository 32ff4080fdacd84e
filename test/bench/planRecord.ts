// `node out/test/bench/planRecord.js`: GitHub requests of the approval gate's check and of publishing
// a run to the plan's pull request, against the local test server, one JSON line each.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { latestLogFile } from '../../src/adapters/runLogFiles';
import { checkApproval } from '../../src/app/approval';
import { publishRun } from '../../src/app/publishRun';
import { parseLog, parseRunbook, type PublishEvent } from '../../src/core/runbook';
import { runCli } from '../support/fixtures';
import { addReview, startGitHubServer } from '../support/githubServer';
import { gatedPlan, PLAN_FILE, PLAN_TOKEN, planClone, planEnv } from '../support/planRepo';

function emit(name: string, value: number, unit: string, target?: string): void {
  console.log(JSON.stringify({ name, value, unit, ...(target ? { target } : {}) }));
}

const ENV = { token: async () => PLAN_TOKEN, userAgent: 'preflight-bench', hints: { invalidToken: 'set GITHUB_TOKEN' } };

async function main(): Promise<void> {
  const server = await startGitHubServer({ prefix: '/api/v3' });
  const root = mkdtempSync(path.join(tmpdir(), 'preflight-bench-record-'));
  try {
    const since = () => {
      const start = server.requests.length;
      return () => {
        const made = server.requests.slice(start);
        return { all: made.length, counted: made.filter((r) => r.status !== 304).length };
      };
    };
    // The gate of a plan naming its pull request, checked twice with one cache: the second time
    // every answer is unchanged, and GitHub counts none of them.
    for (const [name, approval] of [['number', '{ pullRequest: 1, from: migrate }'], ['auto', '{ pullRequest: auto, from: migrate }']] as const) {
      const plan = gatedPlan(approval);
      const { file, repo } = planClone(server, root, plan);
      addReview(repo, 1, 'alice', 'APPROVED');
      const cacheDir = mkdtempSync(path.join(root, 'cache-'));
      const check = async () => {
        const done = since();
        const v = await checkApproval({ file, text: plan, meta: parseRunbook(plan).meta, cacheDir }, ENV);
        if (!v.allowed) throw new Error(v.reason);
        return done();
      };
      const first = await check();
      emit(`approval_gate_requests_${name}`, first.all, 'requests', name === 'number' ? '<= 2' : undefined);
      const again = await check();
      emit(`approval_gate_counted_requests_fresh_cache_${name}`, again.counted, 'requests', '0');
    }

    // One publish after a run, and a later one: the log's records spare the look-ups.
    const { clone, file, repo } = planClone(server, root, gatedPlan());
    addReview(repo, 1, 'alice', 'APPROVED');
    const cache = mkdtempSync(path.join(root, 'cache-'));
    const ran = await runCli(['run', PLAN_FILE], clone, planEnv(cache));
    if (ran.code !== 0) throw new Error(ran.stderr);
    const events = parseLog(readFileSync(latestLogFile(path.join(clone, '.preflight/runs'), PLAN_FILE)!, 'utf8')).events;
    const earlier: PublishEvent[] = [];
    for (const label of ['first', 'again']) {
      const done = since();
      const r = await publishRun({ file, content: readFileSync(file), pullRequest: { kind: 'auto' }, events, earlier, commit: true }, ENV);
      if (!r.ok) throw new Error(r.error);
      earlier.unshift({ type: 'publish', runId: 'bench', time: new Date().toISOString(), ...r.value.record });
      emit(`publish_run_requests_${label}`, done().all, 'requests', '<= 4');
    }
    if (server.violations.length) throw new Error(`the GitHub test server recorded violations:\n${server.violations.join('\n')}`);
  } finally {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
