// Jest setup file for the modules whose code runs in the local cloud's function workers
// (modules.json `inProcess: false`). The local cloud forks each worker with an explicit,
// minimal environment (local-cloud/server.ts), so Stryker's active-mutant variable, which the
// instrumented code in a bundled function reads from process.env, would never reach it and every
// mutant would survive. This forwards that one variable to forked children, in tests only.
const childProcess = require('child_process');

const { ACTIVE_MUTANT_VAR: VAR } = require('./active-mutant');
const fork = childProcess.fork;
childProcess.fork = function forkWithActiveMutant(modulePath, args, options) {
  const active = process.env[VAR];
  // fork(modulePath, options) without args
  if (args && !Array.isArray(args) && typeof args === 'object') return forkWithActiveMutant.call(this, modulePath, [], args);
  if (active !== undefined && options && options.env) options = { ...options, env: { ...options.env, [VAR]: active } };
  return fork.call(this, modulePath, args, options);
};
