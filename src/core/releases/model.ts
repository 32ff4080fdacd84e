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

export type ReleaseError = Failure<ReleaseErrorCode>;

/** A release-note outcome: the core's Result with a release error. */
export type Result<T> = CoreResult<T, ReleaseError>;

export { ok, type Problem };

export function fail<T = never>(code: ReleaseErrorCode, message: string): Result<T> {
  return err({ code, message });
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
