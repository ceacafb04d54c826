/**
 * `npm run test:mutation [-- --module <name>] [--changed <git base>] [--concurrency N] [--force] [--mutate <file.ts:10-20>] [--tests <test files>] [--report-only]`
 *
 * Mutation testing of the modules in modules.json (issue 16) with StrykerJS, one Stryker run per
 * module so that each run mutates only that module and runs only its tests. Incremental: a
 * module's previous result (reports/mutation/<name>.incremental.json, ignored by git) is reused
 * for mutants and tests that did not change; --force runs everything again.
 * Prints, per module, the score, the time taken and the surviving mutants that
 * test/mutation/EQUIVALENT.md does not list as equivalent. Exits 1 when a module is below its
 * threshold counting the listed equivalents as killed (the score to hold).
 * Without --module it runs the in-process modules (fast enough to run on demand); name the
 * others (scope, and orders and family, whose functions run in-process only for Stryker) to run them.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join, relative } from 'path';
import { changedSince, modulesTouched } from './changed';

const ROOT = join(__dirname, '..', '..');
const REPORTS = join(ROOT, 'reports', 'mutation');

interface ModuleDef {
  title: string;
  threshold: number;
  inProcess: boolean;
  functionsInProcess?: boolean;
  mutate: string[];
  tests: string[];
}
const { modules } = JSON.parse(readFileSync(join(__dirname, 'modules.json'), 'utf8')) as { modules: Record<string, ModuleDef> };

interface MutantResult {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number } };
}

/** "file:line:column mutator replacement" — the key EQUIVALENT.md lists survivors by (ids change between runs). */
function mutantKey(file: string, m: MutantResult): string {
  return `${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} ${JSON.stringify(m.replacement ?? '')}`;
}

/**
 * The keys listed in EQUIVALENT.md: lines of the form "- `key` — reason", or "- ``` key ``` — reason"
 * for a key that holds backticks itself (a template literal's replacement, "``").
 */
