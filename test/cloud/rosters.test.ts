/**
 * University and school rosters (issue 12) against the local cloud: imports (good, bad, repeated,
 * xlsx), a student paying from the pending list, the university's batch (a student who paid by
 * WeChat first, one paying at the same moment, repeats), benefit start dates of new students under
 * the 2021 scheme, a parent seeing the child's school entry, and scope refusals.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { buildFunction } from '../../cloudfunctions/build';
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { HFUT_2024, SCHOOL_2024 } from '../fixtures/rosters/make-fixtures';
import { addMember, adult, CONSENT, makeId, payFor, post, Resident, signIn, startCloud, upload, verify, withWriteFault } from './helpers';

jest.setTimeout(240_000);
const PASSWORD = 'Local@2023';
const FIXTURES = join(__dirname, '..', 'fixtures', 'rosters');
const file = (name: string) => readFileSync(join(FIXTURES, name));

beforeAll(async () => {
  for (const name of ['staffRoster', 'student', 'jobs']) await buildFunction(name);
});

/** Uploads a roster file as the staff member and follows the import job to its end. */
export async function importRoster(staff: Resident, bytes: Buffer, fileName: string, benefitYear = 2024): Promise<any> {
  const ext = fileName.endsWith('.xlsx') ? 'xlsx' : 'csv';
  const ticket = await staff.data('staffRoster', { action: 'uploadTicket', ext });
  const fileID = await upload(staff.url, staff.token, ticket.cloudPath, bytes, fileName);
  let job = await staff.data('staffRoster', { action: 'importRoster', benefitYear, fileID, fileName });
  for (let i = 0; job.status === 'running' && i < 30; i++) job = await staff.data('staffRoster', { action: 'importStatus', jobId: job.jobId });
  return job;
}

async function resident(cloud: LocalCloud, account: string): Promise<Resident> {
  const r = await signIn(cloud.url, account);
  await r.data('resident', CONSENT);
  return r;
}

/** A rostered student verifying themself (a non-local student: no residence permit, a student). */
async function student(cloud: LocalCloud, account: string, row: string[]) {
  const r = await resident(cloud, account);
  const me = await verify(r, { name: row[1], idNumber: row[2], hukou: 'nonlocal', answers: { residencePermit: false, student: true, employeeInsured: false, enrolledElsewhere: false } });
  return { r, personId: me.personId as string };
}

const entryIdOf = async (staff: Resident, studentNo: string, benefitYear = 2024) =>
  (await staff.data('staffRoster', { action: 'listEntries', benefitYear, studentNo })).items[0].entryId as string;

