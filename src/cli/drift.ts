/**
 * `preflight drift`: the versions every environment of the workspace pins (images, charts,
 * package.json), and the apps whose environments differ. For CI: --fail-on-drift exits 3 on drift.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readWorkspaceFiles } from '../adapters/workspaceFiles';
import { terminalJson, terminalText } from '../core/controls';
import { driftReport, reviewLabel, type AppVersions, type DriftReport } from '../core/drift/drift';
import { compilePatterns } from '../core/drift/environments';
import { scanWorkspace } from '../core/drift/scan';
import type { CliIO } from './io';
import { stripJsonc } from './workspace';

export const DRIFT_USAGE = `Usage: preflight drift [options] [FOLDER]

Lists the versions each environment pins (container images, Helm charts, package.json
dependencies) and marks the apps whose environments differ. The environment comes from
the path: overlays/ENV/, env/ENV/, environments/ENV/, values-ENV.yaml, or a folder
named dev, staging, prod...; preflight.environments.patterns in .vscode/settings.json
(or --pattern) names other layouts.

Options:
  --json              print the report as JSON
  --fail-on-drift     exit 3 when an app's environments pin different versions
  --pattern PATTERN   a path with {env}: clusters/{env}/** (repeatable)
`;

/** Exit codes: 0 done, 2 error, 3 drift under --fail-on-drift. */
export async function runDrift(argv: string[], io: CliIO): Promise<number> {
  let values: { json?: boolean; 'fail-on-drift'?: boolean; pattern?: string[]; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: { json: { type: 'boolean' }, 'fail-on-drift': { type: 'boolean' }, pattern: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    }));
  } catch (err) {
    return io.error(`${(err as Error).message.split('\n')[0]}. Run "preflight drift --help".`);
  }
  if (values.help) {
    io.out(DRIFT_USAGE);
    return 0;
  }
  if (positionals.length > 1) return io.error('drift takes one folder. Run "preflight drift --help".');
  const root = path.resolve(io.cwd, positionals[0] ?? '.');
  if (!existsSync(root) || !statSync(root).isDirectory()) return io.error(`${positionals[0]} is not a folder`);

  const settings = readSettings(root);
  if (settings.problem) io.warn(settings.problem);
  const compiled = compilePatterns([...(values.pattern ?? []), ...settings.patterns]);
  for (const p of compiled.problems) io.warn(p);
  const { files, skipped } = readWorkspaceFiles(root);
  if (skipped) io.warn(`${skipped} file${skipped === 1 ? ' was' : 's were'} too large or too many to read`);
  const report = driftReport(scanWorkspace(files, { patterns: compiled.patterns, imageSources: settings.imageSources }));

  if (values.json) io.out(terminalJson(report, 2) + '\n');
  else io.out(terminalText(formatDrift(report)));
  return values['fail-on-drift'] && report.apps.some((a) => a.drift) ? 3 : 0;
}

/** The report as text: one line per app, its versions per environment, drifted apps marked `!`. */
export function formatDrift(report: DriftReport): string {
  if (!report.apps.length) return 'No version pins found.\n';
  const drifted = report.apps.filter((a) => a.drift).length;
  const lines = [`Versions by environment (${report.environments.join(', ') || 'no environments found'}): ${drifted} of ${report.apps.length} apps drift`];
  const width = Math.min(48, Math.max(...report.apps.map((a) => a.kind.length + 1 + a.name.length)));
  for (const app of report.apps) {
    const name = `${app.kind} ${app.name}`.padEnd(width);
    const cells = app.environments.map((e) => `${e.environment} ${e.versions.join('/')}`);
    if (!cells.length) cells.push(`(no environment) ${distinct(app).join('/')}`);
    let line = `${app.drift ? '!' : ' '} ${name}  ${cells.join('  ')}`;
    if (app.review) line += `   drift: ${reviewLabel(app.review)}${app.source ? ` (preflight notes --source ${app.source} --from ${app.review.from} --to ${app.review.to})` : ''}`;
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}

function distinct(app: AppVersions): string[] {
  return [...new Set(app.unassigned.map((u) => u.version))];
}

/** `preflight.environments.patterns` and `preflight.releaseNotes.imageSources` from the folder's `.vscode/settings.json`. */
function readSettings(root: string): { patterns: unknown[]; imageSources: Record<string, string>; problem?: string } {
  const file = path.join(root, '.vscode', 'settings.json');
  if (!existsSync(file) || !statSync(file).isFile()) return { patterns: [], imageSources: {} };
  let data: unknown;
  try {
    data = JSON.parse(stripJsonc(readFileSync(file, 'utf8')));
  } catch (err) {
    return { patterns: [], imageSources: {}, problem: `${file} cannot be read (${(err as Error).message}); its settings are not used` };
  }
  const record = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  const patterns = record['preflight.environments.patterns'];
  const images = record['preflight.releaseNotes.imageSources'];
  const imageSources: Record<string, string> = {};
  if (images && typeof images === 'object' && !Array.isArray(images)) {
    for (const [k, v] of Object.entries(images as Record<string, unknown>)) if (typeof v === 'string') imageSources[k] = v;
  }
  return { patterns: Array.isArray(patterns) ? patterns : [], imageSources };
}
