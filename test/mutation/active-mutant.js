// The variable Stryker names the active mutant in (INSTRUMENTER_CONSTANTS.ACTIVE_MUTANT_ENV_VARIABLE
// of @stryker-mutator/api/core, an ES module the CommonJS jest setup files cannot require).
module.exports = { ACTIVE_MUTANT_VAR: '__STRYKER_ACTIVE_MUTANT__' };
