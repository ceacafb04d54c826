/**
 * The weapp syntax floor (config/check-weapp-syntax.ts): ES2015, what iOS 10's JavaScriptCore
 * parses. Newer syntax must fail the check; the build's own ES2015 must pass.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import { checkDist, checkSource, newerSyntax } from '../../config/check-weapp-syntax';

describe('weapp syntax floor', () => {
  test.each([
    ['optional chaining', 'var t = e?.get;'],
    ['nullish coalescing', 'var t = e ?? 1;'],
    ['BigInt literal', 'var t = 10n;'],
    ['async function', 'async function f() { await g(); }'],
    ['object spread', 'var t = { ...e };'],
    ['catch without binding', 'try { f(); } catch { g(); }'],
    ['exponent operator', 'var t = 2 ** 8;'],
    ['class field', 'class A { x = 1; }'],
  ])('refuses %s', (_name, code) => {
    const problem = checkSource(code, 'vendors.js');
    expect(problem).not.toBeNull();
    expect(problem).toMatchObject({ file: 'vendors.js', line: 1 });
  });

  test('accepts ES2015: arrows, classes, let/const, templates, destructuring, generators, spread in arrays', () => {
    const code = 'const f = (a, ...r) => `${a}${r.length}`; class A extends Object { *g() { yield 1; } } let { x, y: [z] } = { x: 1, y: [2] }; var a = [...[1]];';
    expect(checkSource(code)).toBeNull();
  });

  test('names and counts what is newer, for the report', () => {
    const found = newerSyntax('var a = b?.c ?? d?.e; var o = { ...p }; var n = 1n;');
    expect(found.get('?. (ES2020)')).toBe(2);
    expect(found.get('?? (ES2020)')).toBe(1);
    expect(found.get('object spread (ES2018)')).toBe(1);
    expect(found.get('BigInt literal (ES2020)')).toBe(1);
  });

  test('checks every .js file of a build folder, in subfolders too, and only .js', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'weapp-syntax-'));
    mkdirSync(path.join(dir, 'pages/index'), { recursive: true });
    writeFileSync(path.join(dir, 'app.js'), 'var a = function () { return 1; };');
    writeFileSync(path.join(dir, 'pages/index/index.js'), 'var t = e?.get;');
    writeFileSync(path.join(dir, 'pages/index/index.wxml'), '<view>{{a?.b}}</view>');
    const { files, problems } = checkDist(dir);
    expect(files).toBe(2);
    expect(problems.map((p) => p.file)).toEqual(['pages/index/index.js']);
  });
});
