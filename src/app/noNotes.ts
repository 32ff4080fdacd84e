/**
 * "No release notes found", said the same way by the CLI and the extension: why (which files and
 * refs were looked at, an npm tarball without a changelog, headings of other packages) and what to
 * do next (the files setting or flag, another source). Core gives the reasons as data (NoNotes);
 * each front end names its own setting or flag, and adds its own buttons.
 */
import type { NoNotes, NotesSearch, ReleaseError } from '../core/releases';
import { listOf, sourceLabel } from '../core/releases';

/** How a front end names what the operator can change. */
export interface Wording {
  /** Where extra release-note files are named for a source: `preflight.releaseNotes.files`, `--files`. */
  files(source: string, example: string): string;
  /** Where container images are mapped to their release-note sources. */
  imageSources: string;
}

/** The names the file discovery looks for, as an operator reads them. */
const NAMES_LOOKED_FOR = 'CHANGELOG, CHANGES, HISTORY, NEWS, RELEASES, release notes, UPGRADE or MIGRATION guides, in the root, doc/ or docs/, or changelog folders';

const EXAMPLE_FILE = 'docs/whats-new.md';

/** Why a review found no notes, and what to do next: one sentence each, without a final stop. */
export function explainNoNotes(reason: NoNotes, wording: Wording): { why: string; next: string[] } {
  const source = sourceLabel(reason.source);
  const next: string[] = [];
  if (reason.kind === 'other-packages') {
    const names = reason.packages ?? [];
    const base = source.replace(/#.*$/, '');
    return {
      why: `their headings name only ${names.length === 1 ? 'another package' : 'other packages'}: ${listOf(names)}`,
      next: names.length ? [`review one of them with ${base}#${names[0]}`] : [],
    };
  }
  const why = reason.kind === 'no-versions' ? noVersions(reason) : noDocuments(reason.scheme, reason.searched);
  if (reason.scheme === 'file') next.push('name the files that hold the notes: file:PATH[,PATH...]');
  else if (reason.scheme) next.push(`if the notes are in other files, name them in ${wording.files(reason.source, EXAMPLE_FILE)}`);
  const others = otherSources(reason.scheme);
  if (others) next.push(`or try another source: ${others}`);
  return { why, next };
}

/** The other source types than `scheme`, as an operator would type them. */
export function otherSources(scheme: string): string {
  const all: [string, string][] = [
    ['github', 'github:OWNER/REPO (GitHub releases and changelogs)'],
    ['gitlab', 'gitlab:GROUP/PROJECT'],
    ['npm', 'npm:PACKAGE'],
    ['git', 'git:PATH (a local clone)'],
    ['file', 'file:PATH (a changelog file)'],
  ];
  return all
    .filter(([s]) => s !== scheme)
    .map(([, text]) => text)
    .join(', ');
}

function noVersions(reason: NoNotes): string {
  const files = reason.files ?? [];
  const read = files.length === 1 ? `${files[0]} was read, but it has no heading` : `${listOf(files)} were read, but none has a heading`;
  return `${read} that names a version (such as "## 2.4.0" or "v2.4.0 (2024-05-01)")`;
}

function noDocuments(scheme: string, searched: NotesSearch): string {
  const parts: string[] = [];
  if (scheme === 'npm') {
    if (searched.repository) parts.push(`${searched.repository.source}, its repository, has none (${repositoryReason(searched.repository)})`);
    else if (searched.noRepository) parts.push('the package names no GitHub repository of its own');
    if (searched.tarball) parts.push(`the ${searched.tarball} tarball from the registry has no changelog or upgrade guide`);
  } else {
    if (searched.releases) {
      const { inRange, empty } = searched.releases;
      if (inRange === 0) parts.push('it has no GitHub release in the range');
      else if (empty === inRange) parts.push(inRange === 1 ? 'its one release in the range has no notes' : `its ${inRange} releases in the range have no notes`);
    }
    parts.push(filesAt(searched));
  }
  if (searched.missingFiles?.length) parts.push(`${listOf(searched.missingFiles)} (named for this source) ${searched.missingFiles.length === 1 ? 'is' : 'are'} not there`);
  return parts.filter(Boolean).join('; ');
}

function filesAt(searched: NotesSearch): string {
  const refs = searched.refs ?? [];
  if (!refs.length) return `no release-note file (${NAMES_LOOKED_FOR}) was found`;
  const shown = refs.length > 10 ? [...refs.slice(0, 9), `${refs.length - 9} more refs`] : refs;
  const where = shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
  return `no release-note file (${NAMES_LOOKED_FOR}) is at ${where}`;
}

function repositoryReason(repository: NonNullable<NotesSearch['repository']>): string {
  if (repository.reason !== 'no release notes there' || !repository.searched) return repository.reason;
  return noDocuments('github', repository.searched);
}

/** The whole message: what failed, why, what next. */
export function noNotesMessage(message: string, reason: NoNotes, wording: Wording): string {
  const { why, next } = explainNoNotes(reason, wording);
  return `${message}: ${why}. ${capitalize(next.join('; '))}${next.length ? '.' : ''}`.trim();
}

function capitalize(text: string): string {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

/**
 * A review's failure as one line: with its reasons and next steps when no notes were found. For
 * an `image:` source (its registry unreachable, its labels naming no repository, notes missing
 * where they point), also where the image can be mapped to its notes, and the other sources.
 */
export function reviewErrorText(error: ReleaseError, wording: Wording, source?: string): string {
  const text = error.noNotes ? noNotesMessage(error.message, error.noNotes, wording) : error.message;
  if (!source || !/^\s*image:/i.test(source)) return text;
  const hint = `Map the image to its notes in ${wording.imageSources} ({"IMAGE": "github:OWNER/REPO"}), or review another source: ${otherSources('image')}`;
  return `${text.replace(/[.\s]+$/, '')}. ${hint}.`;
}

/** The CLI's names: the `--files` flag, the workspace's settings file. */
export const CLI_WORDING: Wording = {
  files: (_source, example) => `--files ${example}`,
  imageSources: 'preflight.releaseNotes.imageSources (.vscode/settings.json)',
};
