/**
 * Issue 12: a university's roster, and a student who pays from it. 合肥工业大学 uploads its roster
 * (csv) and reads the report and the progress per faculty; a student from another province signs
 * in, accepts the notice, verifies herself (实名核验 through the simulated face sheet), opens 学生参保
 * from home and finds herself — nothing to type — with the engine's amount, and pays in three taps
 * (去缴费 → 确认支付 → the pay sheet's 确认支付). Her university's list then shows her as paid.
 */
import { join } from 'path';
import { browserScenario, screenshot } from '../support/browser';
import { acceptConsent, button, openApp, settle, signIn, type, verifySelf, vis } from '../support/resident';
import { signInStaff } from '../support/staff';
import { HFUT_2024 } from '../../fixtures/rosters/make-fixtures';

const SPEC = 'student-roster';
const world = browserScenario('2023-10-08T10:00:00+08:00', { pages: 2 });
const [studentNo, name, idNumber] = HFUT_2024[0];

test('the university uploads its roster and sees the report and progress per faculty', async () => {
  const { cloud, pages: [page] } = world;
  await openApp(page, cloud);
  await signInStaff(page, 'hfut_staff');
  await page.getByTestId('staff-roster-entry').waitFor();
  await screenshot(page, SPEC, '01-staff-home');
  await button(page, '查看学生名单').click();
  await page.getByTestId('roster-upload').waitFor();
  // A file with problems first: reported row by row, nothing imported.
  await page.getByTestId('roster-file').setInputFiles(join(__dirname, '..', '..', 'fixtures', 'rosters', 'hfut-2024-bad.csv'));
  await page.getByTestId('roster-report-title').getByText('整份文件未导入', { exact: false }).waitFor({ timeout: 30000 });
  expect(await page.getByTestId('roster-error').count()).toBe(4);
  await page.getByTestId('roster-error').first().getByText('第3行', { exact: false }).waitFor();
  await screenshot(page, SPEC, '02-bad-report');
  await page.getByTestId('roster-file').setInputFiles(join(__dirname, '..', '..', 'fixtures', 'rosters', 'hfut-2024.csv'));
  await page.getByTestId('roster-report-title').getByText('已导入 hfut-2024.csv').waitFor({ timeout: 30000 });
  const progress = page.getByTestId('roster-progress');
  await progress.getByText('计算机与信息学院（院系）').waitFor();
  expect(await page.getByTestId('roster-group').count()).toBe(2);
  await screenshot(page, SPEC, '03-imported-progress');
});

test('a student verifies herself, finds herself on the list and pays in three taps', async () => {
  const { cloud, pages: [, page] } = world;
  await openApp(page, cloud);
  await signIn(page, 'lin_xiaoyu');
  await acceptConsent(page);
  await page.getByTestId('verify-needed').waitFor();
  await verifySelf(page, { name, idNumber, sex: '女', hukou: '外地户籍', answers: { student: true } });
  await page.getByTestId('payable').waitFor({ timeout: 30000 });
  await page.goto(`${cloud.url}/#/pages/index/index`);
  await vis(page, 'student-entry-link').waitFor();
  await screenshot(page, SPEC, '04-home');
  await vis(page, 'student-entry-link').click();

  const entry = vis(page, 'student-entry');
  await entry.waitFor();
  await entry.getByText('合肥工业大学').waitFor();
  await entry.getByText(studentNo).waitFor();
  await entry.getByText('380.00元', { exact: false }).waitFor();
  await screenshot(page, SPEC, '05-found-on-list');

  // Tap 1: 去缴费. Tap 2: 确认支付 (opens WeChat Pay; here the simulated sheet). Tap 3: pay in the sheet.
  await entry.locator('.nut-button', { hasText: '去缴费' }).click();
  await page.getByTestId('order-total').getByText('¥380.00').waitFor();
  await button(page, '确认支付 ¥380.00').click();
  const sheet = page.getByTestId('pay-sheet');
  await sheet.waitFor();
  await screenshot(page, SPEC, '06-pay-sheet');
  await sheet.locator('.nut-button', { hasText: '确认支付' }).click();
  await page.getByTestId('pay-success').waitFor({ timeout: 30000 });
  await screenshot(page, SPEC, '07-paid');

  await page.goto(`${cloud.url}/#/student/pages/index/index`);
  await vis(page, 'student-status').getByText('已缴费').waitFor({ timeout: 30000 });
  await vis(page, 'student-benefit-start').getByText('2024-01-01', { exact: false }).waitFor();
  await screenshot(page, SPEC, '08-entry-paid');
});

test("the university's faculty list shows her as paid by WeChat; it records a batch it collected with tuition", async () => {
  const { cloud, pages: [page] } = world;
  await page.goto(`${cloud.url}/#/staff/pages/roster/index`);
  await settle(page);
  const group = page.getByTestId('roster-group').filter({ hasText: '计算机与信息学院' });
  await group.getByText('微信 1', { exact: false }).waitFor({ timeout: 30000 });
  await group.click();
  const row = vis(page, 'roster-entry').filter({ hasText: name });
  await row.getByText('已微信缴费', { exact: false }).waitFor();
  await screenshot(page, SPEC, '09-faculty-list');

  // The fee of two classmates collected with tuition on 2023-09-15: one batch; she is not selectable.
  expect(await row.getAttribute('role')).toBeNull();
  await vis(page, 'roster-entry').filter({ hasText: HFUT_2024[1][1] }).click();
  await vis(page, 'roster-entry').filter({ hasText: HFUT_2024[2][1] }).click();
  await type(page, 'collectedOn', '2023-09-15');
  await type(page, 'batchNo', 'SJ2023-0001');
  await button(page, '登记代收（已选 2 人）').click();
  const result = vis(page, 'batch-result');
  await result.getByText('已登记代收 2 人', { exact: false }).waitFor({ timeout: 30000 });
  await result.getByText('760.00元', { exact: false }).waitFor();
  await vis(page, 'roster-entry').filter({ hasText: HFUT_2024[1][1] }).getByText('学校已代收', { exact: false }).waitFor();
  await screenshot(page, SPEC, '10-batch-recorded');
});
