/**
 * Renewal: a person enrolled and paid for 2022 (set up through the gateway at 2021-10-08, as the
 * app would have done, then put in the shape records had before verification existed); at
 * 2023-10-08 the home page asks her to verify (请完成实名核验) yet still offers 去缴费, and one tap
 * leads to the order.
 */
import { browserScenario, screenshot } from '../support/browser';
import { makeId, openApp, payInSheet, setClock, settle, signIn, button } from '../support/resident';
import { enrollThroughGateway } from '../../../scripts/seed';

const SPEC = 'renewal';
const world = browserScenario('2021-10-08T10:00:00+08:00', {
  setup: async (cloud) => {
    // Test set-up: the 2022 enrollment, through the real functions at a date in the 2021 window.
    await enrollThroughGateway(cloud.url, 'wangxiulan', {
      name: '王秀兰',
      sex: 'female',
      idNumber: makeId('340104', '1956-04-12', 122),
      address: '合肥市庐阳区长江中路1号',
      mobile: '13900001111',
    }, 2022);
    // Registered before issue 9: no verification on the person, no basis/status on the link.
    for (const p of cloud.store.all('persons') as any[]) {
      const { verification, verifiedOpenid, verifiedAt, ...old } = p;
      cloud.store.write([{ c: 'persons', id: p._id, doc: old }]);
    }
    for (const l of cloud.store.all('family_links') as any[]) {
      const { basis, status, grantedAt, grantedBy, ...old } = l;
      cloud.store.write([{ c: 'family_links', id: l._id, doc: old }]);
    }
    await setClock(cloud, '2023-10-08T10:00:00+08:00');
  },
});

test('renews for 2024 in one tap from the home page', async () => {
  const { cloud, pages: [page] } = world;
  await openApp(page, cloud);
  await signIn(page, 'wangxiulan');

  // Already consented in 2021: straight to the status.
  const card = page.getByTestId('person-card');
  await card.waitFor();
  expect(await card.textContent()).toContain('王秀兰');
  // Paid in 2021, not yet for 2024: a renewal reads 待续缴, not 未参保 (issue 10).
  expect(await card.getByTestId('person-status').textContent()).toBe('待续缴');
  expect(await card.textContent()).toContain('应缴：¥380.00');
  // Registered before verification existed: asked to verify at this visit, and still able to pay.
  await page.getByTestId('verify-needed').getByText('请完成实名核验').waitFor();
  await screenshot(page, SPEC, '01-home');

  // One tap: the order, no form, no upload.
  await card.locator('.nut-button', { hasText: '去缴费' }).click();
  await page.getByTestId('order-total').getByText('¥380.00').waitFor();
  await screenshot(page, SPEC, '02-order');
  await payInSheet(page, '380.00');
  await screenshot(page, SPEC, '03-paid');

  // History over the years: 2022 and 2024.
  await page.goto(`${cloud.url}/#/pages/records/index`);
  await settle(page);
  await page.getByTestId('history-card').getByText('参保历史 ▼').click();
  await page.getByText('2022年度', { exact: true }).waitFor();
  await page.getByText('2024年度', { exact: true }).first().waitFor();
  await screenshot(page, SPEC, '04-history');
});
