/**
 * A kill -9 in the middle of the export resumes with the same result: the local cloud (a child
 * process) is killed while the city's export job is collecting 600 paid enrollments; restarted
 * on the same data folder after the job's lease has expired, the `jobs` timer finishes it. The
 * platform receives exactly the bytes a run without the kill sends (same batch number, same
 * sha256), every enrollment is in the batch once, and its export is audited once.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildFunction } from '../../cloudfunctions/build';
import { startLocalCloud } from '../../cloudfunctions/local-cloud/server';
import { buildOnce, makeId, signIn } from './helpers';

process.env.TENCENTCLOUD = 'true';
process.env.SILENCE = 'true';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const sdk: any = require('wx-server-sdk');

jest.setTimeout(300_000);
const REPO = join(__dirname, '..', '..');
const MAIN = join(REPO, 'cloudfunctions', 'local-cloud', 'main.ts');
const N = 600;
const PASSWORD = 'Local@2023';
const START = '2023-10-09T17:30:00+08:00';
const TIMER = { Type: 'Timer', TriggerName: 'minute', Time: '2023-10-09T09:40:00Z', Message: '' };

/** N persons of 安居苑社区 with paid 2024 enrollments (as markPaid leaves them), written straight into the store. */
async function seed(dataDir: string): Promise<void> {
  const cloud = await startLocalCloud({ port: 0, dataDir, now: START, quiet: true });
  const keys = JSON.parse(readFileSync(join(dataDir, 'keys.json'), 'utf8'));
  process.env.ID_ENC_KEY = keys.idEncKey;
  process.env.ID_HMAC_KEY = keys.idHmacKey;
  const { protectIdNumber, encryptIdNumber } = await import('../../cloudfunctions/src/domain/identity/id-protection');
  const writes: any[] = [];
  for (let i = 0; i < N; i++) {
    const id = makeId('340104', `1960-0${1 + (i % 9)}-1${i % 10}`, 100 + i);
    const p = protectIdNumber(id);
    const personId = `kp${String(i).padStart(5, '0')}`;
    writes.push({ c: 'persons', id: personId, doc: { _id: personId, name: `居民${i}`, sex: i % 2 ? 'male' : 'female', idHash: p.idHash, idKind: 'id', idMasked: p.idMasked, idCipher: encryptIdNumber(id), birthDateCipher: encryptIdNumber(id.slice(6, 10) + '-' + id.slice(10, 12) + '-' + id.slice(12, 14)), hukou: 'local', district: '蜀山区', community: { id: 'org-c-340104-anjuyuan', name: '安居苑社区', township: '三里庵街道', district: '蜀山区' }, answers: { employeeInsured: false, enrolledElsewhere: false }, newborn: false, createdAt: '2023-10-01T00:00:00.000Z', createdBy: 'seed' } });
    const eid = `${personId}_2024`;
    writes.push({ c: 'enrollments', id: eid, doc: { _id: eid, personId, benefitYear: 2024, status: 'paid_pending_sync', outTradeNo: `KT${i}`, amountFen: 38000, paidAt: '2023-10-08T02:00:00.000Z', expectedSyncBy: '2023-10-10', createdAt: '2023-10-08T02:00:00.000Z', updatedAt: '2023-10-08T02:00:00.000Z' } });
  }
  cloud.store.write(writes);
  await cloud.close();
}

function startChild(dataDir: string, now: string): Promise<{ proc: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', '--data', dataDir, '--now', now], { cwd: REPO, env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no start: ${out}`)), 60_000);
    proc.stdout!.on('data', (c) => {
      out += c;
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1] });
      }
    });
    proc.stderr!.on('data', (c) => (out += c));
  });
}

const localToken = (dataDir: string) => JSON.parse(readFileSync(join(dataDir, 'keys.json'), 'utf8')).localToken ?? 'local';

async function simulatorBatches(url: string, dataDir: string) {
  const r = await fetch(`${url}/api/insurance/batches`, { headers: { authorization: `Bearer ${localToken(dataDir)}` } });
  return ((await r.json()) as any).items as Array<{ batchNo: string; rows: number; sha256: string }>;
}

