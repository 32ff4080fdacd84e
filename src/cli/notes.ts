/** `preflight notes`: review the release notes between two versions. */
import { parseArgs } from 'node:util';
import { terminalJson, terminalText } from '../core/controls';
import type { Review, ReviewItem, Risk } from '../core/releases';
import { buildReview, isRisk, itemLocation, RISKS } from '../core/releases';
import { CLI_WORDING, reviewErrorText } from '../app/noNotes';
import type { CliIO } from './io';
import { formatReview } from './format';
import { SOURCE_OPTIONS, sourceSettings } from './options';
import { createSource } from './sources';

export const NOTES_USAGE = `Usage: preflight notes --source SRC --from VERSION --to VERSION [options]

Lists every release note in (from, to] and marks risky items.

Options:
  --source SRC        file:PATH[,PATH...], git:PATH (a local clone),
                      github:OWNER/REPO, gitlab:GROUP/PROJECT, npm:PACKAGE,
                      helm:https://REPO#CHART or helm:oci://REGISTRY/PATH/CHART
                      (a chart's changes with its app's notes), or image:REF (a
                      container image: notes from the repository its labels
                      name, versions from its registry's tags); add #PACKAGE for one
                      package of a repository that releases several
                      (github:babel/babel#@babel/core, git:.#pg-pool)
  --from VERSION      the version you run now (excluded)
  --to VERSION        the version you upgrade to (included)
  --json              print the review as JSON
  --fail-on RISKS     exit 3 when an item has one of these comma-separated risks
                      (${RISKS.join(', ')}), and print on stderr
                      which risks, versions and items did
  --api-url URL       GitHub Enterprise Server API (https://ghe.example.com/api/v3)
                      for github:, a self-managed GitLab (https://gitlab.example.com)
                      for gitlab:, registry URL for npm:
  --files PATHS       comma-separated release-note files in the repository (or
                      tarball) that the built-in names miss; a path ending in /
                      reads the .md/.rst/.txt files in that folder
                      (notes/whats-new.md,docs/relnotes/)
  --timeout SECONDS   how long to wait for each answer from GitHub or the
                      registry (default 30); reads are tried up to 3 times
  --insecure-registry HOST
                      image: reach this registry over plain HTTP (repeatable)

Environment:
  GITHUB_TOKEN        token for github: (and npm: packages hosted on GitHub)
  GITLAB_TOKEN        token for gitlab:
  GITLAB_URL          a self-managed GitLab for gitlab:, when --api-url is not given
  PREFLIGHT_TIMEOUT   seconds, when --timeout is not given
`;

/** Exit codes: 0 done, 2 error, 3 a --fail-on risk was found. */
export async function runNotes(argv: string[], io: CliIO): Promise<number> {
  let values: { source?: string; from?: string; to?: string; json?: boolean; 'fail-on'?: string; 'api-url'?: string; files?: string; timeout?: string; 'insecure-registry'?: string[]; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        ...SOURCE_OPTIONS,
        json: { type: 'boolean' },
        'fail-on': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return io.error(`${(err as Error).message.split('\n')[0]}. Run "preflight notes --help".`);
  }
  if (values.help) {
    io.out(NOTES_USAGE);
    return 0;
  }
  const missing = (['source', 'from', 'to'] as const).filter((k) => !values[k]);
  if (missing.length) return io.error(`notes needs ${missing.map((k) => `--${k}`).join(', ')}. Run "preflight notes --help".`);

  const failOn = parseRisks(values['fail-on']);
  if (typeof failOn === 'string') return io.error(failOn);
  const settings = sourceSettings(values, io.env);
  if (typeof settings === 'string') return io.error(settings);
  const { apiUrl, files, timeoutMs, insecureRegistries } = settings;
  const source = await createSource(values.source!, { cwd: io.cwd, apiUrl, env: io.env, files, timeoutMs }, { insecureRegistries });
  if (!source.ok) return io.error(terminalText(reviewErrorText(source.error, CLI_WORDING, values.source!), { oneLine: true }));
  const review = await buildReview(source.value, values.from!, values.to!);
  if (!review.ok) return io.error(terminalText(reviewErrorText(review.error, CLI_WORDING, values.source!), { oneLine: true }));

  if (values.json) {
    io.out(terminalJson(review.value, 2) + '\n');
  } else {
    for (const p of review.value.problems) io.warn(p.message);
    // Release notes are upstream text: no control sequence of theirs reaches the terminal.
    io.out(terminalText(formatReview(review.value)));
  }
  const found = failOnFindings(review.value, failOn);
  if (found.length === 0) return 0;
  // On stderr, so that --json output stays one JSON document; upstream text, so no control sequences.
  const report = terminalText(failOnReport(found));
  if (io.err) io.err(report);
  else for (const line of report.trimEnd().split('\n')) io.warn(line);
  return 3;
}

interface FailOnFinding {
  risk: Risk;
  items: { version: string; item: ReviewItem }[];
}

/** The --fail-on risks the review holds, each with the items that carry it, newest version first. */
function failOnFindings(review: Review, failOn: readonly Risk[]): FailOnFinding[] {
  return RISKS.filter((risk) => failOn.includes(risk))
    .map((risk) => ({ risk, items: review.versions.flatMap((v) => v.items.filter((i) => i.risks.includes(risk)).map((item) => ({ version: v.version, item }))) }))
    .filter((f) => f.items.length > 0);
}

/** Items listed per risk before the rest are counted; the review above (or --json) has them all. */
const LISTED_PER_RISK = 20;
const ITEM_CHARS = 200;

/**
 * Why the exit code is 3: a headline naming the risks, then per risk its items with version and
 * location, so a failed CI job says what to read without scrolling through the whole review.
 */
function failOnReport(found: readonly FailOnFinding[]): string {
  const count = (n: number) => `${n} item${n === 1 ? '' : 's'}`;
  const lines = [`preflight: exit 3: --fail-on found ${found.map((f) => `${f.risk} (${count(f.items.length)})`).join(', ')}`];
  for (const { risk, items } of found) {
    lines.push(`  ${risk}:`);
    for (const { version, item } of items.slice(0, LISTED_PER_RISK)) {
      const text = item.text.replace(/^\s*(?:[-*+]|\d{1,9}[.)])\s+/, '').replace(/\s+/g, ' ').trim();
      lines.push(`    ${version}  ${itemLocation(item)}  ${text.length > ITEM_CHARS ? `${text.slice(0, ITEM_CHARS - 1)}…` : text}`);
    }
    if (items.length > LISTED_PER_RISK) lines.push(`    … and ${items.length - LISTED_PER_RISK} more`);
  }
  return `${lines.join('\n')}\n`;
}

/** The risks of --fail-on, or an error message. */
function parseRisks(value: string | undefined): Risk[] | string {
  if (value === undefined) return [];
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !isRisk(n));
  if (unknown.length || names.length === 0) {
    return `--fail-on: unknown risk ${unknown.map((u) => `"${u}"`).join(', ') || '(empty)'} (expected ${RISKS.join(', ')})`;
  }
  return names.filter(isRisk);
}
