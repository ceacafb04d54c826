// Babel for the jest 'web' project (jsdom): TypeScript + React, ESM → CommonJS for node, also for
// the @tarojs / @nutui / @stencil ESM in node_modules (see transformIgnorePatterns in jest.config.js).
module.exports = {
  presets: [
    ['@babel/preset-env', { targets: { node: 'current' } }],
    ['@babel/preset-typescript', { isTSX: true, allExtensions: true, onlyRemoveTypeImports: false }],
    ['@babel/preset-react', { runtime: 'automatic' }],
  ],
};