describe('benefit year 2024 (2023 scheme)', () => {
  let cloud: LocalCloud;
  let hfut: Resident;

  beforeAll(async () => {
    cloud = await startCloud('2023-10-08T10:00:00+08:00');
    hfut = await signIn(cloud.url, 'hfut_staff', PASSWORD);
  });
  afterAll(async () => cloud?.close());

  test('a good roster becomes the pending list, split by faculty; no ID number is stored in plain text', async () => {
    const job = await importRoster(hfut, file('hfut-2024.csv'), 'hfut-2024.csv');
    expect(job.status).toBe('done');
    expect(job.report).toMatchObject({ imported: true, rows: 6, accepted: 6, newEntries: 6, alreadyListed: 0, faculties: 2, errorCount: 0 });
    const p = await hfut.data('staffRoster', { action: 'progress', benefitYear: 2024 });
    expect(p.total).toEqual({ total: 6, paidWechat: 0, collected: 0, paidOther: 0, notYet: 6 });
    expect(p.groups.map((g: any) => [g.name, g.total])).toEqual([
      ['机械工程学院', 3],
      ['计算机与信息学院', 3],
    ]);
    const list = await hfut.data('staffRoster', { action: 'listEntries', benefitYear: 2024, faculty: '机械工程学院' });
    expect(list.items.map((e: any) => e.name)).toEqual(['吴昊天', '周子涵', '郑雅琪']);
    expect(list.items[0].idMasked).toMatch(/^370\*{11}\d{3}[\dX]$/);
    const audit = (cloud.store.all('audit_log') as any[]).filter((e) => e.entity === 'student_roster');
    expect(audit.map((e) => e.to)).toEqual(['imported']);
    const stored = JSON.stringify(['roster_entries', 'jobs', 'job_rows', 'audit_log'].map((c) => cloud.store.all(c)));
    for (const row of HFUT_2024) expect(stored).not.toContain(row[2]);
  });

  test('the same file again is the same import (same job, nothing written twice); the same rows as xlsx add nobody', async () => {
    const before = cloud.store.all('roster_entries').length;
    const again = await importRoster(hfut, file('hfut-2024.csv'), 'hfut-2024.csv');
    const first = (await hfut.data('staffRoster', { action: 'listImports' })).items;
    expect(first.filter((j: any) => j.jobId === again.jobId)).toHaveLength(1);
    expect(again.report.newEntries).toBe(6);
    const xlsx = await importRoster(hfut, file('hfut-2024.xlsx'), 'hfut-2024.xlsx');
    expect(xlsx.jobId).not.toBe(again.jobId);
    expect(xlsx.report).toMatchObject({ imported: true, rows: 6, newEntries: 0, alreadyListed: 6 });
    expect(cloud.store.all('roster_entries').length).toBe(before);
  });

  test('a bad roster is reported row by row and nothing of it is written', async () => {
    const before = cloud.store.all('roster_entries').length;
    const job = await importRoster(hfut, file('hfut-2024-bad.csv'), 'hfut-2024-bad.csv');
    expect(job.status).toBe('done');
    expect(job.report.imported).toBe(false);
    expect(job.report.accepted).toBe(0);
    expect(job.report.errors.map((e: any) => [e.line, e.code])).toEqual([
      [3, 'INVALID_ID_NUMBER'],
      [4, 'MISSING_FIELD'],
      [5, 'DUPLICATE_ID_IN_FILE'],
      [6, 'INVALID_NEW_STUDENT'],
    ]);
    expect(job.report.errors[2].message).toContain('第2行');
    expect(cloud.store.all('roster_entries').length).toBe(before);
  });

  test('a file without the roster columns fails with the missing names', async () => {
    const job = await importRoster(hfut, Buffer.from('\ufeff姓名,身份证号码\r\n张三,110105200501010011\r\n'), 'wrong.csv');
    expect(job.status).toBe('failed');
    expect(job.error.code).toBe('MISSING_COLUMNS');
    expect(job.error.message).toContain('学号');
  });

  test('a verified student finds themself, sees the engine amount and pays by WeChat; the list follows', async () => {
    const { r, personId } = await student(cloud, 'stu_lin', HFUT_2024[0]);
    const mine = await r.data('student', { action: 'myEntries' });
    expect(mine.verified).toBe(true);
    expect(mine.entries).toHaveLength(1);
    const e = mine.entries[0];
    expect(e).toMatchObject({ personId, relation: 'self', canPay: true, enrollment: { state: 'none' } });
    expect(e.entry).toMatchObject({ orgName: '合肥工业大学', faculty: '计算机与信息学院', studentNo: '2023217001', status: 'pending' });
    expect(e.quote.payableFen).toBe(38_000);
    expect(e.quote.basis).toBe('student');
    await payFor(cloud.url, r, [{ personId, benefitYear: 2024 }]);
    const after = (await r.data('student', { action: 'myEntries' })).entries[0];
    expect(after.enrollment.state).toBe('paid_pending_sync');
    expect(after.entry.status).toBe('paid_wechat');
    expect(after.canPay).toBe(false);
    // 2023 scheme: no new-student rule — benefits start with the benefit year.
    expect(after.benefitStart).toEqual({ date: '2024-01-01', text: expect.stringContaining('待遇享受期'), expected: false });
    const p = await hfut.data('staffRoster', { action: 'progress', benefitYear: 2024 });
    expect(p.total).toMatchObject({ total: 6, paidWechat: 1, notYet: 5 });
  });

  test('someone not on a roster finds nothing (no number to type), an unverified account is told to verify', async () => {
    const other = await resident(cloud, 'stu_nobody');
    expect((await other.data('student', { action: 'myEntries' })).verified).toBe(false);
    await verify(other, { name: '钱多多', idNumber: makeId('110105', '1980-01-01', 3) });
    const r = await other.data('student', { action: 'myEntries' });
    expect(r.verified).toBe(true);
    expect(r.entries).toEqual([]);
    // The request takes no ID number: a strict schema refuses one.
    const typed = await other.call('student', { action: 'myEntries', idNumber: HFUT_2024[1][2] });
    expect(typed.ok).toBe(false);
    expect(!typed.ok && typed.error.code).toBe('INVALID_INPUT');
  });

  test('the university batch: a WeChat payer is refused, the rest collected once; repeats and reused numbers', async () => {
    const ids = await Promise.all(['2023217001', '2023217002', '2022217015'].map((n) => entryIdOf(hfut, n)));
    const batch = await hfut.data('staffRoster', { action: 'recordCollection', benefitYear: 2024, batchNo: 'SJ2023-0001', collectedOn: '2023-09-15', entryIds: ids });
    expect(batch.results.map((x: any) => [x.ok, x.code ?? null])).toEqual([
      [false, 'ALREADY_PAID_WECHAT'],
      [true, null],
      [true, null],
    ]);
    expect(batch).toMatchObject({ count: 2, totalFen: 76_000, collectedOn: '2023-09-15', status: 'recorded' });
    const orders = () => cloud.store.all('orders').filter((o: any) => o.channel === 'university');
    expect(orders()).toHaveLength(1);
    expect(orders()[0]).toMatchObject({ status: 'paid', totalFeeFen: 76_000 });
    // The same request again: the same batch, nothing paid twice.
    const again = await hfut.data('staffRoster', { action: 'recordCollection', benefitYear: 2024, batchNo: 'sj2023-0001', collectedOn: '2023-09-15', entryIds: ids });
    expect(again).toEqual(batch);
    expect(orders()).toHaveLength(1);
    // The number used for other students: refused.
    const reused = await hfut.call('staffRoster', { action: 'recordCollection', benefitYear: 2024, batchNo: 'SJ2023-0001', collectedOn: '2023-09-15', entryIds: [ids[1]] });
    expect(!reused.ok && reused.error.code).toBe('BATCH_NO_USED');
    // A collected student in a second batch: refused, nothing paid.
    const second = await hfut.data('staffRoster', { action: 'recordCollection', benefitYear: 2024, batchNo: 'SJ2023-0002', collectedOn: '2023-09-16', entryIds: [ids[1]] });
    expect(second.results[0]).toMatchObject({ ok: false, code: 'ALREADY_COLLECTED' });
    expect(second.count).toBe(0);
    const p = await hfut.data('staffRoster', { action: 'progress', benefitYear: 2024 });
    expect(p.total).toMatchObject({ total: 6, paidWechat: 1, collected: 2, notYet: 3 });
    // A collected student then trying to pay by WeChat: refused as paid.
    const zhao = await student(cloud, 'stu_zhao', HFUT_2024[1]);
    const refused = await zhao.r.call('payment', { action: 'createOrder', items: [{ personId: zhao.personId, benefitYear: 2024 }] });
    expect(!refused.ok && refused.error.code).toBe('ALREADY_PAID');
    const seen = (await zhao.r.data('student', { action: 'myEntries' })).entries[0];
    expect(seen.entry).toMatchObject({ status: 'collected', collectedOn: '2023-09-15' });
    expect(seen.benefitStart.date).toBe('2024-01-01');
  });

  test('a student paying at the same moment as the batch: exactly one of them takes the enrollment', async () => {
    // 周子涵 has a WeChat order open: the batch leaves her out.
    const zhou = await student(cloud, 'stu_zhou', HFUT_2024[3]);
    const order = await zhou.r.data('payment', { action: 'createOrder', items: [{ personId: zhou.personId, benefitYear: 2024 }] });
    const id = await entryIdOf(hfut, HFUT_2024[3][0]);
    const b = await hfut.data('staffRoster', { action: 'recordCollection', benefitYear: 2024, batchNo: 'SJ2023-0003', collectedOn: '2023-09-15', entryIds: [id] });
    expect(b.results[0]).toMatchObject({ ok: false, code: 'PAYING_NOW' });
    await post(cloud.url, '/api/pay/confirm', { outTradeNo: order.outTradeNo }, zhou.r.token);
    expect((await zhou.r.data('payment', { action: 'queryOrder', outTradeNo: order.outTradeNo })).status).toBe('paid');

    // 郑雅琪 and her university at the same instant.
    const zheng = await student(cloud, 'stu_zheng', HFUT_2024[5]);
    const zid = await entryIdOf(hfut, HFUT_2024[5][0]);
    const [mine, theirs] = await Promise.all([
      zheng.r.call('payment', { action: 'createOrder', items: [{ personId: zheng.personId, benefitYear: 2024 }] }),
      hfut.call('staffRoster', { action: 'recordCollection', benefitYear: 2024, batchNo: 'SJ2023-0004', collectedOn: '2023-09-15', entryIds: [zid] }),
    ]);
    expect(theirs.ok).toBe(true);
    const batchWon = theirs.ok && (theirs.data as any).results[0].ok;
    expect(mine.ok).toBe(!batchWon);
    const enr = cloud.store.all('enrollments').filter((x: any) => x.personId === zheng.personId);
    expect(enr).toHaveLength(1);
    const holders = cloud.store.all('orders').filter((o: any) => o.personIds.includes(zheng.personId) && ['pending', 'paid'].includes(o.status));
    expect(holders).toHaveLength(1);
  });
});

