/**
 * The CI example in runbooks/ci/: its GitHub Actions workflow run step by step on this machine with
 * the same commands, against a test environment served here, with the built CLI.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseLog, parseRunbook } from '../../../../src/core/runbook';
import { ROOT } from '../../../support/fixtures';
import { collectArtifact, readJob, runJobLocally, type StepRun } from '../../../support/workflow';

const WORKFLOW = path.join(ROOT, 'runbooks/ci/rehearse-upgrade.yml');
const TOKEN = 'test-env-token-6a1f9c03';

/** The test environment: an app at a version, with a deploy API that wants the token. */
interface TestEnv {
  url: string;
  version: string;
  calls: string[];
  failUpgrade: boolean;
  close(): Promise<void>;
}

async function startTestEnv(): Promise<TestEnv> {
  const env: Omit<TestEnv, 'url' | 'close'> = { version: '2.3.0', calls: [], failUpgrade: false };
  let backup = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    env.calls.push(`${req.method} ${url.pathname}${url.search}`);
    const authorised = req.headers.authorization === `Bearer ${TOKEN}`;
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(body);
    };
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (url.pathname === '/health') return send(200, `ok ${env.version}\n`);
      if (url.pathname === '/version') return send(200, env.version);
      if (!authorised) return send(401, 'unauthorised\n');
      if (url.pathname === '/backup') {
        // The answer echoes the token: the run must still never show it.
        backup = JSON.stringify({ version: env.version, by: TOKEN });
        return send(200, `${backup}\n`);
      }
      if (url.pathname === '/upgrade') {
        if (env.failUpgrade) return send(500, 'migration 0042 failed\n');
        env.version = url.searchParams.get('to') ?? env.version;
        return send(200, `upgraded to ${env.version}\n`);
      }
      if (url.pathname === '/restore') return send(body.trim() === backup ? 200 : 400, 'restored\n');
      send(404, 'not found\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return Object.assign(env, { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) }) as TestEnv;
}

