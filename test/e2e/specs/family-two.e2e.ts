/**
 * A family pays for two people at once: the resident verifies and registers herself, then adds
 * her husband from the check step ("再添加一位家人，一起缴费"); he accepts her invitation on his
 * own phone (issue 9: an adult authorizes who acts for him), and she pays one order of 760.00
 * for both. A second attempt for the same people and year shows the server's
 * message.
 */
import { browserScenario, screenshot } from '../support/browser';
import { acceptConsent, acceptInvitationOnPhone, button, createInviteLink, fillMember, makeId, openApp, payInSheet, settle, signIn, verifySelf, vis } from '../support/resident';

const SPEC = 'family-two';
const world = browserScenario('2023-10-08T10:00:00+08:00', { pages: 2 });
const HUSBAND = { relation: '配偶', name: '陈刚', idNumber: makeId('340103', '1986-11-02', 151), sex: '男', hukou: '合肥市户籍' } as const;

test('two family members in one order: 760.00', async () => {
  const { cloud, pages: [page, husband] } = world;
  await openApp(page, cloud);
  await signIn(page, 'liufang');
  await acceptConsent(page);
  await verifySelf(page, { name: '刘芳', idNumber: makeId('340103', '1988-03-15', 242), sex: '女', hukou: '合肥市户籍' });
  await vis(page, 'payable').getByText('¥380.00').waitFor();
  await button(page, '再添加一位家人，一起缴费').click();

  await fillMember(page, HUSBAND);
  await screenshot(page, SPEC, '01-second-member');
  await button(page, '下一步').click();

  // He is an adult: he accepts her invitation on his own phone, after verifying himself.
  const link = await createInviteLink(page);
  await acceptInvitationOnPhone(husband, link, 'chengang', HUSBAND, (step) => screenshot(husband, SPEC, `01-husband-${step}`));

  // Back home (he verified by face: no ID photo needed), she pays for both together.
  await page.goto(`${cloud.url}/#/pages/index/index`);
  await settle(page);
  await vis(page, 'pay-together').locator('.nut-button', { hasText: '为 2 人一起缴费' }).click();

  // The check step shows both people, each with the engine's amount.
  await vis(page, 'quote').nth(1).waitFor();
  expect(await vis(page, 'quote').count()).toBe(2);
  await vis(page, 'quote').getByText('刘芳', { exact: true }).waitFor();
  await vis(page, 'quote').getByText('陈刚', { exact: true }).waitFor();
  await screenshot(page, SPEC, '02-quote-two');
  await button(page, '确认无误，去支付').click();

  // One order, the server's total.
  await page.getByTestId('order-total').getByText('¥760.00').waitFor();
  expect(await page.getByTestId('order-item').count()).toBe(2);
  await screenshot(page, SPEC, '03-order');
  await payInSheet(page, '760.00');
  expect(await page.getByTestId('pay-success').textContent()).toContain('¥760.00');
  await screenshot(page, SPEC, '04-paid');

  // Back to the check step and try again: the server refuses, in plain words.
  await page.goBack();
  await settle(page);
  await button(page, '确认无误，去支付').click();
  const refused = page.getByTestId('pay-error');
  await refused.waitFor();
  expect(await refused.textContent()).toMatch(/已缴费|已参保|已经缴费|已支付/);
  await screenshot(page, SPEC, '05-second-attempt');

  // Records: one payment for both.
  await page.goto(`${cloud.url}/#/pages/records/index`);
  await settle(page);
  const record = page.getByTestId('payment-record');
  await record.waitFor();
  const text = (await record.textContent()) ?? '';
  expect(text).toContain('¥760.00');
  expect(text).toContain('刘芳');
  expect(text).toContain('陈刚');
  await screenshot(page, SPEC, '06-records');
});
