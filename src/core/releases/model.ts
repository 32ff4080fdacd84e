/** Data types shared by the release-note parser, highlighter, sources and review. */
import { err, ok, type Failure, type Problem, type Result as CoreResult } from '../result';

export const RISKS = [
  'breaking',
  'db_migration',
  'db_lock_or_downtime',
  'db_engine_requirement',
  'requirement',
  'data_loss',
  'upgrade_path',
  'security',
  'deprecation',
] as const;

export type Risk = (typeof RISKS)[number];

/** How each risk is named to people: in the panel, plans, pull requests and the CLI. */
export const RISK_LABELS: Record<Risk, string> = {
  breaking: 'Breaking change',
  db_migration: 'Database migration',
  db_lock_or_downtime: 'Lock or downtime',
  db_engine_requirement: 'Database version',
  requirement: 'Runtime or platform requirement',
  data_loss: 'Data loss',
  upgrade_path: 'Upgrade path',
  security: 'Security',
  deprecation: 'Deprecation',
};

export function isRisk(value: string): value is Risk {
  return (RISKS as readonly string[]).includes(value);
}

export type ReleaseErrorCode =
  | 'invalid-version'
  | 'unknown-version'
  | 'invalid-range'
  | 'no-notes'
  | 'source'
  | 'git'
  | 'io'
  | 'unsupported-source'
  | 'network'
  | 'auth'
  | 'not-found'
  | 'rate-limited'
  | 'too-large'
  | 'time-limit'
  | 'cancelled'
  | 'analysis';

/**
 * Where a source looked for release notes: what a front end says when none were found, with its own
 * names for settings and flags.
 */
export interface NotesSearch {
  /** Refs whose files were searched, in order (`main`, `v2.4.1`; `HEAD` in a local clone). */
  refs?: string[];
  /** GitHub releases in the range, and how many of them have no notes (an empty body). */
  releases?: { inRange: number; empty: number };
  /** The registry tarball that was read (`express@4.18.2`): it held no release-note file. */
  tarball?: string;
  /** The GitHub repository an npm package names, read before its tarball, and why it gave nothing. */
  repository?: { source: string; reason: string; searched?: NotesSearch };
  /** The npm package names no GitHub repository (or one in a folder of a monorepo), so only its tarball was read. */
  noRepository?: boolean;
  /** The files the source was told to read besides those found by name (`preflight.releaseNotes.files`, `--files`). */
  extraFiles?: string[];
  /** Those of them that none of the refs holds. */
  missingFiles?: string[];
}

/** Why a review found no release notes, as data: the front ends word it and say what to do next. */
export interface NoNotes {
  /**
   * `no-documents`: no release-note file or release body at all; `no-versions`: files were read but
   * none names a version in a heading; `other-packages`: their headings name only other packages.
   */
  kind: 'no-documents' | 'no-versions' | 'other-packages';
  /** The source's id (`github:acme/app`), and its type (`github`, `npm`, `git`, `file`). */
  source: string;
  scheme: string;
  searched: NotesSearch;
  /** no-versions: the files that were read. */
  files?: string[];
  /** other-packages: the packages the headings name, and the one asked for. */
  packages?: string[];
  package?: string;
}

export type ReleaseError = Failure<ReleaseErrorCode> & {
  /** With code `no-notes`: what was looked at, for the front end to say why and what to do next. */
  noNotes?: NoNotes;
};

/** A release-note outcome: the core's Result with a release error. */
export type Result<T> = CoreResult<T, ReleaseError>;

export { ok, type Problem };

export function fail<T = never>(code: ReleaseErrorCode, message: string): Result<T> {
  return err({ code, message });
}

/** A `no-notes` failure with its reasons. */
export function failNoNotes<T = never>(message: string, noNotes: NoNotes): Result<T> {
  return err({ code: 'no-notes', message, noNotes });
}

/** The type of a source id or spec: `github` of `github:acme/app`. */
export function schemeOf(source: string): string {
  return /^([a-z][a-z0-9+.-]+):/i.exec(source.trim())?.[1].toLowerCase() ?? '';
}

/** Names for a message: `a, b, c` for up to `max` (10) names, then `and N more`. */
export function listOf(names: readonly string[], max = 10): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** Admonition-like markers that make an item stand out: `> [!WARNING]`, `!!! danger`, `.. warning::`. */
export type Callout = 'warning' | 'danger' | 'caution' | 'important' | 'note';

/** Why an item carries a risk: the rule or structure behind it, in words for a reader. */
export interface RiskReason {
  risk: Risk;
  /** `rule:<id>`, `heading`, `upgrade-guide`, `callout`, `user:<id>`. */
  source: string;
  why: string;
}

/** One release-note entry: a top-level bullet (with its nested bullets), a paragraph, a code block... */
export interface NoteItem {
  /** Markdown (or rst/plain) source of the item, trimmed. */
  text: string;
  /** Path relative to the source root. */
  file: string;
  /** 1-based, inclusive. */
  line: number;
  endLine: number;
  /** Sub-heading path inside the version section, outermost first ("Breaking changes", "GraphQL API"). */
  heading: string[];
  callout?: Callout;
  risks: Risk[];
  /** Why it carries each risk. */
  reasons?: RiskReason[];
  /** The git ref the item was read from, when the source has several. */
  ref?: string;
}

/** The notes of one version found in one document. */
export interface VersionSection {
  /** Canonical version (see version.ts). */
  version: string;
  /** The package the heading names, in a changelog of several (`pg-pool@3.5.0`). */
  package?: string;
  /** The heading as written, without markup. */
  label: string;
  /** A second version the heading names (`v1.0.0-RC1/v0.67.0`): the review takes it when only it is tagged. */
  also?: string;
  /**
   * For a copy of a section whose title names several releases (`Upgrading to v2.16.2, v2.15.4, or
   * v2.14.9`): the version of the section it copies. Its items are the same notes.
   */
  copyOf?: string;
  date: string | null;
  file: string;
  line: number;
  items: NoteItem[];
}

export type NoteFormat = 'markdown' | 'rst' | 'asciidoc' | 'text';

export interface ParsedNotes {
  format: NoteFormat;
  sections: VersionSection[];
  problems: Problem[];
}

/** Where an item is: `file:line[-endLine]`, with ` @ref` when it was read at a tag. */
export function itemLocation(item: { file: string; line: number; endLine: number; ref?: string }): string {
  const lines = item.endLine > item.line ? `${item.line}-${item.endLine}` : `${item.line}`;
  return `${item.file}:${lines}${item.ref && item.ref !== 'HEAD' ? ` @${item.ref}` : ''}`;
}
