/**
 * The exchange with the insurance system (医保信息平台) against the local cloud and its
 * simulator: the day's export registers one resident and the platform refuses another (R01);
 * re-runs export nothing twice; staff resubmit the corrected refusal and the next working day's
 * batch registers it; no export on a 国庆 holiday; an answer missing after the waiting days is
 * exported again. Its own file: the server-side SDK is initialised once per process.
 */
import { buildFunction } from '../../cloudfunctions/build';
import { InsuranceSimulator } from '../../cloudfunctions/local-cloud/insurance/insurance';
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { readExportFile } from '../../cloudfunctions/src/domain/insurance/file-layout';
import { CONSENT, makeId, payFor, post, Resident, signIn, startCloud, verify } from './helpers';

process.env.TENCENTCLOUD = 'true';
process.env.SILENCE = 'true';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const sdk: any = require('wx-server-sdk');

jest.setTimeout(240_000);
const PASSWORD = 'Local@2023';
const ANJUYUAN = 'org-c-340104-anjuyuan';
const TIMER = { Type: 'Timer', TriggerName: 'workdays', Time: '2023-10-09T09:00:00Z', Message: '' };
const HOUR = 3_600_000;

let cloud: LocalCloud;
/** Every export file the simulated platform received (parsed), to check what the file carries. */
const sent: Array<ReturnType<typeof readExportFile>> = [];
const receive = (InsuranceSimulator.prototype as any).receive;
(InsuranceSimulator.prototype as any).receive = function (this: unknown, batchNo: string, body: Buffer) {
  const r = receive.call(this, batchNo, body);
  sent.push(readExportFile(body));
  return r;
};
let city: Resident;
let worker: Resident;

async function runTimer() {
  const r = await sdk.callFunction({ name: 'insuranceSync', data: TIMER });
  const result = r.result as { ok: boolean; data?: any; error?: { code: string } };
  if (!result.ok) throw new Error(`insuranceSync: ${JSON.stringify(result.error)}`);
  return result.data;
}

async function payingResident(account: string, name: string, idNumber: string) {
  const r = await signIn(cloud.url, account);
  await r.data('resident', CONSENT);
  const m = await verify(r, { name, idNumber, communityId: ANJUYUAN });
  await payFor(cloud.url, r, [{ personId: m.personId, benefitYear: 2024 }]);
  return { r, personId: m.personId as string, enrollmentId: `${m.personId}_2024` };
}

const enrollment = (id: string) => cloud.store.getById('enrollments', id) as any;
const auditOf = (id: string) => (cloud.store.all('audit_log') as any[]).filter((a) => a.entityId === id).map((a) => `${a.from}→${a.to}`);
const setClock = (iso: string) => cloud.clock.set(new Date(iso));

beforeAll(async () => {
  for (const name of ['insuranceSync', 'staffInsurance', 'jobs']) await buildFunction(name);
  cloud = await startCloud('2023-10-09T10:00:00+08:00');
  sdk.init({ env: 'local', serviceUrl: `${cloud.url}/admin`, secretId: 'local', secretKey: (cloud as any).localToken ?? 'local', timeout: 90_000 });
  city = await signIn(cloud.url, 'city_center', PASSWORD);
  worker = await signIn(cloud.url, 'sq_worker', PASSWORD);
});
afterAll(async () => cloud?.close());

