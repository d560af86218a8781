// Mocha reporter for scripts/test-all.js: prints like 'spec' and, when the run ends,
// writes {passed, failed, pending} to the file named by GRPO_LENS_MOCHA_RESULT.
const fs = require('fs');
const Mocha = require('mocha');

const { Spec } = Mocha.reporters;
const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;

class CountingReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    const counts = { passed: 0, failed: 0, pending: 0 };
    runner.on(EVENT_TEST_PASS, () => counts.passed++);
    runner.on(EVENT_TEST_FAIL, () => counts.failed++);
    runner.on(EVENT_TEST_PENDING, () => counts.pending++);
    runner.once(EVENT_RUN_END, () => {
      const file = process.env.GRPO_LENS_MOCHA_RESULT;
      if (file) fs.writeFileSync(file, JSON.stringify(counts));
    });
  }
}

module.exports = CountingReporter;
