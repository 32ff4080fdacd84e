/**
 * `npm run eval`: the highlighter's figures on the labelled corpus, as JSON lines, for the
 * development part and the held-out part separately; per project worst first.
 *
 *   npm run eval                  figures only
 *   npm run eval -- --misses      also the development part's misses and false alarms (item text);
 *                                 never the held-out part's, whose items stay unseen
 *
 * Then the challenge set (test/corpus/challenge): invented items, each risk in many wordings, in
 * two halves (`challenge-a` was read to find misses; `challenge-b` only through its figures).
 * Last, how far two labellers agree (test/corpus/agreement): the second labelling scored against
 * the first as if it were the highlighter, with Cohen's kappa on positive or not.
 */
import { createHighlighter } from '../../src/core/releases/highlight/engine';
import { itemKey, loadAgreement, loadChallenge, loadProject } from '../support/corpus';
import { corpusParts, judgeProject, score, scoreRisks, type Judged } from './evaluate';

const args = process.argv.slice(2);
const showMisses = args.includes('--misses');
const round = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);

function figures(s: ReturnType<typeof score>) {
  return {
    items: s.items,
    positives: s.positives,
    highSeverity: s.highSeverity,
    recallHigh: round(s.recallHigh),
    recall: round(s.recall),
    precision: round(s.precision),
    flagRate: round(s.flagRate),
    falsePositiveRate: round(s.falsePositiveRate),
    traps: s.traps,
    trapsFlagged: round(s.trapsFlaggedRate),
    structuralMisses: s.structuralMisses,
    wrongVersion: s.wrongVersion,
  };
}

/** A part's overall figures and its figures per risk. */
function printPart(part: string, judged: readonly Judged[], extra: Record<string, number> = {}): void {
  console.log(JSON.stringify({ part, scope: 'overall', ...extra, ...figures(score(judged)) }));
  for (const r of scoreRisks(judged)) console.log(JSON.stringify({ part, scope: 'risk', ...r, recall: round(r.recall), precision: round(r.precision) }));
}

/** Cohen's kappa on positive or not, from the counts `score` keeps. */
function kappa(s: ReturnType<typeof score>): number | null {
  if (s.items === 0) return null;
  const a = s.positives / s.items;
  const b = s.flagged / s.items;
  const observed = (s.truePositives + s.negatives - s.negativesFlagged) / s.items;
  const chance = a * b + (1 - a) * (1 - b);
  return chance < 1 ? (observed - chance) / (1 - chance) : 1;
}

const classifier = createHighlighter();
for (const part of corpusParts()) {
  const judged: Judged[] = [];
  const perProject: { project: string; judged: Judged[] }[] = [];
  for (const project of part.projects) {
    const j = judgeProject(project, classifier);
    judged.push(...j);
    perProject.push({ project, judged: j });
  }
  printPart(part.name, judged, { projects: part.projects.length });
  const ranked = perProject
    .map((p) => ({ project: p.project, s: score(p.judged) }))
    .sort((a, b) => (a.s.recallHigh ?? 1) - (b.s.recallHigh ?? 1) || (a.s.recall ?? 1) - (b.s.recall ?? 1));
  for (const p of ranked) console.log(JSON.stringify({ part: part.name, scope: 'project', project: p.project, ...figures(p.s) }));
  if (showMisses && part.name === 'development') {
    for (const j of judged) {
      const predicted = j.predicted ?? [];
      const missed = j.label.risks.length > 0 && predicted.length === 0;
      const falseAlarm = j.label.risks.length === 0 && predicted.length > 0;
      if (!missed && !falseAlarm) continue;
      console.log(
        JSON.stringify({
          part: part.name,
          scope: missed ? 'miss' : 'false-alarm',
          project: j.project,
          at: `${j.label.file}:${j.label.line}`,
          labelled: j.label.risks,
          predicted: j.predicted ?? 'not parsed',
          reasons: j.reasons,
          trap: j.label.trap,
          text: (j.text ?? j.label.text).replace(/\s+/g, ' ').slice(0, 300),
        }),
      );
    }
  }
}

// The challenge set: each item alone under its heading, as a changelog entry.
const challenge = loadChallenge();
for (const half of ['a', 'b'] as const) {
  const judged: Judged[] = challenge
    .filter((c) => c.half === half)
    .map((c) => ({
      project: 'challenge',
      label: { file: 'items.jsonl', line: 0, version: '', risks: c.risks, trap: c.trap, text: c.text },
      predicted: classifier.classify({ text: c.text, heading: c.heading ? [c.heading] : [], kind: 'changelog' }),
    }));
  printPart(`challenge-${half}`, judged);
}

for (const { project, labels } of loadAgreement()) {
  const second = new Map(labels.map((l) => [itemKey(l.file, l.line), l]));
  const judged: Judged[] = loadProject(project).labels.map((label) => ({ project, label, predicted: second.get(itemKey(label.file, label.line))?.risks }));
  const s = score(judged);
  console.log(JSON.stringify({ part: 'agreement', scope: 'project', project, ...figures(s), kappa: round(kappa(s)) }));
}