function listedEquivalents(): Set<string> {
  const file = join(__dirname, 'EQUIVALENT.md');
  if (!existsSync(file)) return new Set();
  const keys = [...readFileSync(file, 'utf8').matchAll(/^- (?:``` (.+?) ```|`([^`]+)`)/gm)].map((m) => m[1] ?? m[2]);
  return new Set(keys);
}

interface Summary {
  name: string;
  seconds: number;
  killed: number;
  survived: number;
  noCoverage: number;
  timeout: number;
  errors: number;
  score: number;
  scoreWithEquivalents: number;
  open: string[];
}

function summarise(name: string, reportName: string, seconds: number): Summary {
  const report = JSON.parse(readFileSync(join(REPORTS, `${reportName}.json`), 'utf8')) as { files: Record<string, { mutants: MutantResult[] }> };
  const equivalents = listedEquivalents();
  let killed = 0, survived = 0, noCoverage = 0, timeout = 0, errors = 0, equivalent = 0;
  const open: string[] = [];
  for (const [path, { mutants }] of Object.entries(report.files)) {
    const file = relative(ROOT, join(ROOT, path)).replace(/\\/g, '/');
    for (const m of mutants) {
      if (m.status === 'Killed') killed++;
      else if (m.status === 'Timeout') timeout++;
      else if (m.status === 'Survived' || m.status === 'NoCoverage') {
        if (m.status === 'Survived') survived++;
        else noCoverage++;
        const key = mutantKey(file, m);
        if (equivalents.has(key)) equivalent++;
        else open.push(`${key} (${m.status})`);
      } else if (m.status === 'CompileError' || m.status === 'RuntimeError') errors++;
    }
  }
  // Stryker's own score: detected / valid (compile and runtime errors excluded).
  const valid = killed + timeout + survived + noCoverage;
  const score = valid ? (100 * (killed + timeout)) / valid : 100;
  const scoreWithEquivalents = valid - equivalent ? (100 * (killed + timeout)) / (valid - equivalent) : 100;
  return { name, seconds, killed, survived, noCoverage, timeout, errors, score, scoreWithEquivalents, open };
}

function args(): { names: string[]; concurrency?: string; force: boolean; mutate?: string; tests?: string; reportOnly: boolean } {
  const argv = process.argv.slice(2);
  const names: string[] = [];
  let concurrency: string | undefined;
  let force = false;
  let mutate: string | undefined;
  let tests: string | undefined;
  let reportOnly = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--module' || argv[i] === '-m') names.push(...argv[++i].split(','));
    else if (argv[i] === '--changed') {
      const touched = modulesTouched(modules, changedSince(argv[++i], ROOT));
      console.log(`modules touched since ${argv[i]}: ${touched.join(', ') || 'none'}`);
      if (!touched.length) process.exit(0);
      names.push(...touched);
    }
    else if (argv[i] === '--concurrency') concurrency = argv[++i];
    else if (argv[i] === '--force') force = true;
    // Narrow a run to some files or lines of the module (Stryker's own syntax: file.ts:10-20).
    else if (argv[i] === '--mutate') mutate = argv[++i];
    else if (argv[i] === '--tests') tests = argv[++i];
    // Only print the scores of the last runs (reports/mutation/*.json), e.g. after editing EQUIVALENT.md.
    else if (argv[i] === '--report-only') reportOnly = true;
    else throw new Error(`unknown argument ${argv[i]} (use --module <${Object.keys(modules).join('|')}>, --changed <git base>, --concurrency N, --force, --mutate <file:lines>, --tests <file,file>, --report-only)`);
  }
  for (const n of names) if (!modules[n]) throw new Error(`unknown module ${n}: one of ${Object.keys(modules).join(', ')}`);
  return { names: names.length ? names : Object.keys(modules).filter((n) => modules[n].inProcess && !modules[n].functionsInProcess), concurrency, force, mutate, tests, reportOnly };
}

const { names, concurrency, force, mutate, tests, reportOnly } = args();
mkdirSync(REPORTS, { recursive: true });
const summaries: Summary[] = [];
for (const name of names) {
  const started = Date.now();
  const report = mutate || tests ? `${name}.focused` : name;
  const stryker = join(ROOT, 'node_modules', '.bin', 'stryker');
  const res = reportOnly ? { status: existsSync(join(REPORTS, `${report}.json`)) ? 0 : -1 } : spawnSync(stryker, ['run', 'test/mutation/stryker.config.mjs', ...(force ? ['--force'] : []), ...(mutate ? ['--mutate', mutate] : [])], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, STRYKER_MODULE: name, ...(concurrency ? { STRYKER_CONCURRENCY: concurrency } : {}), ...(tests ? { STRYKER_TESTS: tests } : {}), STRYKER_REPORT: report },
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  if (res.status !== 0) {
    console.error(`mutation testing of ${name} failed (exit ${res.status})`);
    process.exitCode = 2;
    continue;
  }
  const s = summarise(name, report, seconds);
  summaries.push(s);
  writeFileSync(join(REPORTS, `${report}.open.txt`), s.open.join('\n') + '\n');
}

console.log('\nMutation score per module (killed + timeout) / (killed + timeout + survived + no coverage):');
for (const s of summaries) {
  const m = modules[s.name];
  const ok = s.scoreWithEquivalents >= m.threshold;
  console.log(
    `  ${s.name.padEnd(9)} ${s.score.toFixed(1).padStart(5)} %  (${s.scoreWithEquivalents.toFixed(1)} % with the listed equivalents; hold ≥ ${m.threshold} %) ${ok ? 'ok ' : 'LOW'}  ` +
      `killed ${s.killed}, timeout ${s.timeout}, survived ${s.survived}, no coverage ${s.noCoverage}, type errors ${s.errors}; ${s.seconds} s  — ${m.title}`,
  );
  if (!ok) process.exitCode ||= 1;
  if (s.open.length) console.log(`    ${s.open.length} survivor(s) neither killed nor listed as equivalent: reports/mutation/${s.name}[.focused].open.txt`);
}
