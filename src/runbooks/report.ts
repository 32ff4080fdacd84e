import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomicSync } from '../adapters/atomicWrite';
import { parseLog, renderReport } from '../core/runbook';
import type { RunbookRun } from './runState';

/** Writes a run's markdown timeline next to its log and opens it. */
export async function exportRunReport(run: RunbookRun): Promise<vscode.Uri | undefined> {
  const folder = run.logFile ? path.dirname(run.logFile) : undefined;
  const logs = folder && existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.jsonl')).sort().reverse() : [];
  if (!folder || logs.length === 0) {
    void vscode.window.showInformationMessage('This runbook has no recorded run yet: run a step first.');
    return undefined;
  }
  let chosen = logs[0];
  if (logs.length > 1) {
    const pick = await vscode.window.showQuickPick(
      logs.map((f, i) => ({ label: f.replace(/\.jsonl$/, ''), description: i === 0 ? 'latest run' : undefined, file: f })),
      { title: 'Export Run Report', placeHolder: 'Which run?' },
    );
    if (!pick) return undefined;
    chosen = pick.file;
  }
  const logFile = path.join(folder, chosen);
  const { events, problems } = parseLog(readFileSync(logFile, 'utf8'));
  let report = renderReport(events);
  if (problems.length) report += `\n\n> ${problems.length} line(s) of the log could not be read: ${problems.map((p) => p.message).join('; ')}\n`;
  const out = logFile.replace(/\.jsonl$/, '.report.md');
  writeFileAtomicSync(out, report);
  const uri = vscode.Uri.file(out);
  await vscode.window.showTextDocument(uri, { preview: false });
  return uri;
}
