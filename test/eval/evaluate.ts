/**
 * Scores the release-note highlighter against the labelled corpus (test/corpus/release-notes):
 * recall of positives (all, and high severity), precision, flag rate, traps flagged, per risk and
 * per project, for the development part and the held-out part separately.
 *
 * An item counts as flagged when the highlighter gives it any risk; a high-severity item is found
 * when it gets at least one high-severity risk. A label whose item the parser does not produce (a
 * structural miss) counts as not flagged.
 */
import type { Risk } from '../../src/core/releases';
import { RISKS } from '../../src/core/releases';
import { itemKey, listProjects, loadProject, projectItems, readSplit, type Classifier, type Label } from '../support/corpus';

export const HIGH_SEVERITY: readonly Risk[] = ['breaking', 'db_migration', 'db_lock_or_downtime', 'db_engine_requirement', 'requirement', 'data_loss', 'upgrade_path'];

export interface Judged {
  project: string;
  label: Label;
  /** Risks the highlighter gave; undefined when the parser produced no such item. */
  predicted: Risk[] | undefined;
  /** The version the parser put the item under. */
  version?: string;
  text?: string;
  reasons?: string[];
}

export interface Scores {
  items: number;
  positives: number;
  highSeverity: number;
  flagged: number;
  truePositives: number;
  highFound: number;
  traps: number;
  trapsFlagged: number;
  negatives: number;
  negativesFlagged: number;
  /** Labels whose item the parser did not produce. */
  structuralMisses: number;
  /** Items the parser put under another version than the label's. */
  wrongVersion: number;
  recallHigh: number | null;
  recall: number | null;
  precision: number | null;
  flagRate: number | null;
  trapsFlaggedRate: number | null;
  /** Flagged negatives / negatives: the noise a reader wades through. */
  falsePositiveRate: number | null;
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
const isHigh = (risks: readonly Risk[]) => risks.some((r) => HIGH_SEVERITY.includes(r));

export function score(judged: readonly Judged[]): Scores {
  const s = {
    items: judged.length,
    positives: 0,
    highSeverity: 0,
    flagged: 0,
    truePositives: 0,
    highFound: 0,
    traps: 0,
    trapsFlagged: 0,
    negatives: 0,
    negativesFlagged: 0,
    structuralMisses: 0,
    wrongVersion: 0,
  };
  for (const j of judged) {
    const predicted = j.predicted ?? [];
    const flagged = predicted.length > 0;
    const positive = j.label.risks.length > 0;
    if (j.predicted === undefined) s.structuralMisses++;
    else if (j.version !== undefined && j.version !== j.label.version) s.wrongVersion++;
    if (flagged) s.flagged++;
    if (positive) {
      s.positives++;
      if (flagged) s.truePositives++;
    } else {
      s.negatives++;
      if (flagged) s.negativesFlagged++;
    }
    if (isHigh(j.label.risks)) {
      s.highSeverity++;
      if (isHigh(predicted)) s.highFound++;
    }
    if (j.label.trap) {
      s.traps++;
      if (flagged) s.trapsFlagged++;
    }
  }
  return {
    ...s,
    recallHigh: ratio(s.highFound, s.highSeverity),
    recall: ratio(s.truePositives, s.positives),
    precision: ratio(s.truePositives, s.flagged),
    flagRate: ratio(s.flagged, s.items),
    trapsFlaggedRate: ratio(s.trapsFlagged, s.traps),
    falsePositiveRate: ratio(s.negativesFlagged, s.negatives),
  };
}

export interface RiskScores {
  risk: Risk;
  labelled: number;
  predicted: number;
  both: number;
  recall: number | null;
  precision: number | null;
}

export function scoreRisks(judged: readonly Judged[]): RiskScores[] {
  return RISKS.map((risk) => {
    let labelled = 0;
    let predicted = 0;
    let both = 0;
    for (const j of judged) {
      const l = j.label.risks.includes(risk);
      const p = (j.predicted ?? []).includes(risk);
      if (l) labelled++;
      if (p) predicted++;
      if (l && p) both++;
    }
    return { risk, labelled, predicted, both, recall: ratio(both, labelled), precision: ratio(both, predicted) };
  });
}

/** Every labelled item of a project, with what the highlighter says of it. */
export function judgeProject(name: string, classifier?: Classifier, explain?: (text: string, heading: readonly string[]) => string[]): Judged[] {
  const project = loadProject(name);
  const items = new Map(projectItems(project, classifier).map((i) => [itemKey(i.file, i.line), i]));
  return project.labels.map((label) => {
    const item = items.get(itemKey(label.file, label.line));
    return {
      project: name,
      label,
      predicted: item?.risks,
      // An item under several releases is under the label's, when that is one of them.
      version: item?.alsoIn?.includes(label.version) ? label.version : item?.version,
      text: item?.text,
      reasons: item && explain ? explain(item.text, item.heading) : item?.reasons?.map((r) => r.source),
    };
  });
}

export interface CorpusPart {
  name: 'development' | 'held-out';
  projects: string[];
}

export function corpusParts(): CorpusPart[] {
  const split = readSplit();
  const all = new Set(listProjects());
  const known = new Set([...split.development, ...split.heldOut]);
  const missing = [...known].filter((p) => !all.has(p));
  const unsplit = [...all].filter((p) => !known.has(p));
  if (missing.length || unsplit.length) throw new Error(`split.json and the corpus disagree: missing ${missing.join(', ') || '-'}; not in the split ${unsplit.join(', ') || '-'}`);
  return [
    { name: 'development', projects: split.development },
    { name: 'held-out', projects: split.heldOut },
  ];
}
