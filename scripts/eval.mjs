// `npm run eval`: scores the release-note highlighter on the labelled corpus (JSON lines).
// Options after `--`: --misses (the development part's misses and false alarms, with their text).
import path from 'node:path';
import { mustRun, root } from './lib.mjs';

mustRun(process.execPath, [path.join(root, 'scripts/build.mjs')]);
mustRun(process.execPath, [path.join(root, 'out/test/eval/main.js'), ...process.argv.slice(2)]);
