/**
 * Issue 9 in the browser: a mother verifies herself through the simulated face-verification
 * sheet, adds her 7-year-old daughter with a 户口簿 page, and adds her father, who accepts the
 * invitation on his own phone (a second account opening the link, verifying himself). The
 * mother then pays for all three: 3 × 380.00 = 1140.00 (local hukou, 2024, at 2023-10-08).
 */
import { browserScenario, screenshot } from '../support/browser';
import {
  acceptConsent,
  answerFaceSheet,
  button,
  choose,
  fillMember,
  fillPerson,
  makeId,
  openApp,
  payInSheet,
  pngFixture,
  settle,
  signIn,
  type,
  verifySelf,
  vis,
} from '../support/resident';

const SPEC = 'identity-family';
const world = browserScenario('2023-10-08T10:00:00+08:00', { pages: 2 });

const MOTHER = { name: '周静', idNumber: makeId('340104', '1988-03-15', 242), sex: '女', hukou: '合肥市户籍' } as const;
const DAUGHTER = { relation: '子女', name: '周小雨', idNumber: makeId('340104', '2016-05-20', 182), sex: '女', hukou: '合肥市户籍' } as const;
const GRANDFATHER = { relation: '父母', name: '周建国', idNumber: makeId('340104', '1956-09-01', 131), sex: '男', hukou: '合肥市户籍', mobile: '13900002222' } as const;

test('verify, add a child with a 户口簿 page and a parent who accepts on his phone, pay 1140.00 for three', async () => {
  try {
    await journey();
  } catch (e) {
    // Where it stopped, on both phones, for whoever reads the failure.
    await Promise.all(world.pages.map((p, i) => screenshot(p, SPEC, `zz-failed-phone${i + 1}`).catch(() => undefined)));
    throw e;
  }
});

