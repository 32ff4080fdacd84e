// Time budgets of everything that reads upstream release-note text, from 1 KB to 1 MB: every
// adversarial input of test/support/regexBudget.ts (each character or token the patterns mention,
// repeated) through each built-in rule, the classifier and every parser stage, in a shuffled order,
// until the time budget is spent. A case fails when its time grows much faster than its input or a
// run overruns (its worker is then ended).
//
// Usage: node scripts/fuzz-regex.mjs [--budget SECONDS] [--min BYTES] [--max BYTES] [--only TEXT] [--json]
// Exit code 1 when a case failed. The same function is fuzz() in out/test/support/regexBudget.js.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { mustRun, root, support } from './lib.mjs';

const { values } = parseArgs({
  options: {
    budget: { type: 'string', default: '300' },
    min: { type: 'string', default: String(1024) },
    max: { type: 'string', default: String(1024 * 1024) },
    only: { type: 'string' },
    json: { type: 'boolean' },
  },
});

mustRun(process.execPath, [path.join(root, 'scripts/build.mjs')]);
const { fuzz } = support('regexBudget');
const started = Date.now();
const result = await fuzz({
  budgetMs: Number(values.budget) * 1000,
  minBytes: Number(values.min),
  maxBytes: Number(values.max),
  filter: values.only,
  onFailure: (f) => {
    if (!values.json) console.log(`FAIL ${f.target} | ${f.input} | ${f.bytes} bytes | ${f.reason}`);
  },
});
if (values.json) {
  console.log(JSON.stringify(result));
} else {
  const worst = result.worst ? ` (${result.worst.target}, ${result.worst.input}, ${result.worst.bytes} bytes)` : '';
  console.log(
    `fuzz: ${result.inputs} inputs in ${((Date.now() - started) / 1000).toFixed(0)} s, ${result.failures.length} failed, ` +
      `worst ${result.worstMs.toFixed(1)} ms${worst}, ${result.skipped} cases not reached`,
  );
}
process.exit(result.failures.length ? 1 : 0);
