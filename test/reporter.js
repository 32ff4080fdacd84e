// Mocha reporter: the spec reporter's output plus a JSON summary written to
// PREFLIGHT_RESULTS (a file path) when set, so a runner can judge a run without exit codes.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

const { Spec } = Mocha.reporters;
const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;

class PreflightReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    const results = { passed: 0, failed: 0, pending: 0, failures: [], tests: [] };
    runner.on(EVENT_TEST_PASS, (t) => {
      results.passed++;
      results.tests.push({ title: t.fullTitle(), state: 'passed', duration: t.duration });
    });
    runner.on(EVENT_TEST_FAIL, (t, err) => {
      results.failed++;
      results.failures.push({ title: t.fullTitle(), error: String((err && err.stack) || err) });
      results.tests.push({ title: t.fullTitle(), state: 'failed' });
    });
    runner.on(EVENT_TEST_PENDING, (t) => {
      results.pending++;
      results.tests.push({ title: t.fullTitle(), state: 'pending' });
    });
    runner.once(EVENT_RUN_END, () => {
      const file = (options.reporterOptions && options.reporterOptions.output) || process.env.PREFLIGHT_RESULTS;
      if (file) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, JSON.stringify(results, null, 2));
      }
    });
  }
}

module.exports = PreflightReporter;