describe('benefit year 2022 (2021 scheme): new students from the collection or payment date', () => {
  let cloud: LocalCloud;
  let hfut: Resident;
  const ROWS = [
    ['2021217001', '冯晓光', '320102200303140125', '计算机与信息学院', '2021级', '是'],
    ['2021217002', '褚文静', '420102200307020316', '计算机与信息学院', '2021级', '是'],
    ['2020217003', '卫子明', '110105200211200425', '计算机与信息学院', '2020级', '否'],
  ];

  beforeAll(async () => {
    cloud = await startCloud('2021-10-08T10:00:00+08:00');
    hfut = await signIn(cloud.url, 'hfut_staff', PASSWORD);
    const { idOf } = await import('../fixtures/rosters/make-fixtures');
    ROWS[0][2] = idOf('320102', '2003-03-14', 12);
    ROWS[1][2] = idOf('420102', '2003-07-02', 31);
    ROWS[2][2] = idOf('110105', '2002-11-20', 42);
    const csv = '\ufeff学号,姓名,身份证号码,院系,年级,是否新生\r\n' + ROWS.map((r) => r.join(',')).join('\r\n') + '\r\n';
    const job = await importRoster(hfut, Buffer.from(csv), 'hfut-2022.csv', 2022);
    expect(job.report).toMatchObject({ imported: true, newEntries: 3 });
  });
  afterAll(async () => cloud?.close());

  test('a new student paying by WeChat: from the payment date; a returning student: from the benefit year', async () => {
    const feng = await student(cloud, 'stu_feng', ROWS[0]);
    const before = (await feng.r.data('student', { action: 'myEntries' })).entries[0];
    expect(before.newStudentRule).toBe(true);
    expect(before.benefitStart).toMatchObject({ date: '2021-10-08', expected: true });
    await payFor(cloud.url, feng.r, [{ personId: feng.personId, benefitYear: 2022 }]);
    const after = (await feng.r.data('student', { action: 'myEntries' })).entries[0];
    expect(after.benefitStart).toEqual({ date: '2021-10-08', text: '自微信缴费之日起享受待遇', expected: false });
    const enr = cloud.store.all('enrollments').find((x: any) => x.personId === feng.personId) as any;
    expect(enr).toMatchObject({ benefitStart: '2021-10-08', benefitStartBasis: 'payment_date' });

    const wei = await student(cloud, 'stu_wei', ROWS[2]);
    await payFor(cloud.url, wei.r, [{ personId: wei.personId, benefitYear: 2022 }]);
    expect((await wei.r.data('student', { action: 'myEntries' })).entries[0].benefitStart.date).toBe('2022-01-01');
  });

  test('a new student collected by the university: from the collection date (the student never opened the app)', async () => {
    const id = await entryIdOf(hfut, '2021217002', 2022);
    const b = await hfut.data('staffRoster', { action: 'recordCollection', benefitYear: 2022, batchNo: 'HF2021-09', collectedOn: '2021-09-20', entryIds: [id] });
    expect(b).toMatchObject({ count: 1, totalFen: 32_000 });
    const entry = (await hfut.data('staffRoster', { action: 'listEntries', benefitYear: 2022, studentNo: '2021217002' })).items[0];
    expect(entry).toMatchObject({ status: 'collected', collectedOn: '2021-09-20', benefitStart: '2021-09-20' });
    // A collection date before the window or in the future is refused.
    for (const collectedOn of ['2021-08-31', '2021-10-09']) {
      const r = await hfut.call('staffRoster', { action: 'recordCollection', benefitYear: 2022, batchNo: `X${collectedOn.replace(/-/g, '')}`, collectedOn, entryIds: [id] });
      expect(!r.ok && r.error.code).toBe('INVALID_DATE');
    }
  });
});

