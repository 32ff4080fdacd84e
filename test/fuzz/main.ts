/**
 * `npm run fuzz`: bounded fuzzing (a few minutes) of what untrusted or edited input can break.
 * Prints one JSON line per check and a summary: inputs tried, failures, worst time. Exits 1 on a
 * failure.
 *
 *   npm run fuzz [-- --seconds 180]
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fuzzCrash } from './crash';
import { fuzzFrontMatter } from './frontMatter';
import { fuzzTicks } from './ticks';

const root = path.resolve(__dirname, '../../..');
const secondsArg = process.argv.indexOf('--seconds');
const seconds = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 180;
const started = Date.now();
const share = (part: number) => started + seconds * 1000 * part;

function markdownFiles(dir: string, out: string[] = [], depth = 0): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const p = path.join(dir, name);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory() && depth < 12 && name !== '.git') markdownFiles(p, out, depth + 1);
    else if (/\.(md|markdown)$/i.test(name)) out.push(p);
  }
  return out;
}

async function main(): Promise<number> {
  let failures = 0;
  let inputs = 0;
  let worstMs = 0;
  const emit = (o: object) => console.log(JSON.stringify(o));

  const files = ['runbooks', 'test/fixtures', 'test/corpus', 'node_modules', '.vscode-test'].flatMap((d) => markdownFiles(path.join(root, d)));
  const ticks = fuzzTicks(files, { deadline: share(0.45) });
  inputs += ticks.documents;
  failures += ticks.failures.length;
  worstMs = Math.max(worstMs, ticks.worstMs);
  emit({ check: 'tick fidelity', files: ticks.files, documents: ticks.documents, steps: ticks.steps, failures: ticks.failures.length, worstMs: Math.round(ticks.worstMs) });
  for (const f of ticks.failures.slice(0, 20)) emit({ check: 'tick fidelity', failure: f });

  const fm = fuzzFrontMatter();
  for (const f of fm) {
    inputs += f.sizes.length;
    worstMs = Math.max(worstMs, ...f.ms);
    if (f.failed) failures++;
    emit({ check: 'front matter', ...f });
  }

  const atomicModule = path.join(root, 'out/src/adapters/atomicWrite.js');
  const atomic = await fuzzCrash('atomic', { deadline: share(0.85), atomicModule });
  inputs += atomic.kills;
  failures += atomic.torn;
  emit({ check: 'crash during the tick write', ...atomic });
  const control = await fuzzCrash('in-place', { deadline: share(0.95), atomicModule, maxKills: 30 });
  emit({ check: 'crash during the tick write (control: a plain in-place write)', ...control, note: 'torn > 0 shows the check detects what the atomic write prevents' });

  emit({ summary: true, seconds: Math.round((Date.now() - started) / 1000), inputs, failures, worstMs: Math.round(worstMs) });
  return failures ? 1 : 0;
}

void main().then((code) => process.exit(code));
