/**
 * What running a step needs, decided once for the extension and the CLI: which blocks run and
 * what each runs, which variables it asks for, its environment (plain values and secrets apart),
 * the command as displayed and as logged, and what the step's records say.
 */
import path from 'node:path';
import { blockScript } from './blocks';
import { capOutput } from './output';
import type { CodeBlock, RunbookMeta, Step, VariableSpec } from './model';
import type { StepEndEvent, StepRef, StepStatus } from './runLog';
import { buildEnv, expandForDisplay, maskSecrets, secretValues, variablesUsedBy, type VariableValues } from './variables';

export interface PreparedBlock {
  block: CodeBlock;
  /** What the shell runs (see `blockScript`). */
  script: string;
  /** The script with variables expanded and secrets masked, for a confirmation. */
  display: string;
}

export interface PreparedStep {
  blocks: PreparedBlock[];
  /** Every declared variable that has a value. */
  env: Record<string, string>;
  /** `env` without the secrets. */
  plainEnv: Record<string, string>;
  /** Secret values by name: exported for the step only, never written to disk or a terminal. */
  secretEnv: Map<string, string>;
  /** The secret values, for masking. */
  secrets: string[];
  secretNames: string[];
  /** The step's command as the run log records it: variables expanded, secrets masked. */
  command: string;
}

/**
 * A step's title as shown (Runbook view, status bar, report): `$VAR` and `${VAR}` of declared
 * variables that have a value (given, else the default) resolved, secrets masked.
 */
export function stepTitle(meta: Pick<RunbookMeta, 'variables'>, text: string, values: VariableValues): string {
  if (!text.includes('$')) return text;
  const env = buildEnv(meta, values);
  const secretNames = meta.variables.filter((v) => v.secret).map((v) => v.name);
  return maskSecrets(expandForDisplay(text, env, secretNames), secretValues(meta, values));
}

/** The runnable blocks of a step. */
export function runnableBlocks(step: Pick<Step, 'commands'>): CodeBlock[] {
  return step.commands.filter((c) => c.runnable);
}

/** The declared variables the step's commands use: the ones it needs a value for. */
export function stepVariables(meta: Pick<RunbookMeta, 'variables'>, step: Pick<Step, 'commands'>): VariableSpec[] {
  return variablesUsedBy(meta, runnableBlocks(step).map(blockScript));
}

export function prepareStep(meta: Pick<RunbookMeta, 'variables'>, step: Pick<Step, 'commands'>, values: VariableValues): PreparedStep {
  const env = buildEnv(meta, values);
  const secrets = secretValues(meta, values);
  const secretNames = meta.variables.filter((v) => v.secret).map((v) => v.name);
  const secretEnv = new Map(secretNames.flatMap((n) => (Object.hasOwn(env, n) ? [[n, env[n]] as [string, string]] : [])));
  const plainEnv: Record<string, string> = {};
  for (const [n, v] of Object.entries(env)) if (!secretEnv.has(n)) plainEnv[n] = v;
  const blocks = runnableBlocks(step).map((block) => {
    const script = blockScript(block);
    return { block, script, display: expandForDisplay(script, env, secretNames) };
  });
  const command = maskSecrets(blocks.map((b) => b.display).join('\n'), secrets);
  return { blocks, env, plainEnv, secretEnv, secrets, secretNames, command };
}

/** How a log record names a step; `title` is its text with variables resolved (see `stepTitle`). */
export function stepRef(step: Pick<Step, 'key' | 'text' | 'line'> & Partial<Pick<Step, 'rollback'>>, title?: string): StepRef {
  const ref: StepRef = { key: step.key, text: step.text, line: step.line };
  if (title !== undefined && title !== step.text) ref.title = title;
  if (step.rollback) ref.rollback = true;
  return ref;
}

/** The body of a step's step-end record: output masked, then capped (capping first could leave part of a secret on each side of the cut). */
export function stepEndRecord(
  step: Pick<Step, 'key' | 'text' | 'line'>,
  outcome: { status: StepStatus; exitCode: number | null; durationMs: number; output: string },
  secrets: readonly string[],
  outputLimit: number,
): Omit<StepEndEvent, 'runId' | 'time'> {
  return {
    type: 'step-end',
    step: stepRef(step),
    exitCode: outcome.exitCode,
    status: outcome.status,
    durationMs: outcome.durationMs,
    output: capOutput(maskSecrets(outcome.output, secrets), outputLimit),
  };
}

/** Run All and the CLI's default run leave out steps whose blocks say `excludeFromRunAll`. */
export function excludedFromRunAll(step: Pick<Step, 'commands'>): boolean {
  return step.commands.some((c) => c.runnable && c.attrs.excludeFromRunAll);
}

/**
 * Where a runbook's steps run. Preflight resolves the front matter's `cwd` against the workspace
 * folder, which is also the default. A file written by Runme (front matter with `runme:`) keeps
 * Runme's rule: relative to the file's own folder, which is also its default.
 */
export function runbookDirectory(meta: Pick<RunbookMeta, 'cwd' | 'extra'>, folders: { workspace: string; document: string }): string {
  const base = isRunmeFile(meta) ? folders.document : folders.workspace;
  return meta.cwd ? path.resolve(base, meta.cwd) : base;
}

/** The front matter carries Runme's metadata (`runme: { id, version }`). */
export function isRunmeFile(meta: Pick<RunbookMeta, 'extra'>): boolean {
  return Object.hasOwn(meta.extra, 'runme');
}
