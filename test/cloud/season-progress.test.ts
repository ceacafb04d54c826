/**
 * The progress table (附件2) against the local cloud (issue 13): a generated dataset of persons
 * and enrollments across the districts (some on a university roster, some unpaid, some of other
 * years) is counted into the counters by the recount job, and the table equals what the test
 * computes from the same data on its own; a resident's payment counts at once, a reversed cash
 * payment uncounts; the export is the attachment's layout, checked cell by cell; the 2021
 * scheme's year draws its 99% target; districts read, communities do not.
 */
import ExcelJS from 'exceljs';
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { getPolicyTable } from '../../cloudfunctions/src/policy';
import { CONSENT, makeId, payFor, post, Resident, signIn, startCloud, verify } from './helpers';

jest.setTimeout(240_000);
const PASSWORD = 'Local@2023';
const ANJUYUAN = 'org-c-340104-anjuyuan';

let cloud: LocalCloud;
let city: Resident;
let district: Resident;
let worker: Resident;

/** A deterministic pseudo-random sequence (the dataset is the same on every run). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const DISTRICTS = getPolicyTable(2024)
  .progressReference.filter((r) => r.area !== '大学生' && r.area !== '全市合计')
  .map((r) => r.area);
const expected2024 = new Map<string, number>();
const expected2022 = new Map<string, number>();

beforeAll(async () => {
  cloud = await startCloud('2023-10-08T10:00:00+08:00');
  city = await signIn(cloud.url, 'city_center', PASSWORD);
  district = await signIn(cloud.url, 'sq_district', PASSWORD);
  worker = await signIn(cloud.url, 'sq_worker', PASSWORD);
  const rand = rng(13);
  const changes: any[] = [];
  const statuses = ['paid_pending_sync', 'enrolled', 'assisted_covered', 'open', 'awaiting_payment'];
  for (let i = 0; i < 600; i++) {
    const personId = `gen-${i}`;
    const idHash = `genhash${String(i).padStart(6, '0')}${'0'.repeat(51)}`;
    const area = DISTRICTS[Math.floor(rand() * DISTRICTS.length)];
    changes.push({ c: 'persons', id: personId, doc: { _id: personId, idHash, name: '测试人员', district: area, community: null, createdAt: '2023-09-01T00:00:00.000Z' } });
    const student = rand() < 0.1;
    if (student) {
      const rosterId = `r2024${idHash.slice(0, 40)}`;
      changes.push({ c: 'roster_entries', id: rosterId, doc: { _id: rosterId, orgKind: 'university', orgId: 'org-u-gen', benefitYear: 2024, idHash, status: 'pending' } });
    }
    for (const year of [2022, 2024]) {
      if (rand() < 0.2) continue; // no enrollment that year
      const status = statuses[Math.floor(rand() * statuses.length)];
      const eid = `${personId}_${year}`;
      changes.push({ c: 'enrollments', id: eid, doc: { _id: eid, personId, benefitYear: year, status, outTradeNo: null, amountFen: 0, paidAt: null, expectedSyncBy: null, createdAt: '2023-09-02T00:00:00.000Z', updatedAt: '2023-09-02T00:00:00.000Z' } });
      if (['paid_pending_sync', 'enrolled', 'assisted_covered'].includes(status)) {
        const key = year === 2024 && student ? '大学生' : area;
        const m = year === 2024 ? expected2024 : expected2022;
        m.set(key, (m.get(key) ?? 0) + 1);
      }
    }
  }
  cloud.store.write(changes);
});
afterAll(async () => cloud?.close());

async function recount(year: number) {
  let job = await city.data('staffSeason', { action: 'progressRecount', benefitYear: year });
  for (let i = 0; i < 50 && job.status === 'running'; i++) job = await city.data('staffSeason', { action: 'progressRecountJob', jobId: job.jobId });
  expect(job.status).toBe('done');
  return job;
}

const sumOf = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

test('recounted from the enrollments, the table matches the dataset; a payment counts at once, a reversal uncounts', async () => {
  const job = await recount(2024);
  expect(job.report.enrollments).toBe(sumOf(expected2024));
  // The same job again (same day): counts nothing twice.
  await recount(2024);

  const t = await city.data('staffSeason', { action: 'progress', benefitYear: 2024 });
  expect(t.title).toBe('2023年各县（市）区、开发区参保进度统计表');
  expect(t.headers).toEqual(['统筹区', '常住人口', '户籍人口', '2022年居民参保人数', '2023年居民已参保人数', '参保率', '备注']);
  expect(t.targetPercent).toBe(95);
  expect(t.rows.map((r: any) => r.area)).toEqual([...DISTRICTS, '大学生']);
  for (const r of t.rows) {
    const ref = getPolicyTable(2024).progressReference.find((x) => x.area === r.area)!;
    expect([r.area, r.enrolled]).toEqual([r.area, expected2024.get(r.area) ?? 0]);
    expect(r.residentPopulationWan).toBe(ref.residentPopulationWan);
    expect(r.hukouPopulationWan).toBe(ref.hukouPopulationWan);
    expect(r.lastYearEnrolledWan).toBe(ref.enrolled2022Wan);
    expect(r.rate).toBeCloseTo(r.enrolled / (ref.enrolled2022Wan! * 10_000), 4);
  }
  expect(t.total).toMatchObject({ area: '全市合计', enrolled: sumOf(expected2024), residentPopulationWan: 963.4, hukouPopulationWan: 800.16, lastYearEnrolledWan: 551.15 });

  // A resident of 蜀山区 pays online: counted at once, no recount.
  const me = await signIn(cloud.url, 'progress_payer');
  await me.data('resident', CONSENT);
  const p = await verify(me, { name: '孙丽', idNumber: makeId('340104', '1979-05-05', 401), communityId: ANJUYUAN });
  const order = await payFor(cloud.url, me, [{ personId: p.personId, benefitYear: 2024 }]);
  const shushan = async () => (await city.data('staffSeason', { action: 'progress', benefitYear: 2024 })).rows.find((r: any) => r.area === '蜀山区').enrolled;
  const before = expected2024.get('蜀山区') ?? 0;
  expect(await shushan()).toBe(before + 1);
  // WeChat Pay delivers the callback again, and the recount walks her enrollment too: still one.
  expect((await post(cloud.url, '/api/pay/redeliver', { outTradeNo: order.outTradeNo })).status).toBe(200);
  await city.data('staffSeason', { action: 'progressRecount', benefitYear: 2024 });
  expect(await shushan()).toBe(before + 1);

  // Cash taken at the desk, then reversed by the district: counted, then uncounted.
  const idNumber = makeId('340104', '1948-06-06', 403);
  const reg = await worker.data('staffCash', {
    action: 'registerPerson',
    name: '周大爷',
    sex: 'male',
    idNumber,
    hukou: 'local',
    address: '合肥市蜀山区三里庵街道安居苑小区3栋',
    mobile: '13900001111',
    answers: { employeeInsured: false, enrolledElsewhere: false },
  });
  await worker.data('staffCash', { action: 'recordCash', personId: reg.person.personId, benefitYear: 2024, amountFen: 38000, receiptNo: 'PG2023000001' });
  expect(await shushan()).toBe(before + 2);
  await district.data('staffCash', { action: 'reverseCash', receiptNo: 'PG2023000001', reason: '误收现金需要冲正' });
  expect(await shushan()).toBe(before + 1);
});

test('the export is the attachment: title, 截止 date, unit, headers, 万人 with two decimals, cell by cell', async () => {
  const t = await city.data('staffSeason', { action: 'progress', benefitYear: 2024 });
  const file = await city.data('staffSeason', { action: 'progressExport', benefitYear: 2024 });
  expect(file.fileName).toBe('2023年各县（市）区、开发区参保进度统计表（截止2023-10-08）.xlsx');
  const bytes = Buffer.from(await (await fetch(file.url)).arrayBuffer());
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as any);
  const ws = wb.worksheets[0];
  expect(ws.getCell('A1').value).toBe('2023年各县（市）区、开发区参保进度统计表');
  expect(ws.getCell('G1').master.address).toBe('A1');
  expect(ws.getCell('A2').value).toBe('（截止2023年10月8日）');
  expect(ws.getCell('A3').value).toBe('单位：万人');
  expect([1, 2, 3, 4, 5, 6, 7].map((c) => ws.getRow(4).getCell(c).value)).toEqual(['统筹区', '常住人口', '户籍人口', '2022年居民参保人数', '2023年居民已参保人数', '参保率', '备注']);
  const ref = getPolicyTable(2024).progressReference;
  ref.forEach((r, i) => {
    const row = ws.getRow(5 + i);
    const shown = i < t.rows.length ? t.rows[i] : t.total;
    expect(row.getCell(1).value).toBe(r.area);
    expect(row.getCell(2).value).toBe(r.residentPopulationWan);
    expect(row.getCell(3).value).toBe(r.hukouPopulationWan);
    expect(row.getCell(4).value).toBe(r.enrolled2022Wan);
    expect(row.getCell(5).value).toBe(Math.round(shown.enrolled / 100) / 100);
    expect(row.getCell(5).numFmt).toBe('0.00');
    expect(row.getCell(6).value).toBe(shown.rate);
    expect(row.getCell(6).numFmt).toBe('0.00%');
  });
  expect(ws.getRow(5 + ref.length).getCell(1).value).toBeNull();
});

test('the 2021 scheme year: its own headers, the 99% target, last year left empty where unknown', async () => {
  await recount(2022);
  const t = await city.data('staffSeason', { action: 'progress', benefitYear: 2022 });
  expect(t.title).toBe('2021年各县（市）区、开发区参保进度统计表');
  expect(t.headers[3]).toBe('2020年居民参保人数');
  expect(t.targetPercent).toBe(99);
  expect(t.reportByDay).toBe(20);
  for (const r of t.rows) {
    expect([r.area, r.enrolled]).toEqual([r.area, expected2022.get(r.area) ?? 0]);
    expect(r.lastYearEnrolledWan).toBeNull();
    expect(r.rate).toBeNull();
  }
});

test('districts read the table with their row marked; communities, residents and a district recount are refused', async () => {
  const t = await district.data('staffSeason', { action: 'progress', benefitYear: 2024 });
  expect(t.rows.filter((r: any) => r.own).map((r: any) => r.area)).toEqual(['蜀山区']);
  expect(await worker.call('staffSeason', { action: 'progress' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  const resident = await signIn(cloud.url, 'progress_resident');
  expect(await resident.call('staffSeason', { action: 'progressExport' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  expect(await district.call('staffSeason', { action: 'progressRecount', benefitYear: 2024 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
});
