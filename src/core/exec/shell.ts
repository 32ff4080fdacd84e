/** The step shell as core sees it: run a block, get its output and result, stop it. The process adapter is src/adapters/exec/shellSession.ts. */
import type { StepStatus } from '../runbook/runLog';
import type { ShellKind } from './stepScript';

export interface BlockRun {
  /** What the shell runs. */
  script: string;
  /** For the script's file name. */
  label: string;
  /** The block's own directory (absolute): the step runs there, the session returns afterwards. */
  cwd?: string;
  /** Plain values the step sees in its environment. */
  env: Readonly<Record<string, string>>;
  /** Secret values by name: exported for the step only, never written to disk. */
  secrets: ReadonlyMap<string, string>;
  /** Seconds. */
  timeout?: number;
}

export interface BlockResult {
  status: StepStatus;
  exitCode: number | null;
  /** Why the block could not run or its shell ended, for the operator. */
  error?: string;
}

export interface BlockExecution {
  readonly done: Promise<BlockResult>;
  /** Ends the block (and a session shell with it): SIGTERM to the process group, SIGKILL after a grace period. */
  stop(): void;
}

export interface StepShell {
  readonly kind: ShellKind;
  /** `cd` and `export` carry over between blocks. */
  readonly persistent: boolean;
  run(block: BlockRun, onOutput: (chunk: string) => void): BlockExecution;
  /** Ends the shell and removes its scripts. */
  close(): Promise<void>;
}
