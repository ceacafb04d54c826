/**
 * The sync with the insurance system (医保信息平台), in the browser: 王建国 paid for 2024 and his
 * home says 已缴费 with the two-working-day estimate; the city centre's staff open 医保登记同步,
 * export (立即报送) and fetch the platform's answer (获取回盘); his home turns to 已参保 with the
 * registration date. 赵丽, whom the simulated platform refuses (R01), reads 医保登记未通过 with the
 * reason and what to do, and the staff page lists her.
 */
import { browserScenario, screenshot } from '../support/browser';
import { button, makeId, openApp, settle, signIn } from '../support/resident';
import { signInStaff } from '../support/staff';
import { enrollThroughGateway } from '../../../scripts/seed';

const SPEC = 'insurance-sync';
const ZHAO_ID = makeId('340104', '1979-03-03', 314);

const world = browserScenario('2023-10-09T10:00:00+08:00', {
  pages: 3,
  setup: async (cloud) => {
    await enrollThroughGateway(cloud.url, 'wangjianguo', { name: '王建国', sex: 'male', idNumber: makeId('340104', '1970-01-01', 311), address: '合肥市蜀山区长江西路100号', mobile: '13900001111' }, 2024);
    await enrollThroughGateway(cloud.url, 'zhaoli', { name: '赵丽', sex: 'female', idNumber: ZHAO_ID, address: '合肥市蜀山区长江西路102号', mobile: '13900002222' }, 2024);
    const dev = async (path: string, body: unknown) => {
      const r = await fetch(`${cloud.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${cloud.localToken}` }, body: JSON.stringify(body) });
      if (!r.ok) throw new Error(`${path} ${r.status}`);
    };
    // The simulated platform answers at once and refuses 赵丽 (name and ID number do not match).
    await dev('/api/insurance/config', { delayMs: 0 });
    await dev('/api/insurance/refuse', { idNumber: ZHAO_ID, code: 'R01' });
  },
});

test('the home page turns from 已缴费 to 已参保 after the sync; a refusal is told with what to do', async () => {
  const { cloud, pages: [resident, staff, refused] } = world;

  await openApp(resident, cloud);
  await signIn(resident, 'wangjianguo');
  const card = resident.getByTestId('person-card');
  await card.waitFor();
  expect(await card.getByTestId('person-status').textContent()).toBe('已缴费');
  expect(await card.textContent()).toContain('前同步至医保系统');
  await screenshot(resident, SPEC, '01-home-paid');

  // The city centre exports the day's batch and fetches the answer.
  await openApp(staff, cloud);
  await signInStaff(staff, 'city_center');
  await staff.getByTestId('staff-insurance-entry').waitFor();
  await staff.goto(`${cloud.url}/#/staff/pages/insurance/index`);
  await staff.getByTestId('insurance-sync').waitFor();
  await screenshot(staff, SPEC, '02-staff-before');
  await button(staff, '立即报送').click();
  await staff.getByTestId('insurance-job').getByText('已完成').waitFor({ timeout: 30000 });
  expect(await staff.getByTestId('insurance-job').textContent()).toContain('YB2023100901，2 人');
  await screenshot(staff, SPEC, '03-staff-exported');
  await button(staff, '获取回盘').click();
  await staff.getByTestId('insurance-batch').getByText('已完成').waitFor({ timeout: 30000 });
  await staff.getByText('已参保 1 人，退回 1 人').waitFor();
  const item = staff.getByTestId('refused-item');
  await item.waitFor();
  expect(await item.textContent()).toContain('赵丽');
  expect(await item.textContent()).toContain('医保系统核对姓名和身份证号码时未通过');
  await screenshot(staff, SPEC, '04-staff-answered');

  // His home: 已参保 with the registration date, no estimate any more.
  await resident.reload();
  await settle(resident);
  const after = resident.getByTestId('person-card');
  await after.getByTestId('person-status').getByText('已参保').waitFor();
  expect(await after.getByTestId('registered-on').textContent()).toContain('2023');
  expect(await after.textContent()).not.toContain('前同步至医保系统');
  await screenshot(resident, SPEC, '05-home-enrolled');

  // 赵丽's home: the refusal in plain words, what to do, and that she need not pay again.
  await openApp(refused, cloud);
  await signIn(refused, 'zhaoli');
  const zhao = refused.getByTestId('person-card');
  await zhao.getByTestId('sync-refusal').waitFor();
  expect(await zhao.getByTestId('sync-refusal').textContent()).toContain('医保登记未通过');
  expect(await zhao.textContent()).toContain('无需再次缴费');
  await screenshot(refused, SPEC, '06-home-refused');
});
