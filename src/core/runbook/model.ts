import type { ApprovalSpec } from './approval';

/**
 * The runbook model: what a parsed `.md` runbook looks like to the rest of Preflight.
 * All line numbers are 0-based; every `endLine` is exclusive.
 */

export type Severity = 'error' | 'warning' | 'info';

export type DiagnosticCode =
  | 'front-matter'
  | 'fence-attrs'
  | 'unknown-attr'
  | 'unsupported-attr'
  | 'duplicate-name'
  | 'confirm-without-command'
  | 'log-line'
  | 'log-truncated'
  | 'cwd'
  | 'hard-coded-secret'
  | 'default-credentials'
  | 'default-admin-user';

/** A diagnostic. Parsers return these as values and never throw for bad input. */
export interface Diagnostic {
  severity: Severity;
  message: string;
  line: number;
  endLine: number;
  column?: number;
  /** The end column on the last line (`endLine - 1`); the whole line when absent. */
  endColumn?: number;
  code: DiagnosticCode;
}

/** Attributes given as JSON after a fence's language: ```sh {"name":"backup","timeout":900} */
export interface FenceAttrs {
  name?: string;
  cwd?: string;
  /** Seconds. */
  timeout?: number;
  /** A word the operator must type before the command runs. */
  confirm?: string;
  interactive: boolean;
  excludeFromRunAll: boolean;
  /** Keys Preflight does not use (unknown ones, and Runme's), kept as parsed. */
  extra: Record<string, unknown>;
}

/** The longest `timeout` a step may have: timers hold at most 2^31 - 1 ms (about 24.8 days). */
export const MAX_TIMEOUT_SECONDS = 2_147_483;

export interface CodeBlock {
  /** The first word of the info string, as written (`sh`, `Bash`, `json`, or '' when absent). */
  lang: string;
  runnable: boolean;
  /** The block's content with the fence's indentation removed and line endings as LF. */
  code: string;
  /** The raw info string, trimmed. */
  info: string;
  attrs: FenceAttrs;
  /** Errors in the attributes: the block's meaning is unclear, so it must not run. */
  errors: string[];
  /** The opening fence line. */
  line: number;
  endLine: number;
  /** The fence is a block of the document itself, not inside a list item or a block quote. */
  topLevel: boolean;
}

export interface Step {
  /** Position among all steps, in document order. */
  index: number;
  /** First line of the list item. */
  line: number;
  endLine: number;
  /** Offset in the original text of the character between the checkbox brackets. */
  checkboxOffset: number;
  checked: boolean;
  /** List nesting depth: 0 for an item of a top-level list. */
  depth: number;
  /** The item's paragraph after the checkbox, raw markdown, whitespace collapsed. */
  text: string;
  /** The nearest heading above the step. */
  heading?: string;
  rollback: boolean;
  /** Fenced code blocks of this item, excluding those of nested steps. */
  commands: CodeBlock[];
  /** True when no command is runnable. */
  manual: boolean;
  /** The `name` attribute of the first command that has one. */
  name?: string;
  /**
   * Identity for matching run-log records across edits: the name when given, else the
   * normalised text; a `#n` suffix tells later occurrences of the same base apart.
   */
  key: string;
  /**
   * Why the step must not run as written: errors that make its meaning ambiguous (an invalid
   * `confirm` or `timeout`, attributes that are not valid JSON, a name used twice, front matter
   * that cannot be read). Empty when the step can run.
   */
  blockers: string[];
  /** A runnable block outside any step, run on its own (see `looseSteps`): it has no checkbox. */
  loose?: boolean;
}

export interface VariableSpec {
  name: string;
  default?: string;
  prompt?: string;
  secret: boolean;
  /** The line declaring the variable in the front matter. */
  line: number;
}

export interface RunbookMeta {
  title?: string;
  /** The approval gate: which pull request's review, from which step on. */
  approval?: ApprovalSpec;
  shell?: string;
  cwd?: string;
  variables: VariableSpec[];
  /** Front-matter keys Preflight does not use, as parsed. */
  extra: Record<string, unknown>;
}

export interface Runbook {
  /** The front-matter title, else the first level-1 heading; the caller falls back to the file name. */
  title?: string;
  meta: RunbookMeta;
  /** Lines taken by the front matter, delimiters included. */
  frontMatter?: { line: number; endLine: number };
  steps: Step[];
  /** Fenced code blocks that belong to no step. */
  looseBlocks: CodeBlock[];
  problems: Diagnostic[];
}

/** A one-character replacement in a runbook's text. */
export interface TextEdit {
  offset: number;
  length: number;
  newText: string;
}
