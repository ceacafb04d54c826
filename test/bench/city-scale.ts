/**
 * City-scale jobs (issue 15), at each size of `--city` (default two sizes 10× apart):
 *  - list import: a district officer's assisted-people csv (test/fixtures/lists/generate.ts),
 *    staffLists.startImport then jobStatus polled until done, as the staff page does;
 *  - screening: the season as the database holds it (persons with enrollments of 2022–2024 and
 *    the counters' marks, written straight into the store), the city centre's hukou register
 *    extract (scripts/generate-population.ts) imported as a job, then the screening run
 *    (screeningRun + screeningRunJob until done) comparing it with the two previous years.
 * Every call is a real function invocation through the gateway and wx-server-sdk. Figures: time,
 * rows per second, peak memory (RSS of this process — the local cloud and its store — and its
 * worker processes, sampled every 0.5 s), and growth between consecutive sizes. Budgets: ≤ 11×
 * time for 10× rows, ≤ 1.5× memory.
 *
 * Each job at each size runs in a process of its own (this file run as a script, with this
 * process's Node options: the heap size of `bench:million`): a local cloud holding a million
 * people leaves a heap of several GB behind, and the next job measured in the same process ran
 * 29 % slower for it (screening at 1,000,000 after the list import: 1243.9 s; alone: 964.0 s).
 */
import { spawn } from 'child_process';
import { mkdtempSync, readFileSync } from 'fs';
import { join } from 'path';
import { buildFunction } from '../../cloudfunctions/build';
import { startLocalCloud } from '../../cloudfunctions/local-cloud/server';
import { generatePopulation } from '../../scripts/generate-population';
import { generatedCsv } from '../fixtures/lists/generate';
import { signIn, upload } from '../cloud/helpers';
import { uploadSheet } from '../cloud/lists-helpers';
import { memoryPeak, ms, record } from './report';

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

const SECTION = 'City-scale jobs';
const PASSWORD = 'Local@2023';
const FILE_ROWS = 50_000;
const REGISTER_FILE_ROWS = 100_000;

interface Run {
  rows: number;
  ms: number;
  /** Peak RSS of the function worker processes. */
  peak: number;
  /** Peak RSS of the whole tree (with the local cloud's in-memory database). */
  tree: number;
  /** CPU time of this process (the gateway, the SDK's database calls, the store) and its GC pauses. */
  cpuMs: number;
  gcMs: number;
  /** CPU time of the function worker processes (the functions' own work, without the database). */
  workersCpuMs: number;
  /** Wall time of each file, in order (a job sent as several files). */
  fileMs: number[];
}

async function listImport(work: string, functionsDir: string, rows: number): Promise<Run> {
  const cloud = await startLocalCloud({ port: 0, dataDir: mkdtempSync(join(work, 'city-lists-')), now: '2023-10-09T10:00:00+08:00', quiet: true, functionsDir });
  try {
    const district = await signIn(cloud.url, 'sq_district', PASSWORD);
    // A file holds at most MAX_LIST_ROWS (60,000) rows: a larger city is sent as files of 50,000,
    // one after the other, as an office would (the time counts them all).
    const files: Buffer[] = [];
    for (let from = 0; from < rows; from += FILE_ROWS) files.push(generatedCsv(Math.min(FILE_ROWS, rows - from), from));
    const mem = memoryPeak();
    const t0 = performance.now();
    const fileMs: number[] = [];
    for (const [i, bytes] of files.entries()) {
      const f0 = performance.now();
      const fileID = await uploadSheet(district, bytes, 'csv');
      let job = await district.data('staffLists', { action: 'startImport', fileID, fileName: `bench-${i + 1}.csv`, benefitYear: 2024 });
      while (job.status === 'running') job = await district.data('staffLists', { action: 'jobStatus', jobId: job.jobId });
      if (job.status !== 'done' || job.report.outcome !== 'imported') throw new Error(`list import of ${rows} (file ${i + 1}) did not finish: ${JSON.stringify(job.error ?? job.report?.fileErrors).slice(0, 300)}`);
      fileMs.push(performance.now() - f0);
    }
    const t = performance.now() - t0;
    const { workers: peak, tree, cpuMs, gcMs, workersCpuMs } = mem.stop();
    return { rows, ms: t, peak, tree, cpuMs, gcMs, workersCpuMs, fileMs };
  } finally {
    await cloud.close();
  }
}

