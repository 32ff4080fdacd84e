/**
 * `preflight plan`: the upgrade plan runbook for a version range, written without an editor, so a
 * pipeline can open the plan's pull request (`preflight pr`) when a new upstream version appears.
 * The same plan as the editor's Create Upgrade Plan: the same review, strategy and template.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { terminalText } from '../core/controls';
import { parseArgs } from 'node:util';
import { loadPlanTemplate, planInput, writeUpgradePlan } from '../app/plan';
import { planFileName, renderUpgradePlan } from '../core/plan';
import { buildReview, githubWebBase } from '../core/releases';
import { CLI_WORDING, reviewErrorText } from '../app/noNotes';
import type { CliIO } from './io';
import { SOURCE_OPTIONS, sourceSettings } from './options';
import { appProblem, versionProblem } from './pr';
import { cacheDir, createSource } from './sources';
import { checkRollbackImage } from '../app/rollback';
import { packageVersion } from './version';

export const PLAN_USAGE = `Usage: preflight plan --source SRC --from VERSION --to VERSION --app NAME [options]

Writes the upgrade plan runbook for the release notes between two versions, as the editor's
Create Upgrade Plan does: the strategy, every flagged item with its source, and the steps.

Options:
  --source SRC        file:PATH[,PATH...], git:PATH, github:OWNER/REPO, npm:PACKAGE
                      or image:REF (see preflight notes --help)
  --from VERSION      the version you run now
  --to VERSION        the version you upgrade to
  --app NAME          the application, as the team calls it
  --out FILE          where to write the plan (default runbooks/upgrades/<app>-<from>-to-<to>.md);
                      - prints it instead
  --template FILE     the plan template (default .preflight/templates/upgrade-plan.md when it
                      exists, else the built-in one)
  --force             replace a plan that exists already
  --api-url URL       GitHub Enterprise Server API for github:, registry URL for npm:
  --files PATHS       release-note files the built-in names miss (see preflight notes --help)
  --timeout SECONDS   how long to wait for each answer from GitHub or the registry (default 30)
  --image REF         the application's image (for image:REF sources, REF): the plan says
                      whether its tag for --from can still be pulled to roll back to, and
                      checks again before the window
  --insecure-registry HOST
                      reach this registry over plain HTTP (repeatable)

Then: preflight pr --file PLAN --app NAME --from VERSION --to VERSION
`;

export async function runPlan(argv: string[], io: CliIO): Promise<number> {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        ...SOURCE_OPTIONS,
        app: { type: 'string' },
        out: { type: 'string' },
        template: { type: 'string' },
        force: { type: 'boolean' },
        image: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return io.error(`${(err as Error).message.split('\n')[0]}. Run "preflight plan --help".`);
  }
  if (values.help) {
    io.out(PLAN_USAGE);
    return 0;
  }
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const missing = ['source', 'from', 'to', 'app'].filter((k) => !str(k));
  if (missing.length) return io.error(`plan needs ${missing.map((k) => `--${k}`).join(', ')}. Run "preflight plan --help".`);
  const invalid = appProblem(str('app')!) ?? versionProblem('--from', str('from')!) ?? versionProblem('--to', str('to')!);
  if (invalid) return io.error(invalid);
  const settings = sourceSettings({ 'api-url': str('api-url'), files: str('files'), timeout: str('timeout'), 'insecure-registry': values['insecure-registry'] as string[] | undefined }, io.env);
  if (typeof settings === 'string') return io.error(settings);
  const { apiUrl, files, timeoutMs, insecureRegistries } = settings;
  const app = str('app')!.trim();

  // The template first: a plan that cannot be written should not cost a review.
  const template = loadPlanTemplate(io.cwd, str('template'));
  if (!template.ok) return io.error(template.error);
  for (const w of template.value.warnings) io.warn(w);

  const source = await createSource(str('source')!, { cwd: io.cwd, apiUrl, env: io.env, files, timeoutMs }, { insecureRegistries });
  if (!source.ok) return io.error(terminalText(reviewErrorText(source.error, CLI_WORDING, str('source')!), { oneLine: true }));
  const review = await buildReview(source.value, str('from')!.trim(), str('to')!.trim());
  if (!review.ok) return io.error(terminalText(reviewErrorText(review.error, CLI_WORDING, str('source')!), { oneLine: true }));
  for (const p of review.value.problems) io.warn(p.message);

  const image = str('image') ?? (/^image:/i.test(review.value.source) ? review.value.source : undefined);
  const rollbackCheck = image ? await checkRollbackImage({ image, version: review.value.from, settings: { cacheDir: cacheDir(io.env), userAgent: `preflight/${packageVersion()}`, insecureRegistries, env: io.env, network: { timeoutMs } } }) : undefined;
  if (rollbackCheck && rollbackCheck.status !== 'available') io.warn(`the image to roll back to, ${rollbackCheck.image}, ${rollbackCheck.status === 'missing' ? 'is not in its registry' : 'could not be checked'}: ${rollbackCheck.reason ?? ''}`);

  const githubWeb = githubWebBase(str('api-url'));
  const defaultOut = path.join('runbooks', 'upgrades', planFileName(app, review.value.from, review.value.to));
  if (str('out') === '-') {
    // Printed plans link as if written to the default place.
    const planPath = defaultOut.split(path.sep).join('/');
    io.out(renderUpgradePlan({ ...planInput({ app, review: review.value, planPath, githubWeb, workspace: io.cwd }), rollbackCheck }, template.value.text));
    return 0;
  }
  const out = path.resolve(io.cwd, str('out') ?? defaultOut);
  const shown = path.relative(io.cwd, out) || out;
  if (existsSync(out)) {
    if (statSync(out).isDirectory()) return io.error(`--out ${shown} is a folder`);
    if (!values.force) return io.error(`${shown} exists already; pass --force to replace it`);
  }
  const { strategy } = writeUpgradePlan({ app, review: review.value, file: out, planPath: shown.split(path.sep).join('/'), template: template.value, githubWeb, workspace: io.cwd, rollbackCheck });
  io.out(`Wrote ${shown}: ${app} ${review.value.from} -> ${review.value.to}, ${strategy.kind} upgrade\n`);
  io.out(`Next: preflight pr --file ${shown} --app ${JSON.stringify(app)} --from ${review.value.from} --to ${review.value.to}\n`);
  return 0;
}
