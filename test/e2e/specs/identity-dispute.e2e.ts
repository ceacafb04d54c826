/**
 * A second, unrelated family claims a child another father already holds (same relation): the
 * claim goes to staff instead of acting. The resident sees 社区正在核实 and 待社区核实; the 蜀山区
 * office opens 身份争议核实, must give a reason, and revokes the claim; that resident's home
 * then says 未通过核实 with the staff's reason.
 */
import { browserScenario, screenshot } from '../support/browser';
import { acceptConsent, button, choose, fillMember, makeId, openApp, pngFixture, settle, signIn, type, verifySelf, vis } from '../support/resident';
import { signInStaff } from '../support/staff';
import { gatewayCall } from '../../../scripts/seed';

const SPEC = 'identity-dispute';
const CHILD = { relation: '子女', name: '李小明', idNumber: makeId('340104', '2015-04-10', 153), sex: '男', hukou: '合肥市户籍' } as const;

/** Test set-up: the child's father verified and holding the child with a 户口簿 page, through the gateway. */
async function fatherHoldsChild(url: string): Promise<void> {
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ account: 'lihua' }) });
  const { token } = (await login.json()) as { token: string };
  const auth = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  await gatewayCall(url, token, 'resident', { action: 'acceptConsent', version: '2023-08' });
  const me = { name: '李华', sex: 'male', idNumber: makeId('340104', '1985-02-03', 171), address: '合肥市蜀山区黄山路1号', mobile: '13700001111' };
  const sheet = await fetch(`${url}/api/identity/verify`, { method: 'POST', headers: auth, body: JSON.stringify({ name: me.name, idNumber: me.idNumber, pass: true }) });
  const { verifyResult } = (await sheet.json()) as { verifyResult: string };
  await gatewayCall(url, token, 'resident', { action: 'verifySelf', ...me, hukou: 'local', answers: { employeeInsured: false, enrolledElsewhere: false }, verifyResult });
  const child = await gatewayCall(url, token, 'resident', {
    action: 'addFamilyMember',
    name: CHILD.name,
    sex: 'male',
    idNumber: CHILD.idNumber,
    relation: 'child',
    hukou: 'local',
    address: me.address,
    mobile: me.mobile,
    answers: { employeeInsured: false, enrolledElsewhere: false },
    consentForChild: true,
    parentRelation: 'father',
  });
  const { cloudPath } = await gatewayCall(url, token, 'resident', { action: 'requestUpload', personId: child.personId, kind: 'hukou_page', ext: 'png' });
  const form = new FormData();
  form.append('cloudPath', cloudPath);
  form.append('file', new Blob([await import('fs').then((fs) => fs.readFileSync(pngFixture('hukou.png')))]), 'hukou.png');
  const up = await fetch(`${url}/api/storage/upload`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const { fileID } = (await up.json()) as { fileID: string };
  await gatewayCall(url, token, 'resident', { action: 'attachDocument', personId: child.personId, kind: 'hukou_page', fileID });
}

const world = browserScenario('2023-10-08T10:00:00+08:00', { pages: 2, setup: (cloud) => fatherHoldsChild(cloud.url) });

test('a second family claiming a child as its father goes to staff, who revoke it with a reason', async () => {
  const { cloud, pages: [claimant, staff] } = world;
  try {
    // Another man, verified, adds the same child as 父亲.
    await openApp(claimant, cloud);
    await signIn(claimant, 'wangqiang');
    await acceptConsent(claimant);
    await verifySelf(claimant, { name: '王强', idNumber: makeId('340104', '1984-08-09', 193), sex: '男', hukou: '合肥市户籍' });
    await vis(claimant, 'payable').waitFor();
    await claimant.goto(`${cloud.url}/#/pages/family-add/index`);
    await settle(claimant);
    await fillMember(claimant, CHILD);
    await choose(claimant, 'parentRelation', '父亲');
    await vis(claimant, 'guardian-tick').click();
    await button(claimant, '下一步').click();

    // Not granted: the community checks first.
    await vis(claimant, 'disputed').getByText('社区正在核实').waitFor();
    await screenshot(claimant, SPEC, '01-claim-disputed');
    await claimant.goto(`${cloud.url}/#/pages/index/index`);
    await settle(claimant);
    const card = claimant.locator('[data-testid="person-card"]:visible', { hasText: CHILD.name });
    await card.getByTestId('person-authorization').getByText('待社区核实').waitFor();
    expect(await card.locator('.nut-button', { hasText: '去缴费' }).count()).toBe(0);
    await screenshot(claimant, SPEC, '02-home-disputed');

    // Staff of 蜀山区: the dispute, with both claims side by side.
    await openApp(staff, cloud);
    await signInStaff(staff, 'sq_district');
    await button(staff, '核实身份争议').click();
    const item = staff.locator('[data-testid="dispute-item"]:visible', { hasText: CHILD.name });
    await item.waitFor();
    expect(await item.textContent()).toContain('自称子女');
    expect(await item.textContent()).toContain('同一人的其他登记');
    await screenshot(staff, SPEC, '03-staff-dispute');

    // A decision needs a reason; then the claim is revoked.
    await item.locator('.nut-button', { hasText: '不同意，撤销登记' }).click();
    await item.getByText('请填写原因（至少 2 个字）').waitFor();
    await type(staff, 'reason', '已核对户口簿，孩子父亲为另一位登记人');
    await item.locator('.nut-button', { hasText: '不同意，撤销登记' }).click();
    await staff.getByText(`对${CHILD.name}的登记`).waitFor();
    await screenshot(staff, SPEC, '04-staff-revoked');

    // The claimant's home says the claim did not pass, in the staff's words; nothing to pay.
    await claimant.goto(`${cloud.url}/#/pages/index/index`);
    await settle(claimant);
    const declined = claimant.locator('[data-testid="person-card"]:visible', { hasText: CHILD.name });
    await declined.getByTestId('person-authorization').getByText('未通过核实').waitFor();
    await declined.getByText('已核对户口簿，孩子父亲为另一位登记人', { exact: false }).waitFor();
    expect(await declined.locator('.nut-button', { hasText: '去缴费' }).count()).toBe(0);
    await screenshot(claimant, SPEC, '05-claimant-home-after');
  } catch (e) {
    await Promise.all(world.pages.map((p, i) => screenshot(p, SPEC, `zz-failed-phone${i + 1}`).catch(() => undefined)));
    throw e;
  }
});
