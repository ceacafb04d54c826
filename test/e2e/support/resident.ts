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
  const r = await fetch(`${cloud.url}/api/clock`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${cloud.localToken}` }, body: JSON.stringify({ now }) });
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

/** The native <input> (or <textarea>) inside Taro's form components, by name, on the visible page. */
export function field(page: Page, name: string): Locator {
  // The address is a multi-line <textarea> (issue 10), the other fields <input>s.
  const tags = ['input', 'textarea'].flatMap((t) => [`.taro_page:visible ${t}[name="${name}"]`, `.taro_router > div:visible ${t}[name="${name}"]`]);
  return page.locator(tags.join(', ')).first();
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

export interface Person {
  name: string;
  idNumber: string;
  sex: '男' | '女';
  hukou: '合肥市户籍' | '外地户籍' | '外籍人员';
  address?: string;
  mobile?: string;
  /** Eligibility answers by question key; every other question shown is answered 否. */
  answers?: Record<string, boolean>;
}

export interface Member extends Person {
  relation: '配偶' | '子女' | '父母';
}

/** Fills the person fields (实名核验, family-add): name, ID number, sex, hukou, address, mobile. */
export async function fillPerson(page: Page, m: Person): Promise<void> {
  await field(page, 'name').waitFor();
  await type(page, 'name', m.name);
  await type(page, 'idNumber', m.idNumber);
  // Sex is read from the ID number; only the newborn form still asks for it.
  if (await vis(page, 'choice-sex').count()) await choose(page, 'sex', m.sex);
  await choose(page, 'hukou', m.hukou);
  await type(page, 'address', m.address ?? '合肥市蜀山区长江西路100号');
  await type(page, 'mobile', m.mobile ?? '13800001234');
  await answerQuestions(page, m.answers);
}

/**
 * Answers every eligibility question shown (unanswered ones are refused): `answers` by the
 * question's key (residencePermit, …), 否 for the rest. Questions that appear after an answer
 * (insuredAtOrigin after a residence permit) are answered too.
 */
export async function answerQuestions(page: Page, answers: Record<string, boolean> = {}): Promise<void> {
  for (let round = 0; round < 12; round++) {
    const open = page.locator('[data-testid^="question-"]:visible:not(:has([aria-checked="true"]))');
    if (!(await open.count())) return;
    const q = open.first();
    const key = ((await q.getAttribute('data-testid')) ?? '').replace('question-', '');
    await q.locator('[role="radio"]', { hasText: answers[key] ? '是' : '否' }).click();
  }
}

/** Fills the family-add form (the relation, then the person); the caller presses 下一步. */
export async function fillMember(page: Page, m: Member): Promise<void> {
  await vis(page, 'choice-relation').first().waitFor();
  await choose(page, 'relation', m.relation);
  await fillPerson(page, m);
}

/** The simulated face-verification sheet: checks whose it is, then 核验通过 (or 核验不通过). */
export async function answerFaceSheet(page: Page, name: string, pass = true): Promise<void> {
  const sheet = vis(page, 'verify-sheet');
  await sheet.waitFor();
  await sheet.getByTestId('verify-name').getByText(name, { exact: true }).waitFor();
  await sheet.locator('.nut-button', { hasText: pass ? '核验通过' : '核验不通过' }).click();
}

/**
 * 实名核验 from a page showing 开始实名核验 (home, family-add, newborn, invite): the person's
 * facts, 开始人脸核验, and 核验通过 on the simulated sheet. The app then goes on by itself.
 */
export async function verifySelf(page: Page, p: Person): Promise<void> {
  await button(page, '开始实名核验').click();
  await fillPerson(page, p);
  await button(page, '开始人脸核验').click();
  await answerFaceSheet(page, p.name, true);
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

/** On a family member's page (after adding an adult): 邀请家人授权; returns the link to send. */
export async function createInviteLink(page: Page): Promise<string> {
  const card = vis(page, 'invite-card');
  await card.waitFor();
  await card.locator('.nut-button', { hasText: '邀请家人授权' }).click();
  const link = vis(page, 'invite-link');
  await link.waitFor();
  return ((await link.textContent()) ?? '').trim();
}

/**
 * The invited adult on their own phone: opens the link, signs in as `account`, accepts the
 * privacy notice, verifies themself through the simulated sheet and presses 同意授权.
 * `shot` takes the screenshots of the steps a spec wants to keep.
 */
export async function acceptInvitationOnPhone(page: Page, link: string, account: string, p: Person, shot?: (step: string) => Promise<unknown>): Promise<void> {
  await page.goto(link);
  await page.getByRole('heading', { name: '家人授权邀请' }).first().waitFor();
  await type(page, 'account', account);
  await button(page, '登录').click();
  await page.getByText('我们收集哪些信息').waitFor();
  await page.getByTestId('consent-tick').click();
  await button(page, '同意并继续').click();
  await vis(page, 'invitation').waitFor();
  await shot?.('invitation-opened');
  await vis(page, 'invitation-verify-first').locator('.nut-button', { hasText: '去实名核验' }).click();
  await fillPerson(page, p);
  await button(page, '开始人脸核验').click();
  await answerFaceSheet(page, p.name, true);
  const accept = vis(page, 'invitation-accept');
  await accept.waitFor();
  await shot?.('invitation-verified');
  await accept.locator('.nut-button', { hasText: '同意授权' }).click();
  await vis(page, 'invitation-accepted').waitFor();
  await shot?.('invitation-accepted');
}
