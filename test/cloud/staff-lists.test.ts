/**
 * Assisted-people lists (issue 12) against the local cloud: a district's 低保 list and the civil
 * affairs department's list imported as jobs with their reports; a file with one mistake of each
 * kind rejected as a whole; late files accepted and marked; the same file twice is the same
 * import; after an import the fully assisted are enrolled with nothing to pay, the partially
 * assisted go on the mobilization list (community scope, export, mark worked), and a resident who
 * paid the full amount goes on the reconciliation list with the difference and sees the reduced
 * amount; scope refusals. Fixtures: test/fixtures/lists (README.md there).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { buildFunction } from '../../cloudfunctions/build';
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { readTable } from '../../cloudfunctions/src/domain/files/table';
import { BAD_SHUSHAN, csvUtf8Bom, DIBAO_SHUSHAN, fixtureId, MINZHENG } from '../fixtures/lists/make-fixtures';
import { adult, CONSENT, idHashOf, payFor, Resident, signIn, startCloud, verify } from './helpers';
import { importSheet, uploadSheet } from './lists-helpers';

jest.setTimeout(180_000);
const PASSWORD = 'Local@2023';
const FIXTURES = join(__dirname, '..', 'fixtures', 'lists');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

beforeAll(async () => {
  for (const name of ['staffLists', 'jobs', 'staffPayments', 'payCallback']) await buildFunction(name);
});

describe('assisted-people lists', () => {
  let cloud: LocalCloud;
  let district: Resident;
  let dept: Resident;
  let worker: Resident;
  let city: Resident;
  afterAll(async () => cloud?.close());

  beforeAll(async () => {
    cloud = await startCloud('2023-08-20T10:00:00+08:00');
    district = await signIn(cloud.url, 'sq_district', PASSWORD);
    dept = await signIn(cloud.url, 'mz_dept', PASSWORD);
    worker = await signIn(cloud.url, 'sq_worker', PASSWORD);
    city = await signIn(cloud.url, 'city_center', PASSWORD);
  });

  test('a district imports its 低保 list (initial, on time): report, list rows, the 特困 person enrolled with nothing to pay, the others on the mobilization list', async () => {
    const { job, started } = await importSheet(district, fixture('dibao-shushan-2024.csv'), 'csv');
    expect(started.existing).toBe(false);
    expect(job.status).toBe('done');
    const r = job.report;
    expect(r).toMatchObject({ outcome: 'imported', format: 'csv', encoding: 'utf-8-bom', rows: 5, errorCount: 0, timing: { kind: 'initial', dueBy: '2023-08-25', late: false } });
    expect(r.results).toMatchObject({ listed: 5, alreadyListed: 0, autoEnrolled: 1, personsCreated: 1, mobilization: 4, reconciliation: 0, unresolvedCommunities: 1 });
    const lists = cloud.store.all('assistance_lists');
    expect(lists).toHaveLength(5);
    expect(cloud.store.all('audit_log').filter((a: any) => a.entity === 'assistance_list' && a.to === 'import_started')).toEqual([expect.objectContaining({ entityId: job.jobId, actor: district.openid })]);
    // The district's 操作日志 filters by 资助名单; the bulk entries of the enrollment carry the person.
    const listed = (await district.data('staffAdmin', { action: 'auditLog', entity: 'assistance_list', limit: 50 })).items;
    expect(listed.map((e: any) => [e.entity, e.to, e.actorKind])).toEqual([['assistance_list', 'import_started', 'staff']]);
    const assisted = cloud.store.all('audit_log').filter((a: any) => a.to === 'assisted_covered') as any[];
    expect(assisted).toEqual([expect.objectContaining({ entity: 'enrollment', actor: 'system', actorKind: 'system', personIds: [expect.any(String)] })]);
    // No plain ID number anywhere in what was written (lists, jobs, staged rows, persons).
    const dump = JSON.stringify([lists, cloud.store.all('jobs'), cloud.store.all('job_rows'), cloud.store.all('persons'), cloud.store.all('assistance_mobilization')]);
    for (const row of DIBAO_SHUSHAN.slice(1)) expect(dump).not.toContain(String(row[2]));
    // Staged rows and the uploaded file are gone after the import.
    expect(cloud.store.all('job_rows')).toHaveLength(0);
    const tekunHash = idHashOf(cloud, String(DIBAO_SHUSHAN[4][2]));
    const person = cloud.store.all('persons').find((p: any) => p.idHash === tekunHash) as any;
    expect(person).toMatchObject({ name: '彭志强', community: { id: 'org-c-340104-anjuyuan', district: '蜀山区' } });
    expect(cloud.store.all('enrollments')).toEqual([expect.objectContaining({ personId: person._id, benefitYear: 2024, status: 'assisted_covered', amountFen: 0 })]);
    const mob = cloud.store.all('assistance_mobilization') as any[];
    expect(mob.map((m) => [m.name, m.payableFen, m.township, m.communityName]).sort()).toEqual(
      [
        ['冯建国', 3800, '三里庵街道', '安居苑社区'],
        ['曹玉兰', 3800, '稻香村街道', '稻香村社区'],
        ['韩桂英', 3800, '三里庵街道', '安居苑社区'],
        ['蒋秀珍', 3800, '南七街道', '南七社区'],
      ].sort(),
    );
  });

  test('the same file again is the same import (same job, same report, nothing written twice)', async () => {
    const before = cloud.store.all('assistance_lists').length;
    const { started } = await importSheet(district, fixture('dibao-shushan-2024.csv'), 'csv');
    expect(started.existing).toBe(true);
    expect(started.status).toBe('done');
    expect(started.report.results.listed).toBe(5);
    expect(cloud.store.all('assistance_lists')).toHaveLength(before);
    expect(cloud.store.all('enrollments')).toHaveLength(1);
  });

  test('a file with a mistake of each kind is rejected whole, each row reported with its number and a masked ID', async () => {
    const lists = cloud.store.all('assistance_lists').length;
    const { job } = await importSheet(district, fixture('bad-shushan-2024-gbk.csv'), 'csv');
    expect(job.status).toBe('done');
    expect(job.report).toMatchObject({ outcome: 'rejected', encoding: 'gbk', rows: 7, errorCount: 6, results: null });
    expect(job.report.errors.map((e: any) => [e.row, e.code])).toEqual([
      [3, 'ID_INVALID'],
      [4, 'CATEGORY_UNKNOWN'],
      [5, 'DUPLICATE_IN_FILE'],
      [6, 'OUT_OF_SCOPE'],
      [7, 'CATEGORY_NOT_IN_YEAR'],
      [8, 'NAME_MISSING'],
    ]);
    expect(job.report.errors[2].message).toContain('第2行');
    for (const e of job.report.errors) if (e.idMasked) expect(e.idMasked).toMatch(/^\d{3}\*{11}[\dX]{4}$/);
    const text = JSON.stringify(job);
    for (const row of BAD_SHUSHAN.slice(1)) expect(text).not.toContain(String(row[1]));
    expect(cloud.store.all('assistance_lists')).toHaveLength(lists);
    // The staff home counts it.
    const home = await district.data('staffAdmin', { action: 'staffHome' });
    expect(home.entries.find((e: any) => e.key === 'lists')).toEqual({ key: 'lists', importsWithErrors: 1, canImport: true });
  });

  test('a sheet without a required column is rejected with the column named', async () => {
    const { job } = await importSheet(district, csvUtf8Bom([['姓名', '救助类别'], ['张三', '低保']]), 'csv');
    expect(job.report).toMatchObject({ outcome: 'rejected', fileErrors: ['缺少必填列：身份证号码'] });
  });

  test('the civil-affairs department imports its xlsx city-wide; a category it does not send is refused per row', async () => {
    const { job } = await importSheet(dept, fixture('minzheng-2024.xlsx'), 'xlsx');
    expect(job.report).toMatchObject({ outcome: 'imported', format: 'xlsx', rows: 4 });
    expect(job.report.results).toMatchObject({ listed: 4, autoEnrolled: 2, personsCreated: 2, mobilization: 2 });
    const fanpin = await importSheet(dept, fixture('fanpin-2024.csv'), 'csv');
    expect(fanpin.job.report.errors.map((e: any) => e.code)).toEqual(['CATEGORY_NOT_YOURS', 'CATEGORY_NOT_YOURS']);
  });

  test('scope: a community worker cannot import; another office cannot read the report; a file outside one\'s folder is refused', async () => {
    const refused = await worker.call('staffLists', { action: 'uploadTicket', ext: 'csv' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const { jobs } = { jobs: (await district.data('staffLists', { action: 'listImports' })).imports };
    const jobId = jobs[0].jobId;
    expect(await dept.call('staffLists', { action: 'jobStatus', jobId })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    expect((await city.call('staffLists', { action: 'jobStatus', jobId })).ok).toBe(true);
    const othersFile = await uploadSheet(dept, fixture('dibao-shushan-2024.csv'), 'csv');
    expect(await district.call('staffLists', { action: 'startImport', fileID: othersFile, fileName: 'x.csv', benefitYear: 2024 })).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND' } });
  });

  test('mobilization: the community worker sees only its community, marks visits, exports; out of scope refused', async () => {
    const mine = await worker.data('staffLists', { action: 'mobilization', benefitYear: 2024 });
    expect(mine.items.map((i: any) => i.community)).toEqual(expect.arrayContaining(['安居苑社区']));
    expect(new Set(mine.items.map((i: any) => i.community))).toEqual(new Set(['安居苑社区']));
    const districtView = await district.data('staffLists', { action: 'mobilization', benefitYear: 2024, township: '稻香村街道' });
    expect(districtView.items.every((i: any) => i.township === '稻香村街道')).toBe(true);
    const other = districtView.items[0].entryId;
    expect(await worker.call('staffLists', { action: 'markWorked', benefitYear: 2024, entryIds: [other] })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    expect(await worker.data('staffLists', { action: 'markWorked', benefitYear: 2024, entryIds: [mine.items[0].entryId], note: '已上门告知' })).toEqual({ marked: 1 });
    const worked = await worker.data('staffLists', { action: 'mobilization', benefitYear: 2024, status: 'worked' });
    expect(worked.items).toEqual([expect.objectContaining({ status: 'worked', note: '已上门告知' })]);
    let exp = await worker.data('staffLists', { action: 'exportMobilization', benefitYear: 2024, format: 'csv' });
    for (let i = 0; exp.status === 'running' && i < 50; i++) exp = await worker.data('staffLists', { action: 'jobStatus', jobId: exp.jobId });
    expect(exp.report).toMatchObject({ rows: mine.total });
    const bytes = Buffer.from(await (await fetch(exp.report.url)).arrayBuffer());
    const table = await readTable(bytes);
    expect(table.headers[0]).toBe('姓名');
    expect(table.rows).toHaveLength(mine.total);
    expect(table.rows.some((r) => r.cells.includes('已走访'))).toBe(true);
  });

  test('a resident who paid the full amount and is then listed goes on the reconciliation list with the difference; a listed resident sees the reduced amount', async () => {
    cloud.clock.set(new Date('2023-10-08T10:00:00+08:00'));
    const payerId = fixtureId('340104', '19590909', 17);
    const listedId = fixtureId('340104', '19600606', 28);
    const payer = await signIn(cloud.url, 'paid_first');
    await payer.data('resident', CONSENT);
    const m = await verify(payer, adult('郑大钧', payerId, { communityId: 'org-c-340104-anjuyuan' }));
    await payFor(cloud.url, payer, [{ personId: m.personId, benefitYear: 2024 }]);
    const listed = await signIn(cloud.url, 'listed_later');
    await listed.data('resident', CONSENT);
    const l = await verify(listed, adult('邱小芳', listedId, { communityId: 'org-c-340104-anjuyuan' }));
    cloud.clock.set(new Date('2023-10-09T10:00:00+08:00'));
    const { job } = await importSheet(district, csvUtf8Bom([['姓名', '身份证号码', '救助类别', '所属乡镇/街道', '所属村/社区'], ['郑大钧', payerId, '低保', '三里庵街道', '安居苑社区'], ['邱小芳', listedId, '低保', '三里庵街道', '安居苑社区']]), 'csv');
    expect(job.report.timing).toMatchObject({ kind: 'addition', dueBy: '2023-12-25', late: false });
    expect(job.report.results).toMatchObject({ reconciliation: 1, mobilization: 1 });
    const rec = await district.data('staffLists', { action: 'reconciliation', benefitYear: 2024 });
    expect(rec.items).toEqual([expect.objectContaining({ name: '郑大钧', paidFen: 38000, dueFen: 3800, differenceFen: 34200, community: '安居苑社区' })]);
    const quote = await listed.data('resident', { action: 'quote', personId: l.personId, benefitYear: 2024 });
    expect(quote).toMatchObject({ assistancePercent: 90, payableFen: 3800 });
    const mob = await district.data('staffLists', { action: 'mobilization', benefitYear: 2024 });
    expect(mob.items.find((i: any) => i.name === '邱小芳')).toMatchObject({ paid: false, payableFen: 3800 });
  });

  test('多缴核对: the district gives the difference back through WeChat Pay (a partial refund; the person stays enrolled), once, and only while the payment stands', async () => {
    const pay = (cloud as any).pay;
    const [entry] = (await district.data('staffLists', { action: 'reconciliation', benefitYear: 2024 })).items;
    expect(entry).toMatchObject({ name: '郑大钧', channel: 'wechat', status: 'open', settledWay: null, refundStatusText: null });
    const event = { action: 'settleReconciliation', benefitYear: 2024, entryId: entry.entryId, way: 'wechat_refund', note: '列入低保，差额原路退还' };
    // Community workers see the list but do not give money back; a cash way is refused for a WeChat payment.
    expect(await worker.call('staffLists', event)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await district.call('staffLists', { ...event, way: 'cash_returned' })).toMatchObject({ ok: false, error: { code: 'WECHAT_PAYMENT' } });
    expect(cloud.store.all('refunds')).toHaveLength(0);

    const settled = await district.data('staffLists', event);
    expect(settled).toMatchObject({ entryId: entry.entryId, status: 'settled', settledWay: 'wechat_refund', settleNote: '列入低保，差额原路退还' });
    await pay.settled();
    const refunds = cloud.store.all('refunds') as any[];
    expect(refunds).toEqual([expect.objectContaining({ cause: 'assistance_difference', refundFeeFen: 34200, status: 'succeeded', requestedBy: district.openid })]);
    expect(refunds[0].outRefundNo).toMatch(/D0$/);
    const enrollment = (cloud.store.all('enrollments') as any[]).find((e) => e.personId === refunds[0].items[0].personId && e.benefitYear === 2024);
    expect(enrollment).toMatchObject({ status: 'paid_pending_sync', amountFen: 38000 });
    // Asked again (a double tap, the city after the district): the same answer, no second refund.
    expect(await city.data('staffLists', event)).toMatchObject({ status: 'settled', refundStatusText: '已退款' });
    expect(pay.refunds({ outTradeNo: refunds[0].outTradeNo })).toHaveLength(1);
    // The payer reads it in 缴费记录; a later staff refund of the part gives back only the rest.
    const payer = await signIn(cloud.url, 'paid_first');
    const record = (await payer.data('resident', { action: 'receipt', outTradeNo: refunds[0].outTradeNo })).refunds;
    expect(record).toEqual([expect.objectContaining({ amountFen: 34200, statusText: '已退款', reason: '已列入医疗救助资助名单，退还多缴差额' })]);
    const rest = await district.data('staffPayments', { action: 'refundPayment', outTradeNo: refunds[0].outTradeNo, personId: enrollment.personId, benefitYear: 2024, reasonCode: 'other', note: '本人申请退保' });
    expect(rest).toMatchObject({ amountFen: 3800, cause: 'staff' });
    const audit = (cloud.store.all('audit_log') as any[]).find((a) => a.entity === 'assistance_list' && a.to === 'settled');
    expect(audit).toMatchObject({ entityId: entry.entryId, actor: district.openid, personIds: [enrollment.personId] });
    // Once the payment is refunded the entry cannot be settled another way.
    cloud.store.write([{ c: 'assistance_reconciliation', id: entry.entryId, doc: { ...(cloud.store.all('assistance_reconciliation') as any[]).find((r) => r._id === entry.entryId), status: 'open' } }]);
    expect(await district.call('staffLists', { ...event, way: 'cash_returned' })).toMatchObject({ ok: false, error: { code: 'STATE_CHANGED' } });
  });

  test('late files are accepted and marked: an addition after 12-25, a monthly change on or after the 5th; on time before it', async () => {
    const sheet = (n: number) => csvUtf8Bom([['姓名', '身份证号码', '救助类别', '所属乡镇/街道', '所属村/社区'], ['林' + '一二三'[n], fixtureId('340104', '19710101', 100 + n), '低保', '三里庵街道', '安居苑社区']]);
    cloud.clock.set(new Date('2023-12-28T10:00:00+08:00'));
    expect((await importSheet(district, sheet(0), 'csv')).job.report).toMatchObject({ outcome: 'imported', timing: { kind: 'late_addition', dueBy: '2023-12-25', late: true } });
    cloud.clock.set(new Date('2024-02-03T10:00:00+08:00'));
    expect((await importSheet(district, sheet(1), 'csv')).job.report.timing).toEqual({ kind: 'monthly_change', receivedOn: '2024-02-03', dueBy: '2024-02-04', late: false });
    cloud.clock.set(new Date('2024-02-07T10:00:00+08:00'));
    expect((await importSheet(district, sheet(2), 'csv')).job.report.timing).toEqual({ kind: 'monthly_change', receivedOn: '2024-02-07', dueBy: '2024-02-04', late: true });
    const late = cloud.store.all('assistance_lists').filter((a: any) => a.late);
    expect(late).toHaveLength(2);
  });
});