async function screening(work: string, functionsDir: string, n: number): Promise<Run> {
  const dataDir = mkdtempSync(join(work, 'city-screening-'));
  const cloud = await startLocalCloud({ port: 0, dataDir, now: '2023-11-20T09:00:00+08:00', quiet: true, functionsDir });
  try {
    const { people, csv } = generatePopulation(n, 7);
    const keys = JSON.parse(readFileSync(join(dataDir, 'keys.json'), 'utf8'));
    process.env.ID_ENC_KEY = keys.idEncKey;
    process.env.ID_HMAC_KEY = keys.idHmacKey;
    const { protectIdNumber, encryptIdNumber } = await import('../../cloudfunctions/src/domain/identity/id-protection');
    let writes: any[] = [];
    const flush = () => {
      cloud.store.write(writes);
      writes = [];
    };
    people.forEach((p, i) => {
      const prot = protectIdNumber(p.idNumber);
      const years = Object.entries(p.enrolled).filter(([, e]) => e).map(([y]) => Number(y));
      if (years.length) {
        const personId = `sp${i}`;
        writes.push({ c: 'persons', id: personId, doc: { _id: personId, name: p.name, sex: Number(p.idNumber[16]) % 2 ? 'male' : 'female', idHash: prot.idHash, idKind: 'id', idMasked: prot.idMasked, idCipher: prot.idCipher, birthDateCipher: encryptIdNumber(p.birthDate), hukou: 'local', district: p.district, community: null, answers: { employeeInsured: false, enrolledElsewhere: false }, newborn: false, createdAt: '2021-10-01T00:00:00.000Z', createdBy: 'seed' } });
        for (const y of years) {
          writes.push({ c: 'enrollments', id: `${personId}_${y}`, doc: { _id: `${personId}_${y}`, personId, benefitYear: y, status: 'enrolled', outTradeNo: null, amountFen: 38000, paidAt: `${y - 1}-10-01T02:00:00.000Z`, expectedSyncBy: null, createdAt: `${y - 1}-10-01T02:00:00.000Z`, updatedAt: `${y - 1}-10-01T02:00:00.000Z` } });
          writes.push({ c: 'progress_marks', id: `${y}-${prot.idHash.slice(0, 40)}`, doc: { _id: `${y}-${prot.idHash.slice(0, 40)}`, benefitYear: y, personId, area: p.district, shard: 0, at: `${y - 1}-10-01T02:00:00.000Z` } });
        }
      }
      if (p.assisted) writes.push({ c: 'assistance_lists', id: `al${i}`, doc: { _id: `al${i}`, idHash: prot.idHash, benefitYear: 2024, category: 'dibao' } });
      if (writes.length > 20_000) flush();
    });
    flush();
    const city = await signIn(cloud.url, 'city_center', PASSWORD);
    const mem = memoryPeak();
    const t0 = performance.now();
    // A file holds at most 10 MB (~140,000 register rows; MAX_REGISTER_ROWS 200,000): a larger
    // city's extract is sent as files of REGISTER_FILE_ROWS, one after the other (the time counts them all).
    const [header, ...lines] = csv.trimEnd().split('\r\n');
    for (let from = 0, i = 1; from < lines.length; from += REGISTER_FILE_ROWS, i++) {
      const file = Buffer.from([header, ...lines.slice(from, from + REGISTER_FILE_ROWS)].join('\r\n') + '\r\n', 'utf8');
      const ticket = await city.data('staffSeason', { action: 'registerUploadTicket', ext: 'csv' });
      const fileID = await upload(cloud.url, city.token, ticket.cloudPath, file, `register-${i}.csv`);
      let imp = await city.data('staffSeason', { action: 'registerImport', fileID });
      while (imp.status === 'running') imp = await city.data('staffSeason', { action: 'registerImportJob', jobId: imp.jobId });
      if (imp.status !== 'done') throw new Error(`register import of ${n} (file ${i}) did not finish`);
    }
    let run = await city.data('staffSeason', { action: 'screeningRun', benefitYear: 2024 });
    while (run.status === 'running') run = await city.data('staffSeason', { action: 'screeningRunJob', jobId: run.jobId });
    const t = performance.now() - t0;
    const { workers: peak, tree, cpuMs, gcMs, workersCpuMs } = mem.stop();
    if (run.status !== 'done') throw new Error(`screening run of ${n} did not finish: ${JSON.stringify(run).slice(0, 300)}`);
    return { rows: n, ms: t, peak, tree, cpuMs, gcMs, workersCpuMs, fileMs: [] };
  } finally {
    await cloud.close();
  }
}

const JOBS = {
  'list import': [listImport, 'assisted-people csv, upload → startImport → jobStatus until done'],
  screening: [screening, 'register extract upload → registerImport job → screeningRun job against 2022–2023 enrollments, until done'],
} as const;
type JobName = keyof typeof JOBS;

/**
 * A 64 MB young generation for the process that holds the local cloud's database: each request
 * leaves short-lived garbage (decoded documents, copies, replies) that a default-sized one
 * promoted into the multi-GB old generation, where only full collections free it (100,000-person
 * screening: the local cloud's CPU 33.5 → 27.3 s, its GC 2.9 → 2.2 s). Only here: the other
 * sections measure the local cloud as it normally runs.
 */
const CITY_NODE_OPTIONS = ['--max-semi-space-size=64'];

