/**
 * Issue 10 in the browser (2023-10-08, benefit year 2024): a family paying for everyone from
 * home in one order; a fully assisted (特困) resident told 医疗救助全额资助，无需缴费 with a way
 * home; a refresh in the middle of paying (继续支付 / 取消订单 right there); and a wrong
 * eligibility answer corrected on the person's page, after which she pays.
 */
import { randomBytes } from 'crypto';
import { mkdtempSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { deflateSync } from 'zlib';
import type { Page } from 'playwright-core';
import { browserScenario, phonePage, screenshot } from '../support/browser';
import {
  acceptConsent,
  answerFaceSheet,
  answerQuestions,
  button,
  choose,
  fillMember,
  field,
  fillPerson,
  makeId,
  openApp,
  payInSheet,
  pngFixture,
  seedAssistance,
  settle,
  signIn,
  verifySelf,
  vis,
} from '../support/resident';

const SPEC = 'resident-flows';
const TEKUN = { name: '孙有福', idNumber: makeId('340102', '1950-02-11', 135), sex: '男', hukou: '合肥市户籍' } as const;
const world = browserScenario('2023-10-08T10:00:00+08:00', { pages: 4, setup: async (cloud) => seedAssistance(cloud, TEKUN.idNumber, 2024, 'tekun') });

/** Runs a journey; on failure keeps a screenshot of where it stopped. */
async function run(page: Page, name: string, journey: () => Promise<void>): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e?.stack ?? e).slice(0, 600)));
  page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text().slice(0, 400)) : undefined));
  try {
    await journey();
  } catch (e) {
    await screenshot(page, SPEC, `zz-failed-${name}`).catch(() => undefined);
    if (errors.length) console.error(`page errors (${name}):`, errors.join('\n'));
    console.error(`page (${name}) at ${page.url()}:`, (await page.evaluate(() => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText).catch(() => '')).slice(0, 800));
    throw e;
  }
}

async function home(page: Page): Promise<void> {
  // A fresh load of home (a hash change alone can leave the H5 router on a blank page).
  await page.evaluate(() => (globalThis as unknown as { sessionStorage: { clear(): void } }).sessionStorage.clear());
  await page.goto(`${world.cloud.url}/#/pages/index/index`);
  await page.reload();
  await settle(page);
  await vis(page, 'home-dashboard').waitFor();
}

test('a family pays for everyone from home in one order: 为 2 人一起缴费 ¥760.00, 核对 shows the total', async () => {
  const page = world.pages[0];
  await run(page, 'family', async () => {
    await openApp(page, world.cloud);
    await signIn(page, 'flows_family');
    await acceptConsent(page);
    await verifySelf(page, { name: '陈静', idNumber: makeId('340104', '1989-06-06', 262), sex: '女', hukou: '合肥市户籍', address: '合肥市蜀山区黄山路8号', mobile: '13955556666' });
    // Verified by face: no photo, straight to 核对.
    await vis(page, 'payable').getByText('¥380.00').waitFor();
    await button(page, '再添加一位家人，一起缴费').click();
    await fillMember(page, { relation: '子女', name: '陈小米', idNumber: makeId('340104', '2017-08-08', 282), sex: '女', hukou: '合肥市户籍' });
    // Her own address and mobile, one tap away.
    await vis(page, 'use-my-contact').click();
    expect(await field(page, 'address').inputValue()).toBe('合肥市蜀山区黄山路8号');
    expect(await field(page, 'mobile').inputValue()).toBe('13955556666');
    await choose(page, 'parentRelation', '母亲');
    await vis(page, 'guardian-tick').click();
    await button(page, '下一步').click();
    await page.getByRole('heading', { name: '上传证明材料' }).waitFor();
    await choose(page, 'doc-type', '户口簿');
    await vis(page, 'slot-hukou_page').locator('input[type=file]').setInputFiles(pngFixture('hukou.png'));
    await vis(page, 'slot-hukou_page').getByText('已上传，等待审核').waitFor();

    // Home: one button for both; the cards have no 去缴费 of their own.
    await home(page);
    const together = vis(page, 'pay-together');
    await together.getByText('陈静、陈小米：一笔订单一起缴费，合计 ¥760.00').waitFor();
    expect(await page.locator('[data-testid="person-card"]:visible .nut-button', { hasText: '去缴费' }).count()).toBe(0);
    await screenshot(page, SPEC, '01-home-pay-together');
    await together.locator('.nut-button', { hasText: '为 2 人一起缴费 ¥760.00' }).click();

    await vis(page, 'quote-total').getByText('¥760.00').waitFor();
    expect(await vis(page, 'quote').count()).toBe(2);
    await screenshot(page, SPEC, '02-quote-total');
    await button(page, '确认无误，去支付').click();
    await vis(page, 'order-total').getByText('¥760.00').waitFor();
    expect(await vis(page, 'order-item').count()).toBe(2);
    await payInSheet(page, '760.00');
    await screenshot(page, SPEC, '03-paid-760');

    // Home has nothing left to pay; 核对 for them again shows the paid state and the receipt, not 去支付.
    await home(page);
    expect(await vis(page, 'pay-together').count()).toBe(0);
    const ids = (world.cloud.store.all('persons') as any[]).filter((p) => p.name === '陈静' || p.name === '陈小米').map((p) => p._id);
    await page.goto(`${world.cloud.url}/#/pages/quote/index?persons=${ids.join(',')}`);
    await vis(page, 'quote-all-paid').getByText('2024年度已缴费').waitFor();
    expect(await vis(page, 'quote-paid').count()).toBe(2);
    expect(await button(page, '确认无误，去支付').count()).toBe(0);
    await screenshot(page, SPEC, '03b-quote-already-paid');
    await vis(page, 'quote-paid').first().getByText('查看缴费凭证 ›').click();
    await page.getByText('¥760.00').first().waitFor();
  });
});

