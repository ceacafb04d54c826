/**
 * Words and layout (issue 10), in 大字模式 on a 390 px phone: a mother registers herself and her
 * daughter, pays for both, and reads the receipt, home, records and help. On every screen no
 * amount, date, phone number or ID mask is split over two lines, and no step or choice label
 * breaks mid-word; the receipt groups lines by person and names the same payee as the pay sheet.
 *
 * The wrap check measures the text itself (a DOM Range over each match and its line boxes), so it
 * holds whatever markup renders the value. WORDS_SHOTS=<dir> names the screenshot folder
 * (test-results/e2e/<dir>), so a run on an older build can keep its "before" pictures apart.
 */
import type { Page } from 'playwright-core';
import { browserScenario, screenshot } from '../support/browser';
import { acceptConsent, button, choose, field, fillMember, makeId, openApp, pngFixture, settle, signIn, uploadIdCard, verifySelf, vis } from '../support/resident';

const SPEC = process.env.WORDS_SHOTS ?? 'words-layout';
const world = browserScenario('2023-10-08T10:00:00+08:00');
const MOTHER = { name: '欧阳晓燕', idNumber: makeId('340104', '1987-04-12', 262), sex: '女', hukou: '合肥市户籍', address: '合肥市蜀山区长江西路与怀宁路交口东南角某某花园小区十二栋二单元一千零一室' } as const;
const DAUGHTER = { relation: '子女', name: '欧阳小雨', idNumber: makeId('340104', '2016-05-20', 182), sex: '女', hukou: '合肥市户籍' } as const;

/** Values that must stay on one line, and the labels that must not break mid-word. */
const VALUE_PATTERNS = [
  /¥?\d+\.\d{2}(元(\/人)?)?/g, // amounts
  /\d{4}年\d{1,2}月\d{1,2}日/g, // dates
  /\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?/g, // timestamps
  /(0551-)?\d{8}/g, // phones (and long numbers)
  /\d{3}\*{6,}\d{3}[\dX]/g, // ID masks
  /\d{4}年度/g,
];
const LABELS = ['选择参保人', '证件材料', '谁可以为我办理', '添加家庭成员', '新生儿参保', '缴费记录', '办事指南', '合肥市户籍', '外地户籍', '外籍人员', '应缴金额', '待遇享受期', '集中缴费期', '参保依据', '缴费金额', '参保年度'];

interface Broken {
  text: string;
  lines: number;
}

/** Every match on the visible page whose text spans more than one line box. */
async function brokenValues(page: Page): Promise<Broken[]> {
  // Runs in the page; typed loosely because the functions' tsconfig has no DOM library.
  return page.evaluate(
    ({ sources, labels }) => {
      const doc = (globalThis as any).document;
      const patterns = sources.map((s: string) => new RegExp(s, 'g'));
      // A label counts where it stands alone (a step, a choice, a row label), not inside prose.
      for (const l of labels) patterns.push(new RegExp(`^\\s*${l}\\s*$`, 'g'));
      const visible = (el: any): boolean => !!el && el.offsetParent !== null;
      const byParent = new Map<any, any[]>();
      const walker = doc.createTreeWalker(doc.body, 4 /* NodeFilter.SHOW_TEXT */);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const parent = n.parentElement;
        if (!parent || !visible(parent) || !(n.textContent ?? '').trim()) continue;
        // Group by the nearest block so "¥" + "380.00" rendered as two text nodes count as one value.
        const block = parent.closest('div, taro-view-core, taro-text-core, span, p, li') ?? parent;
        const list = byParent.get(block) ?? [];
        list.push(n);
        byParent.set(block, list);
      }
      const out: Array<{ text: string; lines: number }> = [];
      for (const nodes of byParent.values()) {
        const whole = nodes.map((t: any) => t.data).join('');
        const at = (offset: number): [any, number] => {
          let o = offset;
          for (const t of nodes) {
            if (o <= t.data.length) return [t, o];
            o -= t.data.length;
          }
          const last = nodes[nodes.length - 1];
          return [last, last.data.length];
        };
        for (const re of patterns) {
          re.lastIndex = 0;
          for (let m = re.exec(whole); m; m = re.exec(whole)) {
            const range = doc.createRange();
            const [sn, so] = at(m.index);
            const [en, eo] = at(m.index + m[0].length);
            range.setStart(sn, so);
            range.setEnd(en, eo);
            const tops: number[] = [];
            for (const r of Array.from(range.getClientRects()) as any[]) {
              if (r.width < 1) continue;
              if (!tops.some((t) => Math.abs(t - r.top) < r.height / 2)) tops.push(r.top);
            }
            if (tops.length > 1) out.push({ text: m[0], lines: tops.length });
          }
        }
      }
      return out;
    },
    { sources: VALUE_PATTERNS.map((r) => r.source), labels: LABELS },
  );
}

