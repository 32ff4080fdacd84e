// `npm run fuzz`: bounded fuzzing (tick fidelity on real markdown, front-matter sizes, crashes
// during the tick's write, the release-note parsers' time budget). Options after `--`: --seconds N.
import path from 'node:path';
import { mustRun, root, run } from './lib.mjs';

mustRun(process.execPath, [path.join(root, 'scripts/build.mjs')]);
process.exit(run(process.execPath, [path.join(root, 'out/test/fuzz/main.js'), ...process.argv.slice(2)]));
