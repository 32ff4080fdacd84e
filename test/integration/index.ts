// Entry point the extension host calls with the integration suite (extensionTestsPath).
import Mocha from 'mocha';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return testFiles(p);
    return name.endsWith('.test.js') ? [p] : [];
  });
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    color: false,
    reporter: path.resolve(__dirname, '../../../test/reporter.js'),
    reporterOptions: { output: process.env.PREFLIGHT_RESULTS },
  });
  const grep = process.env.PREFLIGHT_GREP;
  if (grep) mocha.grep(grep);
  for (const f of testFiles(__dirname).sort()) mocha.addFile(f);
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
