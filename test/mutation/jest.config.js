// The root config's Node project as a standalone config for Stryker's jest runner (which takes
// one project); stryker.config.mjs narrows testMatch to the module's tests.
const root = require('../../jest.config.js');

const node = root.projects.find((p) => p.displayName === 'node');
const { displayName: _name, ...project } = node;

module.exports = { ...project, rootDir: '../..' };