test('a 特困 resident (¥0.00): 医疗救助全额资助，无需缴费 and 返回首页, no greyed 去支付', async () => {
  const page = world.pages[1];
  await run(page, 'tekun', async () => {
    await openApp(page, world.cloud);
    await signIn(page, 'flows_tekun');
    await acceptConsent(page);
    await verifySelf(page, TEKUN);
    const lead = vis(page, 'quote-assisted');
    await lead.getByText('医疗救助全额资助，无需缴费').waitFor();
    await vis(page, 'payable').getByText('¥0.00').waitFor();
    expect(await button(page, '确认无误，去支付').count()).toBe(0);
    await screenshot(page, SPEC, '04-tekun-assisted');
    await button(page, '返回首页').click();
    await vis(page, 'home-dashboard').waitFor();
    await vis(page, 'person-status').getByText('资助参保（无需缴费）').waitFor();
    await screenshot(page, SPEC, '05-tekun-home');
  });
});

test('a refresh on the pay sheet: 继续支付 and 取消订单 right there; cancelled, ordered again, refreshed again, continued and paid 380.00', async () => {
  const page = world.pages[2];
  await run(page, 'refresh', async () => {
    await openApp(page, world.cloud);
    await signIn(page, 'flows_refresh');
    await acceptConsent(page);
    await verifySelf(page, { name: '刘洋', idNumber: makeId('340111', '1991-01-21', 311), sex: '男', hukou: '合肥市户籍' });
    await vis(page, 'payable').getByText('¥380.00').waitFor();
    await button(page, '确认无误，去支付').click();
    await button(page, '确认支付 ¥380.00').click();
    await page.getByTestId('pay-sheet').waitFor();
    await screenshot(page, SPEC, '06-sheet-before-refresh');

    await page.reload();
    const held = vis(page, 'pay-held');
    await held.waitFor();
    await held.getByText('有一笔订单还没有支付').waitFor();
    await screenshot(page, SPEC, '07-after-refresh');
    await held.locator('.nut-button', { hasText: '取消订单' }).click();
    await vis(page, 'pay-cancelled').getByText('订单已取消').waitFor();
    await screenshot(page, SPEC, '08-cancelled');
    await vis(page, 'pay-cancelled').locator('.nut-button', { hasText: '重新下单' }).click();
    await vis(page, 'order-total').getByText('¥380.00').waitFor();

    await button(page, '确认支付 ¥380.00').click();
    await page.getByTestId('pay-sheet').waitFor();
    await page.reload();
    await vis(page, 'pay-held').locator('.nut-button', { hasText: '继续支付' }).click();
    await vis(page, 'order-total').getByText('¥380.00').waitFor();
    await payInSheet(page, '380.00');
    await screenshot(page, SPEC, '09-paid-after-refresh');
    // One order for her, continued rather than duplicated, and paid once.
    const hers = world.cloud.store.all('orders').filter((o: any) => o.items.some((i: any) => i.name === '刘洋'));
    expect(hers.filter((o: any) => o.status === 'paid')).toHaveLength(1);
    expect(hers.filter((o: any) => o.status === 'pending')).toHaveLength(0);
  });
});

