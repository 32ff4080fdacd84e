/** What the run engine is given (options, prompts, the log, the shell) and what it returns. */

import type { StepShell } from '../exec/shell';
import type { GateVerdict } from '../github/approval';
import { type Diagnostic, type RunEvent, type Step, type StepStatus, type VariableSpec } from '../runbook';

/** Exit codes of a run. */
export const EXIT = { passed: 0, failed: 1, error: 2, gate: 4, interrupted: 130 } as const;
export type RunOutcome = keyof typeof EXIT;

export interface RunOptions {
  /** --var NAME=VALUE. */
  vars: ReadonlyMap<string, string>;
  /** --confirm WORD. */
  confirm: readonly string[];
  /** --step NAME. */
  steps: readonly string[];
  /** --from NAME. */
  from?: string;
  includeRollback: boolean;
  dryRun: boolean;
  resume: boolean;
  /** False with --no-tick. */
  tick: boolean;
  /** --report FILE (absolute). */
  report?: string;
}

export interface RunRequest {
  /** The runbook's absolute path. */
  file: string;
  /** Its path as the operator named it, for messages. */
  displayPath: string;
  /** The workspace folder: the log names the runbook by its path from there. */
  workspace: string;
  /** The shell when the front matter names none (the editor's setting; default bash). */
  shell?: string;
  /** Bytes of a step's output kept in the log. */
  outputLimit: number;
  /** The environment of the run: variables come from it, steps inherit it. */
  env: Readonly<Record<string, string | undefined>>;
  options: RunOptions;
  signal?: AbortSignal;
}

export interface RunPrompts {
  /** A variable's value (a secret without echo); undefined when the operator gives none. */
  variable(spec: VariableSpec): Promise<string | undefined>;
  /** True only when the operator types exactly `word`. */
  confirm(word: string, step: Step, command: string): Promise<boolean>;
  /** A manual step: done, skip or stop (undefined: stop). */
  manual(step: Step): Promise<'done' | 'skip' | 'stop' | undefined>;
  /**
   * The approval gate blocks `step` for `reason`: the operator's reason for running it anyway, once
   * they typed "override"; undefined when they did not.
   */
  override?(step: Step, reason: string): Promise<string | undefined>;
}

/** Checks a runbook's approval gate (see core/github/approval). */
export interface ApprovalGate {
  /** Whether the runbook, as `text` holds it, is approved. */
  check(text: string, signal?: AbortSignal): Promise<GateVerdict>;
}

export interface RunLogStore {
  /** The latest log of this runbook: an id for `append` and its text. */
  latest(): { id: string; text: string } | undefined;
  /** A new, empty log of its own. */
  create(): string;
  /** Appends a record, flushed before it returns. */
  append(id: string, text: string): void;
  read(id: string): string;
}

export interface RunPorts {
  now(): Date;
  readRunbook(): Uint8Array;
  /** Replaces the runbook's bytes atomically (a tick). */
  writeRunbook(bytes: Uint8Array): void;
  /** Writes the markdown report atomically. */
  writeReport(file: string, text: string): void;
  isDirectory(dir: string): boolean;
  log: RunLogStore;
  createShell(o: { shell: string; cwd: string; env: Readonly<Record<string, string | undefined>>; session: boolean }): StepShell;
  /** Present only when there is an operator at a terminal to ask. */
  prompts?: RunPrompts;
  /** The approval gate's check; a runbook that declares one and runs without it is blocked. */
  approval?: ApprovalGate;
  identity: { host: string; pid: number; operator(cwd: string): Promise<string>; isAlive(pid: number): boolean };
  /** Where the run shows itself; every text it gets is masked already. */
  observer: RunObserver;
}

export type StepResultLabel = StepStatus | 'not run' | 'excluded' | 'done' | 'gate' | 'blocked';

export interface SummaryRow {
  step: Step;
  result: StepResultLabel;
  exitCode: number | null;
  durationMs?: number;
  /** Why a step was skipped or where the run stopped. */
  note?: string;
}

export interface RunObserver {
  /** The run starts: how many steps, where the log goes (undefined for a dry run). */
  start(info: { title: string; steps: number; log?: string; shell: string; persistent: boolean }): void;
  /** A step begins: its header. `command` is resolved with secrets masked. */
  step(info: { n: number; total: number; step: Step; command: string; dryRun: boolean; notes: string[] }): void;
  /** The commands' output, masked, as it streams. */
  output(text: string): void;
  /** A step's result. */
  result(row: SummaryRow): void;
  /** Every record, as it is appended to the log. */
  event(e: RunEvent): void;
  /** Something for the operator (a warning or why the run stopped). */
  notice(message: string, level: 'info' | 'warning' | 'error'): void;
}

export interface RunResult {
  outcome: RunOutcome;
  exitCode: number;
  /** One line: why the run ended other than passing. */
  message?: string;
  /** The runbook's problems, for a run refused because of them. */
  diagnostics?: Diagnostic[];
  rows: SummaryRow[];
  /** The log's id, when one was written. */
  log?: string;
}

