/**
 * Time budgets for everything that reads upstream text: adversarial inputs (one character or token
 * repeated, at growing sizes) and a checker that fails when a stage's time grows faster than its
 * input. Release notes come from the internet; a pattern that backtracks over a few hundred spaces
 * freezes the extension host for every extension.
 *
 * The unit test (test/unit/releases.budget.test.ts) runs it at small sizes; `fuzz()` runs the same
 * cases from 1 KB to 1 MB within a time budget, each case in a worker that is terminated when it
 * overruns (a catastrophic pattern never returns on its own).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { formatReview } from '../../src/cli/format';
import { terminalText } from '../../src/core/controls';
import type { Classifier, HighlightRule, Review, VersionSection } from '../../src/core/releases';
import {
  createClassifier,
  DEFAULT_RULES,
  discoverNoteFiles,
  findVersionPins,
  parseNotes,
  renderNoteHtml,
  reviewEngines,
  reviewMarkdown,
  reviewView,
} from '../../src/core/releases';
import { leadingCallout } from '../../src/core/releases/blocks';
import { MentionIndex } from '../../src/core/releases/sources/intermediate';
import { githubRepo } from '../../src/core/releases/sources/npm';
import { splitPackage } from '../../src/core/releases/sources/registry';
import { BARE_VERSION_RE, canonicalVersion, tagPackage } from '../../src/core/releases/version';
import { extractDate } from '../../src/core/releases/dates';
import { parseUpgradeHeading, versionNamedIn, parseVersionHeading, stripInlineMarkup, VERSION_IN_HEADING_RE } from '../../src/core/releases/headings';

// ---------------------------------------------------------------------------------------------
// Inputs

/**
 * What the patterns mention: whitespace, list and heading markers, brackets and link openers,
 * HTML tags, digits and version-like tokens, inline markup, table pipes, and the words the rules
 * look for (their hints are added below).
 */
export const TOKENS: readonly string[] = [
  ' ', '\t', '\n', '\r', '\r\n', ' \n', '\n\n', '  ', ' \t',
  '- ', '* ', '+ ', '1. ', '1) ', '#. ', '• ', 'o ', '-', '+', '#', '# ', '## ', '** ', '>', '> ', '>>',
  '|', '| ', '|-', '=', '==', '~', '^', ':', '::', '.. ', ',', ';', '.', '..', '/', '\\', '@', '"', "'", '’', '!', '!!!', '???', '?',
  '`', '```', '*', '**', '_', '__', '~~', '&', '%',
  '[', ']', '[]', '](', '[x](', '[a]', '[a][', '(', ')', '()', '{', '<', '<>', '</', '<br>', '<br/>', '<br >', '<summary', '<summary>',
  '</summary>', '<details>', '</details>', '<a ', '<a>', '<hr>', '<!--',
  '0', '1', '9', '12', '1.', '.1', '1.2', '1.2.', '1.2.3', '1.2.3 ', 'v1.2.3 ', 'v', 'v1', '1.x', '1_2', '1-', '-1', 'rc1', '-rc.1', '1a',
  '0.0.0.0', '2024-01-01 ', '2024', 'Jan ', 'January 1, ', '1st ', '12:00 ',
  'a', 'a ', 'A', 'ab', 'a.', 'a-', 'a_', 'a1', 'x ', 'word ', 'word. ', 'Word: ', 'the ', 'a\n',
  'http://', 'https://a', 'https://a.b/c ', 'mailto:', 'CVE-', 'GHSA-', 'ghsa-aaaa-',
  '⚠️', '⚠️ ', '⚠', '💥', '🚨', '❗', 'é', '\u00a0', '\u202e', '\u001b', '\u001b[', '\u001b]', '\u009b', '\u0007', '\u0000',
  'image: ', 'image: a:1 ', 'a: b\n', 'a:\n  ', '- a\n', '  - ', 'FROM ', '--a ', '"a": ', '{"a":', 'tag: ',
  'breaking ', 'BREAKING ', 'breaking change ', 'breaking: ', 'migration ', 'migrations ', 'migrate ', 'requires ', 'required ', 'require ',
  'node ', 'node 1', 'node.js ', 'mongodb ', 'postgres ', 'python 3 ', 'version ', 'versions ', 'drop ', 'dropped ', 'remove ', 'removed ',
  'support ', 'support for ', 'index ', 'table ', 'column ', 'default ', 'defaults ', 'no longer ', 'fix ', 'fixes ', 'before ', 'upgrade ',
  'upgrading ', 'to ', 'from ', 'to 1.2 ', 'lock ', 'locks ', 'downtime ', 'will be ', 'deprecated ', 'deprecation ', '`x` ', 'x` ',
  'security ', 'data ', 'loss ', 'lost ', 'backup ', 'manual ', 'manually ', 'first ', 'and ', 'or ', 'is ', 'has been ', 'now ', 'must ',
  'you ', 'stop ', 'skip ', 'take ', 'large ', 'may take ', 'field ', 'fields ', 'model ', 'models ', 'schema ', 'warning ', 'Warning: ',
  'Release ', 'Version 1.2.3 ', 'Upgrading to ', 'from 1.x ', 'Engine versions', 'engines ', 'Node: ', 'changelog ', 'Unreleased ',
  'create index ', 'CREATE INDEX ', 'a_', '_a', 'a__', '“', '”', 'requires node ', 'Word: ', 'github.com/a/b',
];

