/**
 * Runs a GitHub Actions job's steps on this machine, the way the hosted runner would run them: each
 * `run:` script verbatim with `bash --noprofile --norc -eo pipefail`, in the workspace, with the
 * job's `env:` (its `${{ }}` expressions evaluated from inputs, vars and secrets), the runner's
 * variables (GITHUB_ACTIONS, GITHUB_RUN_ID...), GITHUB_PATH and GITHUB_ENV honoured between steps,
 * and `if:` conditions (success(), always(), failure()). Steps that `uses:` an action are given
 * local equivalents by the caller; a `run:` step can be replaced only by its `id`, so a test says
 * exactly what it does not run as written.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface WorkflowStep {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

export interface StepRun {
  label: string;
  ran: boolean;
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface LocalRunOptions {
  workflow: string;
  job: string;
  workspace: string;
  /** RUNNER_TEMP. */
  temp: string;
  inputs?: Record<string, string>;
  vars?: Record<string, string>;
  secrets?: Record<string, string>;
  /** The runner's own variables: GITHUB_REPOSITORY, GITHUB_RUN_ID... */
  github?: Record<string, string>;
  /** Local equivalents of `uses:` steps, by action (`actions/checkout`), and replacements of `run:` steps by id. */
  actions: Record<string, (step: WorkflowStep, env: NodeJS.ProcessEnv) => void>;
  replace?: Record<string, string>;
  /** PATH to start from. */
  path?: string;
}

/** `${{ a || 'b' }}` with contexts inputs, vars, secrets and github; what the example workflows use. */
export function evaluate(expr: string, contexts: Record<string, Record<string, string | undefined>>): string {
  for (const part of expr.split('||').map((p) => p.trim())) {
    let value: string | undefined;
    const literal = /^'((?:[^']|'')*)'$/.exec(part);
    if (literal) value = literal[1].replace(/''/g, "'");
    else {
      const m = /^(inputs|vars|secrets|github|env)\.([A-Za-z_][\w-]*)$/.exec(part);
      if (!m) throw new Error(`unsupported expression: ${part}`);
      value = contexts[m[1]]?.[m[2]];
    }
    if (value) return value;
  }
  return '';
}

function substitute(text: string, contexts: Record<string, Record<string, string | undefined>>): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_m, expr: string) => evaluate(expr, contexts));
}

export function readJob(workflow: string, job: string): { env: Record<string, string>; steps: WorkflowStep[] } {
  const doc = parse(readFileSync(workflow, 'utf8')) as { jobs: Record<string, { env?: Record<string, string>; steps: WorkflowStep[] }> };
  const j = doc.jobs[job];
  if (!j) throw new Error(`no job ${job} in ${workflow}`);
  return { env: j.env ?? {}, steps: j.steps };
}

/** A script in bash as the runner runs it; asynchronous, so servers in the test's process keep answering. */
function runScript(file: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Runs the job; `failed` is true when a step that ran failed, as the job's result on GitHub. */
export async function runJobLocally(o: LocalRunOptions): Promise<{ failed: boolean; steps: StepRun[] }> {
  const { env: jobEnv, steps } = readJob(o.workflow, o.job);
  mkdirSync(o.temp, { recursive: true });
  const files = { path: path.join(o.temp, 'github_path'), env: path.join(o.temp, 'github_env'), summary: path.join(o.temp, 'step_summary.md') };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const contexts = { inputs: o.inputs ?? {}, vars: o.vars ?? {}, secrets: o.secrets ?? {}, github: o.github ?? {} };
  const env: NodeJS.ProcessEnv = {
    PATH: o.path ?? process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: o.workspace,
    RUNNER_TEMP: o.temp,
    GITHUB_PATH: files.path,
    GITHUB_ENV: files.env,
    GITHUB_STEP_SUMMARY: files.summary,
    ...o.github,
  };
  for (const [k, v] of Object.entries(jobEnv)) env[k] = substitute(String(v), contexts);
  let failed = false;
  const out: StepRun[] = [];
  for (const step of steps) {
    const label = step.name ?? step.uses ?? step.id ?? '(step)';
    const cond = (step.if ?? 'success()').replace(/^\$\{\{\s*|\s*\}\}$/g, '').trim();
    const runs = cond === 'always()' || (cond === 'failure()' ? failed : cond === 'success()' ? !failed : (() => {
      throw new Error(`unsupported condition: ${cond}`);
    })());
    if (!runs) {
      out.push({ label, ran: false, status: null, stdout: '', stderr: '' });
      continue;
    }
    const stepEnv: NodeJS.ProcessEnv = { ...env };
    for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = substitute(String(v), contexts);
    if (step.uses) {
      const action = step.uses.replace(/@.*$/, '');
      const local = o.actions[action];
      if (!local) throw new Error(`no local equivalent for ${step.uses}`);
      let status = 0;
      let stderr = '';
      try {
        local(step, stepEnv);
      } catch (err) {
        status = 1;
        stderr = String(err);
      }
      out.push({ label, ran: true, status, stdout: '', stderr });
      if (status !== 0) failed = true;
      continue;
    }
    if (step.run === undefined) throw new Error(`step ${label} neither uses an action nor runs a script`);
    if (step.run.includes('${{')) throw new Error(`step ${label}: expressions in run: scripts are not run as written here; pass them through env:`);
    const script = step.id && o.replace?.[step.id] !== undefined ? o.replace[step.id] : step.run;
    const file = path.join(o.temp, `step-${out.length}.sh`);
    writeFileSync(file, script);
    const r = await runScript(file, o.workspace, stepEnv);
    out.push({ label, ran: true, status: r.status, stdout: r.stdout, stderr: r.stderr });
    if (r.status !== 0) failed = true;
    // What a step adds to GITHUB_PATH and GITHUB_ENV holds for the steps after it.
    const added = readFileSync(files.path, 'utf8').split('\n').filter(Boolean);
    if (added.length) env.PATH = [...added.reverse(), o.path ?? process.env.PATH].join(':');
    for (const line of readFileSync(files.env, 'utf8').split('\n').filter(Boolean)) {
      const eq = line.indexOf('=');
      if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return { failed, steps: out };
}

/** What actions/upload-artifact@v4 would upload: the files and folders of `path`, copied to `into`. */
export function collectArtifact(step: WorkflowStep, workspace: string, into: string): string[] {
  const paths = String(step.with?.path ?? '')
    .split('\n')
    .map((p) => p.trim())
    .filter(Boolean);
  const found: string[] = [];
  mkdirSync(into, { recursive: true });
  for (const p of paths) {
    const abs = path.resolve(workspace, p);
    if (!existsSync(abs)) continue;
    const r = spawnSync('cp', ['-R', abs, into]);
    if (r.status === 0) found.push(p);
  }
  appendFileSync(path.join(into, '.uploaded'), `${found.join('\n')}\n`);
  return found;
}
