/**
 * Next year without a release (issue 13), against the local cloud: the city centre takes a
 * template, is refused a broken or built-in table, previews a fictional 2030 (「虚构年度，仅供测试」)
 * beside 2024, publishes it from a chosen date (residents see 尚未公布 until then), edits it while
 * no order used it, a resident quotes and pays for it, the version locks, and a correction is a
 * new version with a reason (audited) that new quotes use while the paid one keeps its amount.
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { CONSENT, makeId, payFor, post, Resident, signIn, startCloud, verify } from './helpers';

jest.setTimeout(180_000);
const PASSWORD = 'Local@2023';

let cloud: LocalCloud;
let city: Resident;
let district: Resident;
const setClock = (now: string) => post(cloud.url, '/api/clock', { now });

beforeAll(async () => {
  cloud = await startCloud('2029-08-20T10:00:00+08:00');
  city = await signIn(cloud.url, 'city_center', PASSWORD);
  district = await signIn(cloud.url, 'sq_district', PASSWORD);
});
afterAll(async () => cloud?.close());

async function resident(account: string, name: string, seq: number) {
  const r = await signIn(cloud.url, account);
  await r.data('resident', CONSENT);
  const person = await verify(r, { name, idNumber: makeId('340104', '1980-03-03', seq) });
  return { r, personId: person.personId as string };
}

const codeOf = (reply: any) => (reply.ok ? null : reply.error.code);

test('the whole path: template, refusals, preview, publish from a date, edit, pay, lock, correction', async () => {
  // Only the city centre.
  expect(codeOf(await district.call('staffPolicy', { action: 'list' }))).toBe('FORBIDDEN');

  const tpl = await city.data('staffPolicy', { action: 'template', benefitYear: 2030 });
  expect(tpl.basedOn).toBe(2024);
  const table = tpl.table as any;
  expect(table.scheme).toBe('2029');
  expect(table.collectionWindow).toMatchObject({ start: '2029-09-01', end: '2029-12-31' });
  expect(table.benefitPeriod).toMatchObject({ start: '2030-01-01', end: '2030-12-31' });
  expect(table.keyDates.screening).toMatchObject({ start: '2029-11-11', end: '2029-12-31' });
  table.financing.individualContributionFen = 41000;
  table.assistance.rules.fanpin_monitored.percent = 60;

  // Refused: a broken table (the engine's schema), a built-in year.
  const broken = JSON.parse(JSON.stringify(table));
  broken.collectionWindow.end = '2029-08-01';
  const r1 = await city.call('staffPolicy', { action: 'saveDraft', table: broken, fictional: true });
  expect(r1).toMatchObject({ ok: false, error: { code: 'POLICY_TABLE_INVALID', field: 'table.collectionWindow.end' } });
  const r2 = await city.call('staffPolicy', { action: 'saveDraft', table: { ...table, benefitYear: 2024, scheme: '2023' }, fictional: true });
  expect(codeOf(r2)).toBe('POLICY_BUILT_IN');

  // Preview beside 2024.
  const pv = await city.data('staffPolicy', { action: 'preview', table });
  expect(pv.comparedWith).toBe(2024);
  const adultRow = pv.rows.find((x: any) => x.label === '本市户籍成年人');
  expect(adultRow.next.payableFen).toBe(41000);
  expect(adultRow.last.payableFen).toBe(38000);
  expect(adultRow.changed).toEqual(expect.arrayContaining(['payableFen', 'individualContributionFen']));
  const monitored = pv.rows.find((x: any) => x.label === '防止返贫监测对象');
  expect(monitored.next).toMatchObject({ assistancePercent: 60, payableFen: 16400 });
  expect(monitored.last).toMatchObject({ assistancePercent: 50, payableFen: 19000 });
  expect(pv.fields).toEqual(
    expect.arrayContaining([
      { field: 'financing.individualContributionFen', label: '个人缴费标准', last: '380.00元', next: '410.00元' },
      expect.objectContaining({ field: 'collectionWindow', last: '2023-09-01 至 2023-12-31', next: '2029-09-01 至 2029-12-31' }),
      expect.objectContaining({ field: 'assistance.rules.fanpin_monitored', last: '资助50%', next: '资助60%' }),
    ]),
  );
  expect(pv.fields.map((f: any) => f.field)).not.toContain('newbornRule');

  const saved = await city.data('staffPolicy', { action: 'saveDraft', table, fictional: true });
  expect(saved.version).toMatchObject({ id: '2030-v1', status: 'draft', fictional: true, locked: false });
  expect(saved.version.title).toContain('虚构年度，仅供测试');

  const { r: mother, personId } = await resident('policy_mother', '赵敏', 301);
  // A draft is nothing to residents.
  expect(await mother.call('resident', { action: 'home', benefitYear: 2030 })).toMatchObject({ ok: false, error: { code: 'YEAR_NOT_PUBLISHED', message: '2030年度的参保政策尚未公布' } });

  expect(codeOf(await city.call('staffPolicy', { action: 'publish', id: '2030-v1', effectiveFrom: '2029-08-19' }))).toBe('POLICY_DATE_PAST');
  const pub = await city.data('staffPolicy', { action: 'publish', id: '2030-v1', effectiveFrom: '2029-08-25' });
  expect(pub.version).toMatchObject({ status: 'published', effectiveFrom: '2029-08-25', inEffect: false });
  // Published from the 25th: still 尚未公布 on the 20th.
  expect(codeOf(await mother.call('resident', { action: 'home', benefitYear: 2030 }))).toBe('YEAR_NOT_PUBLISHED');

  await setClock('2029-09-02T09:00:00+08:00');
  const home = await mother.data('resident', { action: 'home' });
  expect(home.benefitYear).toBe(2030);
  const q1 = await mother.data('resident', { action: 'quote', personId, benefitYear: 2030 });
  expect(q1).toMatchObject({ scheme: '2029', payableFen: 41000, windowOpen: true });

  // Nobody paid yet: the published version may still be edited (with a reason, audited).
  table.financing.individualContributionFen = 40000;
  const edited = await city.data('staffPolicy', { action: 'editPublished', id: '2030-v1', table, reason: '个人缴费标准录入有误' });
  expect(edited.version).toMatchObject({ locked: false, inEffect: true, reason: '个人缴费标准录入有误' });
  const q2 = await mother.data('resident', { action: 'quote', personId, benefitYear: 2030 });
  expect(q2.payableFen).toBe(40000);
  expect(q2.explanation.join('')).toContain('虚构年度，仅供测试');

  // She pays for 2030: the version is now in use and locked.
  await payFor(cloud.url, mother, [{ personId, benefitYear: 2030 }]);
  const enrollment = cloud.store.all('enrollments').find((e: any) => e.personId === personId && e.benefitYear === 2030) as any;
  expect(enrollment).toMatchObject({ status: 'paid_pending_sync', amountFen: 40000 });
  table.financing.individualContributionFen = 42000;
  const locked = await city.call('staffPolicy', { action: 'editPublished', id: '2030-v1', table, reason: '再次修改缴费标准' });
  expect(codeOf(locked)).toBe('POLICY_LOCKED');
  const list1 = await city.data('staffPolicy', { action: 'list' });
  expect(list1.items.find((i: any) => i.id === '2030-v1')).toMatchObject({ locked: true, inEffect: true });

  // The correction: a new version, which needs a reason.
  expect(codeOf(await city.call('staffPolicy', { action: 'saveDraft', table, fictional: true }))).toBe('POLICY_REASON_REQUIRED');
  const v2 = await city.data('staffPolicy', { action: 'saveDraft', table, fictional: true, reason: '按省里通知调整个人缴费标准' });
  expect(v2.version).toMatchObject({ id: '2030-v2', status: 'draft', reason: '按省里通知调整个人缴费标准' });
  await city.data('staffPolicy', { action: 'publish', id: '2030-v2', effectiveFrom: '2029-09-10' });

  const { r: neighbour, personId: neighbourId } = await resident('policy_neighbour', '钱芳', 303);
  expect((await neighbour.data('resident', { action: 'quote', personId: neighbourId, benefitYear: 2030 })).payableFen).toBe(40000);
  await setClock('2029-09-10T08:00:00+08:00');
  expect((await neighbour.data('resident', { action: 'quote', personId: neighbourId, benefitYear: 2030 })).payableFen).toBe(42000);
  // The paid enrollment keeps what she was quoted.
  expect((cloud.store.all('enrollments').find((e: any) => e._id === enrollment._id) as any).amountFen).toBe(40000);

  const list2 = await city.data('staffPolicy', { action: 'list' });
  expect(list2.builtInYears).toEqual([2022, 2024]);
  expect(list2.items.find((i: any) => i.id === '2030-v1')).toMatchObject({ locked: true, inEffect: false });
  expect(list2.items.find((i: any) => i.id === '2030-v2')).toMatchObject({ locked: false, inEffect: true, individualContributionFen: 42000 });

  const audit = (cloud.store.all('audit_log') as any[]).filter((a) => a.entity === 'policy_table');
  expect(audit.map((a) => `${a.entityId} ${a.to}`)).toEqual(['2030-v1 draft', '2030-v1 published', '2030-v1 published', '2030-v2 draft', '2030-v2 published']);
  expect(audit[4].reason).toContain('按省里通知调整个人缴费标准');
  expect(audit.every((a) => a.actor === city.openid)).toBe(true);
});