test('a wrong eligibility answer (已参加职工医保: 是) is corrected on the person page; she then pays 380.00', async () => {
  const page = world.pages[3];
  await run(page, 'correction', async () => {
    await openApp(page, world.cloud);
    await signIn(page, 'flows_correct');
    await acceptConsent(page);
    await button(page, '开始实名核验').click();
    const me = { name: '黄敏', idNumber: makeId('340104', '1985-05-05', 402), sex: '女', hukou: '合肥市户籍', answers: { employeeInsured: true } } as const;
    await fillPerson(page, me);
    await button(page, '开始人脸核验').click();
    await answerFaceSheet(page, me.name, true);
    await vis(page, 'quote').getByText('已参加职工医保，不需要再参加居民医保').first().waitFor();
    await screenshot(page, SPEC, '10-wrong-answer');

    await home(page);
    const card = page.locator('[data-testid="person-card"]:visible', { hasText: me.name });
    await card.getByTestId('person-status').getByText('不符合参保条件').waitFor();
    await card.getByTestId('person-details').click();
    await choose(page, 'fact', '户籍和参保条件');
    await choose(page, 'hukou', '合肥市户籍');
    // Saving with the questions unanswered is refused.
    await button(page, '保存修改').click();
    await vis(page, 'answers-error').getByText('请回答全部参保条件问题').waitFor();
    await answerQuestions(page, {});
    await screenshot(page, SPEC, '11-correcting');
    await button(page, '保存修改').click();
    await vis(page, 'fact-saved').waitFor();
    await screenshot(page, SPEC, '12-corrected');

    await home(page);
    await card.locator('.nut-button', { hasText: '去缴费' }).click();
    await vis(page, 'order-total').getByText('¥380.00').waitFor();
    await payInSheet(page, '380.00');
    await screenshot(page, SPEC, '13-paid-after-correction');
  });
});

/** An ordinary phone photo's size: a 1600×1300 PNG of noise (about 6 MB, it does not compress). */
function bigPhoto(): string {
  const width = 1600;
  const height = 1300;
  const chunk = (kind: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(kind, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(require('zlib').crc32(body) >>> 0);
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows = Buffer.concat(Array.from({ length: height }, () => Buffer.concat([Buffer.from([0]), randomBytes(width * 3)])));
  const file = join(mkdtempSync(join(tmpdir(), 'e2e-big-')), 'phone-photo.png');
  writeFileSync(file, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 1 })), chunk('IEND', Buffer.alloc(0))]));
  return file;
}

test('an ordinary 6 MB phone photo is compressed in the browser and uploaded; the slot shows its thumbnail', async () => {
  const page = await phonePage(world.browser);
  await run(page, 'photo', async () => {
    const photo = bigPhoto();
    expect(statSync(photo).size).toBeGreaterThan(5 * 1024 * 1024);
    await openApp(page, world.cloud);
    await signIn(page, 'flows_photo');
    await acceptConsent(page);
    await button(page, '开始实名核验').click();
    await fillPerson(page, { name: '唐宁', idNumber: makeId('340104', '1990-10-10', 817), sex: '女', hukou: '合肥市户籍' });
    await button(page, '上传证件，由工作人员审核').click();
    const slot = vis(page, 'slot-id_card_front');
    await slot.waitFor();
    await slot.locator('input[type=file]').setInputFiles(photo);
    await slot.getByText('已上传，等待审核').waitFor({ timeout: 60000 });
    await vis(page, 'thumb-id_card_front').waitFor();
    await screenshot(page, SPEC, '14-big-photo-compressed');
    const doc = (world.cloud.store.all('documents') as any[]).find((d) => d.kind === 'id_card_front' && d.status === 'pending_review');
    expect(doc.mime).toBe('image/jpeg');
    expect(doc.size).toBeLessThan(1.5 * 1024 * 1024);
  });
});
