// Parses every markdown file under the given folders as a runbook and counts the problems Preflight
// reports, by severity: how files written for other tools (Runme's own repository, say) open.
// Usage: npm run build && node scripts/runbook-problems.mjs DIR... [--list]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { root } from './lib.mjs';

const { parseRunbook } = createRequire(import.meta.url)(path.join(root, 'out/src/core/runbook/index.js'));
const args = process.argv.slice(2);
const list = args.includes('--list');
const dirs = args.filter((a) => a !== '--list');
if (dirs.length === 0) {
  console.error('usage: node scripts/runbook-problems.mjs DIR... [--list]');
  process.exit(2);
}

function markdownFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (name === 'node_modules' || name === '.git') return [];
    if (statSync(p).isDirectory()) return markdownFiles(p);
    return /\.(md|mdx|markdown)$/i.test(name) ? [p] : [];
  });
}

const totals = { files: 0, error: 0, warning: 0, info: 0 };
const byCode = new Map();
for (const dir of dirs) {
  for (const file of markdownFiles(dir)) {
    totals.files++;
    for (const p of parseRunbook(readFileSync(file, 'utf8')).problems) {
      totals[p.severity]++;
      const key = `${p.severity} ${p.code}`;
      byCode.set(key, (byCode.get(key) ?? 0) + 1);
      if (list) console.log(`${path.relative(process.cwd(), file)}:${p.line + 1}: ${p.severity}: ${p.message}`);
    }
  }
}
console.log(`${totals.files} files: ${totals.error} errors, ${totals.warning} warnings${totals.info ? `, ${totals.info} notes` : ''}`);
for (const [key, n] of [...byCode].sort((a, b) => b[1] - a[1])) console.log(`  ${n} ${key}`);
