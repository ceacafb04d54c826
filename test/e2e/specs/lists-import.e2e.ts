/**
 * Issue 12: a district officer imports a 低保 list. 蜀山区's office (sq_district) opens 资助参保名单
 * from the staff home, sends a file with a mistake of each kind (GBK csv, as Excel in China saves
 * it) and reads the report — every problem by row number with a masked ID number, nothing
 * imported — then sends its good 2024 低保 list (before the 08-25 deadline) and reads what the
 * import did: the 特困 person enrolled with nothing to pay, the others on the mobilization list.
 * It opens the mobilization list, exports it, and the staff home counts the import with errors.
 * Screenshots in test-results/e2e/lists-import.
 */
import { join } from 'path';
import { browserScenario, screenshot } from '../support/browser';
import { button, openApp, settle, vis } from '../support/resident';
import { signInStaff } from '../support/staff';

const SPEC = 'lists-import';
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'lists');
const world = browserScenario('2023-08-20T10:00:00+08:00', { pages: 1 });

test('a district officer imports a 低保 list and sees the report', async () => {
  const { cloud, pages: [page] } = world;
  await openApp(page, cloud);
  await signInStaff(page, 'sq_district');
  await vis(page, 'staff-lists-entry').waitFor();
  await screenshot(page, SPEC, '01-staff-home');
  await vis(page, 'staff-lists-entry').locator('.nut-button', { hasText: '导入名单' }).click();
  await vis(page, 'list-upload').waitFor();
  // The server's season: the 2024 benefit year (its clock is 2023-08-20).
  await vis(page, 'list-year-2024').and(page.locator('[aria-checked="true"]')).waitFor();
  await screenshot(page, SPEC, '02-import-page');

  // A file with one mistake of each kind: reported row by row, nothing imported.
  await page.locator('[data-testid="list-file"]:visible').setInputFiles(join(FIXTURES, 'bad-shushan-2024-gbk.csv'));
  await vis(page, 'list-report-title').getByText('整份文件未导入', { exact: false }).waitFor({ timeout: 60_000 });
  expect(await vis(page, 'list-error').count()).toBe(6);
  await vis(page, 'list-error').first().getByText('第3行', { exact: false }).waitFor();
  await vis(page, 'list-error').filter({ hasText: '第6行' }).getByText('不在本辖区', { exact: false }).waitFor();
  const reportText = await vis(page, 'list-report').innerText();
  expect(reportText).toMatch(/340\*{11}\d{3}[\dX]/);
  expect(reportText).not.toMatch(/\d{17}[\dX]/);
  await vis(page, 'list-report').scrollIntoViewIfNeeded();
  await screenshot(page, SPEC, '03-bad-file-report');

  // The good list: imported, on time, with what it did.
  await page.locator('[data-testid="list-file"]:visible').setInputFiles(join(FIXTURES, 'dibao-shushan-2024.csv'));
  await vis(page, 'list-report-title').getByText('已导入 dibao-shushan-2024.csv').waitFor({ timeout: 60_000 });
  const report = vis(page, 'list-report');
  await report.getByText('初始名单').waitFor();
  await report.getByText('2023-08-25').waitFor();
  expect(await vis(page, 'list-late').count()).toBe(0);
  await report.filter({ hasText: '全额资助，已自动参保' }).getByText('1 人').first().waitFor();
  await report.filter({ hasText: '列入动员名单' }).getByText('4 人').first().waitFor();
  await report.scrollIntoViewIfNeeded();
  await screenshot(page, SPEC, '04-imported-report');

  // The mobilization list, and its export.
  await button(page, '动员名单').click();
  await vis(page, 'mobilization-total').getByText('共 4 人').waitFor({ timeout: 30_000 });
  expect(await vis(page, 'mobilization-item').count()).toBe(4);
  await vis(page, 'mobilization-item').filter({ hasText: '韩桂英' }).getByText('个人应缴 ¥38.00', { exact: false }).waitFor();
  await screenshot(page, SPEC, '05-mobilization');
  await button(page, '导出 Excel').click();
  await vis(page, 'mobilization-download').getByText('动员名单-2024.xlsx', { exact: false }).waitFor({ timeout: 60_000 });
  await vis(page, 'mobilization-download').scrollIntoViewIfNeeded();
  await screenshot(page, SPEC, '06-export');

  // The staff home counts the import with errors.
  // A fresh load: the home mounted at sign-in still holds its first answer.
  await page.goto(`${cloud.url}/#/staff/pages/index/index`);
  await page.reload();
  await settle(page);
  await vis(page, 'staff-lists-alert').waitFor({ timeout: 30_000 });
  await vis(page, 'staff-lists-entry').getByText('近 30 天有 1 个导入文件有错误', { exact: false }).waitFor();
  await vis(page, 'staff-lists-entry').scrollIntoViewIfNeeded();
  await screenshot(page, SPEC, '07-staff-home-errors');
});
