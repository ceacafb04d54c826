// Prints one plain closing line ("jest: N passed, N failed, N skipped") that CI reads,
// and appends the counts to $TEST_SUMMARY_FILE when set so .ci/run can add up suites.
const { appendFileSync } = require('fs');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const passed = results.numPassedTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\njest: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    if (process.env.TEST_SUMMARY_FILE) appendFileSync(process.env.TEST_SUMMARY_FILE, `${passed} ${failed} ${skipped}\n`);
  }
}
module.exports = SummaryReporter;
