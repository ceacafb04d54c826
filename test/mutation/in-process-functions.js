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

globalThis.__localCloudLoadFunctionInProcess__ = (name) => {
  // A registry of its own per local cloud and function, like a fresh worker process: the SDK
  // initialises against this cloud's URL and no module state is shared with another cloud.
  let mod;
  jest.isolateModules(() => {
    mod = require(join(SOURCES, name, 'index.ts'));
  });
  return mod;
};

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
