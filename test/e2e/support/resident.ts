/**
 * Steps a resident takes in the H5 app, as real clicks and typing, shared by the specs; plus the
 * test set-up that goes through the local cloud (gateway calls, store rows) where a spec needs
 * history it does not click through.
 */
import { idCheckCharacter } from '../../../cloudfunctions/src/policy';
import { createHmac } from 'crypto';
import { readFileSync, writeFileSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Locator, Page } from 'playwright-core';
import type { LocalCloud } from './browser';

/** A real 1x1 PNG. */
export const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** Writes the PNG fixture to a temp file and returns its path. */
export function pngFixture(name = 'id-card.png'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'e2e-upload-')), name);
  writeFileSync(file, PNG_1x1);
  return file;
}

/** A valid GB 11643 ID number (fictional). */
export function makeId(division: string, birth: string, seq: number): string {
  const first17 = `${division}${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return first17 + idCheckCharacter(first17);
}

/** idHash as the functions compute it, with the local cloud's dev key. */
export function idHashOf(cloud: LocalCloud, idNumber: string): string {
  const keys = JSON.parse(readFileSync(join(cloud.dataDir, 'keys.json'), 'utf8'));
  return createHmac('sha256', Buffer.from(keys.idHmacKey, 'hex')).update(idNumber.trim().toUpperCase()).digest('hex');
}

/** Test set-up: an assistance-list row, as the staff import would store it. */
export function seedAssistance(cloud: LocalCloud, idNumber: string, benefitYear: number, category: string): void {
  const id = `e2e-${category}-${benefitYear}`;
  cloud.store.write([{ c: 'assistance_lists', id, doc: { _id: id, idHash: idHashOf(cloud, idNumber), benefitYear, category, source: '民政' } as any }]);
}

/** Test set-up: moves the local cloud's clock. */
export async function setClock(cloud: LocalCloud, now: string): Promise<void> {
  const r = await fetch(`${cloud.url}/api/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now }) });
  if (!r.ok) throw new Error(`clock ${r.status}`);
}

/** An element by data-testid on the page on screen (pages kept in the stack are hidden). */
export function vis(page: Page, testId: string): Locator {
  return page.locator(`[data-testid="${testId}"]:visible`);
}

export const settle = (page: Page, ms = 1000) => page.waitForTimeout(ms);

export async function openApp(page: Page, cloud: LocalCloud): Promise<void> {
  await page.goto(`${cloud.url}/#/pages/index/index`);
  await page.getByRole('heading', { name: '合肥居民医保参保' }).first().waitFor();
  await settle(page);
}

/** The native <input> inside Taro's <taro-input-core>, by name, on the visible page. */
export function field(page: Page, name: string): Locator {
  return page.locator(`.taro_page:visible input[name="${name}"], .taro_router > div:visible input[name="${name}"]`).first();
}

export async function type(page: Page, name: string, value: string): Promise<void> {
  const input = field(page, name);
  await input.click();
  await input.fill(value);
}

/** A button (NutUI) by its exact text, on the page on screen. */
export function button(page: Page, text: string): Locator {
  return page.locator('.nut-button:visible', { hasText: text }).last();
}

export async function signIn(page: Page, account: string): Promise<void> {
  await type(page, 'account', account);
  await button(page, '登录').click();
  await page.getByTestId('signed-in').waitFor();
}

/** Picks the option with `label` in a Choices group. */
export async function choose(page: Page, group: string, label: string): Promise<void> {
  await page.locator(`[data-testid="choice-${group}"]:visible [role="radio"]`, { hasText: label }).first().click();
}

export async function acceptConsent(page: Page): Promise<void> {
  await page.getByTestId('consent-needed').waitFor();
  await button(page, '阅读并同意').click();
  await page.getByText('我们收集哪些信息').waitFor();
  await page.getByTestId('consent-tick').click();
  await button(page, '同意并继续').click();
}

export interface Member {
  relation: '本人' | '配偶' | '子女' | '父母';
  name: string;
  idNumber: string;
  sex: '男' | '女';
  hukou: '合肥市户籍' | '外地户籍' | '外籍人员';
  address?: string;
  mobile?: string;
}

/** Fills the family-add form and presses 下一步. */
export async function fillMember(page: Page, m: Member): Promise<void> {
  await vis(page, 'choice-relation').first().waitFor();
  await choose(page, 'relation', m.relation);
  await type(page, 'name', m.name);
  await type(page, 'idNumber', m.idNumber);
  await choose(page, 'sex', m.sex);
  await choose(page, 'hukou', m.hukou);
  await type(page, 'address', m.address ?? '合肥市蜀山区长江西路100号');
  await type(page, 'mobile', m.mobile ?? '13800001234');
}

/** On the documents page: both sides of the ID card, then 下一步. */
export async function uploadIdCard(page: Page, file: string): Promise<void> {
  await vis(page, 'slot-id_card_front').waitFor();
  await vis(page, 'slot-id_card_front').locator('input[type=file]').setInputFiles(file);
  await vis(page, 'slot-id_card_front').getByText('已上传，等待审核').waitFor();
  await vis(page, 'slot-id_card_back').locator('input[type=file]').setInputFiles(file);
  await vis(page, 'slot-id_card_back').getByText('已上传，等待审核').waitFor();
}

/** On the pay page: 确认支付 → the simulated sheet → 确认支付 → waits for the server's result. */
export async function payInSheet(page: Page, amount: string): Promise<void> {
  await button(page, `确认支付 ¥${amount}`).click();
  const sheet = page.getByTestId('pay-sheet');
  await sheet.waitFor();
  await sheet.getByTestId('sheet-amount').getByText(`¥${amount}`).waitFor();
  await sheet.locator('.nut-button', { hasText: '确认支付' }).click();
  await page.getByTestId('pay-success').waitFor({ timeout: 30000 });
}
