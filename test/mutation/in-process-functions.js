// Jest setup file for the mutation modules whose code runs inside cloud functions (modules.json
// `functionsInProcess`). In the normal test run the local cloud runs each function's esbuild
// bundle in a forked worker, where Stryker's per-test coverage cannot see it: every test would run
// for every mutant (hours). Here the local cloud runs the function's TypeScript source in the jest
// process instead (local-cloud/functions/pool.ts InProcess), so coverage narrows each mutant to the
// tests that reach it. CI and `npm test` never load this file.
const { join } = require('path');

const SOURCES = join(__dirname, '..', '..', 'cloudfunctions', 'src', 'functions');

// Stryker names the active mutant in process.env, and the instrumented code reads it from there
// the first time it runs. Inside an in-process invocation process.env is that invocation's own env
// (pool.ts invocationEnv, what a worker would hold), which does not carry it: the domain code ran
// unmutated and every mutant it reached "survived" (family.ts's link filter among them). The
// instrumenter's shared namespace takes it here, outside any invocation, once per test file.
const { ACTIVE_MUTANT_VAR } = require('./active-mutant');
if (process.env[ACTIVE_MUTANT_VAR] !== undefined) {
  const ns = (globalThis.__stryker__ ??= {});
  ns.activeMutant ??= process.env[ACTIVE_MUTANT_VAR];
}

const loadFunction = (name) => {
  // A registry of its own per local cloud and function, like a fresh worker process: the SDK
  // initialises against this cloud's URL and no module state is shared with another cloud.
  let mod;
  jest.isolateModules(() => {
    mod = require(join(SOURCES, name, 'index.ts'));
  });
  return mod;
};
// A cold start for every test (the local cloud loads the function again when the test changes).
// Stryker gives the coverage of code to the test running when it runs. A module's top level (a
// constant such as sweeper.ts's ACTOR = 'system') runs once, when the function is first loaded:
// loaded once per local cloud, it counted as covered by that cloud's first test alone, so Stryker
// ran its mutants against that test only and they "survived" tests further down the file that
// kill them. Loaded per test, each test that reaches the function covers its top level too.
// Hooks (beforeAll, no current test) share one load. `expect` is read when a function is called:
// jest installs it after this setup file has run.
loadFunction.coldStartKey = () => globalThis.expect?.getState().currentTestName ?? '';
globalThis.__localCloudLoadFunctionInProcess__ = loadFunction;

// The bundles are never run in this mode: the local cloud only checks that a function's folder
// exists and reads its config.json (timeout). Building them again for every test file of every
// mutant (esbuild, 12 functions) was half of each mutant's time, so a folder already built stays.
jest.mock('../../cloudfunctions/build', () => {
  const { existsSync } = require('fs');
  const path = require('path');
  const actual = jest.requireActual('../../cloudfunctions/build');
  const deploy = path.join(__dirname, '..', '..', 'cloudfunctions', 'deploy');
  return {
    ...actual,
    buildFunction: async (name, root = deploy) => (existsSync(path.join(root, name, 'index.js')) ? 0 : actual.buildFunction(name, root)),
  };
});