describe('CI example: rehearse an upgrade plan in GitHub Actions, run locally step by step', function () {
  this.timeout(120_000);
  let testEnv: TestEnv;
  let dir: string;
  let workspace: string;
  let artifacts: string;

  const install = (() => {
    const { steps } = readJob(WORKFLOW, 'rehearse');
    const script = steps.find((s) => s.id === 'install-preflight')?.run ?? '';
    const [clone, build, ...rest] = script.trimEnd().split('\n');
    return { clone, build, rest };
  })();

  before(() => {
    if (!existsSync(path.join(ROOT, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run npm run build first');
  });
  beforeEach(async () => {
    testEnv = await startTestEnv();
    dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'preflight-ci-')));
    // The checkout: a repository with the runbooks.
    workspace = path.join(dir, 'repo');
    mkdirSync(workspace);
    cpSync(path.join(ROOT, 'runbooks/ci'), path.join(workspace, 'runbooks/ci'), { recursive: true });
    spawnSync('git', ['init', '-q', workspace]);
    artifacts = path.join(dir, 'artifacts');
  });
  afterEach(async () => {
    await testEnv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function runJob(secrets: Record<string, string> = { TEST_ENV_TOKEN: TOKEN }): Promise<{ failed: boolean; steps: StepRun[] }> {
    return runJobLocally({
      workflow: WORKFLOW,
      job: 'rehearse',
      workspace,
      temp: path.join(dir, 'runner-temp'),
      inputs: { plan: 'runbooks/ci/rehearsal.md', confirm: 'rehearsal' },
      vars: { TEST_ENV_URL: testEnv.url },
      secrets,
      github: { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/ops', GITHUB_RUN_ID: '777', GITHUB_RUN_ATTEMPT: '1', GITHUB_ACTOR: 'octocat' },
      actions: {
        'actions/checkout': () => assert.ok(existsSync(path.join(workspace, 'runbooks/ci/rehearsal.md'))),
        'actions/setup-node': (step) => assert.ok(Number(process.versions.node.split('.')[0]) >= Number(step.with?.['node-version'])),
        'actions/upload-artifact': (step) => void collectArtifact(step, workspace, artifacts),
      },
      // Only the clone and the build of Preflight are not run as written: the CLI package of this
      // repository's build takes their place. The rest of the step (installing the package and
      // putting its command on PATH) runs as written.
      replace: {
        'install-preflight': [`node ${ROOT}/scripts/package-cli.mjs --no-build --out "$RUNNER_TEMP/dist"`, ...install.rest].join('\n'),
      },
    });
  }

  const uploadedLog = () => {
    const folder = path.join(artifacts, 'runs', 'runbooks--ci--rehearsal');
    return readdirSync(folder).map((f) => readFileSync(path.join(folder, f), 'utf8')).join('');
  };

  it('installs Preflight from its repository and packages its CLI in the step that is replaced here', () => {
    assert.match(install.clone, /^git clone --depth 1 "\$PREFLIGHT_REPOSITORY" "\$RUNNER_TEMP\/preflight"$/);
    assert.match(install.build, /^\(cd "\$RUNNER_TEMP\/preflight" && npm ci && npm run package:cli -- --out "\$RUNNER_TEMP\/dist"\)$/);
    assert.match(install.rest.join('\n'), /^npm install --prefix "\$RUNNER_TEMP\/preflight-cli" .*preflight-runbooks-\*\.tgz$/m);
  });

  it('rehearses the plan against the test environment, uploads the report and the log, and passes', async () => {
    const job = await runJob();
    const byLabel = Object.fromEntries(job.steps.map((s) => [s.label, s]));
    assert.equal(job.failed, false, JSON.stringify(job.steps, null, 1));
    assert.ok(job.steps.every((s) => s.ran && s.status === 0));
    assert.match(byLabel['Check the plan'].stdout, /^▶ \[3\/4\] Upgrade the test environment$/m);
    const rehearse = byLabel['Rehearse the plan in the test environment'];
    assert.match(rehearse.stdout, /^::group::▶ \[1\/4\] The test environment answers$/m);
    assert.match(rehearse.stdout, /^ {2}4\. The target version is live and healthy +passed/m);
    assert.equal(testEnv.version, '2.4.1');
    assert.deepEqual(testEnv.calls, ['GET /health', 'POST /backup', 'POST /upgrade?to=2.4.1', 'GET /version', 'GET /health']);

    const report = readFileSync(path.join(artifacts, 'preflight-report.md'), 'utf8');
    assert.match(report, /^- CI: https:\/\/github\.com\/acme\/ops\/actions\/runs\/777$/m);
    assert.match(report, /^- Operator: octocat$/m);
    assert.match(report, /octocat confirmed "Upgrade the test environment" \(--confirm on the command line\)/);
    assert.equal((report.match(/\| passed \(exit 0\) \|/g) ?? []).length, 4);
    assert.equal(readFileSync(path.join(dir, 'runner-temp', 'step_summary.md'), 'utf8'), report, 'the report is the job summary');
    const start = parseLog(uploadedLog()).events[0];
    assert.ok(start?.type === 'run-start' && start.ci === true && start.ciUrl === 'https://github.com/acme/ops/actions/runs/777');
    assert.equal(readFileSync(path.join(workspace, 'runbooks/ci/rehearsal.md'), 'utf8'), readFileSync(path.join(ROOT, 'runbooks/ci/rehearsal.md'), 'utf8'), 'no ticks in CI');

    const everything = [...job.steps.flatMap((s) => [s.stdout, s.stderr]), report, uploadedLog()].join('\n');
    assert.ok(!everything.includes(TOKEN), 'the token appears nowhere, though the test environment echoed it');
    assert.match(byLabel['Rehearse the plan in the test environment'].stdout, /"by":"••••••"/);
  });

  it('fails the job at a failed step, and still uploads the report that shows it', async () => {
    testEnv.failUpgrade = true;
    const job = await runJob();
    assert.equal(job.failed, true);
    const [rehearse, summary, upload] = job.steps.slice(-3);
    assert.deepEqual([rehearse.status, summary.ran, summary.status, upload.ran, upload.status], [1, true, 0, true, 0]);
    assert.match(rehearse.stderr, /^preflight: step "Upgrade the test environment" failed with exit code 22$/m);
    assert.match(rehearse.stderr, /the runbook has a Rollback section: preflight run runbooks\/ci\/rehearsal\.md --step "restore"/);
    const report = readFileSync(path.join(artifacts, 'preflight-report.md'), 'utf8');
    assert.match(report, /\| Upgrade the test environment \| octocat \| .* \| failed \(exit 22\) \|/);
    assert.match(report, /## Output of failed steps[^]*500/);
    assert.doesNotMatch(report, /The target version is live/, 'the run stopped at the failure');
    assert.equal(testEnv.version, '2.3.0');
  });

  it('fails before any step runs when the secret is missing (an empty secret is not a value)', async () => {
    const job = await runJob({});
    assert.equal(job.failed, true);
    const rehearse = job.steps.find((s) => s.label === 'Rehearse the plan in the test environment')!;
    assert.equal(rehearse.status, 2);
    assert.match(rehearse.stderr, /^preflight: missing variable TEST_TOKEN: pass --var TEST_TOKEN=VALUE or set it in the environment/m);
    assert.deepEqual(testEnv.calls, []);
  });

  it('ships a rehearsal runbook the runner accepts', () => {
    const rb = parseRunbook(readFileSync(path.join(ROOT, 'runbooks/ci/rehearsal.md'), 'utf8'));
    assert.deepEqual(rb.problems, []);
    assert.deepEqual(rb.steps.map((s) => s.name), ['health', 'backup', 'upgrade', 'verify', 'restore']);
  });
});
