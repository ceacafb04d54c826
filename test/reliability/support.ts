/**
 * Shared by the reliability suite (`npm run test:reliability`, test/reliability/jest.config.js):
 * - figures: every part reports its numbers with `figure()`; the reporter prints them all at the end;
 * - a local cloud as a child process (the CLI, like `npm run cloud`), its stdout and stderr (the
 *   local cloud's and every function's log lines) kept in a file, its data folder registered for
 *   the personal-data scan that runs after the suite (global-teardown.ts);
 * - the functions bundled once, into a private folder (global-setup.ts), so a parallel
 *   `build:cloud` cannot change them under a run.
 */
import { ChildProcess, spawn } from 'child_process';
import { appendFileSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

export const REPO = join(__dirname, '..', '..');
/** Where the suite keeps its figures, logs, data folders and bundled functions (git-ignored). */
export const OUT = process.env.RELIABILITY_OUT ?? join(REPO, 'test-results', 'reliability');
export const FUNCTIONS_DIR = join(OUT, 'functions');
/** The money parts' functions beyond the resident side's (bundled by global-setup.ts too). */
export const MONEY_FUNCTIONS = ['paySweeper', 'staffPayments', 'staffCash'];
const FIGURES = join(OUT, 'figures.jsonl');
const SCAN = join(OUT, 'scan.jsonl');
const MAIN = join(REPO, 'cloudfunctions', 'local-cloud', 'main.ts');

/** One figure of one part, printed now and in the final table. */
export function figure(part: string, name: string, value: number | string): void {
  mkdirSync(OUT, { recursive: true });
  appendFileSync(FIGURES, JSON.stringify({ part, name, value }) + '\n');
  process.stdout.write(`[reliability] ${part}: ${name} = ${value}\n`);
}

export function readFigures(): Array<{ part: string; name: string; value: number | string }> {
  try {
    return readFileSync(FIGURES, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  } catch {
    return [];
  }
}

export interface ScanEntry {
  dataDir: string;
  logs: string[];
  /** Plain ID numbers the part stored: each is checked for a rebuild from plain fields. */
  knownIds?: string[];
  /** The local clock's date (ages are counted from it). */
  today?: string;
}

/** A data folder and log files the personal-data scan must read after the suite. */
export function registerForScan(entry: ScanEntry): void {
  mkdirSync(OUT, { recursive: true });
  appendFileSync(SCAN, JSON.stringify(entry) + '\n');
}

export function registeredForScan(): ScanEntry[] {
  try {
    return readFileSync(SCAN, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  } catch {
    return [];
  }
}

/**
 * The bundled functions' timeouts raised to the cloud's maximum (60 s) in the suite's private
 * folder: the suite runs on a 2-core machine shared with the rest of CI, where a function's own
 * 10–20 s measured the machine's load (a set-up call timing out failed a part before it began),
 * not the system's correctness; WeChat's cloud gives each invocation an instance of its own.
 */
export function raiseTimeouts(names: string[]): void {
  for (const name of names) {
    const file = join(FUNCTIONS_DIR, name, 'config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...config, timeout: 60 }, null, 2));
  }
}

export function newDataDir(prefix: string): string {
  mkdirSync(join(OUT, 'data'), { recursive: true });
  return mkdtempSync(join(OUT, 'data', `${prefix}-`));
}

export interface ChildCloud {
  proc: ChildProcess;
  url: string;
  dataDir: string;
  log: string;
  localToken: string;
}

/** The local cloud's CLI on a free port; resolves once it listens. Its output goes to `log` (appended across restarts). */
export function startChildCloud(dataDir: string, options: { now?: string; log?: string } = {}): Promise<ChildCloud> {
  const log = options.log ?? join(dataDir, 'cloud.log');
  const args = ['--import', 'tsx', MAIN, '--port', '0', '--data', dataDir, '--functions', FUNCTIONS_DIR];
  if (options.now) args.push('--now', options.now);
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, { cwd: REPO, env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const file = createWriteStream(log, { flags: 'a' });
    proc.stdout!.pipe(file);
    proc.stderr!.pipe(file);
    let out = '';
    const timer = setTimeout(() => reject(new Error(`local cloud did not start: ${out.slice(0, 500)}`)), 120_000); // tsx compiling on a loaded machine
    proc.stdout!.on('data', (c) => {
      out += c;
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m && timer) {
        clearTimeout(timer);
        const { localToken } = JSON.parse(readFileSync(join(dataDir, 'keys.json'), 'utf8'));
        resolve({ proc, url: m[1], dataDir, log, localToken });
      }
    });
    proc.stderr!.on('data', (c) => (out += c));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local cloud exited (${code}): ${out.slice(0, 500)}`));
    });
  });
}

export function exited(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once('exit', () => resolve());
  });
}

export async function killHard(proc: ChildProcess): Promise<void> {
  if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  await exited(proc);
}

export async function stopCleanly(proc: ChildProcess): Promise<void> {
  if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
  await exited(proc);
}
