// StrykerJS configuration for one module of test/mutation/modules.json (issue 16). Run through
// `npm run test:mutation -- --module <name>` (test/mutation/run.ts), which sets STRYKER_MODULE;
// paths are relative to the repository root, where Stryker runs.
import { existsSync, readFileSync } from 'fs';

const { modules } = JSON.parse(readFileSync(new URL('./modules.json', import.meta.url), 'utf8'));
const name = process.env.STRYKER_MODULE;
const mod = modules[name];
if (!mod) throw new Error(`STRYKER_MODULE must be one of ${Object.keys(modules).join(', ')} (got ${name})`);

const concurrency = Number(process.env.STRYKER_CONCURRENCY ?? 2);
// A focused run (run.ts --mutate/--tests) keeps its own report and incremental file.
const report = process.env.STRYKER_REPORT ?? name;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  checkers: ['typescript'],
  // A module's own tsconfig (only its files and their imports) keeps each check short.
  tsconfigFile: existsSync(new URL(`./tsconfig.${name}.json`, import.meta.url)) ? `test/mutation/tsconfig.${name}.json` : 'test/mutation/tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: mod.mutate,
  jest: {
    projectType: 'custom',
    configFile: 'test/mutation/jest.config.js',
    // Only this module's tests; jest's --findRelatedTests narrows them further per mutated file.
    config: {
      // STRYKER_TESTS (run.ts --tests) narrows a focused run to some of the module's test files.
      testMatch: (process.env.STRYKER_TESTS ? process.env.STRYKER_TESTS.split(',') : mod.tests).map((t) => `<rootDir>/${t}`),
      // functionsInProcess: the local cloud runs the functions' sources in the jest process
      // (in-process-functions.js); otherwise forked workers need the active mutant forwarded.
      ...(mod.functionsInProcess
        ? { setupFiles: ['<rootDir>/test/mutation/in-process-functions.js'] }
        : mod.inProcess
          ? {}
          : { setupFiles: ['<rootDir>/test/mutation/forward-active-mutant.js'] }),
    },
    // jest finds a test's files by their static imports; the functions are loaded by name
    // (in-process-functions.js), so it would find no cloud test related to the domain code.
    enableFindRelatedTests: mod.inProcess && !mod.functionsInProcess,
  },
  // Per-test coverage needs the mutated code to run in the jest process. Code that runs only in
  // the local cloud's forked function workers is invisible to it: every test runs for every mutant.
  coverageAnalysis: mod.inProcess ? 'perTest' : 'off',
  // Mutants run only at module load (literal tables, schemas) need every test each; see modules.json.
  ignoreStatic: Boolean(mod.ignoreStatic),
  // The 2-core machine is shared (README: "Mutation testing").
  concurrency,
  timeoutMS: mod.inProcess ? 10_000 : 60_000,
  timeoutFactor: 2,
  incremental: true,
  incrementalFile: `reports/mutation/${report}.incremental.json`,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${report}.json` },
  htmlReporter: { fileName: `reports/mutation/${report}.html` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, maxTestsToLog: 0 },
  thresholds: { high: mod.threshold, low: mod.threshold, break: null },
  // One sandbox folder per run: Stryker empties its temp folder when it ends (cleanTempDir), so a
  // shared one pulled the sandbox from under any other module's run still going.
  tempDirName: `.stryker-tmp/${report}`,
  // The sandbox needs the functions, the local cloud and the tests, not the front end or its builds.
  ignorePatterns: ['/.stryker-tmp', '/dist', '/src', '/reports', '/test/web', '/test/weapp', '/test/e2e', '/test/bench', '/.local-cloud', '/cloudfunctions/deploy'],
  cleanTempDir: 'always',
};
