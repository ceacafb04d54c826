/**
 * Bundles each function in src/functions/<name>/index.ts into a deployable folder
 * deploy/<name>/ (index.js, package.json pinning wx-server-sdk, config.json with
 * the openapi permissions and triggers it needs). TypeScript sources never enter
 * deploy/: an index.ts beside index.js breaks deployment.
 *
 * Bundles are minified (with names kept, so a stack trace still names its functions) and ship
 * a linked source map, index.js.map, beside index.js: a stack trace from the cloud log is read
 * back to src/ with it (`npx source-map-cli` or any tool that takes a map). Node is not started
 * with --enable-source-maps: that would parse the map on every cold start. A module that only a
 * few calls need and that is costly to load (LAZY_CHUNKS: exceljs) is bundled into its own file
 * in the same folder and loaded by `import()` when first needed, so a status poll never pays
 * for it.
 *
 * Every function has a src/functions/<name>/config.json with its `timeout` (seconds) and
 * `memorySize` (MB) besides `permissions` and `triggers`. WeChat DevTools reads only
 * `permissions` and `triggers` from config.json when it uploads a function; the timeout and
 * memory are read by the CloudBase CLI from cloudbaserc.json, which is generated into
 * deploy/ from the same files (README: "Function timeouts and memory"). Without it every
 * function runs with the platform's 3 s default.
 *
 *   npm run build:cloud            all functions
 *   npm run build:cloud -- quote   only the named ones
 */
import { build, BuildOptions, Metafile, Plugin } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'fs';
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

/** Memory sizes the CloudBase console and CLI offer (MB). */
const MEMORY_SIZES = [128, 256, 512, 1024, 2048];

export interface FunctionConfig {
  /** Seconds, 1–60 (the platform's default is 3, its maximum 60). */
  timeout: number;
  memorySize: number;
  permissions: { openapi: string[] };
  triggers?: Array<{ name: string; type: 'timer'; config: string }>;
}