describe('schools and scope', () => {
  let cloud: LocalCloud;
  let hfut: Resident;
  let ahu: Resident;
  let school: Resident;

  beforeAll(async () => {
    cloud = await startCloud('2023-10-08T10:00:00+08:00');
    hfut = await signIn(cloud.url, 'hfut_staff', PASSWORD);
    ahu = await signIn(cloud.url, 'ahu_staff_local');
    school = await signIn(cloud.url, 'school_staff_local');
    const at = '2023-08-01T00:00:00.000Z';
    cloud.store.write([
      { c: 'organisations', id: 'org-u-ahu', doc: { _id: 'org-u-ahu', kind: 'university', name: '安徽大学', district: null, township: null, parentId: 'org-city', createdAt: at, createdBy: 'seed' } },
      { c: 'organisations', id: 'org-s-340104-xiaoxue', doc: { _id: 'org-s-340104-xiaoxue', kind: 'school', name: '蜀山区实验小学', district: '蜀山区', township: null, parentId: 'org-340104', createdAt: at, createdBy: 'seed' } },
      { c: 'staff', id: 'st-ahu', doc: { _id: 'st-ahu', openid: ahu.openid, role: 'university', scope: '安徽大学', name: '安大医保办', orgId: 'org-u-ahu', status: 'active' } },
      { c: 'staff', id: 'st-school', doc: { _id: 'st-school', openid: school.openid, role: 'university', scope: '蜀山区实验小学', name: '实验小学', orgId: 'org-s-340104-xiaoxue', status: 'active' } },
    ]);
    expect((await importRoster(hfut, file('hfut-2024.csv'), 'hfut-2024.csv')).report.imported).toBe(true);
    expect((await importRoster(school, file('school-2024.csv'), 'school-2024.csv')).report.imported).toBe(true);
  });
  afterAll(async () => cloud?.close());

  test("another university sees none of them, cannot collect them, and cannot list the same students again", async () => {
    const p = await ahu.data('staffRoster', { action: 'progress', benefitYear: 2024 });
    expect(p.total.total).toBe(0);
    const other = await ahu.call('staffRoster', { action: 'progress', benefitYear: 2024, orgId: 'org-u-hfut' });
    expect(!other.ok && other.error.code).toBe('OUT_OF_SCOPE');
    const list = await ahu.call('staffRoster', { action: 'listEntries', benefitYear: 2024, orgId: 'org-u-hfut' });
    expect(!list.ok && list.error.code).toBe('OUT_OF_SCOPE');
    const id = await entryIdOf(hfut, HFUT_2024[0][0]);
    const b = await ahu.data('staffRoster', { action: 'recordCollection', benefitYear: 2024, batchNo: 'AHU-0001', collectedOn: '2023-09-15', entryIds: [id] });
    expect(b.results[0]).toMatchObject({ ok: false, code: 'NOT_ON_ROSTER' });
    expect(cloud.store.all('enrollments')).toHaveLength(0);
    const job = await importRoster(ahu, file('hfut-2024.csv'), 'hfut-2024.csv');
    expect(job.report.imported).toBe(false);
    expect(job.report.errorsByCode).toEqual({ ON_OTHER_ROSTER: 6 });
    const hfutJob = (await hfut.data('staffRoster', { action: 'listImports' })).items[0].jobId;
    const peek = await ahu.call('staffRoster', { action: 'importStatus', jobId: hfutJob });
    expect(!peek.ok && peek.error.code).toBe('OUT_OF_SCOPE');
  });

  test('a school does not collect (parents pay); its district reads its progress, not a university', async () => {
    const id = (await school.data('staffRoster', { action: 'listEntries', benefitYear: 2024 })).items[0].entryId;
    const r = await school.call('staffRoster', { action: 'recordCollection', benefitYear: 2024, batchNo: 'XX-0001', collectedOn: '2023-09-15', entryIds: [id] });
    expect(!r.ok && r.error.code).toBe('FORBIDDEN');
    const district = await signIn(cloud.url, 'sq_district', PASSWORD);
    const overview = await district.data('staffRoster', { action: 'progress', benefitYear: 2024 });
    expect(overview.groups.map((g: any) => [g.name, g.total])).toEqual([['蜀山区实验小学', 2]]);
    const uni = await district.call('staffRoster', { action: 'progress', benefitYear: 2024, orgId: 'org-u-hfut' });
    expect(!uni.ok && uni.error.code).toBe('OUT_OF_SCOPE');
    const city = await signIn(cloud.url, 'city_center', PASSWORD);
    const all = await city.data('staffRoster', { action: 'progress', benefitYear: 2024 });
    expect(all.groups.map((g: any) => g.name).sort()).toEqual(['合肥工业大学', '蜀山区实验小学'].sort());
  });

  test('community workers, departments and residents are refused', async () => {
    for (const account of ['sq_worker', 'mz_dept']) {
      const s = await signIn(cloud.url, account, PASSWORD);
      const r = await s.call('staffRoster', { action: 'progress', benefitYear: 2024 });
      expect(!r.ok && r.error.code).toBe('FORBIDDEN');
    }
    const res = await resident(cloud, 'roster_resident');
    const r = await res.call('staffRoster', { action: 'uploadTicket', ext: 'csv' });
    expect(!r.ok && r.error.code).toBe('FORBIDDEN');
  });

  test("a parent sees the child's school entry from the family and pays for it", async () => {
    const parent = await resident(cloud, 'roster_parent');
    await verify(parent, { name: '李建国', idNumber: makeId('340104', '1985-01-01', 11) });
    const child = await addMember(parent, { ...adult(SCHOOL_2024[0][1], SCHOOL_2024[0][2]), relation: 'child', parentRelation: 'father', consentForChild: true });
    const mine = await parent.data('student', { action: 'myEntries' });
    expect(mine.entries.map((e: any) => [e.relation, e.entry.orgName, e.entry.orgKind])).toEqual([['child', '蜀山区实验小学', 'school']]);
    await payFor(cloud.url, parent, [{ personId: child.personId, benefitYear: 2024 }]);
    const p = await school.data('staffRoster', { action: 'progress', benefitYear: 2024 });
    expect(p.total).toMatchObject({ total: 2, paidWechat: 1, notYet: 1 });
  });

  test('a roster entry the database fails to mark during the settlement leaves the pending list when the notification comes again', async () => {
    const parent = await resident(cloud, 'roster_parent2');
    await verify(parent, { name: '李建华', idNumber: makeId('340104', '1986-02-02', 13) });
    const child = await addMember(parent, { ...adult(SCHOOL_2024[1][1], SCHOOL_2024[1][2]), relation: 'child', parentRelation: 'mother', consentForChild: true });
    const order = await parent.data('payment', { action: 'createOrder', items: [{ personId: child.personId, benefitYear: 2024 }] });
    const confirm = () => post(cloud.url, '/api/pay/confirm', { outTradeNo: order.outTradeNo }, parent.token);
    expect(await withWriteFault(cloud, (ch) => ch.c === 'roster_entries', confirm)).toBe(1);
    // The enrollment was paid before the roster step failed: the repeat finds it paid ('already')
    // and must still take the child off the school's pending list.
    expect((cloud.store.all('enrollments') as any[]).find((e) => e.personId === child.personId)?.status).toBe('paid_pending_sync');
    expect((await school.data('staffRoster', { action: 'progress', benefitYear: 2024 })).total).toMatchObject({ paidWechat: 1, notYet: 1 });
    await (cloud as any).pay.redeliver(order.outTradeNo);
    const p = await school.data('staffRoster', { action: 'progress', benefitYear: 2024 });
    expect(p.total).toMatchObject({ total: 2, paidWechat: 2, notYet: 0 });
  });
});