const broken: Record<string, Broken[]> = {};
async function shotAndMeasure(page: Page, step: string): Promise<void> {
  await screenshot(page, SPEC, step);
  broken[step] = await brokenValues(page);
}

test('大字模式: values and labels on one line; receipt grouped by person; payee agrees', async () => {
  const { cloud, pages: [page] } = world;
  const file = pngFixture();

  // A slow phone: the app's JavaScript arrives late; the page shows the loading screen from the
  // first byte, and it is gone once the app has mounted.
  await page.route(/\/js\/app\.[0-9a-f]+\.js$/, async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.goto(`${cloud.url}/#/pages/index/index`, { waitUntil: 'commit' });
  await page.locator('#hf-boot').getByText('正在打开，请稍候…').waitFor();
  await screenshot(page, SPEC, '00-boot');
  await page.getByRole('heading', { name: '合肥居民医保参保' }).first().waitFor();
  expect(await page.locator('#hf-boot').count()).toBe(0);
  await page.unrouteAll();

  await openApp(page, cloud);
  await signIn(page, 'ouyang');
  await acceptConsent(page);
  await page.getByRole('switch', { name: '大字模式' }).first().click();
  await settle(page, 300);
  await shotAndMeasure(page, '01-home-start');

  await verifySelf(page, MOTHER);
  // A face-verified adult may need no ID photo (issue 10, 无需证件): upload only when asked.
  await Promise.race([vis(page, 'slot-id_card_front').waitFor(), vis(page, 'payable').first().waitFor()]);
  if (await vis(page, 'slot-id_card_front').count()) {
    await uploadIdCard(page, file);
    await button(page, '下一步').click();
  }
  await vis(page, 'payable').getByText('¥380.00').waitFor();
  await vis(page, 'toggle-breakdown').click();
  await shotAndMeasure(page, '02-quote-breakdown');

  await button(page, '再添加一位家人，一起缴费').click();
  await fillMember(page, DAUGHTER);
  await choose(page, 'parentRelation', '母亲');
  await vis(page, 'guardian-tick').click();
  await shotAndMeasure(page, '03-child-form');
  await button(page, '下一步').click();
  await page.getByRole('heading', { name: '上传证明材料' }).waitFor();
  await choose(page, 'doc-type', '户口簿');
  await vis(page, 'slot-hukou_page').locator('input[type=file]').setInputFiles(pngFixture('hukou.png'));
  await vis(page, 'slot-hukou_page').getByText(/已上传/).waitFor();
  await shotAndMeasure(page, '04-child-documents');
  await button(page, '下一步').click();
  await vis(page, 'quote').nth(1).waitFor();
  await shotAndMeasure(page, '05-quote-two');

  await button(page, '确认无误，去支付').click();
  await page.getByTestId('order-total').getByText('¥760.00').waitFor();
  await shotAndMeasure(page, '06-order');
  await button(page, '确认支付 ¥760.00').click();
  const sheet = page.getByTestId('pay-sheet');
  await sheet.waitFor();
  await shotAndMeasure(page, '07-pay-sheet');
  const sheetPayee = ((await sheet.textContent()) ?? '').match(/收款方：([^（(\s]+)/)?.[1];
  await sheet.locator('.nut-button', { hasText: '确认支付' }).click();
  await page.getByTestId('pay-success').waitFor({ timeout: 30000 });

  await button(page, '查看缴费凭证').click();
  const receipt = page.getByTestId('receipt');
  await receipt.waitFor();
  await shotAndMeasure(page, '08-receipt');

  // The receipt: one group per person (name once, with that person's lines), the pay sheet's payee,
  // and where the official tax receipt comes from.
  const groups = receipt.getByTestId('receipt-person');
  expect(await groups.count()).toBe(2);
  expect(await groups.nth(0).textContent()).toContain(MOTHER.name);
  expect(await groups.nth(1).textContent()).toContain(DAUGHTER.name);
  expect(await groups.nth(0).textContent()).toContain('¥380.00');
  expect(sheetPayee).toBeTruthy();
  expect(await receipt.getByTestId('payee').textContent()).toContain(sheetPayee!);
  expect(await vis(page, 'tax-receipt-note').textContent()).toMatch(/完税证明.*安徽税务社保缴费/);

  await page.goto(`${cloud.url}/#/pages/index/index`);
  await settle(page);
  await vis(page, 'person-card').nth(1).waitFor();
  await shotAndMeasure(page, '09-home-paid');
  const cards = page.locator('[data-testid="person-card"]:visible');
  const cardTexts = await cards.allTextContents();
  // 退出登录 is a settings row at the very bottom, after the family and the services.
  const logout = vis(page, 'logout');
  await logout.scrollIntoViewIfNeeded();
  await shotAndMeasure(page, '09b-home-settings');
  const lastCard = await page.evaluate(() => {
    const all = Array.from((globalThis as any).document.querySelectorAll('.hf-card')).filter((e: any) => e.offsetParent !== null);
    return (all[all.length - 1] as any)?.getAttribute('data-testid');
  });
  expect(lastCard).toBe('logout');

  await page.goto(`${cloud.url}/#/pages/records/index`);
  await settle(page);
  await page.getByTestId('payment-record').first().waitFor();
  await shotAndMeasure(page, '10-records');

  await page.goto(`${cloud.url}/#/pages/help/index`);
  await settle(page);
  await page.getByTestId('contacts').first().waitFor();
  await page.getByTestId('contacts').first().scrollIntoViewIfNeeded();
  await shotAndMeasure(page, '11-help');

  // Nothing split over two lines, on any screen.
  expect(broken).toEqual(Object.fromEntries(Object.keys(broken).map((k) => [k, []])));

  // Home says 已缴费 once on each paid person's card.
  expect(cardTexts.map((t) => t.match(/已缴费/g)?.length ?? 0)).toEqual([1, 1]);

  // Help: district numbers carry 0551 and dial it.
  const phone = page.locator('[data-testid="contacts"]:visible [data-testid="phone"]').first();
  expect(await phone.textContent()).toMatch(/^0551-\d{8}$/);

  // A long address wraps in a multi-line field (all of it in sight), and grey hint text keeps a
  // contrast of at least 4.5:1 on its card (WCAG AA), measured from the computed colours.
  await page.goto(`${cloud.url}/#/pages/family-add/index`);
  await settle(page);
  await vis(page, 'choice-relation').first().waitFor();
  await choose(page, 'relation', '配偶');
  const address = field(page, 'address');
  await address.fill(MOTHER.address);
  await address.scrollIntoViewIfNeeded();
  await shotAndMeasure(page, '12-address');
  const box = await address.evaluate((el: any) => ({ tag: el.tagName, height: el.getBoundingClientRect().height, lineHeight: parseFloat((globalThis as any).getComputedStyle(el).lineHeight) || 24, scroll: el.scrollHeight, client: el.clientHeight }));
  expect(box.tag).toBe('TEXTAREA');
  expect(box.height).toBeGreaterThan(box.lineHeight * 1.8);
  expect(box.scroll).toBeLessThanOrEqual(box.client + 2);
  const contrasts = await page.evaluate(() => {
    const g = globalThis as any;
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const lum = (c: number[]) => {
      const [r, gg, b] = c.map((v) => {
        const x = v / 255;
        return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * gg + 0.0722 * b;
    };
    const background = (el: any): number[] => {
      for (let e = el; e; e = e.parentElement) {
        const c = g.getComputedStyle(e).backgroundColor;
        if (c && !/rgba\(.*,\s*0\)|transparent/.test(c)) return rgb(c);
      }
      return [255, 255, 255];
    };
    return Array.from(g.document.querySelectorAll('.hf-field__hint, .hf-muted, .hf-card__text'))
      .filter((e: any) => e.offsetParent !== null && (e.textContent ?? '').trim())
      .map((e: any) => {
        const [a, b] = [lum(rgb(g.getComputedStyle(e).color)), lum(background(e))];
        return { text: (e.textContent as string).slice(0, 12), ratio: Math.round(((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)) * 100) / 100 };
      });
  });
  expect(contrasts.length).toBeGreaterThan(0);
  expect(contrasts.filter((c) => c.ratio < 4.5)).toEqual([]);
  expect(broken['12-address']).toEqual([]);
});
