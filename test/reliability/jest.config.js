/**
 * `npm run test:reliability`: the reliability suite (issue 14). Hostile input, access (the staff
 * matrix's size), crashes and money (test/reliability/*.test.ts), then the personal-data scan
 * (global-teardown.ts). Each part prints its figures;
 * the reporter prints them all at the end. Two workers: the machine has two cores.
 */
const path = require('path');

const nodeBabel = {
  configFile: false,
  babelrc: false,
  presets: [['@babel/preset-env', { targets: { node: 'current' } }], '@babel/preset-typescript'],
};

module.exports = {
  rootDir: path.join(__dirname, '..', '..'),
  testEnvironment: 'node',
  // The staff authorization matrix (test/cloud/staff-authorization-matrix.test.ts) runs in `npm test`;
  // access.test.ts reads its table and prints its size (running it here again would double ~3 minutes).
  testMatch: ['<rootDir>/test/reliability/**/*.test.ts'],
  transform: { '^.+\\.[tj]sx?$': ['babel-jest', nodeBabel] },
  moduleNameMapper: {
    '^@contracts/(.*)$': '<rootDir>/cloudfunctions/src/contracts/$1',
    '^@policy/(.*)$': '<rootDir>/cloudfunctions/src/policy/$1',
  },
  globalSetup: '<rootDir>/test/reliability/global-setup.ts',
  globalTeardown: '<rootDir>/test/reliability/global-teardown.ts',
  // summary-reporter: the closing "jest: N passed…" line, counts appended to $TEST_SUMMARY_FILE (.ci/run's total).
  reporters: ['default', '<rootDir>/test/summary-reporter.js', '<rootDir>/test/reliability/figures-reporter.js'],
  maxWorkers: 2,
  testTimeout: 300_000,
};
