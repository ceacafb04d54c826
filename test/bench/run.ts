/**
 * `npm run bench`: the one place where speed and size are measured against their budgets (issue
 * 15; never asserted in unit tests). Writes BENCHMARKS.md at the repository root (machine, date,
 * commit, each figure with how it was taken) and prints one line per figure and budget; exits 1
 * when a budget is missed. Builds what it needs into a temp folder (weapp, H5, functions), so it
 * runs from a fresh clone after `npm install`.
 *
 *   npm run bench                                  everything, city-scale jobs at 1,000 and 10,000
 *   npm run bench -- --city 10000,100000           larger city-scale sizes (minutes)
 *   npm run bench:million                          city at 100,000 and 1,000,000 (about 1.5 h; a
 *                                                  20 GB heap for the local cloud's database)
 *   npm run bench -- --only city --city 1000000 --city-jobs screening --no-write
 *                                                  one city job alone (list import, screening)
 *   npm run bench -- --only size,first-screen --update
 *                                                  re-measure some sections; the others in
 *                                                  BENCHMARKS.md stay as their run wrote them
 *   npm run bench -- --only size,cost              some sections: micro, actions, cost, peak,
 *                                                  cold-start, size, first-screen, city
 *   npm run bench -- --weapp dist/weapp --h5 dist/h5   measure existing builds instead of building
 *   npm run bench -- --clients 50 --rounds 2 --runs 3 --no-write
 *   npm run bench -- --no-cloud                    the policy micro-benchmarks only
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { idCheckCharacter, parseIdNumber, quote } from '../../cloudfunctions/src/policy';
import { cityRuns, cityScaleBench } from './city-scale';
import { coldStartBench } from './cold-start';
import { costBench } from './cost';
import { firstScreenBench } from './first-screen';
import { peakBench } from './peak';
import { figures, record, typedArguments, updateMarkdown, writeMarkdown } from './report';
import { buildTaro, sizeBench } from './size';

const ROOT = join(__dirname, '..', '..');
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const SECTIONS = ['micro', 'actions', 'cost', 'peak', 'cold-start', 'size', 'first-screen', 'city'];
const only = (arg('only') ?? (process.argv.includes('--no-cloud') ? 'micro' : SECTIONS.join(','))).split(',');
const citySizes = (arg('city') ?? '1000,10000').split(',').map(Number);
const cityJobs = arg('city-jobs')?.split(',');
const runs = Number(arg('runs') ?? 3);
const COST_CITY_MAX = 100_000;

interface Result {
  name: string;
  ops: number;
  ms: number;
  budget: string;
  ok: boolean;
}

function timeIt(ops: number, work: (i: number) => void): number {
  for (let i = 0; i < Math.min(ops, 1000); i++) work(i); // warm-up
  const start = performance.now();
  for (let i = 0; i < ops; i++) work(i);
  return performance.now() - start;
}

function idFor(i: number): string {
  const districts = ['340102', '340103', '340104', '340111', '340121', '340122', '340123', '340124', '340181'];
  const year = 1940 + (i % 80);
  const body = `${districts[i % districts.length]}${year}0${1 + (i % 9)}1${i % 10}${String(i % 1000).padStart(3, '0')}`;
  return body + idCheckCharacter(body);
}

const results: Result[] = [];

function micro(): void {
// A district of ~1 million people re-quoted in a batch job: budget 50 µs per quote.
{
  const ops = 200_000;
  const ids = Array.from({ length: 1000 }, (_, i) => idFor(i));
  const assistance = [[], ['dibao'], ['fanpin', 'fanpin_monitored'], ['tekun']] as const;
  const ms = timeIt(ops, (i) => {
    quote({ benefitYear: 2024, asOf: '2023-10-08', person: { idNumber: ids[i % ids.length], hukou: 'local', assistance: [...assistance[i % 4]] } });
  });
  results.push({ name: 'policy quote (2024, mixed assistance)', ops, ms, budget: '≤ 50 µs/op', ok: (ms * 1000) / ops <= 50 });
}

// Parsing ID numbers in list imports: budget 5 µs per number.
{
  const ops = 500_000;
  const ids = Array.from({ length: 1000 }, (_, i) => idFor(i));
  const ms = timeIt(ops, (i) => {
    parseIdNumber(ids[i % ids.length]);
  });
  results.push({ name: 'ID number parse + check character', ops, ms, budget: '≤ 5 µs/op', ok: (ms * 1000) / ops <= 5 });
}
}

/** Round trips through the local cloud: gateway → worker → real SDK → store, and back. */
async function functionRoundTrips(): Promise<void> {
  const { mkdtempSync } = await import('fs');
  const { tmpdir } = await import('os');
  const { join } = await import('path');
  const { buildFunction } = await import('../../cloudfunctions/build');
  const { startLocalCloud } = await import('../../cloudfunctions/local-cloud/server');
  // A private functions folder: other builds of deploy/ (tests, npm start) must not swap it mid-run.
  const functionsDir = mkdtempSync(join(tmpdir(), 'bench-functions-'));
  await buildFunction('resident', functionsDir);
  const cloud = await startLocalCloud({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'bench-')), now: '2023-10-08T10:00:00+08:00', quiet: true, functionsDir });
  try {
    const login = await fetch(`${cloud.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ account: 'bench_user' }) });
    const { token } = (await login.json()) as { token: string };
    const call = async (action: string, extra: Record<string, unknown> = {}) => {
      const t = performance.now();
      const res = await fetch(`${cloud.url}/api/functions/resident`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ action, ...extra }),
      });
      const body = (await res.json()) as { result?: { ok: boolean; error?: { code: string } } };
      if (!res.ok || !body.result?.ok) throw new Error(`bench call ${action} failed: ${res.status} ${JSON.stringify(body)}`);
      return performance.now() - t;
    };
    // A consenting, verified resident with two family members, so `home` does its real work.
    await call('acceptConsent', { version: '2023-08' });
    const form = (name: string, id: string) => ({
      name, sex: Number(id[16]) % 2 ? 'male' : 'female', idNumber: id, hukou: 'local', address: '合肥市蜀山区长江西路100号', mobile: '13800001234', answers: { employeeInsured: false, enrolledElsewhere: false },
    });
    const sheet = await fetch(`${cloud.url}/api/identity/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: '张三', idNumber: idFor(1), pass: true }),
    });
    const { verifyResult } = (await sheet.json()) as { verifyResult: string };
    await call('verifySelf', { ...form('张三', idFor(1)), verifyResult });
    await call('addFamilyMember', { ...form('张四', idFor(2)), relation: 'spouse' });
    for (let i = 0; i < 10; i++) await call('policyInfo'); // warm the worker pool
    for (const concurrency of [1, 8]) {
      const latencies: number[] = [];
      const total = 200;
      const start = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < total) {
            next++;
            latencies.push(await call('home'));
          }
        }),
      );
      const ms = performance.now() - start;
      latencies.sort((a, b) => a - b);
      const p95 = latencies[Math.floor(latencies.length * 0.95)];
      results.push({
        name: `resident.home via gateway, ${concurrency} in flight (p50 ${latencies[latencies.length >> 1].toFixed(0)} / p95 ${p95.toFixed(0)} ms)`,
        ops: total,
        ms,
        // 2 cores and a pool of 4 workers per function: 8 in flight queue behind each other.
        budget: concurrency === 1 ? 'p95 ≤ 150 ms' : 'p95 ≤ 800 ms',
        ok: p95 <= (concurrency === 1 ? 150 : 800),
      });
    }
  } finally {
    await cloud.close();
  }
}

