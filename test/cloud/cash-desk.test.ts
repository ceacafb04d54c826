/**
 * The community cash desk (`staffCash`) against the local cloud: an elderly person without a
 * phone registered at the desk and paid in cash (receipt, enrollment paid as an online payment
 * leaves it); nothing paid twice by phone and cash in any order, nor by two desks at once; the
 * 30-day and 200,000-yuan remittance alerts on the local cloud's clock; a remittance closes
 * them; reversal by the district only; scope and own family refused.
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { addWithDocument, adult, CONSENT, devGet, makeId, post, Resident, signIn, startCloud, verify } from './helpers';

jest.setTimeout(180_000);
const PASSWORD = 'Local@2023';
const ANJUYUAN = 'org-c-340104-anjuyuan';
const DAOXIANGCUN = 'org-c-340104-daoxiangcun';

function desk(name: string, idNumber: string, extra: Record<string, unknown> = {}) {
  const sex = Number(idNumber[16]) % 2 === 1 ? 'male' : 'female';
  return { action: 'registerPerson', name, sex, idNumber, hukou: 'local', address: '合肥市蜀山区三里庵街道安居苑小区3栋', mobile: '13900001111', answers: { employeeInsured: false, enrolledElsewhere: false }, ...extra };
}

function refused(r: { ok: boolean; error?: { code: string } }, code: string) {
  expect(r.ok).toBe(false);
  expect((r as { error: { code: string } }).error.code).toBe(code);
}

describe('community cash desk, from 2023-11-20', () => {
  let cloud: LocalCloud;
  let worker: Resident; // 安居苑社区
  let worker2: Resident; // a second window of 安居苑社区
  let daoxiang: Resident; // 稻香村社区, same district
  let district: Resident; // 蜀山区
  let baohe: Resident; // 包河区
  let city: Resident;
  let seq = 100;
  const nextId = (birth = '1948-03-02') => makeId('340104', birth, seq++);

  const setClock = (now: string) => post(cloud.url, '/api/clock', { now });
  /** Online registrations carry no community yet (another part of issue 11): set it as a resident would have chosen. */
  const placeIn = (personId: string, orgId: string) => {
    const person = cloud.store.getById('persons', personId)!;
    const org = cloud.store.getById('organisations', orgId)!;
    cloud.store.write([{ c: 'persons', id: personId, doc: { ...person, community: { id: org._id, name: org.name, township: org.township, district: org.district } } }]);
  };
  const staffAccount = async (account: string, doc: Record<string, unknown>) => {
    const s = await signIn(cloud.url, account);
    cloud.store.write([{ c: 'staff', id: account, doc: { _id: account, openid: s.openid, status: 'active', ...doc } }]);
    return s;
  };

  beforeAll(async () => {
    cloud = await startCloud('2023-11-20T09:00:00+08:00');
    worker = await signIn(cloud.url, 'sq_worker', PASSWORD);
    district = await signIn(cloud.url, 'sq_district', PASSWORD);
    city = await signIn(cloud.url, 'city_center', PASSWORD);
    worker2 = await staffAccount('sq_worker2', { role: 'community', scope: '蜀山区三里庵街道安居苑社区', name: '安居苑社区二号窗口', orgId: ANJUYUAN });
    daoxiang = await staffAccount('dx_worker', { role: 'community', scope: '蜀山区稻香村社区', name: '稻香村社区工作人员', orgId: DAOXIANGCUN });
    baohe = await staffAccount('bh_district', { role: 'district', scope: '包河区', name: '包河区医保分局', orgId: 'org-340111' });
  });
  afterAll(async () => cloud?.close());

  test('an elderly person without a phone: found nowhere, registered at the desk, 380.00 taken in cash against a receipt number; the receipt; her daughter, authorized at the desk, cannot pay online again', async () => {
    const id = nextId('1946-05-17');
    expect(await worker.data('staffCash', { action: 'findPerson', name: '王秀英', idNumber: id })).toEqual({ found: false });
    const reg = await worker.data('staffCash', desk('王秀英', id));
    expect(reg.person).toMatchObject({ name: '王秀英', district: '蜀山区', benefitYear: 2024, enrollment: { state: 'none', paidBy: null } });
    expect(reg.person.community).toMatch(/安居苑社区$/);
    expect(reg.person.idMasked).toMatch(/^340\*{11}[0-9X]{4}$/);
    expect(reg.person.quote).toMatchObject({ eligible: true, windowOpen: true, payableFen: 38000 });
    const stored = cloud.store.getById('persons', reg.person.personId)!;
    expect(JSON.stringify(stored)).not.toContain(id);
    expect(stored.community).toMatchObject({ id: ANJUYUAN });

    // Found again by name and number; a wrong name is refused.
    const found = await worker.data('staffCash', { action: 'findPerson', name: '王秀英', idNumber: id });
    expect(found.person.personId).toBe(reg.person.personId);
    refused(await worker.call('staffCash', { action: 'findPerson', name: '王秀华', idNumber: id }), 'NAME_MISMATCH');

    const personId = reg.person.personId;
    refused(await worker.call('staffCash', { action: 'recordCash', personId, benefitYear: 2024, amountFen: 37000, receiptNo: 'AH2023000101' }), 'AMOUNT_MISMATCH');
    const receipt = await worker.data('staffCash', { action: 'recordCash', personId, benefitYear: 2024, amountFen: 38000, receiptNo: 'ah 2023000101' });
    expect(receipt).toMatchObject({ receiptNo: 'AH2023000101', personName: '王秀英', amountFen: 38000, benefitYear: 2024, status: 'unremitted', takenBy: '安居苑社区工作人员', voucherNo: null });
    expect(receipt.explanation.length).toBeGreaterThan(0);
    // A repeated request (a lost reply) gives the same receipt; the number is not reusable for someone else.
    expect(await worker.data('staffCash', { action: 'recordCash', personId, benefitYear: 2024, amountFen: 38000, receiptNo: 'AH2023000101' })).toEqual(receipt);
    const other = await worker.data('staffCash', desk('李桂兰', nextId('1950-01-09')));
    refused(await worker.call('staffCash', { action: 'recordCash', personId: other.person.personId, benefitYear: 2024, amountFen: 38000, receiptNo: 'AH2023000101' }), 'RECEIPT_USED');
    expect(await worker.data('staffCash', { action: 'receipt', receiptNo: 'AH2023000101' })).toEqual(receipt);

    // Paid exactly as an online payment: enrollment paid_pending_sync with its sync date, a payment with channel cash, audited.
    const enrollment = cloud.store.getById('enrollments', `${personId}_2024`)!;
    expect(enrollment).toMatchObject({ status: 'paid_pending_sync', amountFen: 38000, outTradeNo: receipt.outTradeNo });
    expect(enrollment.expectedSyncBy).toMatch(/^2023-11-2\d$/);
    const payments = cloud.store.find('payments', { outTradeNo: receipt.outTradeNo });
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ channel: 'cash', transactionId: 'CASH-AH2023000101', totalFeeFen: 38000 });
    expect(cloud.store.getById('orders', receipt.outTradeNo)).toMatchObject({ status: 'paid', channel: 'cash' });
    const audit = cloud.store.find('audit_log', { actor: worker.openid });
    expect(audit.map((a) => a.to)).toEqual(expect.arrayContaining(['registered', 'awaiting_payment', 'paid', 'paid_pending_sync', 'recorded', 'cash_unremitted']));
    expect(JSON.stringify(audit)).not.toContain(id);
    expect((await worker.data('staffCash', { action: 'findPerson', name: '王秀英', idNumber: id })).person.enrollment).toMatchObject({ state: 'paid', paidBy: 'cash' });

    // Her daughter will act for her later: she claims her mother, the claim waits at the desk, staff record the signed authorization.
    const daughter = await signIn(cloud.url, 'wang_daughter');
    await daughter.data('resident', CONSENT);
    await verify(daughter, adult('张丽', makeId('340104', '1972-08-08', 402)));
    const claim = await daughter.data('resident', { ...adult('王秀英', id), relation: 'parent' });
    expect(claim).toMatchObject({ authorization: 'pending', next: 'invite' });
    const pending = (await worker.data('staffCash', { action: 'findPerson', name: '王秀英', idNumber: id })).person.pendingAuthorizations;
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ personId, relation: 'parent' });
    await worker.data('staffIdentity', { action: 'deskAuthorize', linkId: pending[0].linkId, reason: '本人到社区窗口签字授权女儿代办' });
    // Online after cash: refused, and her home shows the year paid.
    const online = await daughter.call('payment', { action: 'createOrder', items: [{ personId, benefitYear: 2024 }] });
    refused(online, 'ALREADY_PAID');
    const home = await daughter.data('resident', { action: 'home' });
    expect(home.persons.find((p: any) => p.personId === personId)).toMatchObject({ status: 'paid_pending_sync' });
  });

  test('cash for someone who just paid online is refused, with the channel named', async () => {
    const kim = await signIn(cloud.url, 'kim_online');
    await kim.data('resident', CONSENT);
    const idNumber = makeId('340104', '1960-02-02', 511);
    const personId = await addWithDocument(cloud.url, kim, adult('金明', idNumber));
    placeIn(personId, ANJUYUAN);
    const order = await kim.data('payment', { action: 'createOrder', items: [{ personId, benefitYear: 2024 }] });
    expect((await post(cloud.url, '/api/pay/confirm', { outTradeNo: order.outTradeNo }, kim.token)).status).toBe(200);
    const found = await worker.data('staffCash', { action: 'findPerson', name: '金明', idNumber });
    expect(found.person.enrollment).toMatchObject({ state: 'paid', paidBy: 'wechat' });
    const r = await worker.call('staffCash', { action: 'recordCash', personId, benefitYear: 2024, amountFen: 38000, receiptNo: 'AH2023000201' });
    refused(r, 'ALREADY_PAID');
    expect(!r.ok && r.error.message).toMatch(/微信/);
    // The refused number was not used up.
    expect(cloud.store.getById('cash_payments', 'AH2023000201')).toBeUndefined();
  });

  test('an online order pending: refused while WeChat Pay cannot close it (5 minutes), then closed there and the cash taken; the resident sees the order closed', async () => {
    const sun = await signIn(cloud.url, 'sun_pending');
    await sun.data('resident', CONSENT);
    const idNumber = makeId('340104', '1952-06-06', 613);
    const personId = await addWithDocument(cloud.url, sun, adult('孙建国', idNumber));
    placeIn(personId, ANJUYUAN);
    const order = await sun.data('payment', { action: 'createOrder', items: [{ personId, benefitYear: 2024 }] });
    const early = await worker.call('staffCash', { action: 'recordCash', personId, benefitYear: 2024, amountFen: 38000, receiptNo: 'AH2023000301' });
    refused(early, 'ONLINE_PAYMENT_PENDING');
    expect(!early.ok && early.error.message).toMatch(/线上缴费正在进行/);
    const clock = (await devGet(cloud.url, '/api/clock')) as { now: string };
    await setClock(new Date(new Date(clock.now).getTime() + 6 * 60_000).toISOString());
    const taken = await worker.data('staffCash', { action: 'recordCash', personId, benefitYear: 2024, amountFen: 38000, receiptNo: 'AH2023000301' });
    expect(taken.status).toBe('unremitted');
    const view = await sun.data('payment', { action: 'queryOrder', outTradeNo: order.outTradeNo });
    expect(view).toMatchObject({ status: 'closed', statusText: '已在社区窗口现金缴费，本订单已关闭' });
    // Paying the closed order now is impossible at WeChat Pay too.
    expect((await post(cloud.url, '/api/pay/confirm', { outTradeNo: order.outTradeNo }, sun.token)).status).not.toBe(200);
  });

  test('two windows record cash for the same person at the same moment: one payment, the other refused and its receipt number free', async () => {
    const reg = await worker.data('staffCash', desk('赵德顺', nextId('1944-10-10')));
    const personId = reg.person.personId;
    const results = await Promise.all([
      worker.call('staffCash', { action: 'recordCash', personId, benefitYear: 2024, amountFen: 38000, receiptNo: 'AH2023000401' }),
      worker2.call('staffCash', { action: 'recordCash', personId, benefitYear: 2024, amountFen: 38000, receiptNo: 'AH2023000402' }),
    ]);
    const ok = results.filter((r) => r.ok);
    expect(ok).toHaveLength(1);
    const loser = results.find((r) => !r.ok) as { ok: false; error: { code: string } };
    expect(['ALREADY_PAID', 'CASH_IN_PROGRESS']).toContain(loser.error.code);
    expect(cloud.store.find('payments', { personIds: personId })).toHaveLength(1);
    expect(cloud.store.find('cash_payments', { personId })).toHaveLength(1);
  });

  test('out of scope and wrong roles are refused: another community, another district, residents, university and department staff', async () => {
    const id = nextId('1949-12-12');
    const reg = await worker.data('staffCash', desk('周淑珍', id));
    const personId = reg.person.personId;
    refused(await daoxiang.call('staffCash', { action: 'findPerson', name: '周淑珍', idNumber: id }), 'OUT_OF_SCOPE');
    refused(await daoxiang.call('staffCash', { action: 'recordCash', personId, benefitYear: 2024, amountFen: 38000, receiptNo: 'DX2023000001' }), 'OUT_OF_SCOPE');
    refused(await baohe.call('staffCash', { action: 'recordCash', personId, benefitYear: 2024, amountFen: 38000, receiptNo: 'BH2023000001' }), 'OUT_OF_SCOPE');
    refused(await worker.call('staffCash', { ...desk('吴桂芳', nextId('1951-01-01')), communityId: DAOXIANGCUN }), 'OUT_OF_SCOPE');
    refused(await worker.call('staffCash', { ...desk('吴桂芳', nextId('1951-01-01')), answers: { employeeInsured: false } }), 'ANSWERS_MISSING');
    refused(await district.call('staffCash', desk('吴桂芳', nextId('1951-01-01'))), 'COMMUNITY_REQUIRED');
    refused(await district.call('staffCash', { ...desk('吴桂芳', nextId('1951-01-01')), communityId: 'org-c-340111-wanghu' }), 'OUT_OF_SCOPE');
    // The district may register into one of its communities and sees the person.
    const byDistrict = await district.data('staffCash', { ...desk('吴桂芳', nextId('1951-01-01')), communityId: DAOXIANGCUN });
    expect(byDistrict.person.community).toMatch(/稻香村社区$/);
    for (const account of ['hfut_staff', 'mz_dept']) {
      const s = await signIn(cloud.url, account, PASSWORD);
      refused(await s.call('staffCash', { action: 'findPerson', name: '周淑珍', idNumber: id }), 'FORBIDDEN');
      refused(await s.call('staffCash', { action: 'summary' }), 'FORBIDDEN');
    }
    const resident = await signIn(cloud.url, 'curious_resident');
    refused(await resident.call('staffCash', { action: 'findPerson', name: '周淑珍', idNumber: id }), 'FORBIDDEN');
    refused(await resident.call('staffCash', { action: 'recordCash', personId, benefitYear: 2024, amountFen: 38000, receiptNo: 'XX2023000001' }), 'FORBIDDEN');
    // The city centre reads but does not take cash; scope is never taken from the event.
    refused(await city.call('staffCash', { action: 'recordCash', personId, benefitYear: 2024, amountFen: 38000, receiptNo: 'CC2023000001' }), 'FORBIDDEN');
    refused(await worker.call('staffCash', { action: 'findPerson', name: '周淑珍', idNumber: id, role: 'city' }), 'INVALID_INPUT');
    refused(await worker.call('staffCash', { action: 'recordCash', personId, benefitYear: 2024, amountFen: 38000, receiptNo: '短' }), 'INVALID_INPUT');
  });

  test('staff never take cash for their own family: the worker, verified as herself on her own WeChat, is refused for her mother; her colleague is not', async () => {
    const workerSelf = makeId('340104', '1975-04-04', 722);
    const mother = makeId('340104', '1950-07-07', 724);
    await worker.data('resident', CONSENT);
    await verify(worker, adult('陈芳', workerSelf));
    const reg = await worker2.data('staffCash', desk('刘玉梅', mother));
    await worker.data('resident', { ...adult('刘玉梅', mother), relation: 'parent' });
    refused(await worker.call('staffCash', { action: 'findPerson', name: '刘玉梅', idNumber: mother }), 'OWN_FAMILY');
    refused(await worker.call('staffCash', { action: 'recordCash', personId: reg.person.personId, benefitYear: 2024, amountFen: 38000, receiptNo: 'AH2023000501' }), 'OWN_FAMILY');
    const own = cloud.store.find('persons', {}).find((p) => p.name === '陈芳')!;
    placeIn(own._id, ANJUYUAN);
    refused(await worker.call('staffCash', { action: 'findPerson', name: '陈芳', idNumber: workerSelf }), 'OWN_FAMILY');
    expect((await worker2.data('staffCash', { action: 'recordCash', personId: reg.person.personId, benefitYear: 2024, amountFen: 38000, receiptNo: 'AH2023000502' })).status).toBe('unremitted');
  });

  test('reversal by the district only, with a reason: the enrollment is open again and can be paid anew; not twice', async () => {
    const id = nextId('1947-09-09');
    const reg = await worker.data('staffCash', desk('钱志强', id));
    const personId = reg.person.personId;
    await worker.data('staffCash', { action: 'recordCash', personId, benefitYear: 2024, amountFen: 38000, receiptNo: 'AH2023000601' });
    const reason = '误收：该居民已在外地参保';
    refused(await worker.call('staffCash', { action: 'reverseCash', receiptNo: 'AH2023000601', reason }), 'FORBIDDEN');
    refused(await city.call('staffCash', { action: 'reverseCash', receiptNo: 'AH2023000601', reason }), 'FORBIDDEN');
    refused(await baohe.call('staffCash', { action: 'reverseCash', receiptNo: 'AH2023000601', reason }), 'RECEIPT_NOT_FOUND');
    refused(await district.call('staffCash', { action: 'reverseCash', receiptNo: 'AH2023000601', reason: 'x' }), 'INVALID_INPUT');
    const reversed = await district.data('staffCash', { action: 'reverseCash', receiptNo: 'AH2023000601', reason });
    expect(reversed).toMatchObject({ status: 'reversed', reverseReason: reason });
    refused(await district.call('staffCash', { action: 'reverseCash', receiptNo: 'AH2023000601', reason }), 'ALREADY_REVERSED');
    expect(cloud.store.getById('enrollments', `${personId}_2024`)).toMatchObject({ status: 'open', outTradeNo: null, paidAt: null });
    expect((await worker.data('staffCash', { action: 'findPerson', name: '钱志强', idNumber: id })).person.enrollment.state).toBe('open');
    const audit = cloud.store.find('audit_log', { actor: district.openid });
    expect(audit.map((a) => `${a.entity}:${a.from}->${a.to}`)).toEqual(expect.arrayContaining(['payment:cash_unremitted->reversed', 'enrollment:paid_pending_sync->open']));
    const undone = audit.filter((a) => a.to === 'reversed' || (a.entity === 'enrollment' && a.to === 'open'));
    expect(undone).toHaveLength(2);
    expect(undone.every((a) => String(a.reason).includes(reason))).toBe(true);
    // A reversed receipt number stays used; the person pays again with a new receipt.
    refused(await worker.call('staffCash', { action: 'recordCash', personId, benefitYear: 2024, amountFen: 38000, receiptNo: 'AH2023000601' }), 'RECEIPT_USED');
    expect((await worker.data('staffCash', { action: 'recordCash', personId, benefitYear: 2024, amountFen: 38000, receiptNo: 'AH2023000602' })).status).toBe('unremitted');
  });

  test('remittance alerts on the local clock: 30 days after the oldest unremitted day, and at 200,000 yuan; a remittance closes them; a remitted payment cannot be reversed', async () => {
    const rule = (await worker.data('staffCash', { action: 'summary' })).rule;
    // 2023 states no rule: the 2021 scheme's is adopted and named.
    expect(rule).toMatchObject({ benefitYear: 2024, withinDays: 30, orWhenReachesFen: 20_000_000, adopted: true });
    expect(rule.clause).toMatch(/2021年方案/);
    const anjuyuan = async (s: Resident) => (await s.data('staffCash', { action: 'summary' })).communities.find((c: any) => c.communityId === ANJUYUAN);
    const today = await anjuyuan(worker);
    expect(today).toMatchObject({ oldestDay: '2023-11-20', alerts: [] });
    expect(today.unremittedFen).toBe(today.count * 38000);
    // The district sees its communities; the city everything; another district nothing of 蜀山区.
    expect(await anjuyuan(district)).toEqual(today);
    expect(await anjuyuan(city)).toEqual(today);
    expect(await anjuyuan(baohe)).toBeUndefined();

    await setClock('2023-12-19T09:00:00+08:00'); // 29 days
    expect((await anjuyuan(worker)).alerts).toEqual([]);
    await setClock('2023-12-20T09:00:00+08:00'); // 30 days
    expect(await anjuyuan(worker)).toMatchObject({ ageDays: 30, alerts: ['age'] });

    // 200,000 yuan in 稻香村: 526 payments already there (199,880 yuan), then one more at the desk.
    const base = { status: 'unremitted', communityId: DAOXIANGCUN, community: '蜀山区稻香村社区', district: '蜀山区', benefitYear: 2024, amountFen: 38000, takenAt: '2023-12-18T02:00:00.000Z', takenDay: '2023-12-18', personName: '某', idMasked: null, staffId: 'dx_worker', staffName: '稻香村社区工作人员', staffRole: 'community', createdAt: '2023-12-18T02:00:00.000Z' };
    cloud.store.write(Array.from({ length: 526 }, (_, i) => ({ c: 'cash_payments', id: `DXF${i}00000`, doc: { _id: `DXF${i}00000`, receiptNo: `DXF${i}00000`, outTradeNo: `HFX${i}`, transactionId: `CASH-DXF${i}00000`, personId: `p${i}`, ...base } })));
    const dx = async () => (await daoxiang.data('staffCash', { action: 'summary' })).communities.find((c: any) => c.communityId === DAOXIANGCUN);
    expect(await dx()).toMatchObject({ unremittedFen: 19_988_000, alerts: [] });
    const reg = await daoxiang.data('staffCash', { ...desk('孙玉兰', nextId('1945-02-14')), address: '合肥市蜀山区稻香村' });
    await daoxiang.data('staffCash', { action: 'recordCash', personId: reg.person.personId, benefitYear: 2024, amountFen: 38000, receiptNo: 'DX2023000101' });
    expect(await dx()).toMatchObject({ unremittedFen: 20_026_000, alerts: ['amount'], ageDays: 2 });

    // The remittance: the tax voucher and the receipts it covers.
    const open = (await worker.data('staffCash', { action: 'listUnremitted', limit: 100 })).items;
    expect(open.length).toBe(today.count);
    refused(await worker.call('staffCash', { action: 'recordRemittance', voucherNo: 'SW340104202312200001', receiptNos: ['DX2023000101'] }), 'RECEIPT_NOT_FOUND');
    refused(await district.call('staffCash', { action: 'recordRemittance', voucherNo: 'SW340104202312200001', receiptNos: [open[0].receiptNo, 'DX2023000101'] }), 'MIXED_COMMUNITIES');
    const done = await worker.data('staffCash', { action: 'recordRemittance', voucherNo: 'SW340104202312200001', receiptNos: open.map((o: any) => o.receiptNo) });
    expect(done).toMatchObject({ communityId: ANJUYUAN, count: open.length, totalFen: today.unremittedFen });
    expect(await anjuyuan(worker)).toBeUndefined();
    expect((await worker.data('staffCash', { action: 'receipt', receiptNo: open[0].receiptNo })).voucherNo).toBe('SW340104202312200001');
    refused(await worker.call('staffCash', { action: 'recordRemittance', voucherNo: 'SW340104202312200001', receiptNos: [open[0].receiptNo] }), 'NOT_UNREMITTED');
    const receiptNos = (await daoxiang.data('staffCash', { action: 'listUnremitted', limit: 1 })).items.map((o: any) => o.receiptNo);
    refused(await daoxiang.call('staffCash', { action: 'recordRemittance', voucherNo: 'SW340104202312200001', receiptNos }), 'VOUCHER_USED');
    refused(await district.call('staffCash', { action: 'reverseCash', receiptNo: open[0].receiptNo, reason: '误收需要冲正' }), 'ALREADY_REMITTED');
  });
});