/** One job at one size in a fresh Node process (this one's options and CITY_NODE_OPTIONS); its Run from the last line of its output. */
function runIsolated(job: JobName, work: string, functionsDir: string, size: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const args = [...process.execArgv, ...CITY_NODE_OPTIONS, __filename, '--run', job, work, functionsDir, String(size)];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`${job} at ${size} (child process) exited ${code}: ${out.slice(-500)}`));
      else resolve(JSON.parse(last) as Run);
    });
  });
}

/** Every run of this process, for the note on sizes not run (run.ts extrapolates from the largest). */
export const cityRuns: Array<Run & { job: string }> = [];

export async function cityScaleBench(work: string, sizes: number[], jobs?: string[]): Promise<void> {
  const functionsDir = mkdtempSync(join(work, 'city-functions-'));
  for (const name of ['staffLists', 'staffSeason', 'jobs']) await buildFunction(name, functionsDir);
  // A misspelt name would otherwise run nothing and report no budget at all.
  const unknown = jobs?.filter((j) => !(j in JOBS)) ?? [];
  if (unknown.length) throw new Error(`--city-jobs: unknown ${unknown.join(', ')} (jobs: ${Object.keys(JOBS).join(', ')})`);
  for (const [job, [, what]] of Object.entries(JOBS) as Array<[JobName, (typeof JOBS)[JobName]]>) {
    if (jobs && !jobs.includes(job)) continue;
    const runs: Run[] = [];
    for (const size of sizes) {
      const r = await runIsolated(job, work, functionsDir, size);
      runs.push(r);
      cityRuns.push({ ...r, job });
      record({
        section: SECTION,
        name: `${job}, ${size.toLocaleString('en')} people`,
        value:
          `${ms(r.ms)}, ${Math.round(r.rows / (r.ms / 1000))} rows/s, peak memory of the function workers ${mb(r.peak)} (with the local cloud's in-memory database ${mb(r.tree)}); ` +
          `the local cloud's process: CPU ${ms(r.cpuMs)}, of it GC ${ms(r.gcMs)}; the function workers: CPU ${ms(r.workersCpuMs)}` +
          (r.fileMs.length > 1 ? `; files of ${FILE_ROWS.toLocaleString('en')} rows: first ${ms(r.fileMs[0])}, last ${ms(r.fileMs[r.fileMs.length - 1])}, slowest ${ms(Math.max(...r.fileMs))}` : ''),
        how: `${what}; in a fresh Node process; through the gateway and wx-server-sdk; RSS of the worker processes (and of the whole process tree) sampled every 0.5 s; CPU from process.cpuUsage (the workers' from /proc, sampled with the RSS), GC from perf_hooks 'gc' entries`,
      });
    }
    for (let i = 1; i < runs.length; i++) {
      const [a, b] = [runs[i - 1], runs[i]];
      const rowsX = b.rows / a.rows;
      const timeX = b.ms / a.ms;
      const memX = b.peak / a.peak;
      record({
        section: SECTION,
        name: `${job}: time growth ${a.rows.toLocaleString('en')} → ${b.rows.toLocaleString('en')}`,
        value: `${timeX.toFixed(2)}× time for ${rowsX.toFixed(0)}× rows`,
        how: 'ratio of the two wall times above',
        budget: `≤ ${(rowsX * 1.1).toFixed(0)}× (linear)`,
        ok: timeX <= rowsX * 1.1,
      });
      // Where the growth is: the functions' own CPU beside the local cloud's (its in-memory
      // database, the gateway and the SDK's calls run in this process). No budget of its own.
      record({
        section: SECTION,
        name: `${job}: CPU growth ${a.rows.toLocaleString('en')} → ${b.rows.toLocaleString('en')}`,
        value: `function workers ${(b.workersCpuMs / a.workersCpuMs).toFixed(2)}×, the local cloud's process ${(b.cpuMs / a.cpuMs).toFixed(2)}× (of it GC ${(b.gcMs / a.gcMs).toFixed(2)}×), for ${rowsX.toFixed(0)}× rows`,
        how: 'ratios of the CPU figures above',
      });
      record({
        section: SECTION,
        name: `${job}: memory growth ${a.rows.toLocaleString('en')} → ${b.rows.toLocaleString('en')}`,
        value: `${memX.toFixed(2)}× peak memory of the function workers`,
        how: 'ratio of the two peak RSS figures above (worker processes: what a cloud function instance needs; the local database grows with the city by design)',
        budget: '≤ 1.5×',
        ok: memX <= 1.5,
      });
    }
  }
}

// As a script (runIsolated): one job at one size, its Run as JSON on the last line.
if (require.main === module && process.argv[2] === '--run') {
  const [job, work, functionsDir, size] = process.argv.slice(3);
  JOBS[job as JobName][0](work, functionsDir, Number(size)).then(
    (r) => {
      process.stdout.write(`\n${JSON.stringify(r)}\n`);
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
