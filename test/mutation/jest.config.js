// The root config's Node project as a standalone config for Stryker's jest runner (which takes
// one project); stryker.config.mjs narrows testMatch to the module's tests.
const root = require('../../jest.config.js');

const node = root.projects.find((p) => p.displayName === 'node');
const { displayName: _name, ...project } = node;

module.exports = {
  ...project,
  rootDir: '../..',
  // Stryker asks jest for the tests related to a mutated file (--findRelatedTests). Jest walks
  // the import graph only through files inside `roots`: with test/ alone, a source file that
  // tests reach through another source file (policy/tables/index.ts through policy/index.ts)
  // had no related tests, so its mutants ran against a few direct importers and "survived"
  // tests that do kill them. The sources are roots too; testMatch still picks only tests.
  roots: [...project.roots, '<rootDir>/cloudfunctions/src', '<rootDir>/cloudfunctions/local-cloud'],
};
