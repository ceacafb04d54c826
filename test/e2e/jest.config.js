// Browser tests of the H5 build: run through `npm run test:e2e` (run.ts builds first).
module.exports = {
  rootDir: '../..',
  displayName: 'e2e',
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/e2e/specs/**/*.e2e.ts'],
  transform: {
    '^.+\\.[tj]sx?$': [
      'babel-jest',
      {
        configFile: false,
        babelrc: false,
        presets: [['@babel/preset-env', { targets: { node: 'current' } }], '@babel/preset-typescript'],
      },
    ],
  },
  testTimeout: 180000,
  maxWorkers: 1,
};
