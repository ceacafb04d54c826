/**
 * Renewal: a person enrolled and paid for 2022 (set up through the gateway at 2021-10-08, as the
 * app would have done); at 2023-10-08 the home page offers 去缴费 and one tap leads to the order.
 */
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, phonePage, screenshot, startCloud, type LocalCloud } from '../support/browser';
import { makeId, openApp, payInSheet, PNG_1x1, setClock, settle, signIn, button } from '../support/resident';

const SPEC = 'renewal';
let cloud: LocalCloud;
let browser: Browser;
let page: Page;

async function api(path: string, body: unknown, token?: string): Promise<any> {
  const r = await fetch(`${cloud.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await r.json()) as any;
  if (!r.ok) throw new Error(`${path} ${r.status} ${JSON.stringify(json)}`);
  return json;
}

async function call(token: string, fn: string, event: Record<string, unknown>): Promise<any> {
  const { result } = await api(`/api/functions/${fn}`, event, token);
  if (!result.ok) throw new Error(`${fn}.${event.action}: ${result.error.code}`);
  return result.data;
}

/** Test set-up: the 2022 enrollment, through the same gateway the app uses. */
async function enrolFor2022(account: string): Promise<void> {
  const { token } = await api('/api/auth/login', { account });
  await call(token, 'resident', { action: 'acceptConsent', version: '2023-08' });
  const m = await call(token, 'resident', {
    action: 'addFamilyMember',
    name: '王秀兰',
    sex: 'female',
    idNumber: makeId('340104', '1956-04-12', 122),
    relation: 'self',
    hukou: 'local',
    address: '合肥市庐阳区长江中路1号',
    mobile: '13900001111',
    answers: {},
  });
  const { cloudPath } = await call(token, 'resident', { action: 'requestUpload', personId: m.personId, kind: 'id_card_front', ext: 'png' });
  const form = new FormData();
  form.append('cloudPath', cloudPath);
  form.append('file', new Blob([PNG_1x1]), 'front.png');
  const up = await fetch(`${cloud.url}/api/storage/upload`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const { fileID } = (await up.json()) as any;
  await call(token, 'resident', { action: 'attachDocument', personId: m.personId, kind: 'id_card_front', fileID });
  const order = await call(token, 'payment', { action: 'createOrder', items: [{ personId: m.personId, benefitYear: 2022 }] });
  await api('/api/pay/confirm', { outTradeNo: order.outTradeNo }, token);
  const paid = await call(token, 'payment', { action: 'queryOrder', outTradeNo: order.outTradeNo });
  if (paid.status !== 'paid') throw new Error('2022 order not paid');
}

beforeAll(async () => {
  cloud = await startCloud('2021-10-08T10:00:00+08:00');
  await enrolFor2022('wangxiulan');
  await setClock(cloud, '2023-10-08T10:00:00+08:00');
  browser = await launchBrowser();
  page = await phonePage(browser);
});

afterAll(async () => {
  await browser?.close();
  await cloud?.close();
});

test('renews for 2024 in one tap from the home page', async () => {
  await openApp(page, cloud);
  await signIn(page, 'wangxiulan');

  // Already consented in 2021: straight to the status.
  const card = page.getByTestId('person-card');
  await card.waitFor();
  expect(await card.textContent()).toContain('王秀兰');
  expect(await card.getByTestId('person-status').textContent()).toBe('未参保');
  expect(await card.textContent()).toContain('应缴：¥380.00');
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
