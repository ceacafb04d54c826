/**
 * Working the screening list (排查, issue 13) against the local cloud, on a small generated
 * population (scripts/generate-population.ts): the city imports the register and runs the
 * screening; the 蜀山区 office reads its summary per community and its list, records visits (a
 * final outcome closes the entry, 承诺缴费 keeps it open), is refused another district's person,
 * exports the list (xlsx, checked), sends reminders to those who can receive one (an account that
 * subscribed), and sees a payer drop off at once and a later run shrink the list. The size test
 * is season-screening-scale.test.ts.
 */
import ExcelJS from 'exceljs';
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { generatePopulation, type Person } from '../../scripts/generate-population';
import { CONSENT, devGet, payFor, post, Resident, signIn, startCloud, upload, verify } from './helpers';
import { seedSeason } from './season-helpers';

jest.setTimeout(300_000);
const PASSWORD = 'Local@2023';
const { people, csv, expected } = generatePopulation(1200, 11);

let cloud: LocalCloud;
let city: Resident;
let district: Resident;
const hashOf = new Map<string, string>();
const personIdOf = new Map<string, string>();

async function seed(): Promise<void> {
  const seeded = await seedSeason(cloud, people);
  seeded.hashOf.forEach((v, k) => hashOf.set(k, v));
  seeded.personIdOf.forEach((v, k) => personIdOf.set(k, v));
}

async function job(start: Record<string, unknown>, poll: string) {
  let j = await city.data('staffSeason', start);
  while (j.status === 'running') j = await city.data('staffSeason', { action: poll, jobId: j.jobId });
  expect(j.status).toBe('done');
  return j;
}

const inShushan = (p: Person) => p.district === '蜀山区';
const shushanUnenrolled = () => expected.unenrolled.filter((u) => inShushan(people.find((p) => p.idNumber === u.idNumber)!));

beforeAll(async () => {
  cloud = await startCloud('2023-11-20T09:00:00+08:00');
  await seed();
  city = await signIn(cloud.url, 'city_center', PASSWORD);
  district = await signIn(cloud.url, 'sq_district', PASSWORD);
  const ticket = await city.data('staffSeason', { action: 'registerUploadTicket', ext: 'csv' });
  const fileID = await upload(cloud.url, city.token, ticket.cloudPath, Buffer.from(csv, 'utf8'), 'register.csv');
  const imp = await job({ action: 'registerImport', fileID }, 'registerImportJob');
  expect(imp.report).toMatchObject({ added: people.length, invalid: expected.badRows });
  expect(imp.report.problems.map((p: any) => p.reason)).toEqual(expect.arrayContaining(['身份证号码不正确', '区县“北京市东城区”不在合肥市统筹区之列']));
  // The same file again is the same job (by its SHA-256).
  expect((await city.data('staffSeason', { action: 'registerImport', fileID })).jobId).toBe(imp.jobId);
  await job({ action: 'screeningRun', benefitYear: 2024 }, 'screeningRunJob');
});
afterAll(async () => cloud?.close());

test('summaries: the city per district, the district per community, in the screening period', async () => {
  const c = await city.data('staffSeason', { action: 'screeningSummary', benefitYear: 2024 });
  expect(c).toMatchObject({ inPeriod: true, comparedWith: [2023, 2022], groupedBy: 'district', period: { start: '2023-11-11', end: '2023-12-31', startAsWritten: '11月中旬' } });
  expect(c.groups.reduce((s: number, g: any) => s + g.open, 0)).toBe(expected.unenrolled.length);
  expect(c.groups.reduce((s: number, g: any) => s + g.over60, 0)).toBe(expected.flagCounts.over60);
  const d = await district.data('staffSeason', { action: 'screeningSummary', benefitYear: 2024 });
  expect(d.groupedBy).toBe('community');
  expect(d.groups.reduce((s: number, g: any) => s + g.open, 0)).toBe(shushanUnenrolled().length);
  // The 2021 scheme's year compares with the previous year only.
  expect((await city.data('staffSeason', { action: 'screeningSummary', benefitYear: 2022 })).comparedWith).toEqual([2021]);
});

