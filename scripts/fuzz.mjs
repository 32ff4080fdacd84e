// `npm run fuzz`: bounded fuzzing (tick fidelity on real markdown, front-matter sizes, crashes
// during the tick's write), then the release-note parsers' time budget (scripts/fuzz-regex.mjs).
// Options after `--`: --seconds N (each of the two parts gets N seconds).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { mustRun, root, run } from './lib.mjs';

const { values } = parseArgs({ options: { seconds: { type: 'string' } }, strict: false });
mustRun(process.execPath, [path.join(root, 'scripts/build.mjs')]);
const runbooks = run(process.execPath, [path.join(root, 'out/test/fuzz/main.js'), ...process.argv.slice(2)]);
const budget = values.seconds ? ['--budget', String(values.seconds)] : [];
const notes = run(process.execPath, [path.join(root, 'scripts/fuzz-regex.mjs'), ...budget]);
process.exit(runbooks || notes);