describe('the daily export and its answer', () => {
  let wang: Awaited<ReturnType<typeof payingResident>>;
  let zhao: Awaited<ReturnType<typeof payingResident>>;
  const zhaoId = makeId('340104', '1979-03-03', 313);
  const wangId = makeId('340104', '1970-01-01', 311);

  test('before the export hour nothing is exported; the paid home says 已缴费 with the estimate', async () => {
    wang = await payingResident('ins_wang', '王建国', wangId);
    zhao = await payingResident('ins_zhao', '赵丽', zhaoId);
    const home = await wang.r.data('resident', { action: 'home' });
    expect(home.persons[0].status).toBe('paid_pending_sync');
    expect(home.persons[0].expectedBy).toBe('2023-10-11');
    const run = await runTimer();
    expect(run).toMatchObject({ today: '2023-10-09', workingDay: true, exportBatch: null });
  });

  test('the refusal route is a staff or local-token development route', async () => {
    const anon = await fetch(`${cloud.url}/api/insurance/refuse`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idNumber: zhaoId }) });
    expect(anon.status).toBe(401);
    const resident = await post(cloud.url, '/api/insurance/refuse', { idNumber: zhaoId }, wang.r.token);
    expect(resident.status).toBe(403);
    const ok = await post(cloud.url, '/api/insurance/refuse', { idNumber: zhaoId, code: 'R01' }, city.token);
    expect(ok.status).toBe(200);
    expect((await post(cloud.url, '/api/insurance/config', { delayMs: HOUR }, city.token)).status).toBe(200);
  });

  test('at 17:30 the day\'s batch exports both, once', async () => {
    setClock('2023-10-09T17:30:00+08:00');
    const run = await runTimer();
    expect(run).toMatchObject({ exportBatch: 'YB2023100901', exportStatus: 'done' });
    expect(enrollment(wang.enrollmentId).sync).toMatchObject({ state: 'exported', batchNo: 'YB2023100901', attempts: 1, answerDueBy: '2023-10-12' });
    expect(cloud.store.all('insurance_items')).toHaveLength(2);
    // The stored rows keep the ID number and the birth date only as ciphers: a plain birth date
    // beside the masked ID number (first 3 + last 4) would rebuild the number (issue 14's scan).
    for (const item of cloud.store.all('insurance_items') as any[]) {
      expect(item.row.birthDate).toBeUndefined();
      expect(item.row.birthDateCipher).toMatch(/^v1\./);
      expect(JSON.stringify(item)).not.toMatch(/19(70|79)-?0(1|3)-?0(1|3)/);
    }
    // ...and the file built from them still carries it in full (出生日期 from the ID number's digits).
    expect(sent.map((f) => f.map((r) => [r.证件号码, r.出生日期]))).toEqual([
      expect.arrayContaining([
        [wangId, '1970-01-01'],
        [zhaoId, '1979-03-03'],
      ]),
    ]);
    // The simulator kept the rows, not the numbers.
    const sim = cloud.store.getById('$insurance_batches', 'YB2023100901') as any;
    expect(sim.rows).toHaveLength(2);
    expect(JSON.stringify(sim)).not.toContain(zhaoId);
    // Again: the batch exists and was not full: nothing new.
    expect(await runTimer()).toMatchObject({ exportBatch: null });
    // Staff start another one: nothing is due, the batch is empty.
    const job = await city.data('staffInsurance', { action: 'startExport' });
    expect(job).toMatchObject({ status: 'done', report: { batchNo: 'YB2023100902', rows: 0 } });
    expect(cloud.store.all('insurance_items')).toHaveLength(2);
    expect(auditOf(wang.enrollmentId)).toContain('paid_pending_sync→sync_exported');
  });

  test('an hour later the answer registers one and refuses the other; the homes say so', async () => {
    setClock('2023-10-09T18:40:00+08:00');
    const run = await runTimer();
    expect(run.answerJobs).toBe(1);
    expect(enrollment(wang.enrollmentId)).toMatchObject({ status: 'enrolled', registeredOn: '2023-10-09' });
    expect(enrollment(zhao.enrollmentId)).toMatchObject({ status: 'paid_pending_sync', sync: { state: 'refused', refusal: { code: 'R01' } } });
    expect(auditOf(wang.enrollmentId)).toContain('paid_pending_sync→enrolled');
    expect(auditOf(zhao.enrollmentId)).toContain('sync_exported→sync_refused');
    const home = await wang.r.data('resident', { action: 'home' });
    expect(home.persons[0]).toMatchObject({ status: 'enrolled', statusText: '已参保', registeredOn: '2023-10-09' });
    const zhaoHome = (await zhao.r.data('resident', { action: 'home' })).persons[0];
    expect(zhaoHome.status).toBe('paid_pending_sync');
    expect(zhaoHome.syncRefusal).toMatchObject({ code: 'R01', reason: expect.stringContaining('姓名和身份证号码') });
    expect(zhaoHome.syncRefusal.whatToDo).toContain('无需再次缴费');
    // The records page's history says the same.
    const wangHistory = await wang.r.data('resident', { action: 'history', personId: wang.personId });
    expect(wangHistory.entries[0]).toMatchObject({ benefitYear: 2024, status: 'enrolled', registeredOn: '2023-10-09', syncRefused: null });
    const zhaoHistory = await zhao.r.data('resident', { action: 'history', personId: zhao.personId });
    expect(zhaoHistory.entries[0].syncRefused).toContain('姓名和身份证号码');
    // The answer applied again changes nothing (same audit, same states).
    const before = JSON.stringify([enrollment(wang.enrollmentId), enrollment(zhao.enrollmentId), (cloud.store.all('audit_log') as any[]).length]);
    await runTimer();
    await city.data('staffInsurance', { action: 'fetchAnswers' });
    expect(JSON.stringify([enrollment(wang.enrollmentId), enrollment(zhao.enrollmentId), (cloud.store.all('audit_log') as any[]).length])).toBe(before);
  });

  test('the community sees the refusal in its scope and resubmits it; the next working day registers it', async () => {
    const list = await worker.data('staffInsurance', { action: 'listRefused' });
    expect(list.items.map((i: any) => i.name)).toEqual(['赵丽']);
    expect(list.items[0]).toMatchObject({ code: 'R01', community: '安居苑社区', idMasked: expect.stringMatching(/^340\*+\d{3}[0-9X]$/) });
    const refusedAgain = await worker.call('staffInsurance', { action: 'resubmit', enrollmentId: wang.enrollmentId, note: '已核对身份证' });
    expect(refusedAgain).toMatchObject({ ok: false, error: { code: 'NOT_REFUSED' } });
    await worker.data('staffInsurance', { action: 'resubmit', enrollmentId: zhao.enrollmentId, note: '已核对身份证' });
    expect(enrollment(zhao.enrollmentId).sync.state).toBe('due');
    expect(auditOf(zhao.enrollmentId)).toContain('sync_refused→sync_due');
    setClock('2023-10-10T17:05:00+08:00');
    expect(await runTimer()).toMatchObject({ exportBatch: 'YB2023101001', exportStatus: 'done' });
    expect(enrollment(zhao.enrollmentId).sync).toMatchObject({ state: 'exported', attempts: 2 });
    setClock('2023-10-10T18:30:00+08:00');
    await runTimer();
    expect(enrollment(zhao.enrollmentId)).toMatchObject({ status: 'enrolled', registeredOn: '2023-10-10' });
    expect((await worker.data('staffInsurance', { action: 'listRefused' })).items).toEqual([]);
  });
});

