/**
 * Assembles a review: every version in `(from, to]`, newest first, with every item and its risks.
 *
 * - Pre-releases fold into their final release when that final is in the range (their items keep
 *   their own file/line and say which pre-release they came from); otherwise they stay separate.
 * - A version known only from a tag shows with zero items; one known only from notes shows too.
 * - Items for one version from several files (changelog, upgrade guide) and refs are merged;
 *   identical items (same file and text) appear once.
 * - With a package (a source spec ending in `#PACKAGE`), sections whose heading names another
 *   package (`## other@1.2.0`) are left out; without one, notes that name several packages in the
 *   range are kept, with a problem saying how to choose one.
 */
import type { Classifier } from './highlight';
import { parseNotes } from './changelog';
import type { EngineChange } from './engines';
import { reviewEngines } from './engines';
import type { Callout, NoteItem, NotesSearch, Problem, Result, Risk, RiskReason, VersionSection } from './model';
import { fail, failNoNotes, listOf, ok, RISKS, schemeOf } from './model';
import { sizeError } from './limits';
import type { NoteDocument, ReadOptions, ReleaseSource, VersionRef } from './ports';
import { canonicalVersion, compareVersions, describeUnknown, finalRelease, inRange, isPrerelease, samePackage } from './version';
import { newestOfLine, versionLine } from './versionLine';
import { relabel } from './versionMap';

export interface ReviewItem {
  text: string;
  file: string;
  line: number;
  endLine: number;
  risks: Risk[];
  /** Why it carries each risk (the rule or heading behind the flag). */
  reasons?: RiskReason[];
  heading: string[];
  callout?: Callout;
  ref?: string;
  /** Where the item's document can be read (a release page, a file on GitHub). */
  url?: string;
  /** The pre-release whose notes held this item, when it was folded into its final release. */
  prerelease?: string;
}

export interface ReviewVersion {
  version: string;
  date: string | null;
  tag?: string;
  /** Pre-releases folded into this version. */
  prereleases?: string[];
  items: ReviewItem[];
}

export interface Review {
  source: string;
  from: string;
  to: string;
  versions: ReviewVersion[];
  summary: Partial<Record<Risk, number>>;
  engines: EngineChange[];
  problems: Problem[];
}

export interface ReviewOptions extends ReadOptions {
  classifier?: Pick<Classifier, 'classify'> & Partial<Pick<Classifier, 'explain'>>;
}

/**
 * What a review reads from its source (the I/O half of buildReview): plain data, so the analysis
 * can run in another thread.
 */
export interface ReviewInput {
  /** The source's id. */
  source: string;
  /** The package the source is about, in a repository or changelog of several. */
  package?: string;
  /** Canonical versions of the range. */
  from: string;
  to: string;
  /** The versions as the user wrote them, for messages. */
  fromInput: string;
  toInput: string;
  /** Versions the source lists without reading notes (tags, registry versions). */
  versions: VersionRef[];
  documents: NoteDocument[];
  problems: Problem[];
  /** Where the source looked, for the reasons when no version is found in the documents. */
  searched?: NotesSearch;
}

export interface AnalysisOptions {
  classifier?: Pick<Classifier, 'classify'> & Partial<Pick<Classifier, 'explain'>>;
}

/** A whole review in this thread: readReviewInput, then analyzeReview. */
export async function buildReview(source: ReleaseSource, fromInput: string, toInput: string, opts: ReviewOptions = {}): Promise<Result<Review>> {
  const input = await readReviewInput(source, fromInput, toInput, opts);
  return input.ok ? analyzeReview(input.value, opts) : input;
}

