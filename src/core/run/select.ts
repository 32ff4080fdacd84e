/**
 * Which steps a headless run runs, in which order, and the values of the variables: the decisions
 * of `preflight run`, kept apart from the I/O so they can be read and tested on their own.
 */
import {
  excludedFromRunAll,
  lastResults,
  looseSteps,
  mainSteps,
  type RunEvent,
  type Runbook,
  type RunbookMeta,
  type Step,
} from '../runbook';

export interface SelectOptions {
  /** Steps named with --step: only these run, in the runbook's order. */
  steps: readonly string[];
  /** --from: this step and the ones after it. */
  from?: string;
  /** --include-rollback: the Rollback section's steps too. */
  includeRollback: boolean;
}

export interface Selection {
  /** What runs, in order. */
  steps: Step[];
  /** Steps in the range that are left out because they say `excludeFromRunAll`. */
  excluded: Step[];
}

const normalise = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

/** A step matches a name by its `name`, its key, or its text (case and spacing aside); a block outside steps by its name. */
function matches(step: Step, name: string): boolean {
  if (step.loose) return step.name === name || step.key === name || step.key === `block:${name}`;
  return step.name === name || step.key === name || normalise(step.text) === normalise(name);
}

function find(candidates: readonly Step[], name: string, what: string): Step | string {
  const found = candidates.filter((s) => matches(s, name));
  // A name, or a key that tells twins apart ("restart#2"), is exact; text matches come after it.
  const exact = found.filter((s) => s.name === name || (s.key === name && s.key.includes('#')));
  const hits = exact.length ? exact : found;
  if (hits.length === 1) return hits[0];
  if (hits.length > 1) return `${what} "${name}" matches ${hits.length} steps (lines ${hits.map((s) => s.line + 1).join(', ')}); name them with {"name": ...} to tell them apart`;
  const known = candidates.filter((s) => !s.loose || s.name).map((s) => s.name ?? s.text);
  return `${what} "${name}" is not a step of this runbook${known.length ? ` (steps: ${known.slice(0, 8).map((k) => `"${k}"`).join(', ')}${known.length > 8 ? ', ...' : ''})` : ''}`;
}

/** The steps to run, or a one-line error. */
export function selectSteps(rb: Runbook, o: SelectOptions): Selection | string {
  if (o.steps.length && o.from !== undefined) return 'use --step or --from, not both';
  const pool = o.includeRollback ? rb.steps : mainSteps(rb);
  if (o.steps.length) {
    // Any step can be named, also a rollback step, an excluded one or a block outside the steps.
    const all = [...rb.steps, ...looseSteps(rb)];
    const chosen = new Set<Step>();
    for (const name of o.steps) {
      const hit = find(all, name, '--step');
      if (typeof hit === 'string') return hit;
      chosen.add(hit);
    }
    return { steps: all.filter((s) => chosen.has(s)).sort((a, b) => a.line - b.line), excluded: [] };
  }
  let range = pool;
  if (o.from !== undefined) {
    const start = find(pool, o.from, '--from');
    if (typeof start === 'string') return start;
    range = pool.slice(pool.indexOf(start));
  }
  return { steps: range.filter((s) => !excludedFromRunAll(s)), excluded: range.filter(excludedFromRunAll) };
}

/** --resume: the steps already done, ticked in the file or recorded as passed by the latest run. */
export function alreadyDone(steps: readonly Step[], latestRun: readonly RunEvent[] | undefined): Set<Step> {
  const results = latestRun ? lastResults(latestRun) : new Map();
  return new Set(steps.filter((s) => s.checked || results.get(s.key)?.status === 'passed'));
}

export interface VariableSources {
  /** --var NAME=VALUE, in order: a later one wins. */
  options: ReadonlyMap<string, string>;
  /** The environment: a declared variable that is set (and not empty) there is taken from it. */
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * The variables' values, by precedence: --var, then the environment, then (in `buildEnv`) the
 * default. An empty environment value counts as not set: CI systems expand a missing secret to
 * an empty string. `unknown` lists --var names the runbook does not declare.
 */
export function resolveVariables(meta: Pick<RunbookMeta, 'variables'>, src: VariableSources): { values: Map<string, string>; unknown: string[] } {
  const declared = new Set(meta.variables.map((v) => v.name));
  const values = new Map<string, string>();
  for (const v of meta.variables) {
    const fromOption = src.options.get(v.name);
    const fromEnv = Object.hasOwn(src.env, v.name) ? src.env[v.name] : undefined;
    if (fromOption !== undefined) values.set(v.name, fromOption);
    else if (fromEnv !== undefined && fromEnv !== '') values.set(v.name, fromEnv);
  }
  return { values, unknown: [...src.options.keys()].filter((n) => !declared.has(n)) };
}