describe('a cash payment in flight', () => {
  test('once exported, the district can no longer reverse the cash (ENROLLMENT_SYNCED)', async () => {
    const district = await signIn(cloud.url, 'sq_district', PASSWORD);
    const r = await signIn(cloud.url, 'ins_sun');
    await r.data('resident', CONSENT);
    const idNumber = makeId('340104', '1950-06-06', 317);
    const m = await verify(r, { name: '孙大爷', idNumber, communityId: ANJUYUAN });
    const found = await worker.data('staffCash', { action: 'findPerson', name: '孙大爷', idNumber, benefitYear: 2024 });
    await worker.data('staffCash', { action: 'recordCash', personId: m.personId, benefitYear: 2024, amountFen: found.person.quote.individualContributionFen, receiptNo: 'INS2023101001' });
    setClock('2023-10-10T18:35:00+08:00');
    const job = await city.data('staffInsurance', { action: 'startExport' });
    expect(job.report).toMatchObject({ batchNo: 'YB2023101002', rows: 1 });
    const reversal = await district.call('staffCash', { action: 'reverseCash', receiptNo: 'INS2023101001', reason: '误收现金需要冲正' });
    expect(reversal).toMatchObject({ ok: false, error: { code: 'ENROLLMENT_SYNCED' } });
    expect(enrollment(`${m.personId}_2024`).status).toBe('paid_pending_sync');
  });
});

describe('working days and missing answers', () => {
  test('no export on a 国庆 holiday; an answer missing three working days later is exported again', async () => {
    const li = await payingResident('ins_li', '李强', makeId('340104', '1981-05-05', 315));
    expect((await post(cloud.url, '/api/insurance/config', { delayMs: 6 * 24 * HOUR }, city.token)).status).toBe(200);
    setClock('2023-10-11T17:10:00+08:00');
    expect(await runTimer()).toMatchObject({ exportBatch: 'YB2023101101' });
    expect(enrollment(li.enrollmentId).sync).toMatchObject({ state: 'exported', answerDueBy: '2023-10-16' });
    // Waiting: 10-12, 10-13, 10-16 are the three working days; nothing is exported on them.
    setClock('2023-10-16T17:10:00+08:00');
    await runTimer();
    expect(enrollment(li.enrollmentId).sync.batchNo).toBe('YB2023101101');
    setClock('2023-10-17T17:10:00+08:00');
    expect(await runTimer()).toMatchObject({ exportBatch: 'YB2023101701' });
    expect(enrollment(li.enrollmentId).sync).toMatchObject({ batchNo: 'YB2023101701', attempts: 2 });
    // 2024-10-01 (国庆): the timer does not export.
    setClock('2024-10-01T17:10:00+08:00');
    expect(await runTimer()).toMatchObject({ workingDay: false, exportBatch: null });
    // Saturday 2024-10-12 is a make-up working day (调休).
    setClock('2024-10-12T17:10:00+08:00');
    expect(await runTimer()).toMatchObject({ workingDay: true });
  });

  test('staff progress: the city reads the batches; other roles are refused', async () => {
    const o = await city.data('staffInsurance', { action: 'overview' });
    expect(o.batches.map((b: any) => b.batchNo)).toContain('YB2023100901');
    expect(o.batches.find((b: any) => b.batchNo === 'YB2023100901')).toMatchObject({ state: 'done', rows: 2, registered: 1, refused: 1 });
    expect(await worker.call('staffInsurance', { action: 'startExport' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
