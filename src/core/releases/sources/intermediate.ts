/**
 * Release notes kept only at a version's own tag: MediaWiki's `RELEASE-NOTES-1.40` lives on its
 * release branch and tags only, other projects trim their changelog or delete
 * `docs/release-notes/4.3.md` later. After the default branch and the `to` tag, the `git:` and
 * `github:` sources read the tags of the versions in the range that nothing read so far mentions,
 * newest first, up to a number of tags.
 *
 * A version is mentioned by a document of its own (a release body, a version-file) or by the text
 * of any document: its canonical version, its tag without the prefix, or `X.Y` for `X.Y.0`, neither
 * preceded nor followed by a digit or by `.` and a digit. Every document is scanned once, in time
 * linear in its length.
 */
import type { Problem, Result } from '../model';
import { listOf, ok } from '../model';
import type { NoteBundle, NoteDocument, VersionRange, VersionRef } from '../ports';
import { compareVersions, inRange, isPrerelease, parseVersion } from '../version';

/** How many tags besides the default branch and the `to` tag a review reads. */
export const MAX_EXTRA_REFS = { github: 8, git: 24 } as const;

// Longer needles are never looked for (no version is that long); the scan goes this deep at most.
const MAX_NEEDLE = 40;
const ALPHABET = '0123456789._';

interface TrieNode {
  next: (TrieNode | undefined)[];
  /** The versions this needle names, when a needle ends here. */
  versions?: string[];
}

const newNode = (): TrieNode => ({ next: new Array<TrieNode | undefined>(ALPHABET.length) });

function slot(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code === 46) return 10;
  if (code === 95) return 11;
  return -1;
}

const isDigit = (code: number) => code >= 48 && code <= 57;

/** The strings that mention a version in text: its canonical form, its tag without prefix, `X.Y` for `X.Y.0`. */
export function versionNeedles(version: string, tag?: string): string[] {
  const out = new Set<string>([version]);
  const v = parseVersion(version);
  if (v && v.patch === 0 && v.extra.length === 0 && v.prerelease.length === 0) out.add(`${v.major}.${v.minor}`);
  if (tag) {
    // The version part starts at the first digit after the last `@` (`pkg@1.2.3`, `REL1_40`, `v1.2`).
    const rest = tag.slice(tag.lastIndexOf('@') + 1);
    let start = 0;
    while (start < rest.length && !isDigit(rest.charCodeAt(start))) start++;
    let end = start;
    while (end < rest.length && slot(rest.charCodeAt(end)) >= 0) end++;
    while (end > start && !isDigit(rest.charCodeAt(end - 1))) end--;
    if (end > start) out.add(rest.slice(start, end));
  }
  return [...out].filter((n) => n.length <= MAX_NEEDLE);
}

/** Which of a set of versions the documents read so far mention. */
export class MentionIndex {
  private readonly root = newNode();
  private readonly wanted = new Set<string>();
  private readonly mentioned = new Set<string>();

  constructor(versions: readonly VersionRef[]) {
    for (const ref of versions) {
      this.wanted.add(ref.version);
      for (const needle of versionNeedles(ref.version, ref.tag)) this.insert(needle, ref.version);
    }
  }

  private insert(needle: string, version: string): void {
    let node = this.root;
    for (let i = 0; i < needle.length; i++) {
      const s = slot(needle.charCodeAt(i));
      if (s < 0) return;
      node = node.next[s] ??= newNode();
    }
    (node.versions ??= []).push(version);
  }

  add(doc: Pick<NoteDocument, 'text' | 'version'>): void {
    if (doc.version && this.wanted.has(doc.version)) this.mentioned.add(doc.version);
    if (this.mentioned.size < this.wanted.size) this.scan(doc.text);
  }

  has(version: string): boolean {
    return this.mentioned.has(version);
  }

  /** The versions no document mentions yet, in the order they were given. */
  missing(versions: readonly VersionRef[]): VersionRef[] {
    return versions.filter((v) => !this.mentioned.has(v.version));
  }

