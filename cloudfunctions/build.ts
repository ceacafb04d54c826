/**
 * Bundles each function in src/functions/<name>/index.ts into a deployable folder
 * deploy/<name>/ (index.js, package.json pinning wx-server-sdk, config.json with
 * the openapi permissions it needs). TypeScript sources never enter deploy/: an
 * index.ts beside index.js breaks deployment.
 *
 *   npm run build:cloud            all functions
 *   npm run build:cloud -- quote   only the named ones
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';

const root = __dirname;
const sourceRoot = join(root, 'src', 'functions');
const deployRoot = join(root, 'deploy');
// The version the local cloud's contract suite was recorded against.
const SDK_VERSION = require('../node_modules/wx-server-sdk/package.json').version as string;

export function functionNames(): string[] {
  return readdirSync(sourceRoot)
    .filter((name) => !name.startsWith('_') && statSync(join(sourceRoot, name)).isDirectory())
    .filter((name) => existsSync(join(sourceRoot, name, 'index.ts')))
    .sort();
}

export async function buildFunction(name: string): Promise<number> {
  const out = join(deployRoot, name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [join(sourceRoot, name, 'index.ts')],
    outfile: join(out, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node16',
    format: 'cjs',
    external: ['wx-server-sdk'],
    minify: false,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const configFile = join(sourceRoot, name, 'config.json');
  const config = existsSync(configFile) ? JSON.parse(readFileSync(configFile, 'utf8')) : { permissions: { openapi: [] } };
  writeFileSync(join(out, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  writeFileSync(
    join(out, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', private: true, main: 'index.js', dependencies: { 'wx-server-sdk': SDK_VERSION } }, null, 2) + '\n',
  );
  return statSync(join(out, 'index.js')).size;
}

async function cli() {
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : functionNames();
  const started = Date.now();
  for (const name of names) {
    const size = await buildFunction(name);
    console.log(`${name.padEnd(16)} ${(size / 1024).toFixed(1)} KB`);
  }
  console.log(`built ${names.length} function(s) into cloudfunctions/deploy in ${Date.now() - started} ms`);
}

if (require.main === module) {
  cli().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
