/** The weapp build's lodash.kebabcase stand-in (config/stubs/kebabcase.js) names NutUI's CSS variables as lodash does. */
import { nutuiTheme } from '../../src/theme';

/* eslint-disable @typescript-eslint/no-var-requires */
const lodashKebab: (s: string) => string = require('lodash.kebabcase');
const stub: (s: string) => string = require('../../config/stubs/kebabcase.js');

test('every theme key becomes the same CSS variable name as with lodash', () => {
  const keys = Object.keys(nutuiTheme);
  expect(keys.length).toBeGreaterThan(5);
  for (const key of keys) expect(stub(key)).toBe(lodashKebab(key));
});

test('camelCase with digits, capitals and separators, as lodash splits them', () => {
  for (const key of ['nutuiColorPrimaryStop1', 'nutuiBrand6', 'nutuiFontSizeXXS', 'XMLHttpRequest', 'buttonBorderRadius2x', 'foo_bar-baz Qux', 'a1b2', '']) {
    expect(stub(key)).toBe(lodashKebab(key));
  }
});
