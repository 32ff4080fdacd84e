/**
 * The labelled release-note corpus (test/corpus/release-notes): reading a project, the items the
 * parser produces for it, and its labels.
 *
 * A project folder holds the upstream files at their repository paths, `corpus.json` naming them
 * (`{"documents": ["CHANGELOG.md", "docs/upgrade/2.3-2.4.md", "releases/v1.2.0.md"]}`), `SOURCE.md`
 * and `labels.jsonl`: one line per item of the labelled versions,
 * `{"file", "line", "version", "risks", "trap", "text"}` (see LABELLING.md).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { NoteItem, Risk, VersionSection } from '../../src/core/releases';
import type { Classifiable } from '../../src/core/releases/highlight/engine';

/** What the corpus needs of a highlighter: risks for an item that knows its document's kind. */
export interface Classifier {
  classify(item: Classifiable): Risk[];
}
import { decodeText, discoverNoteFiles, isRisk, parseNotes } from '../../src/core/releases';
import { reviewEngines } from '../../src/core/releases/engines';

export const CORPUS_DIR = path.resolve(__dirname, '../../../test/corpus/release-notes');

export interface CorpusManifest {
  documents: string[];
}

export interface Label {
  file: string;
  /** 1-based line where the item starts, as the parser reports it. */
  line: number;
  /** The version whose notes hold the item, as a reader of the document sees it. */
  version: string;
  risks: Risk[];
  /** A hard negative: risk-sounding words, no operator risk. */
  trap: boolean;
  /** The start of the item's text, to catch labels that drifted off their item. */
  text: string;
}

export interface CorpusItem extends NoteItem {
  /** The version the parser put the item under. */
  version: string;
  /** The kind of document the item comes from, as file discovery says. */
  kind?: Classifiable['kind'];
  /** The other releases the item is under, when its heading names several (`Upgrading to v2.16.2, v2.15.4, or v2.14.9`). */
  alsoIn?: string[];
}

export interface CorpusProject {
  name: string;
  dir: string;
  manifest: CorpusManifest;
  labels: Label[];
  /** Problems with the project's files or labels, one line each. */
  problems: string[];
}

export function listProjects(dir = CORPUS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'corpus.json')))
    .map((d) => d.name)
    .sort();
}

export function readSplit(dir = CORPUS_DIR): { development: string[]; heldOut: string[] } {
  return JSON.parse(readFileSync(path.join(dir, 'split.json'), 'utf8')) as { development: string[]; heldOut: string[] };
}

export function loadProject(name: string, dir = CORPUS_DIR): CorpusProject {
  const root = path.join(dir, name);
  const problems: string[] = [];
  const manifest = JSON.parse(readFileSync(path.join(root, 'corpus.json'), 'utf8')) as CorpusManifest;
  const labels: Label[] = [];
  const labelFile = path.join(root, 'labels.jsonl');
  if (existsSync(labelFile)) {
    readFileSync(labelFile, 'utf8')
      .split('\n')
      .forEach((line, n) => {
        if (!line.trim()) return;
        try {
          const raw = JSON.parse(line) as Partial<Label>;
          const bad = labelProblem(raw);
          if (bad) problems.push(`labels.jsonl:${n + 1}: ${bad}`);
          else labels.push(raw as Label);
        } catch (err) {
          problems.push(`labels.jsonl:${n + 1}: not JSON (${(err as Error).message})`);
        }
      });
  }
  return { name, dir: root, manifest, labels, problems };
}

function labelProblem(l: Partial<Label>): string | undefined {
  if (typeof l.file !== 'string' || !l.file) return '"file" must be a path';
  if (typeof l.line !== 'number' || !Number.isInteger(l.line) || l.line < 1) return '"line" must be a 1-based line number';
  if (typeof l.version !== 'string' || !l.version) return '"version" must be a version';
  if (!Array.isArray(l.risks) || !l.risks.every((r) => typeof r === 'string' && isRisk(r))) return '"risks" must be a list of known risks';
  if (new Set(l.risks).size !== l.risks.length) return '"risks" lists a risk twice';
  if (typeof l.trap !== 'boolean') return '"trap" must be true or false';
  if (l.trap && l.risks.length) return 'a trap (hard negative) has no risks';
  if (typeof l.text !== 'string') return '"text" must be the start of the item';
  return undefined;
}

/** Every item the parser finds in the project's documents, read the way a source reads them. */
export function projectItems(project: CorpusProject, classifier?: Classifier): CorpusItem[] {
  const files = discoverNoteFiles(project.manifest.documents, project.manifest.documents);
  const items: CorpusItem[] = [];
  const sections: VersionSection[] = [];
  for (const doc of project.manifest.documents) {
    const found = files.find((f) => f.path === doc);
    const abs = path.join(project.dir, doc);
    if (!existsSync(abs)) {
      project.problems.push(`${doc}: listed in corpus.json but missing`);
      continue;
    }
    const { text } = decodeText(readFileSync(abs), doc);
    const kind = found?.kind;
    const parsed = parseNotes(text, doc, { version: found?.version, upgradeGuide: kind === 'upgrade', kind, classifier });
    // In a changelog of several packages, the most common one is the document's own; the others'
    // versions are told apart by name, as labels write them (`pg-pool@3.5.0`).
    const own = dominantPackage(parsed.sections);
    for (const section of parsed.sections) {
      sections.push(section);
      const version = section.package && section.package !== own ? `${section.package}@${section.version}` : section.version;
      if (section.copyOf) {
        // A copy for another release its heading names: the same notes, under that release too.
        for (const item of section.items) ((item as CorpusItem).alsoIn ??= []).push(version);
        continue;
      }
      for (const item of section.items) items.push(Object.assign(item, { version, kind }));
    }
  }
  // As a review does, the release whose engine table drops a database or runtime version is marked,
  // against the table before it: here over every release of the documents.
  reviewEngines(sections, '0.0.0', '999999.0.0');
  return items;
}

function dominantPackage(sections: readonly { package?: string }[]): string | undefined {
  const counts = new Map<string, number>();
  for (const s of sections) if (s.package) counts.set(s.package, (counts.get(s.package) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** The start of an item's text as labels keep it: whitespace collapsed, at most 80 characters. */
export function labelText(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 80);
}

export const itemKey = (file: string, line: number) => `${file}:${line}`;

/**
 * The challenge set (test/corpus/challenge): invented items that say each risk in many wordings,
 * and look-alikes that carry none. Half `a` was read to find what the rules miss; half `b` is read
 * through its figures only.
 */
export const CHALLENGE_FILE = path.resolve(__dirname, '../../../test/corpus/challenge/items.jsonl');

export interface ChallengeItem {
  id: string;
  half: 'a' | 'b';
  heading: string;
  text: string;
  risks: Risk[];
  trap: boolean;
  shape: string;
}

export function loadChallenge(file = CHALLENGE_FILE): ChallengeItem[] {
  return jsonLines<ChallengeItem>(file);
}

/** One JSON value per non-blank line. */
function jsonLines<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/**
 * Second labellings (test/corpus/agreement/<project>.jsonl): the same items labelled again by
 * another labeller who did not see the first labels, to measure how far two labellers agree.
 */
export const AGREEMENT_DIR = path.resolve(__dirname, '../../../test/corpus/agreement');

export interface SecondLabel {
  file: string;
  line: number;
  risks: Risk[];
  trap: boolean;
}

export function loadAgreement(dir = AGREEMENT_DIR): { project: string; labels: SecondLabel[] }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => ({
      project: f.replace(/\.jsonl$/, ''),
      labels: jsonLines<SecondLabel>(path.join(dir, f)),
    }));
}