/** The I/O part of a review: checks the range, lists the source's versions and reads its notes. */
export async function readReviewInput(source: ReleaseSource, fromInput: string, toInput: string, opts: ReadOptions = {}): Promise<Result<ReviewInput>> {
  // A release line (`1.25.x`, from a tag such as `nginx:1.25-alpine`) starts at its newest release.
  const line = versionLine(fromInput);
  let from = line?.floor ?? canonicalVersion(fromInput);
  if (!from) return fail('invalid-version', `"${fromInput}" is not a version (the version upgrading from)`);
  const to = canonicalVersion(toInput);
  if (!to) return fail('invalid-version', `"${toInput}" is not a version (the version upgrading to)`);
  if (compareVersions(from, to) >= 0) return fail('invalid-range', `the version upgrading from (${fromInput}) must be older than the version upgrading to (${toInput})`);

  // The range the listing was made for: a source that lists by range reuses it below.
  const listRange = { from, to };
  const listed = await source.listVersions({ ...opts, range: listRange });
  if (!listed.ok) return listed;
  if (line) {
    const newest = newestOfLine(listed.value, line, to);
    if (!newest) return fail('unknown-version', `${source.id} lists no ${line.label} release older than ${toInput}`);
    from = newest;
  }
  const toTag = new Map(listed.value.map((v) => [v.version, v])).get(to)?.tag;

  const notes = await source.readNotes({ from, to }, { ...opts, range: listRange, toTag });
  if (!notes.ok) return notes;
  const searched = notes.value.searched ?? {};
  if (notes.value.documents.length === 0) {
    return failNoNotes(`no release notes found in ${source.id}`, { kind: 'no-documents', source: source.id, scheme: schemeOf(source.id), searched });
  }
  const input: ReviewInput = { source: source.id, from, to, fromInput, toInput, versions: listed.value, documents: notes.value.documents, problems: notes.value.problems };
  if (notes.value.searched) input.searched = notes.value.searched;
  if (source.package !== undefined) input.package = source.package;
  return ok(input);
}

/**
 * The pure part of a review: parses every document, classifies every item and assembles the
 * versions of the range. No I/O; its input and output are plain data (structured-cloneable).
 */