async function journey(): Promise<void> {
  const { cloud, pages: [mother, grandpa] } = world;

  // Mother: signs in; home asks her to verify before anything else.
  await openApp(mother, cloud);
  await signIn(mother, 'zhoujing');
  await acceptConsent(mother);
  await vis(mother, 'verify-needed').getByText('请先完成实名核验').waitFor();
  await screenshot(mother, SPEC, '01-home-verify-first');

  // 实名核验: her facts, then the simulated sheet shows her name and the 3+4 masked number.
  await button(mother, '开始实名核验').click();
  await fillPerson(mother, MOTHER);
  await screenshot(mother, SPEC, '02-verify-form');
  await button(mother, '开始人脸核验').click();
  const sheet = vis(mother, 'verify-sheet');
  await sheet.waitFor();
  expect(await sheet.getByTestId('verify-id').textContent()).toBe(`身份证号码：340***********${MOTHER.idNumber.slice(-4)}`);
  await screenshot(mother, SPEC, '03-face-sheet');
  await answerFaceSheet(mother, MOTHER.name, true);

  // Verified by face: no ID photo needed; straight to the check step, 380.00.
  await vis(mother, 'payable').getByText('¥380.00').waitFor();
  await screenshot(mother, SPEC, '05-quote-self');

  // The daughter (7): guardian consent, then the 户口簿 page right after adding.
  await button(mother, '再添加一位家人，一起缴费').click();
  await fillMember(mother, DAUGHTER);
  await choose(mother, 'parentRelation', '母亲');
  await vis(mother, 'guardian-tick').click();
  await screenshot(mother, SPEC, '06-child-form');
  await button(mother, '下一步').click();
  await mother.getByRole('heading', { name: '上传证明材料' }).waitFor();
  await choose(mother, 'doc-type', '户口簿');
  await vis(mother, 'slot-hukou_page').locator('input[type=file]').setInputFiles(pngFixture('hukou.png'));
  await vis(mother, 'slot-hukou_page').getByText('已上传，等待审核').waitFor();
  await screenshot(mother, SPEC, '07-child-hukou-page');
  await button(mother, '下一步').click();
  await vis(mother, 'quote').nth(1).waitFor();
  expect(await vis(mother, 'quote').count()).toBe(2);
  await screenshot(mother, SPEC, '08-quote-two');

  // Her father (67): added as pending; the page offers the invitation to send him.
  await button(mother, '再添加一位家人，一起缴费').click();
  await fillMember(mother, GRANDFATHER);
  await button(mother, '下一步').click();
  const invite = vis(mother, 'invite-card');
  await invite.waitFor();
  await screenshot(mother, SPEC, '09-invite-card');
  await invite.locator('.nut-button', { hasText: '邀请家人授权' }).click();
  const link = ((await vis(mother, 'invite-link').textContent()) ?? '').trim();
  expect(link).toMatch(new RegExp(`^${cloud.url}/#/pages/invite/index\\?code=[A-Za-z0-9_-]{10,}$`));
  await screenshot(mother, SPEC, '10-invite-link');

  // Home: the father is 待授权, and cannot be paid for yet.
  await mother.goto(`${cloud.url}/#/pages/index/index`);
  await settle(mother);
  const fatherCard = mother.locator('[data-testid="person-card"]:visible', { hasText: GRANDFATHER.name });
  await fatherCard.getByTestId('person-authorization').getByText('待授权').waitFor();
  expect(await fatherCard.locator('.nut-button', { hasText: '去缴费' }).count()).toBe(0);
  await screenshot(mother, SPEC, '11-home-father-pending');

  // Second phone: the father opens the link, signs in as himself and accepts the privacy notice.
  await grandpa.goto(link);
  await grandpa.getByRole('heading', { name: '家人授权邀请' }).first().waitFor();
  await type(grandpa, 'account', 'zhoujianguo');
  await button(grandpa, '登录').click();
  await grandpa.getByText('我们收集哪些信息').waitFor();
  await grandpa.getByTestId('consent-tick').click();
  await button(grandpa, '同意并继续').click();

  // Who asks (masked names only), then he verifies himself first.
  const invitation = vis(grandpa, 'invitation');
  await invitation.waitFor();
  expect(await invitation.textContent()).toContain('（您的子女）想为您办理医保');
  expect(await invitation.textContent()).not.toContain(MOTHER.name);
  await screenshot(grandpa, SPEC, '12-father-opens-invitation');
  await vis(grandpa, 'invitation-verify-first').locator('.nut-button', { hasText: '去实名核验' }).click();
  await fillPerson(grandpa, GRANDFATHER);
  await button(grandpa, '开始人脸核验').click();
  await answerFaceSheet(grandpa, GRANDFATHER.name, true);

  // Back on the invitation, verified: 同意授权.
  const accept = vis(grandpa, 'invitation-accept');
  await accept.waitFor();
  expect(await accept.textContent()).toContain(GRANDFATHER.name);
  await screenshot(grandpa, SPEC, '13-father-verified');
  await accept.locator('.nut-button', { hasText: '同意授权' }).click();
  await vis(grandpa, 'invitation-accepted').waitFor();
  await screenshot(grandpa, SPEC, '14-father-accepted');

  // He sees who may act for him.
  await button(grandpa, '查看谁可以为我办理').click();
  const auth = grandpa.locator('[data-testid="authorization"]:visible', { hasText: '可以为您办理' }).filter({ hasText: '您的子女' });
  await auth.waitFor();
  await screenshot(grandpa, SPEC, '15-father-authorizations');

  // Mother: the father is authorized (and verified by face: no ID photo needed).
  await mother.goto(`${cloud.url}/#/pages/index/index`);
  await settle(mother);
  const father = mother.locator('[data-testid="person-card"]:visible', { hasText: GRANDFATHER.name });
  await father.waitFor();
  expect(await father.getByTestId('person-authorization').count()).toBe(0);

  // All three together: one order of 1140.00.
  await vis(mother, 'pay-together').locator('.nut-button', { hasText: '为 3 人一起缴费' }).click();
  await vis(mother, 'quote').nth(2).waitFor();
  expect(await vis(mother, 'quote').count()).toBe(3);
  for (const n of [MOTHER.name, DAUGHTER.name, GRANDFATHER.name]) await vis(mother, 'quote').getByText(n, { exact: true }).waitFor();
  await screenshot(mother, SPEC, '16-quote-three');
  await button(mother, '确认无误，去支付').click();
  await mother.getByTestId('order-total').getByText('¥1140.00').waitFor();
  expect(await mother.getByTestId('order-item').count()).toBe(3);
  await screenshot(mother, SPEC, '17-order');
  await payInSheet(mother, '1140.00');
  expect(await mother.getByTestId('pay-success').textContent()).toContain('¥1140.00');
  await screenshot(mother, SPEC, '18-paid');

  // The daughter's page: a new mobile number; the change is kept and shown, masked.
  await mother.goto(`${cloud.url}/#/pages/index/index`);
  await settle(mother);
  await mother.locator('[data-testid="person-card"]:visible', { hasText: DAUGHTER.name }).getByTestId('person-details').click();
  await vis(mother, 'fact-editor').waitFor();
  await choose(mother, 'fact', '手机号码');
  await type(mother, 'mobile', '13912345678');
  await button(mother, '保存修改').click();
  await vis(mother, 'fact-saved').waitFor();
  const change = vis(mother, 'fact-change').first();
  await change.waitFor();
  expect(await change.textContent()).toContain('手机号码');
  expect(await change.textContent()).toContain('139****5678');
  expect(await change.textContent()).not.toContain('13912345678');
  await screenshot(mother, SPEC, '19-child-fact-history');

  // The father revokes his daughter's authorization; she no longer sees him.
  await grandpa.reload();
  await settle(grandpa);
  const granted = grandpa.locator('[data-testid="authorization"]:visible').filter({ hasText: '您的子女' });
  await granted.locator('.nut-button', { hasText: '撤销授权' }).click();
  await granted.locator('.nut-button', { hasText: '确认撤销' }).click();
  await granted.getByTestId('authorization-status').getByText('已撤销').waitFor();
  await screenshot(grandpa, SPEC, '20-father-revoked');
  await mother.goto(`${cloud.url}/#/pages/index/index`);
  await settle(mother);
  await vis(mother, 'home-dashboard').waitFor();
  expect(await mother.locator('[data-testid="person-card"]:visible', { hasText: GRANDFATHER.name }).count()).toBe(0);
  await screenshot(mother, SPEC, '21-home-after-revocation');
}
