/**
 * A local-hukou adult, new to the app: signs in, reads and accepts the privacy notice, registers
 * by verifying himself (实名核验 through the simulated face sheet: no ID photo is needed then),
 * checks the quote and pays 380.00 yuan for 2024 (2023-10-08). The ID-card upload path is
 * covered by document-review (registration without face verification).
 */
import { browserScenario, screenshot } from '../support/browser';
import { acceptConsent, answerFaceSheet, button, fillPerson, makeId, openApp, payInSheet, settle, signIn } from '../support/resident';

const SPEC = 'adult-local';
const world = browserScenario('2023-10-08T10:00:00+08:00');

test('registers by face verification and pays 380.00 for 2024', async () => {
  const { cloud, pages: [page] } = world;
  await openApp(page, cloud);
  await signIn(page, 'zhangwei');
  await acceptConsent(page);

  // Back home: nobody registered yet; he verifies himself first.
  await page.getByTestId('no-persons').waitFor();
  await page.getByTestId('window-status').getByText('还剩 85 天').waitFor();
  await page.getByTestId('verify-needed').getByText('请先完成实名核验').waitFor();
  await screenshot(page, SPEC, '01-home-empty');
  await button(page, '开始实名核验').click();

  // Step 1: who (实名核验). A wrong ID number is refused next to its field.
  await fillPerson(page, { name: '张伟', idNumber: '340104198505201235', sex: '男', hukou: '合肥市户籍' });
  await button(page, '开始人脸核验').click();
  await page.getByText('身份证号码不正确，请核对后重新输入').waitFor();
  await screenshot(page, SPEC, '02-id-error');
  const id = makeId('340104', '1985-05-20', 131);
  await fillPerson(page, { name: '张伟', idNumber: id, sex: '男', hukou: '合肥市户籍' });
  await screenshot(page, SPEC, '03-form');
  await button(page, '开始人脸核验').click();
  await answerFaceSheet(page, '张伟', true);

  // Step 2: check — the engine's amount, breakdown one tap away.
  await page.getByTestId('payable').getByText('¥380.00').waitFor();
  await page.getByTestId('toggle-breakdown').click();
  const breakdown = page.getByTestId('breakdown');
  await breakdown.getByText('合肥市户籍居民', { exact: true }).waitFor();
  await breakdown.getByText('2024年1月1日至2024年12月31日', { exact: true }).waitFor();
  await screenshot(page, SPEC, '05-quote');
  await button(page, '确认无误，去支付').click();

  // Step 4: pay in the simulated sheet; the result comes from queryOrder.
  await page.getByTestId('order-total').getByText('¥380.00').waitFor();
  await screenshot(page, SPEC, '06-order');
  await button(page, '确认支付 ¥380.00').click();
  await page.getByTestId('pay-sheet').waitFor();
  await screenshot(page, SPEC, '07-sheet');
  await page.getByTestId('pay-sheet').locator('.nut-button', { hasText: '确认支付' }).click();
  await page.getByTestId('pay-success').waitFor({ timeout: 30000 });
  expect(await page.getByTestId('pay-success').textContent()).toContain('¥380.00');
  await screenshot(page, SPEC, '08-paid');

  // Receipt.
  await button(page, '查看缴费凭证').click();
  const receipt = page.getByTestId('receipt');
  await receipt.waitFor();
  const text = (await receipt.textContent()) ?? '';
  expect(text).toContain('张伟');
  // The display mask: first 3 and last 4 characters only (issue 9).
  expect(text).toContain(`340***********${id.slice(-4)}`);
  expect(text).not.toContain('340104');
  expect(text).toContain('¥380.00');
  expect(text).toContain('2024年度');
  await screenshot(page, SPEC, '09-receipt');

  // Home: paid, syncing within two working days.
  await page.goto(`${cloud.url}/#/pages/index/index`);
  await settle(page);
  // 已缴费 once; the sync date is its own line.
  await page.getByTestId('person-card').getByTestId('person-status').getByText('已缴费', { exact: true }).waitFor();
  await page.getByTestId('person-card').getByText(/前同步至医保系统/).waitFor();
  await screenshot(page, SPEC, '10-home-paid');
});
