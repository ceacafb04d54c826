/**
 * Stand-in for lodash.kebabcase (4.8 KB minified, most of it Unicode word tables) in the weapp
 * build (config/index.ts): its one user is NutUI's ConfigProvider, turning the theme's camelCase
 * ASCII keys (src/theme.ts: nutuiColorPrimaryStop1, nutuiBrand6) into CSS variable names. Same
 * words as lodash for such keys: lower runs, Capitalised words, ALLCAPS runs and digit runs,
 * joined by '-' (test/unit/kebabcase-stub.test.ts compares it with lodash on them).
 */
module.exports = function kebabCase(value) {
  const words = String(value == null ? '' : value).match(/[A-Z]{2,}(?=[A-Z][a-z]|[^A-Za-z]|$)|[A-Z]?[a-z]+|[A-Z]+|\d+/g);
  return words ? words.join('-').toLowerCase() : '';
};