export function analyzeReview(input: ReviewInput, opts: AnalysisOptions = {}): Result<Review> {
  const { from, to, fromInput, toInput } = input;
  const tooLarge = sizeError(input.source, input.documents);
  if (tooLarge) return { ok: false, error: tooLarge };
  const tags = new Map<string, VersionRef>(input.versions.map((v) => [v.version, v]));
  const problems: Problem[] = [...input.problems];
  const sections: VersionSection[] = [];
  const urls = new Map<VersionSection, string>();
  const parseProblems: Problem[] = [];
  const pkg = input.package;
  // Packages named by the headings of sections in the range, and by those left out.
  const named = new Set<string>();
  const dropped = new Set<string>();
  for (const doc of input.documents) {
    const parsed = parseNotes(doc.text, doc.file, {
      version: doc.version,
      format: doc.format,
      classifier: opts.classifier,
      ref: doc.ref,
      upgradeGuide: doc.kind === 'upgrade',
    });
    // Loops, not push(...parsed.sections): a changelog with 150,000 versions would overflow the stack.
    for (const section of parsed.sections) {
      // Another project's notes (a chart's app) are that project's own: relabelled, never filtered by package.
      if (doc.origin !== undefined || doc.versionMap) {
        if (relabel(section, doc)) sections.push(section);
        continue;
      }
      if (section.package !== undefined && pkg !== undefined && !samePackage(section.package, pkg)) {
        dropped.add(section.package);
        continue;
      }
      if (section.package !== undefined && inRange(section.version, from, to)) named.add(section.package);
      sections.push(section);
    }
    if (doc.url) for (const s of parsed.sections) urls.set(s, doc.url);
    // Upgrade guides without per-version sections are expected; a changelog without any is worth saying.
    if (doc.kind !== 'upgrade' || parsed.sections.length) for (const p of parsed.problems) parseProblems.push(p);
  }
  // A file trimmed on the default branch but complete at the tag is fine.
  const withSections = new Set(sections.map((s) => s.file));
  for (const p of parseProblems) if (!p.file || !withSections.has(p.file)) problems.push(p);
  const reason = { source: input.source, scheme: schemeOf(input.source), searched: input.searched ?? {} };
  if (sections.length === 0 && dropped.size) {
    const packages = [...dropped].sort();
    return failNoNotes(`the release notes of ${input.source} have no versions of ${pkg}; their headings name ${listOf(packages)}`, {
      ...reason,
      kind: 'other-packages',
      packages,
      ...(pkg !== undefined ? { package: pkg } : {}),
    });
  }
  if (sections.length === 0) {
    const files = [...new Set(input.documents.map((d) => d.file))];
    return failNoNotes(`no version sections found in the release notes of ${input.source} (${listOf(files)})`, { ...reason, kind: 'no-versions', files });
  }

  // A heading naming two versions (`v1.0.0-RC1/v0.67.0`) stands for the one the repository tags.
  for (const s of sections) if (s.also && !tags.has(s.version) && tags.has(s.also)) s.version = s.also;
  const known = new Set<string>([...tags.keys(), ...sections.map((s) => s.version)]);
  for (const [input, v] of [
    [fromInput, from],
    [toInput, to],
  ]) {
    if (!known.has(v)) return fail('unknown-version', describeUnknown(input, [...known]));
  }

  if (pkg === undefined && named.size >= 2) {
    const names = [...named].sort();
    const base = input.source;
    problems.push({ message: `the release notes of ${base} mix the versions of several packages (${listOf(names)}); review one package with ${base}#${names[0]}` });
  }

  const engines = reviewEngines(sections, from, to);

  // Which version each known version's notes are shown under.
  const target = (v: string) => {
    if (!isPrerelease(v)) return v;
    const final = finalRelease(v);
    return known.has(final) && inRange(final, from, to) ? final : v;
  };
  const buckets = new Map<string, ReviewVersion>();
  for (const v of known) {
    if (!inRange(v, from, to)) continue;
    const t = target(v);
    const bucket = buckets.get(t) ?? { version: t, date: null, items: [] };
    buckets.set(t, bucket);
    if (t !== v) (bucket.prereleases ??= []).push(v);
  }

  // The final release's own notes first, then its pre-releases newest first; documents in source order.
  const ordered = sections
    .map((section, index) => ({ section, index }))
    .filter(({ section }) => buckets.has(target(section.version)) && inRange(section.version, from, to))
    .sort((a, b) => compareVersions(b.section.version, a.section.version) || a.index - b.index);
  const seen = new Set<string>();
  // A section for several releases is copied to each (`copyOf`), its notes shared: in a range holding
  // more than one of them, each note shows once, under the newest.
  const sharedNotes = new Set(sections.filter((s) => s.copyOf).map((s) => s.items));
  const placed = new Set<NoteItem>();
  for (const { section } of ordered) {
    const bucket = buckets.get(target(section.version))!;
    if (section.version === bucket.version && !bucket.date && section.date) bucket.date = section.date;
    const shared = sharedNotes.has(section.items);
    for (const item of section.items) {
      const key = `${bucket.version}\0${item.file}\0${item.text.replace(/\s+/g, ' ')}`;
      if (seen.has(key) || (shared && placed.has(item))) continue;
      seen.add(key);
      if (shared) placed.add(item);
      const out: ReviewItem = { text: item.text, file: item.file, line: item.line, endLine: item.endLine, risks: item.risks, heading: item.heading };
      if (item.reasons) out.reasons = item.reasons;
      if (item.callout) out.callout = item.callout;
      if (item.ref) out.ref = item.ref;
      const url = urls.get(section);
      if (url) out.url = url;
      if (section.version !== bucket.version) out.prerelease = section.version;
      bucket.items.push(out);
    }
  }

  // Rebuilt so JSON keys come in a readable order: version, date, tag, prereleases, items.
  const versions = [...buckets.values()]
    .sort((a, b) => compareVersions(b.version, a.version))
    .map((v): ReviewVersion => {
      const tag = tags.get(v.version);
      return {
        version: v.version,
        date: v.date ?? tag?.date ?? null,
        ...(tag?.tag ? { tag: tag.tag } : {}),
        ...(v.prereleases ? { prereleases: v.prereleases.sort((a, b) => compareVersions(b, a)) } : {}),
        items: v.items,
      };
    });
  return ok({ source: input.source, from, to, versions, summary: summarize(versions), engines, problems });
}

export function summarize(versions: readonly ReviewVersion[]): Partial<Record<Risk, number>> {
  const counts = new Map<Risk, number>();
  for (const v of versions) for (const item of v.items) for (const r of item.risks) counts.set(r, (counts.get(r) ?? 0) + 1);
  const summary: Partial<Record<Risk, number>> = {};
  for (const r of RISKS) if (counts.has(r)) summary[r] = counts.get(r);
  return summary;
}