/**
 * The tokens the unit test repeats: one or two of every kind the patterns mention (blanks, list
 * and heading markers, brackets and link openers, tags, digits and dots, inline markup, pipes,
 * version-like tokens, risk words). The fuzz run uses allTokens().
 */
export const UNIT_TOKENS: readonly string[] = [
  ' ', '\t', '\n', ' \n', '- ', '* ', '1. ', '#', '# ', '>', '|', '=', '-', ':', '.', '1', '1.', '1.2.3 ', 'v1', '`', '*', '**', '_', 'a_',
  '[', ']', '](', '[a](', '[a][', '(', '<', '<br>', '<summary', '</summary>', '"', '“', '@', '/', 'a', 'x ', 'Word: ', 'breaking ',
  'migration ', 'requires node ', 'drop ', 'create index ', 'to ', 'Jan 1 ', '⚠️ ', 'http://', '\u001b]',
  // Words a pattern continues with \w*: a run of them with no blank is one word, as long as the input.
  'removed', 'deprecated',
];

/** The tokens the unit test repeats through whole stages (parsers, renderers): the kinds the issue names. */
export const STAGE_TOKENS: readonly string[] = [
  ' ', '\t', '\n', '- ', '* ', '1. ', '#', '>', '|', '=', ':', '.', '1', '1.2.3 ', '`', '*', '_', '[', '](', '(', '<', '<br>', '<summary',
  '"', 'breaking ', 'migration ',
];

/** The token list plus every hint of the built-in rules, alone and followed by a space. */
export function allTokens(): string[] {
  const hints = DEFAULT_RULES.flatMap((r) => r.hints ?? []);
  return [...new Set([...TOKENS, ...hints, ...hints.map((h) => `${h} `)])];
}

export interface Shape {
  name: string;
  make(token: string, bytes: number): string;
}

/**
 * Whole tokens, about `bytes` long: cutting a token would give each size its own last characters, and
 * a pattern that backtracks once over a run ending in "1." but not over one ending in "1.2" would then
 * look superlinear between two sizes whose cuts differ.
 */
const repeatTo = (token: string, bytes: number) => token.repeat(Math.max(1, Math.round(bytes / token.length)));

/**
 * How a token is repeated: one long run; a run that then fails to match (backtracking engines
 * retry every split of the run before giving up); lines of ~120 bytes, the shape of real
 * changelogs, which exposes patterns that are cheap per document but costly per line; and short
 * numbered lines, whose keys, headings and versions all differ (a check of each against all the
 * ones before it is quadratic, but never on identical lines).
 */