async function exportJob(db: any): Promise<any> {
  return ((await db.collection('jobs').where({ kind: 'insurance_export' }).get()).data as any[])[0];
}

test('killed mid-collection, restarted, resumed by the jobs timer: the same file and every enrollment once', async () => {
  await buildOnce();
  for (const name of ['staffInsurance', 'jobs', 'insuranceSync']) await buildFunction(name);
  const dataDir = mkdtempSync(join(tmpdir(), 'insurance-kill-'));
  await seed(dataDir);
  const refDir = mkdtempSync(join(tmpdir(), 'insurance-ref-'));
  execFileSync('cp', ['-a', `${dataDir}/.`, refDir]);

  // The reference: the same export, never interrupted.
  const ref = await startLocalCloud({ port: 0, dataDir: refDir, now: START, quiet: true });
  const refCity = await signIn(ref.url, 'city_center', PASSWORD);
  let job = await refCity.data('staffInsurance', { action: 'startExport' });
  while (job.status === 'running') job = await refCity.data('staffInsurance', { action: 'job', jobId: job.jobId });
  expect(job).toMatchObject({ status: 'done', report: { batchNo: 'YB2023100901', rows: N } });
  const [expected] = await simulatorBatches(ref.url, refDir);
  await ref.close();

  // The run that is killed.
  let child = await startChild(dataDir, START);
  const killedSdk = sdk.createNewInstance({ env: 'local', serviceUrl: `${child.url}/admin`, secretId: 'local', secretKey: localToken(dataDir), timeout: 60_000 });
  const db = killedSdk.database({ throwOnNotFound: false });
  const city = await signIn(child.url, 'city_center', PASSWORD);
  const started = city.call('staffInsurance', { action: 'startExport' }).catch(() => null);
  let seen: any;
  // Watched by time, not by a count of polls: on a loaded CI machine 400 polls passed before 200 rows.
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    seen = await exportJob(db).catch(() => undefined);
    if (seen && seen.progress.done >= 200) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  child.proc.kill('SIGKILL');
  await started;
  expect(seen.status).toBe('running');
  expect(seen.progress.done).toBeGreaterThanOrEqual(200);
  expect(seen.progress.done).toBeLessThan(N);

  // Ten minutes later (the lease of 90 s has expired): the jobs timer resumes it.
  child = await startChild(dataDir, '2023-10-09T17:40:00+08:00');
  const resumed = sdk.createNewInstance({ env: 'local', serviceUrl: `${child.url}/admin`, secretId: 'local', secretKey: localToken(dataDir), timeout: 90_000 });
  let status = 'running';
  for (let i = 0; i < 20 && status === 'running'; i++) {
    const r = await resumed.callFunction({ name: 'jobs', data: TIMER });
    expect(r.result.ok).toBe(true);
    status = (await exportJob(resumed.database({ throwOnNotFound: false }))).status;
  }
  expect(status).toBe('done');
  const [got] = await simulatorBatches(child.url, dataDir);
  child.proc.kill('SIGTERM');
  await new Promise((r) => child.proc.once('exit', r));

  const same = (b: { batchNo: string; rows: number; sha256: string }) => ({ batchNo: b.batchNo, rows: b.rows, sha256: b.sha256 });
  expect(same(got)).toEqual(same(expected));
  const after = await startLocalCloud({ port: 0, dataDir, now: '2023-10-09T17:45:00+08:00', quiet: true });
  try {
    const items = after.store.all('insurance_items') as any[];
    expect(items).toHaveLength(N);
    expect(new Set(items.map((i) => i.enrollmentId)).size).toBe(N);
    const enrollments = after.store.all('enrollments') as any[];
    expect(enrollments.every((e) => e.sync?.state === 'exported' && e.sync.batchNo === 'YB2023100901' && e.sync.attempts === 1)).toBe(true);
    const exportedAudits = (after.store.all('audit_log') as any[]).filter((a) => a.to === 'sync_exported');
    expect(exportedAudits).toHaveLength(N);
  } finally {
    await after.close();
  }
});
