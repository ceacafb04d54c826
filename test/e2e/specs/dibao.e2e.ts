/**
 * A 低保 resident (on the civil-affairs list for 2024) registers and pays 38.00: the check step
 * shows the assistance category and amount.
 */
import { browserScenario, screenshot } from '../support/browser';
import { acceptConsent, makeId, openApp, payInSheet, seedAssistance, signIn, verifySelf, button } from '../support/resident';

const SPEC = 'dibao';
const ID = makeId('340102', '1962-07-08', 333);
// Test set-up: the department's list row, as the staff import stores it.
const world = browserScenario('2023-10-08T10:00:00+08:00', { setup: async (cloud) => seedAssistance(cloud, ID, 2024, 'dibao') });

test('a dibao resident pays 38.00', async () => {
  const { cloud, pages: [page] } = world;
  await openApp(page, cloud);
  await signIn(page, 'zhaoqiang');
  await acceptConsent(page);
  await verifySelf(page, { name: '赵强', idNumber: ID, sex: '男', hukou: '合肥市户籍' });

  await page.getByTestId('payable').getByText('¥38.00').waitFor();
  await page.getByTestId('toggle-breakdown').click();
  const breakdown = page.getByTestId('breakdown');
  await breakdown.getByText('低保对象：资助90%，342.00元').waitFor();
  await screenshot(page, SPEC, '01-quote');
  await button(page, '确认无误，去支付').click();

  await page.getByTestId('order-total').getByText('¥38.00').waitFor();
  await payInSheet(page, '38.00');
  await screenshot(page, SPEC, '02-paid');
});