export const SHAPES: readonly Shape[] = [
  { name: 'run', make: (t, n) => repeatTo(t, n) },
  { name: 'run+tail', make: (t, n) => `${repeatTo(t, Math.max(1, n - 3))}x§!` },
  {
    name: 'lines',
    make: (t, n) => {
      const line = `${repeatTo(t, 120).replace(/[\r\n]/g, ' ')}x\n`;
      return line.repeat(Math.max(1, Math.ceil(n / line.length)));
    },
  },
  {
    name: 'numbered',
    make: (t, n) => {
      const token = t.replace(/[\r\n]/g, ' ');
      const lines: string[] = [];
      for (let i = 0, bytes = 0; bytes < n; i++) {
        const line = `${i}${token}${i}\n`;
        lines.push(line);
        bytes += line.length;
      }
      return lines.join('');
    },
  },
];

/** One adversarial input: `label` says which token and shape, for failure messages. */
export interface AdversarialInput {
  label: string;
  make(bytes: number): string;
}

/** Every token in every shape. */
export function adversarialInputs(tokens: readonly string[] = allTokens(), shapes: readonly Shape[] = SHAPES): AdversarialInput[] {
  return tokens.flatMap((token) => shapes.map((shape) => ({ label: `${shape.name} of ${JSON.stringify(token)}`, make: (n: number) => shape.make(token, n) })));
}

// ---------------------------------------------------------------------------------------------
// Targets

export interface BudgetTarget {
  name: string;
  /**
   * `pattern`: one regular expression or a small function, cheap per byte; `stage`: a parser or
   * renderer over a whole document, which the unit test runs at smaller sizes and fewer shapes.
   */
  kind: 'pattern' | 'stage';
  /** Runs the stage on one input. */
  run(input: string): unknown;
  /** Where the adversarial payload goes in what the stage reads (default: the payload itself). */
  contexts?: readonly ((payload: string) => string)[];
}

const ruleTarget = (rule: HighlightRule): BudgetTarget => ({
  name: `rule ${rule.id}`,
  kind: 'pattern',
  run: (text) => {
    rule.pattern.lastIndex = 0;
    rule.pattern.test(text);
    if (rule.unless) {
      rule.unless.lastIndex = 0;
      rule.unless.test(text);
    }
  },
});

const md = {
  item: (p: string) => `# Changelog\n\n## 1.0.0\n\n- ${p}\n\n## 0.9.0\n\n- x\n`,
  paragraph: (p: string) => `## 1.0.0\n\n${p}\n`,
  heading: (p: string) => `## ${p}\n\n- x\n\n### ${p}\n\n- x\n`,
  engines: (p: string) => `## 1.0.0\n\n### Engine versions\n\n- Node: ${p}\n- MongoDB: \`${p}\`\n`,
};

function engineSections(payload: string): VersionSection[] {
  const section = (version: string, text: string): VersionSection => ({
    version,
    label: version,
    date: null,
    file: 'HISTORY.md',
    line: 1,
    items: [{ text, file: 'HISTORY.md', line: 1, endLine: 1, heading: ['Engine versions'], risks: [] }],
  });
  return [section('1.0.0', `- MongoDB: ${payload}`), section('2.0.0', `- MongoDB: \`${payload}\``), section('3.0.0', '- MongoDB: 4.0')];
}

function reviewOf(payload: string): Review {
  const item = { text: payload, file: payload.slice(0, 200), line: 1, endLine: 2, risks: ['breaking' as const], heading: [payload], ref: payload.slice(0, 100) };
  return {
    source: `file:${payload.slice(0, 100)}`,
    from: '1.0.0',
    to: '2.0.0',
    versions: [{ version: '2.0.0', date: payload.slice(0, 50), tag: payload.slice(0, 100), prereleases: [payload.slice(0, 100)], items: [item] }],
    summary: { breaking: 1 },
    engines: [{ name: payload.slice(0, 100), from: payload, to: payload }],
    problems: [{ message: payload, file: payload.slice(0, 100) }],
  };
}

