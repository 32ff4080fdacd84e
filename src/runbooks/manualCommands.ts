/**
 * Manual interventions: while a run is open, the commands the operator types by hand in the
 * runbook's terminal (shell integration reports each command line, exit code and folder) are
 * written to the run's log, secrets masked, next to the steps. Preflight's own commands there are
 * told apart by their execution, which the executor registers.
 */
import * as vscode from 'vscode';
import type { Logger } from '../core/log';
import { maskSecrets } from '../core/runbook';
import type { RunbookDocuments } from './documents';
import type { RunRegistry } from './runState';

/** The executions Preflight started in a runbook's terminal. */
export const ownExecutions = new WeakSet<vscode.TerminalShellExecution>();

export function recordManualCommands(runs: RunRegistry, documents: RunbookDocuments, log: Logger): vscode.Disposable {
  return vscode.window.onDidEndTerminalShellExecution((e) => {
    if (ownExecutions.has(e.execution)) return;
    const run = runs.forTerminal(e.terminal);
    if (!run?.active || run.heldBy) return;
    const command = e.execution.commandLine.value.trim();
    if (!command) return;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === run.uri.toString());
    const secretNames = new Set(doc ? documents.get(doc).meta.variables.filter((v) => v.secret).map((v) => v.name) : []);
    // Without the runbook at hand every value given is masked: a secret must not slip through.
    const secrets = [...run.values].filter(([name]) => !doc || secretNames.has(name)).map(([, v]) => v);
    const cwd = e.execution.cwd?.fsPath;
    const masked = maskSecrets(command, secrets);
    run.append({ type: 'manual-command', command: masked, exitCode: e.exitCode ?? null, ...(cwd ? { cwd: maskSecrets(cwd, secrets) } : {}) });
    log.info(`Manual intervention in "${e.terminal.name}": ${masked} (exit ${e.exitCode ?? 'unknown'})`);
  });
}
