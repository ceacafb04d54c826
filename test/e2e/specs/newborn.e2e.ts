/**
 * A baby born 2024-03-01 is enrolled for 2024 on 2024-05-01, outside the centralized window
 * (the newborn rule); 2025 is listed as not yet published and cannot be chosen. The mother
 * verifies herself first (issue 9: only a verified parent registers a child).
 */
import { browserScenario, screenshot } from '../support/browser';
import { acceptConsent, button, choose, makeId, openApp, payInSheet, settle, signIn, type, verifySelf, vis } from '../support/resident';

const SPEC = 'newborn';
const world = browserScenario('2024-05-01T10:00:00+08:00');

test('newborn enrolled for 2024; 2025 not yet published', async () => {
  const { cloud, pages: [page] } = world;
  await openApp(page, cloud);
  await signIn(page, 'sunmei');
  await acceptConsent(page);
  await page.getByTestId('window-status').getByText('集中缴费期已结束').waitFor();
  // Only a verified parent registers a child.
  await verifySelf(page, { name: '孙梅', idNumber: makeId('340104', '1992-06-18', 226), sex: '女', hukou: '合肥市户籍' });
  await page.getByRole('heading', { name: '核对缴费信息' }).first().waitFor();
  await page.goto(`${cloud.url}/#/pages/index/index`);
  await settle(page);
  await page.locator('.hf-entry', { hasText: '新生儿参保' }).click();

  await page.getByTestId('choice-sex').waitFor();
  // The guardian's confirmation is required.
  await type(page, 'birthDate', '2024-03-01');
  await type(page, 'name', '孙小宝');
  await choose(page, 'sex', '女');
  await type(page, 'birthCertificateNo', 'Q340123456');
  await choose(page, 'hukou', '合肥户籍');
  await choose(page, 'parentRelation', '母亲');
  await button(page, '下一步').click();
  await page.getByText('请确认您是孩子的监护人并同意隐私保护说明').waitFor();
  await screenshot(page, SPEC, '01-guardian-required');
  await page.getByTestId('guardian-tick').click();
  await button(page, '下一步').click();

  // The years: 2024 with its amount, 2025 not published.
  const y2024 = page.getByTestId('year-2024');
  const y2025 = page.getByTestId('year-2025');
  await y2024.waitFor();
  expect(await y2024.textContent()).toContain('¥380.00');
  expect(await y2025.textContent()).toContain('未公布');
  expect(await y2025.getAttribute('aria-disabled')).toBe('true');
  await y2025.click({ force: true }); // nothing happens
  expect(await y2025.getAttribute('aria-checked')).toBe('false');
  expect(await y2024.getAttribute('aria-checked')).toBe('true');
  await page.getByTestId('toggle-breakdown').click();
  await page.getByTestId('breakdown').getByText('2024年3月1日至2024年12月31日', { exact: true }).waitFor();
  await screenshot(page, SPEC, '02-years');
  await button(page, '去支付').click();

  await page.getByTestId('order-total').getByText('¥380.00').waitFor();
  await payInSheet(page, '380.00');
  await screenshot(page, SPEC, '03-paid');
});