const MENTIONED_VERSIONS = ['1.1.0', '1.2.0', '1.2.3', '1.10.0', '16.1.0'].map((version) => ({ version, tag: `v${version}` }));

/** Every stage that reads upstream text, each built-in rule on its own first. */
export function budgetTargets(): BudgetTarget[] {
  const classifier = createClassifier();
  let calls = 0;
  // Heading results are cached (most items share a few headings): each run gets headings of its
  // own, so that the smaller input's repeated runs are no cheaper than the first.
  const uncached = (): Classifier => {
    const run = ++calls;
    const fresh = (item: Parameters<Classifier['classify']>[0]) => ({ ...item, heading: item.heading.map((h) => `${h}\u0000${run}`) });
    return { classify: (item) => classifier.classify(fresh(item)), explain: (item) => classifier.explain(fresh(item)) };
  };
  return [
    ...DEFAULT_RULES.map(ruleTarget),
    { name: 'classifier (item text)', kind: 'pattern', run: (text) => classifier.classify({ text, heading: [] }) },
    {
      name: 'classifier (headings and callout)',
      kind: 'pattern',
      run: (text) => uncached().classify({ text: 'x', heading: [text, `Breaking ${text}`], callout: 'warning' }),
    },
    { name: 'parseNotes markdown', kind: 'stage', run: (text) => parseNotes(text, 'CHANGELOG.md', { format: 'markdown', classifier: uncached() }), contexts: [md.item, md.heading, md.paragraph, md.engines] },
    {
      name: 'parseNotes rst',
      kind: 'stage',
      run: (text) => parseNotes(text, 'CHANGES.rst', { format: 'rst', classifier: uncached() }),
      contexts: [(p) => `1.0.0\n=====\n\n${p}\n`, (p) => `${p}\n${'='.repeat(20)}\n\n- x\n`, (p) => `1.0.0\n-----\n\n.. warning:: ${p}\n`],
    },
    {
      name: 'parseNotes text',
      kind: 'stage',
      run: (text) => parseNotes(text, 'NEWS', { format: 'text', classifier: uncached() }),
      contexts: [(p) => `Version 1.0.0\n\n${p}\n`, (p) => `${p}\n\n  * x\n`, (p) => `* Noteworthy changes in release 1.0 (2024-01-01)\n\n** ${p}\n`],
    },
    { name: 'parseNotes detected format', kind: 'stage', run: (text) => parseNotes(text, 'NEWS', { classifier: uncached() }), contexts: [(p) => p, md.heading] },
    { name: 'parseNotes one version', kind: 'stage', run: (text) => parseNotes(text, 'releases/v1.0.0', { version: '1.0.0', classifier: uncached() }), contexts: [md.heading] },
    { name: 'parseNotes upgrade guide', kind: 'stage', run: (text) => parseNotes(text, 'UPGRADE.md', { upgradeGuide: true, classifier: uncached() }), contexts: [(p) => `## Upgrading to ${p}\n\n- x\n`, (p) => `## From ${p} to 2.0\n\n- x\n`] },
    { name: 'parseVersionHeading', kind: 'pattern', run: (text) => parseVersionHeading(text), contexts: [(p) => p, (p) => `[1.2.3](${p}) ${p}`, (p) => `1.2.3 ${p}`, (p) => `${p} 1.2.3`] },
    { name: 'parseUpgradeHeading', kind: 'pattern', run: (text) => parseUpgradeHeading(text), contexts: [(p) => p, (p) => `Upgrading from ${p}`, (p) => `Upgrade ${p} to 3.0`, (p) => `1.0 ${p}`] },
    { name: 'versionNamedIn', kind: 'pattern', run: (text) => versionNamedIn(text), contexts: [(p) => p, (p) => `upgrading ${p} to 2.0`, (p) => `in version ${p}`, (p) => `starting with ${p}`] },
    { name: 'stripInlineMarkup', kind: 'pattern', run: (text) => stripInlineMarkup(text) },
    { name: 'extractDate', kind: 'pattern', run: (text) => extractDate(text) },
    // Inputs longer than a tag are refused before any pattern runs; the patterns themselves below.
    { name: 'canonicalVersion', kind: 'pattern', run: (text) => canonicalVersion(`${text}\u0000${Math.random()}`), contexts: [(p) => p, (p) => `v1.2.3${p}`, (p) => `release-${p}`] },
    { name: 'tagPackage', kind: 'pattern', run: (text) => tagPackage(`${text}\u0000${Math.random()}`), contexts: [(p) => p, (p) => `pkg-${p}`, (p) => `@scope/${p}@1.2.3`, (p) => `${p}/v1.2.3`] },
    { name: 'source spec package', kind: 'pattern', run: (text) => splitPackage(text), contexts: [(p) => p, (p) => `acme/app#${p}`, (p) => `a#@${p}/b`] },
    {
      // A fresh index each run: one that has found every version stops scanning.
      name: 'version mentions',
      kind: 'stage',
      run: (text) => new MentionIndex(MENTIONED_VERSIONS).add({ text }),
      contexts: [(p) => p, (p) => `## 1.${p}\n\n- x\n`],
    },
    { name: 'version pattern (tag)', kind: 'pattern', run: (text) => BARE_VERSION_RE.exec(text), contexts: [(p) => p, (p) => `1.2.3${p}`, (p) => `v1${p}`] },
    { name: 'version pattern (heading)', kind: 'pattern', run: (text) => VERSION_IN_HEADING_RE.exec(text), contexts: [(p) => p, (p) => ` 1.2.3${p}`, (p) => `(v1${p}`] },
    { name: 'githubRepo', kind: 'pattern', run: (text) => [githubRepo(text), githubRepo({ url: `git+https://github.com/${text}` })], contexts: [(p) => p, (p) => `github.com/a/${p}`] },
    { name: 'leadingCallout', kind: 'pattern', run: (text) => leadingCallout(text), contexts: [(p) => p, (p) => `- ${p}`, (p) => `**${p}`] },
    { name: 'engines review', kind: 'stage', run: (text) => reviewEngines(engineSections(text), '1.0.0', '3.0.0') },
    { name: 'renderNoteHtml', kind: 'stage', run: (text) => renderNoteHtml(text) },
    { name: 'review view and markdown', kind: 'stage', run: (text) => [reviewView(reviewOf(text)), reviewMarkdown(reviewOf(text), { allItems: true })] },
    {
      name: 'findVersionPins yaml',
      kind: 'stage',
      run: (text) => findVersionPins('deployment.yaml', text),
      contexts: [(p) => p, (p) => `image: ${p}\n`, (p) => `spec:\n  image:\n    repository: ${p}\n    tag: "1.2.3"\n`],
    },
    { name: 'findVersionPins Dockerfile', kind: 'stage', run: (text) => findVersionPins('Dockerfile', text), contexts: [(p) => p, (p) => `FROM ${p}\n`] },
    { name: 'findVersionPins package.json', kind: 'stage', run: (text) => findVersionPins('package.json', text), contexts: [(p) => p, (p) => `{"dependencies": {"a": "${p.replace(/["\\]/g, '')}"}}`] },
    {
      name: 'discoverNoteFiles',
      kind: 'pattern',
      run: (text) => discoverNoteFiles([text, `docs/${text}`, `changelogs/${text}`], [text, `${text}/`]),
      contexts: [(p) => p, (p) => `CHANGELOG${p}.md`, (p) => `${p}.md`],
    },
    { name: 'CLI formatter', kind: 'stage', run: (text) => formatReview(reviewOf(text)) },
    { name: 'terminal text', kind: 'pattern', run: (text) => [terminalText(text), terminalText(text, { oneLine: true })] },
  ];
}

