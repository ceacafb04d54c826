/**
 * Durability: the CLI server as a child process; acknowledged writes survive
 * kill -9; a torn journal line is ignored at restart; SIGTERM stops cleanly.
 * Also the unique-index race: 20 parallel adds with one key, exactly one wins.
 */
import { ChildProcess, spawn } from 'child_process';
import { appendFileSync, existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { FIXTURES, REPO, tempDir, testIndexesFile } from './helpers';

process.env.TENCENTCLOUD = 'true'; // see contract.test.ts
process.env.SILENCE = 'true'; // no slow-request warnings from the SDK
// eslint-disable-next-line @typescript-eslint/no-var-requires
const cloud: any = require('wx-server-sdk');

jest.setTimeout(120_000);

const MAIN = join(REPO, 'cloudfunctions', 'local-cloud', 'main.ts');

interface Running {
  proc: ChildProcess;
  url: string;
}

function startChild(dataDir: string, indexesFile: string): Promise<Running> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', '--data', dataDir, '--functions', FIXTURES, '--indexes', indexesFile], {
      cwd: REPO,
      env: { ...process.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    proc.stdout!.on('data', (c) => {
      out += c;
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1] });
      }
    });
    proc.stderr!.on('data', (c) => {
      out += c;
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}): ${out}`));
    });
  });
}

function exited(proc: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve({ code: proc.exitCode, signal: proc.signalCode });
    else proc.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

// cloud.init() takes effect once per process: a fresh SDK instance per server.
// It signs with the data folder's local token (keys.json), as the functions do.
function dbAt(url: string, dataDir: string): any {
  const { localToken } = JSON.parse(readFileSync(join(dataDir, 'keys.json'), 'utf8'));
  const sdk = cloud.createNewInstance({ env: 'local', serviceUrl: `${url}/admin`, secretId: 'local', secretKey: localToken });
  return sdk.database({ throwOnNotFound: false });
}

async function countAll(db: any, coll: string): Promise<number> {
  return (await db.collection(coll).count()).total;
}

let running: Running | undefined;
afterEach(async () => {
  if (running && running.proc.exitCode === null && running.proc.signalCode === null) {
    running.proc.kill('SIGKILL');
    await exited(running.proc);
  }
  running = undefined;
});

test('every acknowledged write survives kill -9; a torn last line is ignored', async () => {
  const dir = tempDir('durable');
  const indexes = testIndexesFile(dir);
  const N = 60;

  running = await startChild(dir, indexes);
  let db = dbAt(running.url, dir);
  const ids: string[] = [];
  // Parallel and sequential writes, each acknowledged before the kill.
  const parallel = await Promise.all(Array.from({ length: N / 2 }, (_x, i) => db.collection('durable').add({ data: { i, kind: 'parallel' } })));
  ids.push(...parallel.map((r: any) => r._id));
  for (let i = 0; i < N / 2; i++) ids.push((await db.collection('durable').add({ data: { i, kind: 'sequential' } }))._id);
  await db.collection('durable').doc(ids[0]).update({ data: { updated: true } });
  running.proc.kill('SIGKILL');
  await exited(running.proc);

  running = await startChild(dir, indexes);
  db = dbAt(running.url, dir);
  expect(await countAll(db, 'durable')).toBe(N);
  for (const id of ids.slice(0, 5)) expect((await db.collection('durable').doc(id).get()).data._id).toBe(id);
  expect((await db.collection('durable').doc(ids[0]).get()).data.updated).toBe(true);
  running.proc.kill('SIGKILL');
  await exited(running.proc);

  // A crash in the middle of a write leaves a torn last line.
  const journal = join(dir, 'db', 'journal.log');
  expect(existsSync(journal)).toBe(true);
  appendFileSync(journal, '0123456789abcdef {"op":"put","c":"durable","d":{"_id":"torn","i":{"$numberInt":"');

  running = await startChild(dir, indexes);
  db = dbAt(running.url, dir);
  expect(await countAll(db, 'durable')).toBe(N);
  expect((await db.collection('durable').doc('torn').get()).data ?? null).toBeNull();
  await db.collection('durable').add({ data: { after: 'torn line' } });
  running.proc.kill('SIGKILL');
  await exited(running.proc);

  running = await startChild(dir, indexes);
  db = dbAt(running.url, dir);
  expect(await countAll(db, 'durable')).toBe(N + 1);

  // SIGTERM stops it cleanly.
  running.proc.kill('SIGTERM');
  expect(await exited(running.proc)).toEqual({ code: 0, signal: null });
});

test('20 parallel adds with the same unique key: exactly one succeeds', async () => {
  const dir = tempDir('race');
  running = await startChild(dir, testIndexesFile(dir));
  const db = dbAt(running.url, dir);
  const results = await Promise.allSettled(Array.from({ length: 20 }, (_x, i) => db.collection('race').add({ data: { key: 'same', i } })));
  const ok = results.filter((r) => r.status === 'fulfilled');
  const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
  expect(ok).toHaveLength(1);
  expect(failed).toHaveLength(19);
  for (const f of failed) expect(String(f.reason.errMsg)).toMatch(/E11000 duplicate key error/);
  expect(await countAll(db, 'race')).toBe(1);
});