  private scan(text: string): void {
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (!isDigit(c)) continue;
      // Not preceded by a digit, nor by `.` after a digit (`2.1.1.0` does not mention `1.1.0`).
      if (i > 0) {
        const p = text.charCodeAt(i - 1);
        if (isDigit(p) || (p === 46 && i > 1 && isDigit(text.charCodeAt(i - 2)))) continue;
      }
      let node: TrieNode | undefined = this.root;
      for (let j = i; j < n && j - i < MAX_NEEDLE; j++) {
        const code = text.charCodeAt(j);
        const s = slot(code);
        if (s < 0) break;
        node = node.next[s];
        if (!node) break;
        if (!node.versions || !isDigit(code)) continue;
        // Not followed by a digit, nor by `.` and a digit (`1.1.0.5` does not mention `1.1.0`).
        const after = j + 1 < n ? text.charCodeAt(j + 1) : -1;
        if (isDigit(after) || (after === 46 && j + 2 < n && isDigit(text.charCodeAt(j + 2)))) continue;
        for (const v of node.versions) this.mentioned.add(v);
      }
    }
  }
}

export interface IntermediateOptions {
  range: VersionRange;
  /** The versions the source lists (of the chosen package only), with their tags. */
  versions: readonly VersionRef[];
  /** Everything read so far: release bodies, the files on the default branch and at the `to` tag. */
  documents: readonly NoteDocument[];
  /** The refs read so far, as shown (`main`, `HEAD`, `v1.2.0`): for the problem when versions stay without notes. */
  refsRead: readonly string[];
  /** At most this many more tags are read. */
  maxRefs: number;
  /** The release-note files at a tag that were not read before (the source deduplicates blobs). */
  readAt(tag: string): Promise<Result<NoteBundle>>;
  signal?: AbortSignal;
}

/**
 * Reads the files at the tags of the final versions in `(from, to]` that nothing read so far
 * mentions: the newest such version's tag first, then checks again, up to `maxRefs` tags. Resolves
 * to the documents read at those tags (each with `ref: <tag>`) and the problems; when versions are
 * still without notes once `maxRefs` tags are read, one problem names them.
 */
export async function readIntermediateTags(opts: IntermediateOptions): Promise<Result<NoteBundle>> {
  const { range } = opts;
  const candidates = opts.versions
    .filter((v) => !isPrerelease(v.version) && inRange(v.version, range.from, range.to))
    .sort((a, b) => compareVersions(b.version, a.version));
  const documents: NoteDocument[] = [];
  const problems: Problem[] = [];
  if (candidates.length === 0) return ok({ documents, problems });
  const index = new MentionIndex(candidates);
  for (const doc of opts.documents) index.add(doc);
  const tried = new Set<string>(opts.refsRead);
  const looked: string[] = [];
  for (;;) {
    const next = index.missing(candidates).find((v) => v.tag && !tried.has(v.tag));
    if (!next) break;
    if (looked.length >= opts.maxRefs) {
      const still = index.missing(candidates).map((v) => v.version);
      problems.push({
        message:
          `no release notes found for ${listOf(still)}: the release-note files at ${[...opts.refsRead, ...looked].join(', ')} ` +
          `do not mention ${still.length === 1 ? 'it' : 'them'} (a review reads at most ${opts.maxRefs} tags besides the default branch and the target's)`,
      });
      break;
    }
    const tag = next.tag!;
    tried.add(tag);
    looked.push(tag);
    const read = await opts.readAt(tag);
    if (!read.ok) {
      if (opts.signal?.aborted) return read;
      // The notes read so far still make a review; a failing host will fail the next tag too.
      problems.push({ message: `release-note files at ${tag} not read: ${read.error.message}` });
      break;
    }
    for (const doc of read.value.documents) {
      documents.push(doc);
      index.add(doc);
    }
    for (const p of read.value.problems) problems.push(p);
  }
  return ok({ documents, problems, searched: { refs: looked } });
}

const KIND_ORDER: Record<NonNullable<NoteDocument['kind']>, number> = { changelog: 0, 'version-file': 1, upgrade: 2, release: 3 };

/**
 * Release-note files in the order a review reads them: changelogs, then version-files, then upgrade
 * guides, by path; copies of one path in the order they were read (the default branch first, so
 * its line numbers win when the review drops identical items).
 */
export function orderNoteFiles(documents: readonly NoteDocument[]): NoteDocument[] {
  return documents
    .map((doc, i) => ({ doc, i }))
    .sort((a, b) => KIND_ORDER[a.doc.kind ?? 'changelog'] - KIND_ORDER[b.doc.kind ?? 'changelog'] || a.doc.file.localeCompare(b.doc.file) || a.i - b.i)
    .map(({ doc }) => doc);
}