// ---------------------------------------------------------------------------------------------
// Checker

/** Best of `runs` wall-clock timings of fn(input), in milliseconds. */
export function bestTime(fn: (input: string) => unknown, input: string, runs: number): number {
  return bestBatch(fn, input, 1, runs).wall;
}

let gc: (() => void) | undefined;

/**
 * A full garbage collection, so that a run does not pay for the garbage of the runs before it.
 * Node exposes gc() only with --expose-gc; the flag can be set at run time and gc() taken from a
 * fresh context.
 */
function fullGc(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

export interface GrowthOptions {
  /** Bytes of the smaller input. */
  bytes: number;
  /** The larger input is this many times bigger (default 8). */
  growth?: number;
  /**
   * How much worse than linear is tolerated (default 3): one run on the larger input may take up
   * to three times as long as `growth` runs on the smaller one. Linear stages measure 0.3 to 2 here
   * (garbage collection and a loaded machine included), quadratic ones `growth` and more.
   */
  slack?: number;
  /** Times below this are noise, never a failure (default 0.5 ms). */
  floorMs?: number;
  /** No single run may take longer than this, whatever the growth (default 2000 ms). */
  capMs?: number;
}

export interface GrowthResult {
  ok: boolean;
  /** One run on the smaller input (the mean of `growth` runs). */
  smallMs: number;
  bigMs: number;
  /** Time on the larger input over time on the smaller one. */
  ratio: number;
  reason?: string;
}

interface Timing {
  wall: number;
  cpu: number;
}

/**
 * Best of `runs` timings of `times` consecutive calls of fn(input), in milliseconds, wall-clock and
 * CPU time each. They err in different ways: on a loaded machine a long run is preempted more often
 * than a short one (wall time grows, CPU time does not), while compiler and GC threads add CPU time,
 * and CPU time is accounted coarsely.
 */
function bestBatch(fn: (input: string) => unknown, input: string, times: number, runs: number, collect = false): Timing {
  const best = { wall: Infinity, cpu: Infinity };
  for (let i = 0; i < runs; i++) {
    if (collect) fullGc();
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (let k = 0; k < times; k++) fn(input);
    best.wall = Math.min(best.wall, performance.now() - start);
    const used = process.cpuUsage(cpu);
    best.cpu = Math.min(best.cpu, (used.user + used.system) / 1000);
  }
  return best;
}

/**
 * Compares one run on growth×N bytes with `growth` runs on N bytes: the same amount of text, so
 * a linear stage takes about as long for both, garbage collection included, while a quadratic one
 * takes `growth` times longer on the larger input. It fails only when both the wall-clock and the
 * CPU times say so. Passing is cheap (the larger input alone when it is read within the floor,
 * else one of each); a suspected failure is measured in five more rounds before it counts, so that
 * a linear stage on a loaded machine does not fail.
 */
export function checkGrowth(fn: (input: string) => unknown, make: (bytes: number) => string, opts: GrowthOptions): GrowthResult {
  const growth = opts.growth ?? 8;
  const slack = opts.slack ?? 3;
  const floor = opts.floorMs ?? 0.5;
  const cap = opts.capMs ?? 2000;
  const small = make(opts.bytes);
  const big = make(opts.bytes * growth);
  const judge = (batch: Timing, one: Timing): GrowthResult => {
    const bigMs = Math.min(one.wall, Math.max(one.cpu, floor));
    const ratioOf = (b: number, s: number) => (b / Math.max(s, floor)) * growth;
    const ratio = Math.min(ratioOf(one.wall, batch.wall), ratioOf(one.cpu, batch.cpu));
    const result = { smallMs: batch.wall / growth, bigMs: one.wall, ratio };
    if (bigMs > cap) return { ok: false, ...result, reason: `${bigMs.toFixed(0)} ms for ${big.length} bytes (limit ${cap} ms)` };
    if (one.wall >= floor && ratio > growth * slack) {
      return { ok: false, ...result, reason: `${growth}× the input took ${ratio.toFixed(1)}× the time (${result.smallMs.toFixed(2)} -> ${one.wall.toFixed(2)} ms)` };
    }
    return { ok: true, ...result };
  };
  // A large input read in less than the floor cannot hide anything super-linear: no need to compare.
  const one = bestBatch(fn, big, 1, 1);
  if (one.wall < floor) return { ok: true, smallMs: 0, bigMs: one.wall, ratio: 0 };
  fn(small);
  const first = judge(bestBatch(fn, small, growth, 1), one);
  if (first.ok || first.bigMs > cap * 2) return first;
  // Five more rounds, each the smaller input then the larger one after a full collection, so that
  // load hits both alike; the best round counts.
  let best = first;
  for (let round = 0; round < 5 && !best.ok; round++) {
    const r = judge(bestBatch(fn, small, growth, 1, true), bestBatch(fn, big, 1, 1, true));
    if (r.ok || r.ratio < best.ratio) best = r;
  }
  return best;
}

export interface BudgetCase {
  target: string;
  kind: BudgetTarget['kind'];
  input: string;
  run(input: string): unknown;
  make(bytes: number): string;
}

export interface CaseSelection {
  tokens?: readonly string[];
  shapes?: readonly Shape[];
  /** At most this many of each target's contexts. */
  contexts?: number;
}

/** Every target × context × adversarial input. */
export function budgetCases(targets: readonly BudgetTarget[] = budgetTargets(), selection: CaseSelection = {}): BudgetCase[] {
  const cases: BudgetCase[] = [];
  const inputs = adversarialInputs(selection.tokens ?? allTokens(), selection.shapes ?? SHAPES);
  for (const target of targets) {
    const contexts = (target.contexts ?? [(p: string) => p]).slice(0, selection.contexts ?? Infinity);
    contexts.forEach((wrap, c) => {
      for (const input of inputs) {
        cases.push({
          target: target.name,
          kind: target.kind,
          input: contexts.length > 1 ? `${input.label} in context ${c + 1}` : input.label,
          run: target.run,
          make: (bytes) => wrap(input.make(bytes)),
        });
      }
    });
  }
  return cases;
}

export interface BudgetFailure {
  target: string;
  input: string;
  bytes: number;
  reason: string;
}

// ---------------------------------------------------------------------------------------------
// Fuzz: the same cases from 1 KB to 1 MB, within a time budget

export interface FuzzOptions {
  /** Wall-clock budget for the whole run (ms). */
  budgetMs: number;
  minBytes?: number;
  maxBytes?: number;
  /** Only targets whose name includes this. */
  filter?: string;
  /** A case still running after this long is a failure and its worker is ended (default 10 s). */
  caseTimeoutMs?: number;
  onFailure?: (f: BudgetFailure) => void;
}

export interface FuzzResult {
  /** Inputs run (one per case and size). */
  inputs: number;
  failures: BudgetFailure[];
  /** The slowest single run, and what it was. */
  worstMs: number;
  worst?: { target: string; input: string; bytes: number };
  /** Cases not reached within the budget. */
  skipped: number;
}

type FromFuzzWorker =
  | { type: 'start'; pos: number; bytes: number }
  | { type: 'ran'; pos: number; bytes: number; ms: number }
  | { type: 'failure'; pos: number; bytes: number; reason: string }
  | { type: 'done' };

/**
 * Runs every case at sizes minBytes, 8×, 64×... up to maxBytes, checking growth between
 * neighbouring sizes, in a worker thread so that a runaway case can be ended. Cases are taken in
 * a shuffled order so a short budget still samples every target.
 */
export async function fuzz(opts: FuzzOptions): Promise<FuzzResult> {
  const deadline = Date.now() + opts.budgetMs;
  const all = budgetCases().filter((c) => !opts.filter || c.target.includes(opts.filter));
  const order = shuffled(all.length);
  const result: FuzzResult = { inputs: 0, failures: [], worstMs: 0, skipped: 0 };
  const caseTimeout = opts.caseTimeoutMs ?? 10_000;
  const fail = (index: number, bytes: number, reason: string) => {
    const f = { target: all[index].target, input: all[index].input, bytes, reason };
    result.failures.push(f);
    opts.onFailure?.(f);
  };
  let next = 0;
  while (next < order.length && Date.now() < deadline) {
    // One worker runs the remaining cases until they are done, one overruns or the budget ends.
    const batch = order.slice(next);
    next += await new Promise<number>((resolve) => {
      const worker = new Worker(__filename, {
        workerData: { fuzzOrder: batch, minBytes: opts.minBytes ?? 1024, maxBytes: opts.maxBytes ?? 1 << 20, filter: opts.filter },
      });
      let current = { pos: 0, bytes: 0, since: Date.now() };
      let settled = false;
      const finish = (consumed: number) => {
        if (settled) return;
        settled = true;
        clearInterval(timer);
        void worker.terminate().then(() => resolve(consumed));
      };
      const timer = setInterval(() => {
        if (Date.now() - current.since > caseTimeout) {
          fail(batch[current.pos], current.bytes, `did not finish within ${caseTimeout} ms`);
          finish(current.pos + 1);
        } else if (Date.now() > deadline) {
          finish(current.pos);
        }
      }, 50);
      worker.on('message', (m: FromFuzzWorker) => {
        if (m.type === 'start') current = { pos: m.pos, bytes: m.bytes, since: Date.now() };
        else if (m.type === 'ran') {
          result.inputs++;
          if (m.ms > result.worstMs) {
            const c = all[batch[m.pos]];
            result.worstMs = m.ms;
            result.worst = { target: c.target, input: c.input, bytes: m.bytes };
          }
        } else if (m.type === 'failure') fail(batch[m.pos], m.bytes, m.reason);
        else finish(batch.length);
      });
      worker.on('error', (err) => {
        fail(batch[current.pos], current.bytes, `threw ${String(err)}`);
        finish(current.pos + 1);
      });
    });
  }
  result.skipped = order.length - Math.min(next, order.length);
  return result;
}

function shuffled(n: number): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  // A fixed seed: the same budget samples the same cases, so runs compare.
  let seed = 0x2545f491;
  for (let i = n - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function fuzzWorker(data: { fuzzOrder: number[]; minBytes: number; maxBytes: number; filter?: string }): void {
  const all = budgetCases().filter((c) => !data.filter || c.target.includes(data.filter));
  const post = (m: FromFuzzWorker) => parentPort!.postMessage(m);
  // Sizes ×8 from minBytes, and maxBytes against an eighth of it: 1 KB, 8 KB, 64 KB, 512 KB; 128 KB and 1 MB.
  const pairs: number[] = [];
  for (let bytes = data.minBytes; bytes * 8 <= data.maxBytes; bytes *= 8) pairs.push(bytes);
  if (pairs.length && pairs[pairs.length - 1] * 8 < data.maxBytes) pairs.push(data.maxBytes / 8);
  data.fuzzOrder.forEach((index, pos) => {
    const c = all[index];
    for (const bytes of pairs) {
      post({ type: 'start', pos, bytes: bytes * 8 });
      // Past a few hundred KB the text no longer fits the CPU's caches and a linear stage takes up to
      // three times as long per byte, so the larger sizes get more slack. Besides growth, no single run
      // may take more than 1 ms per 256 bytes (4 s for 1 MB), or 2 s.
      const slack = bytes * 8 >= 256 * 1024 ? 4 : 3;
      const r = checkGrowth(c.run, c.make, { bytes, slack, capMs: Math.max(2000, (bytes * 8) / 256) });
      post({ type: 'ran', pos, bytes: bytes * 8, ms: r.bigMs });
      if (!r.ok) {
        post({ type: 'failure', pos, bytes: bytes * 8, reason: r.reason! });
        break;
      }
    }
  });
  post({ type: 'done' });
}

if (!isMainThread && workerData && Array.isArray((workerData as { fuzzOrder?: unknown }).fuzzOrder)) {
  fuzzWorker(workerData as { fuzzOrder: number[]; minBytes: number; maxBytes: number; filter?: string });
}