/** The checked config.json of a function: a missing or out-of-range value stops the build. */
export function functionConfig(name: string): FunctionConfig {
  const file = join(sourceRoot, name, 'config.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: every function declares its timeout, memorySize and permissions`);
  const c = JSON.parse(readFileSync(file, 'utf8')) as FunctionConfig;
  if (!Number.isInteger(c.timeout) || c.timeout < 1 || c.timeout > 60) throw new Error(`${file}: timeout must be an integer number of seconds, 1–60`);
  if (!MEMORY_SIZES.includes(c.memorySize)) throw new Error(`${file}: memorySize must be one of ${MEMORY_SIZES.join(', ')}`);
  if (!Array.isArray(c.permissions?.openapi)) throw new Error(`${file}: permissions.openapi must be a list`);
  for (const t of c.triggers ?? []) {
    // WeChat's timer cron has seven fields: second minute hour day month weekday year.
    if (t.type !== 'timer' || !/^[\w-]{1,60}$/.test(t.name) || t.config.trim().split(/\s+/).length !== 7) throw new Error(`${file}: trigger ${JSON.stringify(t)} is not a 7-field timer`);
  }
  return c;
}

/**
 * deploy/cloudbaserc.json: the CloudBase CLI's description of the functions (`tcb fn deploy`,
 * `tcb fn config update <name>`), the one tool that applies timeout and memory from a file.
 * `envId` is a placeholder unless CLOUD_ENV is set.
 */
export function writeCloudbaserc(names: string[] = functionNames()): string {
  const file = join(deployRoot, 'cloudbaserc.json');
  const rc = {
    envId: process.env.CLOUD_ENV ?? '{{envId}}',
    functionRoot: '.',
    functions: names.map((name) => {
      const c = functionConfig(name);
      return {
        name,
        timeout: c.timeout,
        memorySize: c.memorySize,
        runtime: 'Nodejs16.13',
        installDependency: true,
        handler: 'index.main',
        ...(c.triggers?.length ? { triggers: c.triggers } : {}),
      };
    }),
  };
  mkdirSync(deployRoot, { recursive: true });
  writeFileSync(file, JSON.stringify(rc, null, 2) + '\n');
  return file;
}

/**
 * Build-time settings bundled into every function. `MINIPROGRAM_STATE` (developer | trial |
 * formal) picks the version subscribe messages open, over config/subscribe-messages.json.
 */
export function buildDefines(): Record<string, string> {
  const state = process.env.MINIPROGRAM_STATE;
  if (state === undefined) return {};
  if (!['developer', 'trial', 'formal'].includes(state)) throw new Error(`MINIPROGRAM_STATE must be developer, trial or formal, not ${state}`);
  return { 'process.env.MINIPROGRAM_STATE': JSON.stringify(state) };
}

/**
 * Modules bundled into a file of their own beside index.js and loaded only by a dynamic
 * `import()` (domain/files/excel.ts): exceljs and the zip libraries under it are ~1.2 MB
 * minified and ~150 ms CPU to load, three quarters of the staff bundles that read or write
 * spreadsheets, and a status poll or a timer run that finds no work never needs them.
 */
export const LAZY_CHUNKS: Record<string, string> = { exceljs: 'exceljs.js' };

/** The files every deployed function folder holds; a function that uses a lazy chunk adds it and its map. */
const DEPLOYED_FILES = ['index.js', 'index.js.map', 'config.json', 'package.json'];

/**
 * esbuild options for one deployed file. The one place they are set: build:cloud, the tests
 * (buildFunction) and the cold-start benchmark all bundle with them.
 */
export function bundleOptions(outfile: string): BuildOptions {
  return {
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node16',
    format: 'cjs',
    external: ['wx-server-sdk'],
    minify: true,
    // Function and class names survive minifying: stack traces and `err.name` stay readable
    // (a few KB of `__name(...)` calls, no measurable load time).
    keepNames: true,
    // Linked: index.js ends with `//# sourceMappingURL=index.js.map`. Only mappings, no copies
    // of the sources: the map is read beside a checkout of the same commit.
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'warning',
    define: buildDefines(),
    metafile: true,
  };
}

/** Sends `import('exceljs')` to ./exceljs.js beside index.js instead of bundling it in. */
function lazyChunks(): Plugin {
  return {
    name: 'lazy-chunks',
    setup(b) {
      const filter = new RegExp(`^(${Object.keys(LAZY_CHUNKS).join('|')})$`);
      b.onResolve({ filter }, (args) => ({ path: `./${LAZY_CHUNKS[args.path]}`, external: true }));
    },
  };
}

/** The lazy chunks a bundle loads; a static import or require of one would load it at start, so it stops the build. */
function chunksUsed(name: string, metafile: Metafile): string[] {
  const used: string[] = [];
  for (const output of Object.values(metafile.outputs)) {
    for (const imp of output.imports) {
      const chunk = Object.values(LAZY_CHUNKS).find((file) => imp.path === `./${file}`);
      if (!chunk) continue;
      if (imp.kind !== 'dynamic-import') throw new Error(`${name}: ${chunk} is loaded by ${imp.kind}; load it with import() when needed (domain/files/excel.ts)`);
      if (!used.includes(chunk)) used.push(chunk);
    }
  }
  return used;
}

/** `root`: another folder than deploy/ (a benchmark that must not race other builds of deploy/). */
export async function buildFunction(name: string, root: string = deployRoot): Promise<number> {
  const out = join(root, name);
  // Built aside, then renamed into place file by file: a local cloud (or a test) running the
  // previous build never finds the folder empty, and two builds at once never mix their files.
  mkdirSync(root, { recursive: true });
  const tmp = mkdtempSync(join(root, `.${name}-`));
  try {
    const files = await writeFunction(name, tmp);
    mkdirSync(out, { recursive: true });
    // Chunks first, index.js last: a new index.js never starts beside an old or missing chunk.
    for (const file of [...files].reverse()) renameSync(join(tmp, file), join(out, file));
    // Anything else (an index.ts, a file of an older layout) would break or bloat deployment.
    for (const file of readdirSync(out)) if (!files.includes(file)) rmSync(join(out, file), { recursive: true, force: true });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return statSync(join(out, 'index.js')).size;
}

/** Writes the function's files into `out`; returns their names, index.js first. */
async function writeFunction(name: string, out: string): Promise<string[]> {
  const result = await build({ ...bundleOptions(join(out, 'index.js')), entryPoints: [join(sourceRoot, name, 'index.ts')], plugins: [lazyChunks()] });
  const chunks = chunksUsed(name, result.metafile!);
  for (const chunk of chunks) {
    const module = Object.keys(LAZY_CHUNKS).find((m) => LAZY_CHUNKS[m] === chunk)!;
    await build({
      ...bundleOptions(join(out, chunk)),
      stdin: { contents: `module.exports = require(${JSON.stringify(module)});`, resolveDir: root, sourcefile: `${chunk}-entry.js`, loader: 'js' },
    });
  }
  const config = functionConfig(name);
  writeFileSync(join(out, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  writeFileSync(
    join(out, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', private: true, main: 'index.js', dependencies: { 'wx-server-sdk': SDK_VERSION } }, null, 2) + '\n',
  );
  return [...DEPLOYED_FILES, ...chunks.flatMap((c) => [c, `${c}.map`])];
}

async function cli() {
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : functionNames();
  const started = Date.now();
  for (const name of names) {
    const size = await buildFunction(name);
    console.log(`${name.padEnd(16)} ${(size / 1024).toFixed(1)} KB`);
  }
  writeCloudbaserc();
  for (const name of functionNames()) {
    const c = functionConfig(name);
    console.log(`${name.padEnd(16)} timeout ${c.timeout} s, memory ${c.memorySize} MB${c.triggers?.length ? `, triggers ${c.triggers.map((t) => t.config).join('; ')}` : ''}`);
  }
  console.log(`built ${names.length} function(s) into cloudfunctions/deploy in ${Date.now() - started} ms (+ cloudbaserc.json)`);
}

if (require.main === module) {
  cli().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
