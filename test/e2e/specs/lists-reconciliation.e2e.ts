/**
 * Issue 12, 多缴核对: a resident paid the full ¥380.00 for 2024 through WeChat Pay; a week later
 * 蜀山区's office imports a 低保 list with her on it (she now owes ¥38.00). The import counts her
 * under 已按全额缴费，待核对差额; the office opens 多缴核对名单, reads what she paid, owes and
 * the difference, gives ¥342.00 back (微信原路退还, with a note) and sees the entry settled; she
 * reads the refund and its reason in 缴费记录 and stays paid for 2024.
 * Screenshots in test-results/e2e/lists-reconciliation.
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { adult, CONSENT, payFor, signIn as signInApi, verify } from '../../cloud/helpers';
import { browserScenario, screenshot } from '../support/browser';
import { button, makeId, openApp, setClock, signIn, vis } from '../support/resident';
import { signInStaff } from '../support/staff';

const SPEC = 'lists-reconciliation';
const PAYER_ID = makeId('340104', '1959-09-09', 17);

const world = browserScenario('2023-10-08T10:00:00+08:00', {
  pages: 2,
  // Her own payment, through the functions (the paying flow has browser tests of its own).
  setup: async (cloud) => {
    const payer = await signInApi(cloud.url, 'paid_in_full');
    await payer.data('resident', CONSENT);
    const me = await verify(payer, adult('郑桂兰', PAYER_ID, { communityId: 'org-c-340104-anjuyuan' }));
    await payFor(cloud.url, payer, [{ personId: me.personId, benefitYear: 2024 }]);
  },
});

test('the district gives back what a resident paid above her 低保 share, and she reads it in 缴费记录', async () => {
  const { cloud, pages: [office, phone] } = world;
  await setClock(cloud, '2023-10-15T10:00:00+08:00');
  const dir = mkdtempSync(join(tmpdir(), 'e2e-reconciliation-'));
  const file = join(dir, 'dibao-addition-2024.csv');
  writeFileSync(file, '\ufeff姓名,身份证号码,救助类别,所属乡镇/街道,所属村/社区\n郑桂兰,' + PAYER_ID + ',低保,三里庵街道,安居苑社区\n');

  await openApp(office, cloud);
  await signInStaff(office, 'sq_district');
  await vis(office, 'staff-lists-entry').locator('.nut-button', { hasText: '导入名单' }).click();
  await vis(office, 'list-upload').waitFor();
  await office.locator('[data-testid="list-file"]:visible').setInputFiles(file);
  await vis(office, 'list-report-title').getByText('已导入 dibao-addition-2024.csv').waitFor({ timeout: 60_000 });
  await vis(office, 'list-report').filter({ hasText: '已按全额缴费，待核对差额' }).getByText('1 人').first().waitFor();
  await vis(office, 'list-report').scrollIntoViewIfNeeded();
  await screenshot(office, SPEC, '01-import-report');

  await button(office, '多缴核对名单').click();
  await vis(office, 'reconciliation-total').getByText('共 1 人').waitFor({ timeout: 30_000 });
  const entry = vis(office, 'reconciliation-item').filter({ hasText: '郑桂兰' });
  const text = await entry.innerText();
  expect(text).toContain('已缴');
  expect(text).toMatch(/¥\s?380\.00/);
  expect(text).toMatch(/¥\s?38\.00/);
  expect(text).toMatch(/¥\s?342\.00/);
  expect(text).toContain('微信支付');
  expect(text).toContain('待退还差额');
  expect(text).not.toContain(PAYER_ID);
  await screenshot(office, SPEC, '02-reconciliation-open');

  await entry.locator('.nut-button', { hasText: '退还差额' }).click();
  await vis(office, 'settle-form').waitFor();
  await vis(office, 'settle-form').locator('input').fill('列入低保，差额原路退还');
  await screenshot(office, SPEC, '03-settle-form');
  await vis(office, 'settle-form').locator('.nut-button', { hasText: '确认微信原路退还' }).click();
  await entry.getByTestId('settled').waitFor({ timeout: 30_000 });
  expect(await entry.getAttribute('data-status')).toBe('settled');
  await entry.getByText('已退还差额').first().waitFor();
  await entry.getByText('微信原路退还', { exact: false }).waitFor();
  await screenshot(office, SPEC, '04-settled');

  // Her phone: 缴费记录 shows the refund of the difference and why; she is still paid for 2024.
  await openApp(phone, cloud);
  await signIn(phone, 'paid_in_full');
  await phone.goto(`${cloud.url}/#/pages/records/index`);
  const record = vis(phone, 'payment-record').first();
  await record.getByTestId('refund').waitFor({ timeout: 30_000 });
  const refund = await record.getByTestId('refund').innerText();
  expect(refund).toMatch(/¥\s?342\.00/);
  expect(refund).toContain('已列入医疗救助资助名单，退还多缴差额');
  await record.scrollIntoViewIfNeeded();
  await screenshot(phone, SPEC, '05-resident-records');
  const enrollment = (cloud.store.all('enrollments') as any[]).find((e) => e.benefitYear === 2024);
  expect(enrollment).toMatchObject({ status: 'paid_pending_sync', amountFen: 38000 });
});
