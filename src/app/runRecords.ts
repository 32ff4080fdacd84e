/** What a runbook's run logs say about its publishes, for publishing again with fewer requests. */
import { readFileSync } from 'node:fs';
import { logFiles } from '../adapters/runLogFiles';
import { parseLog, type PublishEvent } from '../core/runbook';

/** The publish records of a runbook's runs, newest first (at most the latest `runs` logs are read). */
export function publishRecords(logDir: string, relPath: string, runs = 20): PublishEvent[] {
  const out: PublishEvent[] = [];
  for (const file of logFiles(logDir, relPath).slice(0, runs)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const events = parseLog(text).events.filter((e): e is PublishEvent => e.type === 'publish');
    out.push(...events.reverse());
  }
  return out;
}