test('the district works its list: visits, refusals, export, reminders; a payer drops off; a new run shrinks it', async () => {
  const mine = shushanUnenrolled();
  let list = await district.data('staffSeason', { action: 'screeningList', benefitYear: 2024, limit: 100 });
  expect(list.total).toBe(mine.length);
  expect(list.items.every((e: any) => e.district === '蜀山区')).toBe(true);
  const lapsed = list.items.filter((e: any) => e.flags.lapsed);
  expect((await district.data('staffSeason', { action: 'screeningList', benefitYear: 2024, flag: 'lapsed', limit: 100 })).total).toBe(mine.filter((u) => u.lapsed).length);

  // A final outcome closes the entry; 承诺缴费 keeps it open with the visit.
  const [moved, promise] = list.items;
  const v1 = await district.data('staffSeason', { action: 'screeningVisit', entryId: moved.entryId, outcome: 'moved_away', note: '已搬至外省' });
  expect(v1).toMatchObject({ status: 'closed', visit: { outcome: 'moved_away', note: '已搬至外省' } });
  const v2 = await district.data('staffSeason', { action: 'screeningVisit', entryId: promise.entryId, outcome: 'will_pay' });
  expect(v2).toMatchObject({ status: 'open', visit: { outcome: 'will_pay' } });
  list = await district.data('staffSeason', { action: 'screeningList', benefitYear: 2024, limit: 100 });
  expect(list.total).toBe(mine.length - 1);
  expect((await district.data('staffSeason', { action: 'screeningList', benefitYear: 2024, status: 'unvisited', limit: 100 })).total).toBe(mine.length - 2);

  // Another district's person: refused, and not listed.
  const other = (await city.data('staffSeason', { action: 'screeningList', benefitYear: 2024, district: '包河区', limit: 1 })).items[0];
  expect(await district.call('staffSeason', { action: 'screeningVisit', entryId: other.entryId, outcome: 'refused' })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
  expect((await district.data('staffSeason', { action: 'screeningList', benefitYear: 2024, district: '包河区', limit: 5 })).total).toBe(0);
  // A community worker of another community sees nobody of the register's communities.
  const worker = await signIn(cloud.url, 'sq_worker', PASSWORD);
  expect((await worker.data('staffSeason', { action: 'screeningList', benefitYear: 2024 })).total).toBe(0);

  // Export: the open list as xlsx, the promised visit on its row.
  const file = await district.data('staffSeason', { action: 'screeningExport', benefitYear: 2024, format: 'xlsx' });
  expect(file.rows).toBe(mine.length - 1);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await (await fetch(file.url)).arrayBuffer()) as any);
  const ws = wb.worksheets[0];
  expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['区县', '乡镇（街道）', '社区（村）', '姓名', '身份证号', '标记', '走访结果', '走访说明', '走访日期']);
  expect(ws.rowCount).toBe(mine.length);
  const promisedRow = (ws.getSheetValues() as unknown[][]).find((r) => r && r[4] === promise.name && r[5] === promise.idMasked)!;
  expect(promisedRow[7]).toBe('承诺缴费');
  expect(JSON.stringify(ws.getSheetValues())).not.toMatch(/\d{17}[\dX]/);

  // Reminders: a lapsed person verified on a phone who subscribed to 缴费截止提醒 gets one; nobody else can.
  const lapsedPerson = people.find((p) => p.idNumber === mine.find((u) => u.lapsed && hashOf.get(u.idNumber) && lapsed.some((e: any) => e.entryId === `2024-${hashOf.get(u.idNumber)!.slice(0, 40)}`))!.idNumber)!;
  const phone = await signIn(cloud.url, 'screening_reminded');
  await phone.data('resident', CONSENT);
  const v = await verify(phone, { name: lapsedPerson.name, idNumber: lapsedPerson.idNumber });
  expect(v.personId).toBe(personIdOf.get(lapsedPerson.idNumber));
  await phone.data('resident', { action: 'subscribe', templates: ['window_closing'] });
  const remindedId = `2024-${hashOf.get(lapsedPerson.idNumber)!.slice(0, 40)}`;
  const neverEnrolled = list.items.find((e: any) => !e.canRemind);
  const r = await district.data('staffSeason', { action: 'screeningRemind', benefitYear: 2024, entryIds: [remindedId, neverEnrolled.entryId] });
  expect(r).toEqual({ sent: 1, noAccount: 1, notSubscribed: 0 });
  const outbox = (await devGet(cloud.url, `/api/outbox?touser=${phone.openid}`)).items;
  expect(outbox).toHaveLength(1);
  // One-time subscription: used up.
  expect(await district.data('staffSeason', { action: 'screeningRemind', benefitYear: 2024, entryIds: [remindedId] })).toEqual({ sent: 0, noAccount: 0, notSubscribed: 1 });

  // She pays: off the list at once.
  await payFor(cloud.url, phone, [{ personId: v.personId, benefitYear: 2024 }]);
  list = await district.data('staffSeason', { action: 'screeningList', benefitYear: 2024, limit: 100 });
  expect(list.total).toBe(mine.length - 2);
  expect(list.items.map((e: any) => e.entryId)).not.toContain(remindedId);

  // A new run (a minute later) finds the same: the paid one stays off, the closed one closed.
  await post(cloud.url, '/api/clock', { now: '2023-11-21T09:00:00+08:00' });
  const rerun = await job({ action: 'screeningRun', benefitYear: 2024 }, 'screeningRunJob');
  expect(rerun.report.unenrolled).toBe(expected.unenrolled.length - 2);
  expect((await district.data('staffSeason', { action: 'screeningList', benefitYear: 2024, limit: 100 })).total).toBe(mine.length - 2);
  expect((await district.data('staffSeason', { action: 'screeningList', benefitYear: 2024, status: 'closed', limit: 100 })).items.map((e: any) => e.entryId)).toEqual([moved.entryId]);
});

test('residents and other roles are refused; only the city imports and runs', async () => {
  const resident = await signIn(cloud.url, 'screening_resident');
  expect(await resident.call('staffSeason', { action: 'screeningList' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  expect(await district.call('staffSeason', { action: 'screeningRun', benefitYear: 2024 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  expect(await district.call('staffSeason', { action: 'registerUploadTicket', ext: 'csv' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  const uni = await signIn(cloud.url, 'hfut_staff', PASSWORD);
  expect(await uni.call('staffSeason', { action: 'screeningSummary' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
});
