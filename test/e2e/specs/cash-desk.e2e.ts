/**
 * The community cash desk in the browser: the 安居苑社区 worker (sq_worker) signs in, looks for
 * an elderly resident without a phone by name and ID number, finds no record, registers her from
 * her ID card, sees 380.00 to pay, takes it in cash against the 专用票据 number, and prints the
 * receipt (window.print, and the page as the print stylesheet lays it out). Then the 蜀山区 office
 * (sq_district) registers a second resident at its desk into one of its communities (the
 * district's community choice), takes her cash, reverses it as taken by mistake with a reason,
 * and the worker remits her own receipt under a tax voucher number; screenshots of each step.
 */
import { browserScenario, screenshot } from '../support/browser';
import { answerQuestions, button, choose, makeId, openApp, settle, type, vis } from '../support/resident';
import { signInStaff } from '../support/staff';

const SPEC = 'cash-desk';
const world = browserScenario('2023-11-20T09:30:00+08:00', { pages: 2 });
const ID = makeId('340104', '1946-05-17', 128);
const ID2 = makeId('340104', '1948-09-03', 246);

test('a community worker registers an elderly resident at the desk, takes 380.00 in cash and prints the receipt', async () => {
  const { cloud, pages: [staff] } = world;
  await openApp(staff, cloud);
  await signInStaff(staff, 'sq_worker');
  await staff.getByTestId('staff-cash-entry').waitFor();
  await screenshot(staff, SPEC, '01-staff-home');
  // The entry's first button opens the desk (its wording belongs to the staff home).
  await vis(staff, 'staff-cash-entry').locator('.nut-button').first().click();

  // Not found by name and ID number: the registration form.
  await vis(staff, 'desk-find').waitFor();
  await type(staff, 'name', '王秀英');
  await type(staff, 'idNumber', ID);
  await screenshot(staff, SPEC, '02-find');
  await button(staff, '查找').click();
  await vis(staff, 'desk-register').waitFor();
  await choose(staff, 'hukou', '合肥市户籍');
  await type(staff, 'address', '合肥市蜀山区三里庵街道安居苑小区3栋');
  await type(staff, 'mobile', '13900001111');
  await answerQuestions(staff);
  await screenshot(staff, SPEC, '03-register');
  await button(staff, '登记并查看应缴金额').click();

  // Her record: not enrolled, 380.00 to pay.
  const person = vis(staff, 'desk-person');
  await person.waitFor();
  expect(await person.textContent()).toContain('本年度未参保');
  expect(await person.textContent()).toContain('安居苑社区');
  expect(await vis(staff, 'desk-quote').textContent()).toContain('380.00');
  expect(await person.textContent()).not.toContain(ID);

  // A receipt number that is not one is refused next to the field.
  await type(staff, 'receiptNo', '12');
  await button(staff, '确认收款').click();
  await staff.getByText('票据号码为 6–32 位字母或数字，请按票据上印的号码填写').waitFor();
  await type(staff, 'receiptNo', 'AH2023000101');
  await screenshot(staff, SPEC, '04-take-cash');
  await button(staff, '确认收款').click();

  // The receipt.
  const receipt = vis(staff, 'cash-receipt');
  await receipt.waitFor();
  const text = (await receipt.textContent()) ?? '';
  for (const s of ['社区现金缴费凭证', '王秀英', '380.00', 'AH2023000101', '现金', '安居苑社区工作人员', '已收款，待汇缴']) expect(text).toContain(s);
  expect(text).not.toContain(ID);
  expect(text).toMatch(/340\*{11}\d{3}[0-9X]/);
  await screenshot(staff, SPEC, '05-receipt');

  // 打印 opens the browser's print dialog; the print layout shows the receipt only.
  // Runs in the page (the spec is compiled without the DOM's types: globalThis is its window).
  type PrintSpy = { print: () => void; printed: number; scrollTo: (x: number, y: number) => void };
  await staff.evaluate(() => {
    const w = globalThis as unknown as PrintSpy;
    w.printed = 0;
    w.print = () => {
      w.printed += 1;
    };
  });
  await button(staff, '打印').click();
  expect(await staff.evaluate(() => (globalThis as unknown as PrintSpy).printed)).toBe(1);
  await staff.emulateMedia({ media: 'print' });
  await staff.evaluate(() => (globalThis as unknown as PrintSpy).scrollTo(0, 0));
  await settle(staff, 300);
  expect(await staff.locator('.nut-button:visible', { hasText: '打印' }).count()).toBe(0);
  expect(await receipt.isVisible()).toBe(true);
  await screenshot(staff, SPEC, '06-print-layout');
  await staff.emulateMedia({ media: 'screen' });

  // Paid exactly as online: enrollment paid_pending_sync, one cash payment, one unremitted receipt.
  const persons = cloud.store.all('persons') as any[];
  const her = persons.find((p) => p.name === '王秀英');
  expect(cloud.store.getById('enrollments', `${her._id}_2024`)).toMatchObject({ status: 'paid_pending_sync', amountFen: 38000 });
  expect((cloud.store.all('payments') as any[]).map((p) => p.channel)).toEqual(['cash']);
  expect(cloud.store.getById('cash_payments', 'AH2023000101')).toMatchObject({ status: 'unremitted', amountFen: 38000 });

  // 现金汇缴 lists it for the community.
  await button(staff, '办理下一位').click();
  await vis(staff, 'desk-find').waitFor();
  await button(staff, '现金汇缴与冲正').click();
  const community = vis(staff, 'remit-community');
  await community.waitFor();
  expect(await community.textContent()).toContain('380.00');
  expect(await vis(staff, 'remit-rule').textContent()).toContain('30天内，或金额达到20万元');
  await screenshot(staff, SPEC, '07-remit');
});

