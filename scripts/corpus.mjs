// Tools for the labelled release-note corpus (test/corpus/release-notes).
//   node scripts/corpus.mjs items PROJECT [--versions 1.2.0,1.3.0]   the parser's items, one JSON per line
//   node scripts/corpus.mjs check PROJECT...                          labels against the parser's items
//   node scripts/corpus.mjs stats                                     counts for every project (no item text)
// Works from the sources (bundled on the fly), so it does not depend on a build in out/.
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { root } from './lib.mjs';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'preflight-corpus-'));
const outfile = path.join(tmp, 'corpus.js');
try {
  await esbuild.build({
    entryPoints: [path.join(root, 'test/support/corpus.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    // __dirname of the bundle is the temp folder: point the corpus at the repository instead.
    define: { __dirname: JSON.stringify(path.join(root, 'out/test/support')) },
  });
  const corpus = createRequire(import.meta.url)(outfile);
  const [command, ...args] = process.argv.slice(2);
  process.exitCode = run(corpus, command, args);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

function run(corpus, command, args) {
  if (command === 'items') return items(corpus, args);
  if (command === 'check') return check(corpus, args.length ? args : corpus.listProjects());
  if (command === 'stats') return stats(corpus);
  console.error('usage: node scripts/corpus.mjs items PROJECT [--versions A,B] | check [PROJECT...] | stats');
  return 2;
}

function items(corpus, args) {
  const [name, flag, list] = args;
  if (!name) return run(corpus);
  const versions = flag === '--versions' && list ? new Set(list.split(',')) : undefined;
  const project = corpus.loadProject(name);
  for (const item of corpus.projectItems(project)) {
    if (versions && !versions.has(item.version)) continue;
    const { file, line, endLine, version, heading, text } = item;
    console.log(JSON.stringify({ file, line, endLine, version, heading, text }));
  }
  for (const p of project.problems) console.error(`${name}: ${p}`);
  return project.problems.length ? 1 : 0;
}

/** Every label must name an item the parser produces, with the same opening text; every item of a labelled version needs a label. */
function verify(corpus, name) {
  const project = corpus.loadProject(name);
  const found = new Map(corpus.projectItems(project).map((i) => [corpus.itemKey(i.file, i.line), i]));
  const problems = [...project.problems];
  const seen = new Set();
  for (const l of project.labels) {
    const key = corpus.itemKey(l.file, l.line);
    if (seen.has(key)) problems.push(`${key}: labelled twice`);
    seen.add(key);
    const item = found.get(key);
    if (!item) problems.push(`${key}: no item starts here`);
    else if (corpus.labelText(item.text) !== l.text) problems.push(`${key}: the item's text is now "${corpus.labelText(item.text)}", the label says "${l.text}"`);
  }
  const versions = new Set(project.labels.map((l) => l.version));
  const unlabelled = [...found.values()].filter((i) => versions.has(i.version) && !seen.has(corpus.itemKey(i.file, i.line)));
  return { project, problems, unlabelled, found };
}

function check(corpus, names) {
  let bad = 0;
  for (const name of names) {
    const { project, problems, unlabelled } = verify(corpus, name);
    const positives = project.labels.filter((l) => l.risks.length).length;
    const traps = project.labels.filter((l) => l.trap).length;
    console.log(`${name}: ${project.labels.length} labels, ${positives} positives, ${traps} traps, ${problems.length} problems, ${unlabelled.length} unlabelled items in labelled versions`);
    for (const p of problems.slice(0, 20)) console.log(`  ${p}`);
    for (const i of unlabelled.slice(0, 20)) console.log(`  unlabelled: ${i.file}:${i.line} (${i.version})`);
    if (problems.length || unlabelled.length) bad++;
  }
  return bad ? 1 : 0;
}

function stats(corpus) {
  const totals = { items: 0, positives: 0, traps: 0 };
  const risks = {};
  for (const name of corpus.listProjects()) {
    const project = corpus.loadProject(name);
    const positives = project.labels.filter((l) => l.risks.length).length;
    const traps = project.labels.filter((l) => l.trap).length;
    totals.items += project.labels.length;
    totals.positives += positives;
    totals.traps += traps;
    for (const l of project.labels) for (const r of l.risks) risks[r] = (risks[r] ?? 0) + 1;
    console.log(JSON.stringify({ project: name, items: project.labels.length, positives, traps, versions: new Set(project.labels.map((l) => l.version)).size }));
  }
  console.log(JSON.stringify({ total: totals, risks }));
  return 0;
}
