/**
 * Staff accounts down the levels (issue 11): the 蜀山区 district office (sq_district) adds a
 * community (琥珀社区, 琥珀街道) and opens an account for its worker; the one-time invitation code
 * is shown once. On another phone (a separate browser context: her own WeChat) the worker opens
 * the staff page, enters the code and sees her community's home, with the document waiting from
 * a resident of that community. The district reads her account's audit record, then disables the
 * account and the worker is refused.
 */
import { attachPhoto, CONSENT, makeId, signIn as apiSignIn, verify } from '../../cloud/helpers';
import { browserScenario, screenshot } from '../support/browser';
import { button, openApp, settle, signIn, type } from '../support/resident';
import { signInStaff } from '../support/staff';

const SPEC = 'staff-accounts';
const world = browserScenario('2023-10-08T10:00:00+08:00', { pages: 2 });

test('a district officer creates a community account; the worker binds it on her own phone and sees her community', async () => {
  const { cloud, pages: [officer, worker] } = world;

  // The district office: staff home, then 下级账号管理.
  await openApp(officer, cloud);
  await signInStaff(officer, 'sq_district');
  await officer.getByTestId('staff-accounts-entry').waitFor();
  expect(await officer.getByTestId('staff-audit-entry').count()).toBe(1);
  await screenshot(officer, SPEC, '01-district-home');
  await button(officer, '管理账号').click();
  await officer.getByTestId('org-create').waitFor();

  // A new community with its township, then an account for 周敏 in it.
  await type(officer, 'orgName', '琥珀社区');
  await type(officer, 'township', '琥珀街道');
  await button(officer, '新增单位').click();
  const card = officer.locator('[data-testid="org-item"]:visible[data-org="琥珀社区"]');
  await card.waitFor();
  await card.locator('.nut-button', { hasText: '开通账号' }).click();
  await type(officer, 'staffName', '周敏');
  await card.locator('.nut-button', { hasText: '生成邀请码' }).click();
  const codeText = officer.getByTestId('issued-code-value');
  await codeText.waitFor();
  const code = (await codeText.innerText()).trim();
  expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
  await card.locator('[data-testid="account-item"][data-status="invited"]', { hasText: '周敏' }).waitFor();
  await screenshot(officer, SPEC, '02-district-code-issued');

  // A resident of 琥珀社区 registers (through the functions) and uploads her ID card.
  const communityId = (cloud.store.all('organisations') as Array<{ _id: string; name: string }>).find((o) => o.name === '琥珀社区')!._id;
  const resident = await apiSignIn(cloud.url, 'hupo_resident');
  await resident.data('resident', CONSENT);
  const me = await verify(resident, { name: '吴桂香', idNumber: makeId('340104', '1962-07-07', 418), communityId });
  await attachPhoto(resident, me.personId, 'id_card_front');

  // The worker, on her own phone: the staff page asks for the code; a wrong one is refused.
  await openApp(worker, cloud);
  await signIn(worker, 'zhoumin');
  await worker.goto(`${cloud.url}/#/staff/pages/index/index`);
  await worker.getByTestId('staff-bind').waitFor();
  await screenshot(worker, SPEC, '03-worker-bind');
  await type(worker, 'invitationCode', 'AAAA-BBBB-CCCC');
  await button(worker, '绑定账号').click();
  await worker.getByText(/STAFF_INVITATION_INVALID/).waitFor();
  await type(worker, 'invitationCode', code.toLowerCase());
  await button(worker, '绑定账号').click();
  await worker.getByTestId('staff-documents-entry').waitFor();
  await settle(worker);
  const home = await worker.locator('.taro_page:visible, .taro_router > div:visible').first().innerText();
  expect(home).toContain('周敏');
  expect(home).toContain('琥珀社区');
  expect(home).toContain('社区工作人员');
  expect(await worker.getByTestId('staff-documents-entry').innerText()).toContain('1 份');
  // A community worker manages no accounts and reads no audit log.
  expect(await worker.getByTestId('staff-accounts-entry').count()).toBe(0);
  expect(await worker.getByTestId('staff-audit-entry').count()).toBe(0);
  await screenshot(worker, SPEC, '04-worker-community-home');

  // The district reads her account's record in the audit log (read only): the binding, by her.
  await officer.goto(`${cloud.url}/#/staff/pages/accounts/index`);
  const account = officer.locator('[data-testid="org-item"]:visible[data-org="琥珀社区"] [data-testid="account-item"][data-status="active"]', { hasText: '周敏' });
  await account.waitFor();
  await account.locator('.nut-button', { hasText: '办理记录' }).click();
  const entry = officer.locator('[data-testid="audit-item"]:visible', { hasText: '周敏（琥珀社区）' }).first();
  await entry.waitFor();
  expect(await entry.innerText()).toContain('社区工作人员');
  expect(await entry.innerText()).toContain('待绑定 → 已启用');
  expect(await entry.innerText()).not.toMatch(/invited|active/);
  expect(await officer.locator('.nut-button:visible', { hasText: /删除|修改/ }).count()).toBe(0);
  await screenshot(officer, SPEC, '05-district-audit-of-worker');

  // The district disables the account; the worker's next visit is refused.
  await officer.goto(`${cloud.url}/#/staff/pages/accounts/index`);
  await account.waitFor();
  await account.locator('.nut-button', { hasText: '停用' }).click();
  await type(officer, 'disableReason', '人员调动');
  await account.locator('.nut-button', { hasText: '确认停用' }).click();
  await officer.locator('[data-testid="account-item"][data-status="disabled"]', { hasText: '周敏' }).waitFor();
  await screenshot(officer, SPEC, '06-district-disabled');
  await worker.goto(`${cloud.url}/#/pages/index/index`);
  await settle(worker);
  await worker.goto(`${cloud.url}/#/staff/pages/index/index`);
  await worker.getByTestId('staff-bind').waitFor();
  expect(await worker.getByTestId('staff-documents-entry').count()).toBe(0);
  await screenshot(worker, SPEC, '07-worker-refused');
});