test('the district office takes cash for one of its communities and reverses it; the worker remits hers with the tax voucher', async () => {
  const { cloud, pages: [worker, district] } = world;
  await openApp(district, cloud);
  await signInStaff(district, 'sq_district');
  await district.getByTestId('staff-cash-entry').waitFor();
  await vis(district, 'staff-cash-entry').locator('.nut-button').first().click();
  await vis(district, 'desk-find').waitFor();
  await type(district, 'name', '李桂兰');
  await type(district, 'idNumber', ID2);
  await button(district, '查找').click();
  await vis(district, 'desk-register').waitFor();
  await choose(district, 'hukou', '合肥市户籍');
  await type(district, 'address', '合肥市蜀山区稻香村街道稻香村小区8栋');
  await type(district, 'mobile', '13900002222');
  await answerQuestions(district);
  // A district office acts for its communities: it says which one (its own list, no other district's).
  const communities = vis(district, 'choice-community');
  await communities.waitFor();
  expect(await communities.textContent()).toContain('安居苑社区');
  expect(await communities.textContent()).not.toContain('望湖社区');
  await button(district, '登记并查看应缴金额').click();
  await district.getByText('请选择参保人所在的社区（村居）').waitFor();
  await choose(district, 'community', '稻香村社区');
  await screenshot(district, SPEC, '08-district-register-community');
  await button(district, '登记并查看应缴金额').click();
  const person = vis(district, 'desk-person');
  await person.waitFor();
  expect(await person.textContent()).toContain('稻香村社区');
  await type(district, 'receiptNo', 'AH2023000102');
  await button(district, '确认收款').click();
  const receipt = vis(district, 'cash-receipt');
  await receipt.waitFor();
  expect(await receipt.textContent()).toContain('李桂兰');
  await screenshot(district, SPEC, '09-district-receipt');

  // Taken by mistake: the district reverses it with a reason; her year is open again.
  await district.goto(`${cloud.url}/#/staff/pages/cash-remit/index`);
  const items = vis(district, 'remit-item');
  await items.first().waitFor();
  const mistaken = items.filter({ hasText: 'AH2023000102' });
  await mistaken.locator('.nut-button', { hasText: '冲正' }).click();
  await type(district, 'reverseReason', '误收，该居民已由子女在线缴费');
  await screenshot(district, SPEC, '10-district-reverse');
  await mistaken.locator('.nut-button', { hasText: '确认冲正' }).click();
  await district.getByText('票据 AH2023000102 已冲正，该参保人本年度恢复为未缴费').waitFor();
  await screenshot(district, SPEC, '11-district-reversed');
  expect(cloud.store.getById('cash_payments', 'AH2023000102')).toMatchObject({ status: 'reversed' });
  const li = (cloud.store.all('persons') as any[]).find((p) => p.name === '李桂兰');
  expect(li.community).toMatchObject({ id: 'org-c-340104-daoxiangcun' });
  expect((cloud.store.getById('enrollments', `${li._id}_2024`) as any)?.status ?? 'open').toBe('open');

  // The worker remits her receipt under the tax voucher: it leaves the unremitted list.
  await worker.goto(`${cloud.url}/#/staff/pages/cash-remit/index`);
  const mine = vis(worker, 'remit-item').filter({ hasText: 'AH2023000101' });
  await mine.waitFor();
  expect(await vis(worker, 'remit-item').filter({ hasText: 'AH2023000102' }).count()).toBe(0);
  await mine.locator('[role="checkbox"]').click();
  await type(worker, 'voucherNo', '334012023112000001');
  await screenshot(worker, SPEC, '12-remit-voucher');
  await button(worker, '登记汇缴').click();
  await worker.getByText(/已登记汇缴：.*安居苑社区 1 笔，完税凭证 334012023112000001/).waitFor();
  await screenshot(worker, SPEC, '13-remitted');
  expect(cloud.store.getById('cash_payments', 'AH2023000101')).toMatchObject({ status: 'remitted' });
  expect(await vis(worker, 'remit-item').count()).toBe(0);
});