/**
 * What each user-facing action costs against WeChat's 3-second limit: the database and pay round
 * trips it makes (every admin-protocol request the real SDK sends through the database and pay
 * ports, counted at the local cloud), its time against the local cloud (warm median; the first
 * call, with a fresh worker process loading the SDK, is printed as "cold"), and a projection for
 * the real cloud: warm time + round trips × the latency a round trip adds there + a cold-start
 * allowance. Budget: the projection ≤ 3 s, the platform's default timeout and the most a
 * resident should wait for one step. (The local cold time is not used: on a shared 2-core
 * machine it measures the machine's load more than the function.)
 */
const CLOUD_ROUND_TRIP_MS = 50; // a cloud-database or WeChat Pay call from a function, generous
const COLD_START_ALLOWANCE_MS = 800; // instance start + wx-server-sdk load (~0.3 s measured locally)
const ACTION_BUDGET_MS = 3000;

interface ActionSample {
  ms: number;
  db: number;
  pay: number;
  other: string[];
}

async function actionRoundTrips(): Promise<void> {
  const { mkdtempSync } = await import('fs');
  const { tmpdir } = await import('os');
  const { join } = await import('path');
  const { buildFunction } = await import('../../cloudfunctions/build');
  const { startLocalCloud } = await import('../../cloudfunctions/local-cloud/server');
  const functionsDir = mkdtempSync(join(tmpdir(), 'bench-functions-'));
  for (const name of ['resident', 'payment', 'payCallback']) await buildFunction(name, functionsDir);
  let counting: { db: number; pay: number; other: string[] } | null = null;
  const cloud = await startLocalCloud({
    port: 0,
    dataDir: mkdtempSync(join(tmpdir(), 'bench-actions-')),
    now: '2023-10-08T10:00:00+08:00',
    quiet: true,
    functionsDir,
    onSdkRequest(action) {
      if (!counting) return;
      if (action.startsWith('database.')) counting.db += 1;
      else if (action === 'wx.wxPayApi') counting.pay += 1;
      else counting.other.push(action);
    },
  });
  const samples = new Map<string, ActionSample[]>();
  const measure = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    counting = { db: 0, pay: 0, other: [] };
    const t = performance.now();
    try {
      return await work();
    } finally {
      const ms = performance.now() - t;
      const c: { db: number; pay: number; other: string[] } = counting;
      counting = null;
      samples.set(name, [...(samples.get(name) ?? []), { ms, db: c.db, pay: c.pay, other: c.other }]);
    }
  };
  try {
    const post = async (path: string, body: unknown, token?: string) => {
      const res = await fetch(`${cloud.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0bench-photo')]);
    // Five residents, each through the whole journey for themself: five samples per action.
    for (let i = 0; i < 5; i++) {
      const { body: session } = await post('/api/auth/login', { account: `bench_actions_${i}` });
      const call = async (fn: string, event: Record<string, unknown>) => {
        const r = await post(`/api/functions/${fn}`, event, session.token);
        if (r.status !== 200 || !r.body.result?.ok) throw new Error(`bench ${fn}.${event.action}: ${r.status} ${JSON.stringify(r.body.result?.error ?? r.body)}`);
        return r.body.result.data;
      };
      await call('resident', { action: 'acceptConsent', version: '2023-08' });
      const id = idFor(100 + i * 7);
      const member = await measure('resident.addFamilyMember', () =>
        call('resident', {
          action: 'addFamilyMember', name: `张${'一二三四五'[i]}`, sex: Number(id[16]) % 2 ? 'male' : 'female', idNumber: id,
          relation: 'self', hukou: 'local', address: '合肥市蜀山区长江西路100号', mobile: '13800001234', answers: { employeeInsured: false, enrolledElsewhere: false },
        }),
      );
      const { cloudPath } = await call('resident', { action: 'requestUpload', personId: member.personId, kind: 'id_card_front', ext: 'jpg' });
      const form = new FormData();
      form.append('cloudPath', cloudPath);
      form.append('file', new Blob([jpeg]), 'front.jpg');
      const up = (await (await fetch(`${cloud.url}/api/storage/upload`, { method: 'POST', headers: { authorization: `Bearer ${session.token}` }, body: form })).json()) as any;
      await call('resident', { action: 'attachDocument', personId: member.personId, kind: 'id_card_front', fileID: up.fileID });
      await measure('resident.quote', () => call('resident', { action: 'quote', personId: member.personId, benefitYear: 2024 }));
      const order = await measure('payment.createOrder', () => call('payment', { action: 'createOrder', items: [{ personId: member.personId, benefitYear: 2024 }] }));
      await measure('payment.queryOrder (pending)', () => call('payment', { action: 'queryOrder', outTradeNo: order.outTradeNo }));
      // The pay sheet's confirmation runs payCallback the way WeChat Pay does; the counts are its own.
      const paid = await measure('payCallback (WeChat Pay notification)', () => post('/api/pay/confirm', { outTradeNo: order.outTradeNo }, session.token));
      if (paid.status !== 200 || !paid.body.delivery?.ok) throw new Error(`bench pay confirm: ${paid.status} ${JSON.stringify(paid.body)}`);
      await measure('payment.queryOrder (paid)', () => call('payment', { action: 'queryOrder', outTradeNo: order.outTradeNo }));
      await measure('resident.listRecords', () => call('resident', { action: 'listRecords' }));
      await measure('resident.home', () => call('resident', { action: 'home' }));
    }
  } finally {
    await cloud.close();
  }
  for (const [name, list] of samples) {
    const warm = list.slice(1).map((x) => x.ms).sort((a, b) => a - b);
    const median = warm.length ? warm[warm.length >> 1] : list[0].ms;
    const cold = list[0].ms;
    const db = Math.max(...list.map((x) => x.db));
    const pay = Math.max(...list.map((x) => x.pay));
    const other = [...new Set(list.flatMap((x) => x.other))];
    const projected = median + (db + pay) * CLOUD_ROUND_TRIP_MS + COLD_START_ALLOWANCE_MS;
    results.push({
      name: `${name}: ${db} db + ${pay} pay round trips${other.length ? ` (+ ${other.join(', ')})` : ''}, local cold ${cold.toFixed(0)} / warm ${median.toFixed(0)} ms, cloud ≈ ${projected.toFixed(0)} ms`,
      ops: list.length,
      ms: list.reduce((a, x) => a + x.ms, 0),
      budget: `warm + trips × ${CLOUD_ROUND_TRIP_MS} + ${COLD_START_ALLOWANCE_MS} ms ≤ ${ACTION_BUDGET_MS} ms`,
      ok: projected <= ACTION_BUDGET_MS,
    });
  }
}

async function report(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bench-'));
  const started = Date.now();
  const timings: string[] = [];
  const section = async (name: string, body: () => Promise<void> | void) => {
    if (!only.includes(name)) return;
    const t = Date.now();
    console.log(`— ${name}`);
    try {
      await body();
    } catch (err) {
      // One section failing must not hide the others' figures: recorded as a missed budget.
      record({ section: name, name: 'section failed', value: String((err as Error)?.message ?? err).slice(0, 400), how: 'exception while measuring', budget: 'completes', ok: false });
    }
    timings.push(`${name}: ${((Date.now() - t) / 1000).toFixed(0)} s`);
  };
  await section('micro', () => micro());
  await section('actions', async () => {
    await functionRoundTrips();
    await actionRoundTrips();
  });
  for (const r of results) {
    record({
      section: 'Actions and policy engine',
      name: r.name,
      value: `${r.ops} ops in ${r.ms.toFixed(0)} ms (${((r.ms * 1000) / r.ops).toFixed(2)} µs/op)`,
      how: 'timed in this process (policy functions) or through the local cloud gateway (actions; round trips counted at the database and pay ports)',
      budget: r.budget,
      ok: r.ok,
    });
  }
  // The city in the cost worlds is capped at 100,000: its counts show whether an action's reads
  // grow with the city, and a 1,000,000 city there would hold 7 million documents in this process
  // only to show the same counts again (the city-scale section measures that size).
  await section('cost', () => costBench(work, Math.min(Math.max(...citySizes), COST_CITY_MAX)));
  await section('peak', () => peakBench(work, Number(arg('clients') ?? 50), Number(arg('rounds') ?? 2)));
  await section('cold-start', () => coldStartBench(work, Math.max(runs, 9)));
  await section('size', () => sizeBench(work, arg('weapp')));
  await section('first-screen', () => {
    let h5 = arg('h5');
    if (!h5) {
      h5 = join(work, 'h5');
      buildTaro('h5', ROOT, h5);
    }
    // At least 7 visits a figure: on this shared 2-core machine single cold visits of the same
    // build under the phone profile spread over several hundred ms.
    return firstScreenBench(work, h5, Math.max(runs, 7));
  });
  await section('city', () => cityScaleBench(work, citySizes, cityJobs));

  // `npm run bench:million` runs this file with a larger heap (the local cloud's database holds
  // the whole city in this process): the command written is the one that was typed.
  const script = process.env.npm_lifecycle_event ?? 'bench';
  const extra = typedArguments(process.argv.slice(2), process.env.npm_lifecycle_script);
  const command = `npm run ${script}${extra.length ? ` -- ${extra.join(' ')}` : ''}`;
  const notes = [
    `Taken on a 2-core machine that other work may share: wall times carry its load (the load average above); counts (bytes, database round trips) do not. Total ${((Date.now() - started) / 60000).toFixed(1)} min; per section: ${timings.join(', ')}.`,
  ];
  if (only.includes('city') && Math.max(...citySizes) < 1_000_000 && cityRuns.length) {
    // What the sizes not run would take, linear from the largest run (the growth measured above).
    const largest = Math.max(...cityRuns.map((r) => r.rows));
    const at = cityRuns.filter((r) => r.rows === largest);
    const hours = (r: (typeof at)[number]) => ((r.ms * (1_000_000 / r.rows)) / 3_600_000).toFixed(1);
    notes.push(
      `City-scale jobs ran at ${citySizes.map((n) => n.toLocaleString('en')).join(' and ')} people; 1,000,000 was not run: every row goes through the local cloud's HTTP gateway and wx-server-sdk on this 2-core machine, and at the rates measured at ${largest.toLocaleString('en')} (${at.map((r) => `${r.job} ${Math.round(r.rows / (r.ms / 1000))} rows/s`).join(', ')}) it would take ${at.map((r) => `~${hours(r)} h for the ${r.job}`).join(' and ')}, with the local cloud's in-memory database at ~${(Math.max(...at.map((r) => (r.tree - r.peak) * (1_000_000 / largest) + r.peak)) / 1024 ** 3).toFixed(1)} GB (its share of the memory measured, grown linearly). \`npm run bench:million\` runs it (the whole bench with the city at 100,000 and 1,000,000, and a heap large enough for that database) where that time is available.`,
    );
  }
  if (process.argv.includes('--update')) updateMarkdown(join(ROOT, 'BENCHMARKS.md'), command, notes);
  else if (!process.argv.includes('--no-write')) writeMarkdown(join(ROOT, 'BENCHMARKS.md'), command, notes);
  rmSync(work, { recursive: true, force: true });
  const budgets = figures.filter((f) => f.budget);
  const missed = budgets.filter((f) => f.ok === false);
  console.log(`\n${budgets.length} budgets: ${budgets.length - missed.length} met or not shown, ${missed.length} missed`);
  for (const f of budgets) console.log(`${f.ok === true ? 'met   ' : f.ok === false ? 'MISSED' : 'n/a   '} ${f.section}: ${f.name} — ${f.value.slice(0, 160)} (budget ${f.budget})`);
  process.exit(missed.length ? 1 : 0);
}

report().catch((err) => {
  console.error(err);
  process.exit(1);
});
