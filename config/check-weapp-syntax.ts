/**
 * Syntax floor of the weapp build (run after `npm run build:weapp`):
 *
 *   tsx config/check-weapp-syntax.ts [dist/weapp]
 *
 * WeChat runs the logic layer in the phone's own engine: JavaScriptCore of the iOS version on
 * iOS, WeChat's V8 on Android. Syntax cannot be polyfilled, so every .js file of the build must
 * parse at the oldest engine the project supports. The floor: base library (基础库) 2.15.0, which
 * WeChat documents as needing WeChat iOS 7.0.20 / Android 7.0.22, and WeChat iOS 7.0.20 needs
 * iOS 10 — so iOS 10's JavaScriptCore (Safari 10: ES2015, no `**`, no async functions, no object
 * spread, no `?.`/`??`, no BigInt). The files are parsed as ES2015 (acorn `ecmaVersion: 2015`);
 * anything newer is a syntax error there and a white screen on such a phone. Exits 1 on any.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import path from 'path';
import { parse, type Options } from 'acorn';

/** The ECMAScript edition of iOS 10's JavaScriptCore (see above). */
export const WEAPP_ECMA_VERSION = 2015;

export interface SyntaxProblem {
  file: string;
  line: number;
  column: number;
  message: string;
  /** The source around the offending position, for the report. */
  excerpt: string;
}

function jsFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...jsFiles(full, base));
    else if (entry.name.endsWith('.js')) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}

/** The first syntax above `ecmaVersion` in `source`, or null when it all parses. */
export function checkSource(source: string, file = '<source>', ecmaVersion: Options['ecmaVersion'] = WEAPP_ECMA_VERSION): SyntaxProblem | null {
  try {
    // Bundles are scripts (WeChat wraps each file in a function); `allowReturnOutsideFunction`
    // keeps a top-level `return` of such a wrapper from being reported as a version problem.
    parse(source, { ecmaVersion, sourceType: 'script', allowReturnOutsideFunction: true, allowHashBang: true });
    return null;
  } catch (e) {
    const err = e as SyntaxError & { loc?: { line: number; column: number }; pos?: number };
    const pos = err.pos ?? 0;
    return {
      file,
      line: err.loc?.line ?? 0,
      column: err.loc?.column ?? 0,
      message: err.message,
      excerpt: source.slice(Math.max(0, pos - 40), pos + 40).replace(/\s+/g, ' '),
    };
  }
}

type Node = { type: string; [key: string]: unknown };

/** ES2016+ syntax features, by what a reader recognises, from an AST parsed at 'latest'. */
function featuresOf(node: Node, parent: Node | null, seen: Map<string, number>): void {
  const add = (name: string) => seen.set(name, (seen.get(name) ?? 0) + 1);
  switch (node.type) {
    case 'ChainExpression':
      add('?. (ES2020)');
      break;
    case 'LogicalExpression':
      if (node.operator === '??') add('?? (ES2020)');
      break;
    case 'BinaryExpression':
      if (node.operator === '**') add('** (ES2016)');
      break;
    case 'AssignmentExpression':
      if (node.operator === '**=') add('**= (ES2016)');
      if (node.operator === '||=' || node.operator === '&&=' || node.operator === '??=') add(`${String(node.operator)} (ES2021)`);
      break;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      if (node.async) add('async function (ES2017)');
      break;
    case 'ForOfStatement':
      if (node.await) add('for await (ES2018)');
      break;
    case 'SpreadElement':
      if (parent?.type === 'ObjectExpression') add('object spread (ES2018)');
      break;
    case 'RestElement':
      if (parent?.type === 'ObjectPattern') add('object rest (ES2018)');
      break;
    case 'CatchClause':
      if (node.param === null) add('catch without binding (ES2019)');
      break;
    case 'PropertyDefinition':
      add('class field (ES2022)');
      break;
    case 'PrivateIdentifier':
      add('#private (ES2022)');
      break;
    case 'StaticBlock':
      add('static block (ES2022)');
      break;
    case 'ImportExpression':
      add('import() (ES2020)');
      break;
    case 'Literal': {
      if (typeof node.bigint === 'string') add('BigInt literal (ES2020)');
      const regex = node.regex as { pattern: string; flags: string } | undefined;
      if (regex && (/[sdv]/.test(regex.flags) || /\(\?<[=!]|\(\?<[A-Za-z]|\\[pP]\{/.test(regex.pattern))) add('regex s/d/v flag, lookbehind, named group or \\p{} (ES2018+)');
      if (typeof node.raw === 'string' && typeof node.value === 'number' && node.raw.includes('_')) add('numeric separator (ES2021)');
      break;
    }
  }
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const child of value) if (child && typeof child === 'object' && typeof (child as Node).type === 'string') featuresOf(child as Node, node, seen);
    } else if (value && typeof value === 'object' && typeof (value as Node).type === 'string') {
      featuresOf(value as Node, node, seen);
    }
  }
}

/**
 * What newer syntax a file uses, with counts (for the report: the ES2015 parse above decides
 * pass or fail, this says what to transpile). Empty when the file does not parse at all.
 */
export function newerSyntax(source: string): Map<string, number> {
  const seen = new Map<string, number>();
  try {
    const ast = parse(source, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true, allowHashBang: true });
    featuresOf(ast as unknown as Node, null, seen);
  } catch {
    // Not even the latest edition parses it: the ES2015 problem says where.
  }
  return seen;
}

/** Every .js file under `distDir` that does not parse at the weapp's ECMAScript edition. */
export function checkDist(distDir: string, ecmaVersion: Options['ecmaVersion'] = WEAPP_ECMA_VERSION): { files: number; problems: SyntaxProblem[] } {
  const files = jsFiles(distDir);
  const problems: SyntaxProblem[] = [];
  for (const rel of files) {
    const problem = checkSource(readFileSync(path.join(distDir, rel), 'utf8'), rel, ecmaVersion);
    if (problem) problems.push(problem);
  }
  return { files: files.length, problems };
}

function main(): void {
  const distDir = path.resolve(process.argv[2] ?? 'dist/weapp');
  if (!existsSync(path.join(distDir, 'app.json'))) {
    console.error(`找不到 ${path.join(distDir, 'app.json')}：请先运行 npm run build:weapp`);
    process.exit(1);
  }
  const { files, problems } = checkDist(distDir);
  for (const p of problems) {
    console.log(`FAIL ${p.file}:${p.line}:${p.column} ${p.message}\n     …${p.excerpt}…`);
    const found = newerSyntax(readFileSync(path.join(distDir, p.file), 'utf8'));
    if (found.size) console.log(`     ${[...found].map(([name, n]) => `${n} × ${name}`).join(', ')}`);
  }
  console.log(`${problems.length ? 'FAIL' : 'ok  '} ${files} .js files parsed as ES${WEAPP_ECMA_VERSION}, ${problems.length} with newer syntax`);
  if (problems.length) {
    console.error('weapp build has syntax the oldest supported WeChat (iOS 10 JavaScriptCore) cannot parse');
    process.exit(1);
  }
}

if (require.main === module) main();
