/**
 * The guards money depends on (issues 14 and 16), each tried against the local cloud the way it
 * breaks: a user delivering a forged SUCCESS notification, a notification reporting less than the
 * order, a notification repeated ten times, an order at the end of its lifetime, an expired order
 * that must give its people back, a close WeChat Pay refuses, a payment arriving for an order
 * closed meanwhile, refunds failing and retried, staff refunding a payment, and two orders for the
 * same two people in opposite order. The sweeper is invoked as its timer is, through the SDK.
 */
import { buildFunction } from '../../cloudfunctions/build';
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { dbErrors } from '../../cloudfunctions/local-cloud/database/store';
import { adult, addMember, addWithDocument, CONSENT, makeId, PayCall, post, recordPayCalls, Resident, signIn, startCloud, verifiedResident, verify, withWriteFault } from './helpers';

process.env.TENCENTCLOUD = 'true';
process.env.SILENCE = 'true';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const sdk: any = require('wx-server-sdk');

jest.setTimeout(240_000);
const PASSWORD = 'Local@2023';
const TIMER = { Type: 'Timer', TriggerName: 'every5min', Time: '2023-10-08T02:00:00Z', Message: '' };
const START = '2023-10-08T10:00:00+08:00';

let cloud: LocalCloud;
let pay: any;
let seq = 100;
const payCalls: PayCall[] = [];

const move = (ms: number) => cloud.clock.set(new Date(cloud.clock.now().getTime() + ms));
const orderDoc = (no: string) => cloud.store.getById('orders', no) as any;
const enrollmentOf = (personId: string, year = 2024) => cloud.store.getById('enrollments', `${personId}_${year}`) as any;
const auditLog = () => cloud.store.all('audit_log') as any[];
/** The audit entries about these entities (orders, transactions, enrollments). */
const auditOf = (...entityIds: string[]) => auditLog().filter((e) => entityIds.includes(e.entityId));
const alerts = () => auditLog().filter((e) => e.level === 'alert');
const paymentsOf = (no: string) => (cloud.store.all('payments') as any[]).filter((p) => p.outTradeNo === no);
const refundsOf = (no: string) => (cloud.store.all('refunds') as any[]).filter((r) => r.outTradeNo === no);
const queriesOf = (no: string) => payCalls.filter((c) => c.api === 'queryOrder' && c.outTradeNo === no).length;

async function sweep(): Promise<any> {
  const r = await sdk.callFunction({ name: 'paySweeper', data: TIMER });
  expect(r.result.ok).toBe(true);
  return r.result.data;
}

/** A signed-in resident, verified as a new adult person of 蜀山区. */
async function payer(tag: string): Promise<{ r: Resident; personId: string }> {
  const r = await signIn(cloud.url, `mg_${tag}`);
  await r.data('resident', CONSENT);
  const m = await verify(r, adult(`钱${tag.slice(0, 2)}`, makeId('340104', '1981-03-03', ++seq)));
  return { r, personId: m.personId };
}

async function order(r: Resident, personIds: string[]) {
  return r.data('payment', { action: 'createOrder', items: personIds.map((personId) => ({ personId, benefitYear: 2024 })) });
}

async function confirm(r: Resident, outTradeNo: string) {
  const res = await post(cloud.url, '/api/pay/confirm', { outTradeNo }, r.token);
  expect(res.status).toBe(200);
  return res.body;
}

beforeAll(async () => {
  for (const name of ['paySweeper', 'staffPayments']) await buildFunction(name);
  cloud = await startCloud(START);
  pay = (cloud as any).pay;
  sdk.init({ env: 'local', serviceUrl: `${cloud.url}/admin`, secretId: 'local', secretKey: (cloud as any).localToken ?? 'local', timeout: 90_000 });
});
afterAll(async () => cloud?.close());

// Every WeChat Pay call the functions send.
beforeAll(() => recordPayCalls(cloud, payCalls));

describe('payCallback acts only on WeChat Pay, and only on what queryOrder confirms', () => {
  test('a forged SUCCESS notification from a user (30 times) settles nothing, queries nothing, alerts nothing', async () => {
    const { r, personId } = await payer('forger');
    const o = await order(r, [personId]);
    const before = alerts().length;
    const forged = { returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: o.outTradeNo, transactionId: '4200000000202310080000000001', totalFee: o.totalFeeFen, cashFee: o.totalFeeFen, timeEnd: '20231008100100' };
    const replies = await Promise.all(Array.from({ length: 30 }, () => r.call('payCallback', forged)));
    for (const reply of replies) expect(reply).toEqual({ errcode: 0, errmsg: 'ignored: not from WeChat Pay' });
    expect(orderDoc(o.outTradeNo).status).toBe('pending');
    expect(paymentsOf(o.outTradeNo)).toHaveLength(0);
    expect(enrollmentOf(personId).status).toBe('awaiting_payment');
    expect(alerts().length).toBe(before);
    expect(queriesOf(o.outTradeNo)).toBe(0);
  });

  test('a notification through WeChat Pay for an order it does not know as paid settles nothing', async () => {
    const { r, personId } = await payer('unpaid');
    const o = await order(r, [personId]);
    const d = await pay.notify('payCallback', { returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: o.outTradeNo, transactionId: '4200000000202310080000000002', totalFee: o.totalFeeFen });
    expect(d.outcome).toContain('not confirmed by queryOrder');
    expect(orderDoc(o.outTradeNo).status).toBe('pending');
    expect(paymentsOf(o.outTradeNo)).toHaveLength(0);
  });

  test('a notification reporting less than the order total settles on the confirmed amount, not the notification', async () => {
    const { r, personId } = await payer('short');
    const o = await order(r, [personId]);
    pay.faults.dropNotifications = true;
    await confirm(r, o.outTradeNo);
    pay.faults.dropNotifications = false;
    const paid = pay.order(o.outTradeNo);
    const d = await pay.notify('payCallback', { ...pay.callbackEvent(paid), totalFee: 1, cashFee: 1 });
    expect(d.ok).toBe(true);
    expect(orderDoc(o.outTradeNo).status).toBe('paid');
    expect(paymentsOf(o.outTradeNo)).toEqual([expect.objectContaining({ totalFeeFen: 38000, transactionId: paid.transactionId })]);
    expect(refundsOf(o.outTradeNo)).toHaveLength(0);
    expect(enrollmentOf(personId)).toMatchObject({ status: 'paid_pending_sync', outTradeNo: o.outTradeNo });
  });

  /** A WeChat Pay notification for an order number this side never issued. */
  const notifyUnknown = (i: number) =>
    pay.notify('payCallback', { returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: `HFFAKE${String(i).padStart(6, '0')}`, transactionId: `42000000002023100800000${String(i).padStart(5, '0')}`, totalFee: 38000 });

  test('30 notifications for orders this side does not know: one alert an hour, no query', async () => {
    const before = alerts().length;
    const queries = payCalls.filter((c) => c.api === 'queryOrder').length;
    for (let i = 0; i < 30; i++) {
      const d = await notifyUnknown(i);
      expect(d.ok).toBe(true);
    }
    // Exactly one: the hour's alert, saying where to look.
    const hour = cloud.clock.now().toISOString().slice(0, 13);
    expect(alerts().slice(before)).toEqual([
      expect.objectContaining({ entity: 'order', entityId: `unknown-${hour}`, from: null, to: 'unknown', reason: expect.stringContaining('check the merchant platform') }),
    ]);
    expect(payCalls.filter((c) => c.api === 'queryOrder').length).toBe(queries);
    // The next hour's first one is that hour's alert.
    move(60 * 60_000);
    await notifyUnknown(99_999);
    expect(alerts().slice(before).map((a) => a.entityId)).toEqual([`unknown-${hour}`, `unknown-${cloud.clock.now().toISOString().slice(0, 13)}`]);
  });

  // A failed write is not a duplicate, whatever its words: the database's "Db or Table not exist"
  // once passed a /exist|duplicate/ test and was taken for "already recorded".
  test.each([
    ['a disk error', 'dbfail', () => new Error('EIO: i/o error, write')],
    ['a missing collection', 'dbgone', () => dbErrors.collectionNotExist()],
  ])('a payment record the database fails to write (%s) is not skipped: nothing settles until a repeated notification records it', async (_what, tag, fault) => {
    const { r, personId } = await payer(tag);
    const o = await order(r, [personId]);
    expect(await withWriteFault(cloud, (ch) => ch.c === 'payments', () => confirm(r, o.outTradeNo), fault)).toBe(1);
    expect(orderDoc(o.outTradeNo).status).toBe('pending');
    expect(paymentsOf(o.outTradeNo)).toHaveLength(0);
    expect(enrollmentOf(personId).status).toBe('awaiting_payment');
    await pay.redeliver(o.outTradeNo);
    expect(orderDoc(o.outTradeNo).status).toBe('paid');
    expect(paymentsOf(o.outTradeNo)).toHaveLength(1);
    expect(enrollmentOf(personId).status).toBe('paid_pending_sync');
  });

  test('a settlement stopped after moving the order (its audit write refused) is completed by the repeat: the move and the payment are audited once', async () => {
    const { r, personId } = await payer('auditfail');
    const o = await order(r, [personId]);
    expect(await withWriteFault(cloud, (ch) => ch.c === 'audit_log' && ch.id === `order:${o.outTradeNo}:paid`, () => confirm(r, o.outTradeNo))).toBe(1);
    expect(orderDoc(o.outTradeNo)).toMatchObject({ status: 'paid', settledFrom: 'pending' });
    expect(auditOf(o.outTradeNo).filter((e) => e.to === 'paid')).toEqual([]);
    await pay.redeliver(o.outTradeNo);
    await pay.redeliver(o.outTradeNo);
    const tx = orderDoc(o.outTradeNo).transactionId;
    expect(auditOf(o.outTradeNo).filter((e) => e.to === 'paid')).toEqual([expect.objectContaining({ from: 'pending', level: 'info', personIds: [personId] })]);
    expect(auditOf(tx).filter((e) => e.to === 'recorded')).toEqual([expect.objectContaining({ entity: 'payment', personIds: [personId] })]);
    expect(enrollmentOf(personId)).toMatchObject({ status: 'paid_pending_sync', outTradeNo: o.outTradeNo });
    expect(orderDoc(o.outTradeNo).nextSweepAt).toBeUndefined();
  });

  test('a notification delivered ten times settles once: the first run settles, the other nine find it settled', async () => {
    const { r, personId } = await payer('tenfold');
    const o = await order(r, [personId]);
    await confirm(r, o.outTradeNo);
    for (let i = 0; i < 9; i++) await pay.redeliver(o.outTradeNo);
    const outcomes = pay.deliveries(o.outTradeNo).map((d: any) => d.outcome);
    expect(outcomes).toEqual(['errcode 0 (OK)', ...Array(9).fill('errcode 0 (already settled)')]);
    expect(paymentsOf(o.outTradeNo)).toHaveLength(1);
    expect(auditOf(o.outTradeNo).filter((e) => e.to === 'paid')).toHaveLength(1);
    expect(enrollmentOf(personId).status).toBe('paid_pending_sync');
  });
});

describe('order lifetime and claims', () => {
  test('an order is payable for its whole 30 minutes and settles; time_expire says the same instant', async () => {
    const { r, personId } = await payer('late29');
    const o = await order(r, [personId]);
    expect(new Date(o.expiresAt).getTime() - new Date(o.createdAt).getTime()).toBe(30 * 60_000);
    move(29 * 60_000);
    await confirm(r, o.outTradeNo);
    expect((await r.data('payment', { action: 'queryOrder', outTradeNo: o.outTradeNo })).status).toBe('paid');
  });

  test('an expired order gives its people back at once (the enrollment is open, not held)', async () => {
    const { r, personId } = await payer('expiry');
    const o = await order(r, [personId]);
    expect(enrollmentOf(personId)).toMatchObject({ status: 'awaiting_payment', outTradeNo: o.outTradeNo });
    move(30 * 60_000 + 1000);
    expect((await r.data('payment', { action: 'queryOrder', outTradeNo: o.outTradeNo })).status).toBe('expired');
    expect(enrollmentOf(personId)).toMatchObject({ status: 'open', outTradeNo: null });
    const home = await r.data('resident', { action: 'home' });
    expect(home.persons.find((p: any) => p.personId === personId).status).not.toBe('awaiting_payment');
  });

  test('a close WeChat Pay refuses is not assumed: the order stays closing and holds its people until the sweeper closes it', async () => {
    const { r, personId } = await payer('closefail');
    const o = await order(r, [personId]);
    move(30 * 60_000 + 1000);
    pay.faults.failNext.closeOrder = 1;
    expect((await r.data('payment', { action: 'queryOrder', outTradeNo: o.outTradeNo })).status).toBe('closing');
    expect(enrollmentOf(personId)).toMatchObject({ status: 'awaiting_payment', outTradeNo: o.outTradeNo });
    expect(pay.order(o.outTradeNo).tradeState).toBe('NOTPAY');
    // Ordering the person again meets the closing order: its close is tried again (refused once more).
    pay.faults.failNext.closeOrder = 1;
    expect(await r.call('payment', { action: 'createOrder', items: [{ personId, benefitYear: 2024 }] })).toMatchObject({ ok: false, error: { code: 'ORDER_PENDING', message: expect.stringContaining('上一笔订单正在关闭') } });
    expect(enrollmentOf(personId)).toMatchObject({ status: 'awaiting_payment', outTradeNo: o.outTradeNo });
    move(10 * 60_000);
    const report = await sweep();
    expect(report.orders.closed).toBeGreaterThanOrEqual(1);
    expect(orderDoc(o.outTradeNo)).toMatchObject({ status: 'expired' });
    expect(pay.order(o.outTradeNo).tradeState).toBe('CLOSED');
    expect(enrollmentOf(personId)).toMatchObject({ status: 'open', outTradeNo: null });
  });

  test('a payment made while a refused close is retried settles as an ordinary payment (not an alert)', async () => {
    const { r, personId } = await payer('closepaid');
    const o = await order(r, [personId]);
    move(5 * 60_000 + 1000);
    pay.faults.failNext.closeOrder = 1;
    expect((await r.data('payment', { action: 'closeOrder', outTradeNo: o.outTradeNo })).status).toBe('closing');
    // The payment sheet was still open on another phone: WeChat Pay takes the money before the close goes through.
    await confirm(r, o.outTradeNo);
    expect(orderDoc(o.outTradeNo).status).toBe('paid');
    expect(enrollmentOf(personId)).toMatchObject({ status: 'paid_pending_sync', outTradeNo: o.outTradeNo });
    expect(refundsOf(o.outTradeNo)).toHaveLength(0);
    expect(auditOf(o.outTradeNo).filter((e) => e.to === 'paid')).toEqual([expect.objectContaining({ from: 'closing', level: 'info' })]);
  });

  /**
   * The first order is closed and a second one pays the person; then WeChat Pay's payment for the
   * first order, taken in the instant of its close, is notified (a double payment).
   */
  async function paidBesideClosed(tag: string) {
    const { r, personId } = await payer(tag);
    const first = await order(r, [personId]);
    move(5 * 60_000 + 1000);
    expect((await r.data('payment', { action: 'closeOrder', outTradeNo: first.outTradeNo })).status).toBe('closed');
    const second = await order(r, [personId]);
    await confirm(r, second.outTradeNo);
    const o = pay.order(first.outTradeNo);
    cloud.store.write([{ c: '$orders', id: o._id, doc: { ...o, tradeState: 'NOTPAY', closedAt: undefined } }]);
    return { r, personId, first, second };
  }

  test('a payment WeChat Pay took for an order closed meanwhile, whose person another order paid, is refunded', async () => {
    const { r, personId, first, second } = await paidBesideClosed('latepay');
    await confirm(r, first.outTradeNo);
    await pay.settled();
    expect(enrollmentOf(personId)).toMatchObject({ status: 'paid_pending_sync', outTradeNo: second.outTradeNo });
    expect(refundsOf(first.outTradeNo)).toEqual([expect.objectContaining({ cause: 'late_payment', refundFeeFen: 38000, status: 'succeeded' })]);
    // A payment for a closed order is an alert, and so is the double payment it made.
    const firstTx = orderDoc(first.outTradeNo).transactionId;
    expect(auditOf(first.outTradeNo).filter((e) => e.to === 'paid')).toEqual([expect.objectContaining({ from: 'closed', level: 'alert' })]);
    expect(auditOf(firstTx)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ entity: 'payment', to: 'double_payment', level: 'alert', reason: `person ${personId} year 2024 already paid by another order: refunded through WeChat Pay` }),
        expect.objectContaining({ entity: 'payment', to: 'recorded' }),
      ]),
    );
    expect(pay.refunds({ outTradeNo: first.outTradeNo })).toEqual([expect.objectContaining({ refundFee: 38000, status: 'SUCCESS' })]);
    const records = (await r.data('resident', { action: 'listRecords' })).records;
    expect(records.find((x: any) => x.outTradeNo === first.outTradeNo).refunds).toEqual([expect.objectContaining({ status: 'succeeded', statusText: '已退款', amountFen: 38000, reason: '订单关闭后才到账的付款' })]);
    expect(records.find((x: any) => x.outTradeNo === second.outTradeNo).refunds).toBeUndefined();
    // Staff asked to refund that part again get the refund it already has; the enrollment the
    // second order paid stays paid, and no reopening is written for it.
    const district = await signIn(cloud.url, 'sq_district', PASSWORD);
    const asked = await district.data('staffPayments', { action: 'refundPayment', outTradeNo: first.outTradeNo, personId, benefitYear: 2024, reasonCode: 'other', note: '居民申请退回重复缴费' });
    expect(asked).toMatchObject({ cause: 'late_payment', amountFen: 38000, personId });
    expect(enrollmentOf(personId)).toMatchObject({ status: 'paid_pending_sync', outTradeNo: second.outTradeNo, amountFen: 38000 });
    expect(auditOf(`${personId}_2024`).filter((e) => e.from === 'paid_pending_sync' && e.to === 'open')).toEqual([]);
    // The enrollment's trail names only the order that paid it: the refunded double payment is not written as paying it.
    expect(auditOf(`${personId}_2024`).filter((e) => e.to === 'paid_pending_sync')).toEqual([expect.objectContaining({ from: 'awaiting_payment', reason: `paid by order ${second.outTradeNo}` })]);
  });

  test('a two-person late payment: one part refunded as paid twice, the other by staff; a repeated notification reopens only the staff-refunded part', async () => {
    const { r, personId: a } = await payer('twopart');
    const b = (await addMember(r, { ...adult('钱小二', makeId('340104', '2012-04-04', 931)), relation: 'child', parentRelation: 'mother', consentForChild: true })).personId;
    const first = await order(r, [a, b]);
    move(5 * 60_000 + 1000);
    expect((await r.data('payment', { action: 'closeOrder', outTradeNo: first.outTradeNo })).status).toBe('closed');
    // Another order pays the first person; then WeChat Pay's payment for both, taken in the
    // instant of the first order's close, is notified.
    const second = await order(r, [a]);
    await confirm(r, second.outTradeNo);
    const paid = pay.order(first.outTradeNo);
    cloud.store.write([{ c: '$orders', id: paid._id, doc: { ...paid, tradeState: 'NOTPAY', closedAt: undefined } }]);
    await confirm(r, first.outTradeNo);
    await pay.settled();
    expect(refundsOf(first.outTradeNo)).toEqual([expect.objectContaining({ cause: 'late_payment', items: [expect.objectContaining({ personId: a })] })]);
    expect(enrollmentOf(b)).toMatchObject({ status: 'paid_pending_sync', outTradeNo: first.outTradeNo });
    // Staff refund the second person's part of that payment.
    const district = await signIn(cloud.url, 'sq_district', PASSWORD);
    await district.data('staffPayments', { action: 'refundPayment', outTradeNo: first.outTradeNo, personId: b, benefitYear: 2024, reasonCode: 'other', note: '居民申请退款' });
    expect(enrollmentOf(b)).toMatchObject({ status: 'open' });
    // A crash between that refund and the reopening; the notification comes again. Each part's
    // own refund decides: the second part's (staff) reopens; the first part's (paid twice) leaves
    // the enrollment the other order paid alone.
    const reopen = `enr:${b}_2024:refunded:${first.outTradeNo}`;
    cloud.store.write([
      { c: 'enrollments', id: `${b}_2024`, doc: { ...enrollmentOf(b), status: 'paid_pending_sync', outTradeNo: first.outTradeNo, amountFen: 38000 } },
      { c: 'audit_log', id: reopen, doc: undefined },
    ]);
    await pay.redeliver(first.outTradeNo);
    expect(enrollmentOf(b)).toMatchObject({ status: 'open', outTradeNo: null });
    expect(cloud.store.getById('audit_log', reopen)).toMatchObject({ reason: 'payment refunded by staff' });
    expect(enrollmentOf(a)).toMatchObject({ status: 'paid_pending_sync', outTradeNo: second.outTradeNo });
  });

  test('a double payment whose settlement fails after its alert is alerted once when the notification comes again', async () => {
    const { r, personId, first } = await paidBesideClosed('latetwice');
    expect(await withWriteFault(cloud, (ch) => ch.c === 'refunds', () => confirm(r, first.outTradeNo))).toBe(1);
    expect(refundsOf(first.outTradeNo)).toHaveLength(0);
    await pay.redeliver(first.outTradeNo);
    await pay.settled();
    const firstTx = orderDoc(first.outTradeNo).transactionId;
    expect(auditOf(firstTx).filter((e) => e.to === 'double_payment')).toEqual([
      expect.objectContaining({ level: 'alert', reason: `person ${personId} year 2024 already paid by another order: refunded through WeChat Pay` }),
    ]);
    expect(refundsOf(first.outTradeNo)).toEqual([expect.objectContaining({ cause: 'late_payment', refundFeeFen: 38000, status: 'succeeded' })]);
    // The payment's own entry, which the failed run never reached, is written by the repeat.
    expect(auditOf(firstTx).filter((e) => e.to === 'recorded')).toEqual([expect.objectContaining({ entity: 'payment', reason: `order ${first.outTradeNo}` })]);
  });

  test('a refund WeChat Pay does not accept is retried by the sweeper with the same number until it succeeds', async () => {
    const { r, personId } = await payer('refundretry');
    const o = await order(r, [personId]);
    const doc = orderDoc(o.outTradeNo);
    cloud.store.write([{ c: 'orders', id: o.outTradeNo, doc: { ...doc, totalFeeFen: doc.totalFeeFen + 100 } }]);
    pay.faults.failNext.refund = 2;
    await confirm(r, o.outTradeNo);
    expect(refundsOf(o.outTradeNo)).toEqual([expect.objectContaining({ cause: 'amount_mismatch', status: 'submitting', attempts: 1 })]);
    expect(enrollmentOf(personId)).toMatchObject({ status: 'open' });
    // Not settled: the order is refunded (the sweeper does not pick it up as a payment), the money
    // received is on the books beside the order's own total, and the mismatch is one alert.
    expect(orderDoc(o.outTradeNo)).toMatchObject({ status: 'refunded', transactionId: pay.order(o.outTradeNo).transactionId });
    expect(orderDoc(o.outTradeNo).nextSweepAt).toBeUndefined();
    expect(paymentsOf(o.outTradeNo)).toEqual([expect.objectContaining({ totalFeeFen: 38000, orderTotalFen: 38100 })]);
    const audit = auditOf(o.outTradeNo, `${personId}_2024`);
    expect(audit.filter((e) => e.level === 'alert')).toEqual([
      expect.objectContaining({ entity: 'order', from: 'pending', to: 'refunded', reason: 'amount mismatch: WeChat Pay confirmed 38000 fen, order total 38100 fen; not settled, refunded whole' }),
    ]);
    expect(audit.filter((e) => e.to === 'paid')).toHaveLength(0);
    expect(audit.filter((e) => e.entity === 'enrollment' && e.to === 'open')).toEqual([expect.objectContaining({ from: 'awaiting_payment', reason: 'payment amount differs from the order (refunded)' })]);
    move(2 * 60_000 + 1000);
    await sweep(); // fails again (the second injected failure)
    expect(refundsOf(o.outTradeNo)[0]).toMatchObject({ status: 'submitting', attempts: 2 });
    move(5 * 60_000);
    await sweep();
    await pay.settled();
    move(2 * 60_000);
    await sweep();
    expect(refundsOf(o.outTradeNo)).toEqual([expect.objectContaining({ status: 'succeeded', refundFeeFen: 38000 })]);
    expect(pay.refunds({ outTradeNo: o.outTradeNo })).toHaveLength(1);
  });

  test('two payments that differ from their orders: each is its own alert (one per order and transaction)', async () => {
    const nos: string[] = [];
    for (const tag of ['mis1', 'mis2']) {
      const { r, personId } = await payer(tag);
      const o = await order(r, [personId]);
      cloud.store.write([{ c: 'orders', id: o.outTradeNo, doc: { ...orderDoc(o.outTradeNo), totalFeeFen: 37999 } }]);
      await confirm(r, o.outTradeNo);
      await pay.redeliver(o.outTradeNo);
      nos.push(o.outTradeNo);
    }
    const mismatch = alerts().filter((e) => nos.includes(e.entityId));
    expect(mismatch.map((e) => e.entityId).sort()).toEqual([...nos].sort());
    expect(mismatch.every((e) => e.to === 'refunded')).toBe(true);
  });

  test('an order paid at WeChat Pay whose notification never came is settled by the sweeper', async () => {
    const { r, personId } = await payer('nonotice');
    const o = await order(r, [personId]);
    pay.faults.dropNotifications = true;
    await confirm(r, o.outTradeNo);
    pay.faults.dropNotifications = false;
    expect(orderDoc(o.outTradeNo).status).toBe('pending');
    move(2 * 60_000 + 1000);
    const report = await sweep();
    expect(report.orders.settled).toBeGreaterThanOrEqual(1);
    expect(orderDoc(o.outTradeNo).status).toBe('paid');
    expect(enrollmentOf(personId).status).toBe('paid_pending_sync');
    // Dated by WeChat Pay's time_end (Beijing time), not by the sweep two minutes later.
    const t = pay.order(o.outTradeNo).timeEnd as string;
    const paidAt = new Date(`${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}+08:00`).toISOString();
    expect(orderDoc(o.outTradeNo)).toMatchObject({ paidAt, transactionId: pay.order(o.outTradeNo).transactionId });
    expect(orderDoc(o.outTradeNo).nextSweepAt).toBeUndefined();
    expect(enrollmentOf(personId)).toMatchObject({ paidAt, outTradeNo: o.outTradeNo, amountFen: 38000, expectedSyncBy: '2023-10-10' });
    const [payment] = paymentsOf(o.outTradeNo);
    expect(payment).toMatchObject({ _id: pay.order(o.outTradeNo).transactionId, paidAt, totalFeeFen: 38000, channel: 'wechat', personIds: [personId], openid: orderDoc(o.outTradeNo).openid });
    expect(payment).not.toHaveProperty('orderTotalFen');
    expect(new Date(payment.recordedAt).getTime() - new Date(paidAt).getTime()).toBeGreaterThanOrEqual(2 * 60_000);
    for (const item of payment.items) expect(Object.keys(item)).not.toEqual(expect.arrayContaining(['explanation']));
    // The settlement is audited once as a payment, at info level (the order was pending).
    expect(auditOf(o.outTradeNo).filter((e) => e.to === 'paid')).toEqual([expect.objectContaining({ from: 'pending', level: 'info' })]);
    expect(auditOf(payment._id).filter((e) => e.entity === 'payment')).toEqual([expect.objectContaining({ to: 'recorded' })]);
  });
});

describe('two orders for the same two people, in opposite order', () => {
  test('five rounds at once: every round exactly one order holds both, the other is refused without holding either', async () => {
    const mother = await signIn(cloud.url, 'mg_mother');
    await mother.data('resident', CONSENT);
    const me = await verify(mother, adult('孙丽', makeId('340104', '1985-06-06', 920)));
    const child = await addMember(mother, { ...adult('孙小丽', makeId('340104', '2015-06-06', 922)), relation: 'child', parentRelation: 'mother', consentForChild: true });
    const a = me.personId;
    const b = child.personId;
    for (let round = 0; round < 5; round++) {
      const [x, y] = await Promise.all([order(mother, [a, b]).then((v) => ({ ok: true, v }), (e) => ({ ok: false, e })), order(mother, [b, a]).then((v) => ({ ok: true, v }), (e) => ({ ok: false, e }))]);
      const won = [x, y].filter((z) => z.ok) as Array<{ ok: true; v: any }>;
      expect(won).toHaveLength(1);
      expect(String(([x, y].find((z) => !z.ok) as any).e)).toContain('ORDER_PENDING');
      const no = won[0].v.outTradeNo;
      expect(enrollmentOf(a).outTradeNo).toBe(no);
      expect(enrollmentOf(b).outTradeNo).toBe(no);
      move(5 * 60_000 + 1000);
      expect((await mother.data('payment', { action: 'closeOrder', outTradeNo: no })).status).toBe('closed');
    }
  });
});

describe('staff refund a payment with a reason', () => {
  test('蜀山区 refunds a payment made for the wrong person: refunded through WeChat Pay, enrollment open, audited, shown to the payer; residents and the community are refused', async () => {
    const district = await signIn(cloud.url, 'sq_district', PASSWORD);
    const community = await signIn(cloud.url, 'sq_worker', PASSWORD);
    const { r, personId } = await payer('wrongperson');
    const o = await order(r, [personId]);
    await confirm(r, o.outTradeNo);
    const event = { action: 'refundPayment', outTradeNo: o.outTradeNo, personId, benefitYear: 2024, reasonCode: 'wrong_person', note: '居民为他人误缴，核实后退款' };
    expect(await r.call('staffPayments', event)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await community.call('staffPayments', event)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const refund = await district.data('staffPayments', event);
    expect(refund).toMatchObject({ cause: 'staff', causeText: '为他人误缴', amountFen: 38000, personId });
    expect(enrollmentOf(personId)).toMatchObject({ status: 'open', outTradeNo: null });
    await pay.settled();
    expect(refundsOf(o.outTradeNo)).toEqual([expect.objectContaining({ status: 'succeeded', requestedBy: district.openid, reasonCode: 'wrong_person' })]);
    // Asked again: the same refund, no second one at WeChat Pay.
    expect((await district.data('staffPayments', event)).outRefundNo).toBe(refund.outRefundNo);
    expect(pay.refunds({ outTradeNo: o.outTradeNo })).toHaveLength(1);
    // A repeated payment notification does not enroll the person again by the refunded payment.
    await pay.redeliver(o.outTradeNo);
    expect(enrollmentOf(personId)).toMatchObject({ status: 'open' });
    const transactionId = orderDoc(o.outTradeNo).transactionId;
    const audit = auditLog().filter((e) => e.actor === district.openid);
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ entity: 'payment', entityId: transactionId, to: 'refund_requested', reason: expect.stringContaining('为他人误缴：居民为他人误缴，核实后退款') }),
        expect.objectContaining({ entity: 'enrollment', entityId: `${personId}_2024`, from: 'paid_pending_sync', to: 'open' }),
        expect.objectContaining({ entity: 'refund', to: 'requested' }),
      ]),
    );
    const record = (await r.data('resident', { action: 'receipt', outTradeNo: o.outTradeNo })).refunds;
    expect(record).toEqual([expect.objectContaining({ statusText: '已退款', reason: '为他人误缴', personId })]);
    const listed = await district.data('staffPayments', { action: 'listRefunds', status: 'all', limit: 50 });
    expect(listed.items.map((x: any) => x.outRefundNo)).toContain(refund.outRefundNo);
    // A crash between the refund and the enrollment's reopening (the enrollment still paid by the
    // refunded payment): the next settlement of the order (a repeated notification) reopens it.
    const reopenAudit = `enr:${personId}_2024:refunded:${o.outTradeNo}`;
    expect(cloud.store.getById('audit_log', reopenAudit)).toMatchObject({ from: 'paid_pending_sync', to: 'open' });
    cloud.store.write([
      { c: 'enrollments', id: `${personId}_2024`, doc: { ...enrollmentOf(personId), status: 'paid_pending_sync', outTradeNo: o.outTradeNo, amountFen: 38000 } },
      { c: 'audit_log', id: reopenAudit, doc: undefined },
    ]);
    await pay.redeliver(o.outTradeNo);
    expect(enrollmentOf(personId)).toMatchObject({ status: 'open', outTradeNo: null, amountFen: null });
    expect(cloud.store.getById('audit_log', reopenAudit)).toMatchObject({ entity: 'enrollment', from: 'paid_pending_sync', to: 'open', reason: 'payment refunded by staff' });
    // The person can be paid for again; the refunded order's notification, repeated after that,
    // leaves the new payment's enrollment alone.
    const again = await order(r, [personId]);
    expect(again.status).toBe('pending');
    await confirm(r, again.outTradeNo);
    expect(enrollmentOf(personId)).toMatchObject({ status: 'paid_pending_sync', outTradeNo: again.outTradeNo });
    await pay.redeliver(o.outTradeNo);
    expect(enrollmentOf(personId)).toMatchObject({ status: 'paid_pending_sync', outTradeNo: again.outTradeNo, amountFen: 38000 });
    // Only a paid, not yet registered enrollment reopens: one the insurance system has registered
    // (enrolled) stays so when the refunded order's notification comes again (undoing it is the
    // insurance office's refund process, as staffPayments says for a synced payment).
    cloud.store.write([{ c: 'enrollments', id: `${personId}_2024`, doc: { ...enrollmentOf(personId), status: 'enrolled', outTradeNo: o.outTradeNo } }]);
    await pay.redeliver(o.outTradeNo);
    expect(enrollmentOf(personId)).toMatchObject({ status: 'enrolled', outTradeNo: o.outTradeNo, amountFen: 38000 });
  });

  test('two staff refunds of the same part at once: one refund, both answered with it', async () => {
    const district = await signIn(cloud.url, 'sq_district', PASSWORD);
    const { r, personId } = await payer('twicestaff');
    const o = await order(r, [personId]);
    await confirm(r, o.outTradeNo);
    const event = { action: 'refundPayment', outTradeNo: o.outTradeNo, personId, benefitYear: 2024, reasonCode: 'wrong_person', note: '同时提交两次' };
    const replies = await Promise.all([district.call('staffPayments', event), district.call('staffPayments', event)]);
    expect(replies.map((x: any) => x.ok)).toEqual([true, true]);
    expect(new Set(replies.map((x: any) => x.data.outRefundNo)).size).toBe(1);
    expect(refundsOf(o.outTradeNo)).toHaveLength(1);
    await pay.settled();
    expect(pay.refunds({ outTradeNo: o.outTradeNo })).toHaveLength(1);
  });
});

describe('staff find a payment and refund it only where it is theirs and still refundable', () => {
  const notFound = { ok: false, error: { code: 'PAYMENT_NOT_FOUND', message: '未找到该笔微信支付缴费', field: 'outTradeNo' } };

  test('蜀山区 finds its own resident’s payment with its items and refunds; another district’s, an unpaid order and an unknown number answer the same not-found; the city sees every district', async () => {
    const district = await signIn(cloud.url, 'sq_district', PASSWORD);
    const city = await signIn(cloud.url, 'city_center', PASSWORD);
    const community = await signIn(cloud.url, 'sq_worker', PASSWORD);
    const { r, personId } = await payer('staff_find');
    const o = await order(r, [personId]);
    await confirm(r, o.outTradeNo);
    const find = { action: 'findPayment', outTradeNo: o.outTradeNo };
    const found = await district.data('staffPayments', find);
    expect(found).toMatchObject({ outTradeNo: o.outTradeNo, transactionId: orderDoc(o.outTradeNo).transactionId, totalFeeFen: 38000, refunds: [] });
    expect(found.items).toEqual([expect.objectContaining({ personId, benefitYear: 2024, amountFen: 38000, inScope: true })]);
    expect(await community.call('staffPayments', find)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await district.call('staffPayments', { action: 'findPayment', outTradeNo: 'NOSUCH000001' })).toEqual(notFound);

    // An order not paid (no transaction) is no payment.
    const unpaid = await payer('staff_unpaid');
    const open = await order(unpaid.r, [unpaid.personId]);
    expect(await district.call('staffPayments', { action: 'findPayment', outTradeNo: open.outTradeNo })).toEqual(notFound);

    // A 瑶海区 resident's payment: not 蜀山区's to see or refund; the city's.
    const other = await verifiedResident(cloud.url, 'mg_staff_yaohai', adult('钱瑶', makeId('340102', '1979-09-09', ++seq)));
    const yaohai = (await other.data('resident', { action: 'identityStatus' })) as { personId: string };
    const paid = await order(other, [yaohai.personId]);
    await confirm(other, paid.outTradeNo);
    expect(await district.call('staffPayments', { action: 'findPayment', outTradeNo: paid.outTradeNo })).toEqual(notFound);
    expect((await city.data('staffPayments', { action: 'findPayment', outTradeNo: paid.outTradeNo })).items).toEqual([expect.objectContaining({ personId: yaohai.personId, inScope: true })]);
    const refundOther = { action: 'refundPayment', outTradeNo: paid.outTradeNo, personId: yaohai.personId, benefitYear: 2024, reasonCode: 'other', note: '测试越权退款' };
    expect(await district.call('staffPayments', refundOther)).toMatchObject({ ok: false });
    expect(refundsOf(paid.outTradeNo)).toEqual([]);
    expect(enrollmentOf(yaohai.personId)).toMatchObject({ status: 'paid_pending_sync', outTradeNo: paid.outTradeNo });

    // Its own payment, but another year, or a person not in it: not found, nothing refunded.
    const refund = { action: 'refundPayment', outTradeNo: o.outTradeNo, personId, benefitYear: 2024, reasonCode: 'other', note: '居民申请退款' };
    expect(await district.call('staffPayments', { ...refund, benefitYear: 2025 })).toEqual(notFound);
    expect(await district.call('staffPayments', { ...refund, personId: unpaid.personId })).toEqual(notFound);
    expect(refundsOf(o.outTradeNo)).toEqual([]);
    const done = await district.data('staffPayments', refund);
    expect((await district.data('staffPayments', find)).refunds).toEqual([expect.objectContaining({ outRefundNo: done.outRefundNo, personId, amountFen: 38000, cause: 'staff' })]);
  });

  test('one payment for people of two districts: 蜀山区 finds it and sees which items are its own, refunds only its own person; the city refunds the other', async () => {
    const district = await signIn(cloud.url, 'sq_district', PASSWORD);
    const city = await signIn(cloud.url, 'city_center', PASSWORD);
    const { r, personId } = await payer('staff_mixed');
    const cousin = await addWithDocument(cloud.url, r, { ...adult('钱远', makeId('340102', '1983-08-18', ++seq)), relation: 'parent' });
    const o = await order(r, [personId, cousin]);
    await confirm(r, o.outTradeNo);
    const find = { action: 'findPayment', outTradeNo: o.outTradeNo };
    const scopeOf = (items: any[]) => Object.fromEntries(items.map((i) => [i.personId, i.inScope]));
    expect(scopeOf((await district.data('staffPayments', find)).items)).toEqual({ [personId]: true, [cousin]: false });
    expect(scopeOf((await city.data('staffPayments', find)).items)).toEqual({ [personId]: true, [cousin]: true });
    const refund = { action: 'refundPayment', outTradeNo: o.outTradeNo, personId: cousin, benefitYear: 2024, reasonCode: 'other', note: '跨区缴费退款' };
    expect(await district.call('staffPayments', refund)).toMatchObject({ ok: false });
    expect(refundsOf(o.outTradeNo)).toEqual([]);
    expect(await city.data('staffPayments', refund)).toMatchObject({ personId: cousin, amountFen: 38000, cause: 'staff' });
  });

  test('the refund list: open, failed or all; a district sees its own residents’ refunds, the city every one, newest first, as many as asked', async () => {
    const district = await signIn(cloud.url, 'sq_district', PASSWORD);
    const city = await signIn(cloud.url, 'city_center', PASSWORD);
    const list = async (r: Resident, status: string, limit = 100) => (await r.data('staffPayments', { action: 'listRefunds', status, limit })).items as any[];
    // The 瑶海区 payment of the test before was never refunded; the city refunds it: 蜀山区 does not see it.
    const yaohaiOrder = (cloud.store.all('orders') as any[]).find((o) => o.items.some((i: any) => i.name === '钱瑶'));
    const item = yaohaiOrder.items[0];
    const cityRefund = await city.data('staffPayments', { action: 'refundPayment', outTradeNo: yaohaiOrder.outTradeNo, personId: item.personId, benefitYear: 2024, reasonCode: 'other', note: '市级核实退款' });
    const stored = (cloud.store.all('refunds') as any[]).slice().sort((x, y) => (x.createdAt < y.createdAt ? 1 : x.createdAt > y.createdAt ? -1 : 0));
    expect(stored.length).toBeGreaterThanOrEqual(2);
    expect((await list(city, 'all')).map((x) => x.outRefundNo)).toEqual(stored.map((x) => x.outRefundNo));
    expect((await list(city, 'all', 1)).map((x) => x.outRefundNo)).toEqual([stored[0].outRefundNo]);
    const byStatus = (s: string[]) => stored.filter((x) => s.includes(x.status)).map((x) => x.outRefundNo);
    expect((await list(city, 'open')).map((x) => x.outRefundNo)).toEqual(byStatus(['submitting', 'processing']));
    expect((await list(city, 'failed')).map((x) => x.outRefundNo)).toEqual(byStatus(['failed']));
    const districtAll = (await list(district, 'all')).map((x) => x.outRefundNo);
    expect(districtAll).not.toContain(cityRefund.outRefundNo);
    // Every refund in this file but those of the two 瑶海区 people (钱瑶, 钱远) is of a 蜀山区
    // payer's order, those of a whole payment (no person named: the order's people decide) included.
    const yaohaiPeople = ['钱瑶', '钱远'];
    expect(districtAll).toEqual(stored.filter((x) => !x.items.some((i: any) => yaohaiPeople.includes(i.name))).map((x) => x.outRefundNo));
  });

  test('payments staff cannot refund online, in the words they read: a desk payment, one already in the insurance system, one given back whole as an assistance difference, one refunded whole; what stays refundable; and a payment found among more than 100 persons', async () => {
    const district = await signIn(cloud.url, 'sq_district', PASSWORD);
    const paidOrder = async (tag: string) => {
      const { r, personId } = await payer(tag);
      const o = await order(r, [personId]);
      await confirm(r, o.outTradeNo);
      return { personId, no: o.outTradeNo as string };
    };
    const refund = (no: string, personId: string) => district.call('staffPayments', { action: 'refundPayment', outTradeNo: no, personId, benefitYear: 2024, reasonCode: 'other', note: '居民申请退款' });

    // Recorded as the desk records cash (channel 'cash'): reversed at the desk, not refunded through WeChat Pay.
    const desk = await paidOrder('staff_desk');
    cloud.store.write([{ c: 'orders', id: desk.no, doc: { ...orderDoc(desk.no), channel: 'cash' } }]);
    expect(await refund(desk.no, desk.personId)).toEqual({ ok: false, error: { code: 'NOT_WECHAT_PAYMENT', message: '这笔不是微信支付的缴费：现金冲正请在现金收缴办理，已入库的请按退费流程到税务部门办理', field: 'outTradeNo' } });

    // Already exported to the insurance system: the tax office's 退费.
    const synced = await paidOrder('staff_synced');
    cloud.store.write([{ c: 'enrollments', id: `${synced.personId}_2024`, doc: { ...enrollmentOf(synced.personId), status: 'enrolled' } }]);
    expect(await refund(synced.no, synced.personId)).toEqual({ ok: false, error: { code: 'ENROLLMENT_SYNCED', message: '该笔缴费已同步到医保系统，不能在线退款；请按退费流程到税务部门办理', field: 'personId' } });

    // The whole part already given back as an assistance difference (多缴核对): nothing is left.
    const given = await paidOrder('staff_given');
    const at = cloud.clock.now().toISOString();
    const diff = `RF${given.no}D0`;
    cloud.store.write([{ c: 'refunds', id: diff, doc: { _id: diff, outRefundNo: diff, outTradeNo: given.no, cause: 'assistance_difference', status: 'succeeded', refundFeeFen: 38000, items: [{ personId: given.personId, benefitYear: 2024, amountFen: 38000, name: '钱' }], createdAt: at } }]);
    expect(await refund(given.no, given.personId)).toEqual({ ok: false, error: { code: 'ALREADY_REFUNDED', message: '这笔缴费已全部退还', field: 'personId' } });
    // A payment already refunded whole (its confirmed amount differed): no second refund of it.
    const whole = await paidOrder('staff_whole');
    cloud.store.write([{ c: 'orders', id: whole.no, doc: { ...orderDoc(whole.no), status: 'refunded' } }]);
    expect(await refund(whole.no, whole.personId)).toEqual(notFound);
    for (const x of [desk, synced, given, whole]) expect(refundsOf(x.no).filter((r) => r.cause === 'staff')).toEqual([]);

    // Refundable after all: a difference refund that failed gives nothing back, so the whole part is
    // refunded; the person synced by another payment does not stop the refund of this one.
    const failedDiff = await paidOrder('staff_faileddiff');
    const fd = `RF${failedDiff.no}D0`;
    cloud.store.write([{ c: 'refunds', id: fd, doc: { _id: fd, outRefundNo: fd, outTradeNo: failedDiff.no, cause: 'assistance_difference', status: 'failed', refundFeeFen: 10000, items: [{ personId: failedDiff.personId, benefitYear: 2024, amountFen: 10000, name: '钱' }], createdAt: at } }]);
    expect(await refund(failedDiff.no, failedDiff.personId)).toMatchObject({ ok: true, data: { amountFen: 38000, cause: 'staff' } });
    const elsewhere = await paidOrder('staff_elsewhere');
    cloud.store.write([{ c: 'enrollments', id: `${elsewhere.personId}_2024`, doc: { ...enrollmentOf(elsewhere.personId), status: 'enrolled', outTradeNo: 'HF20231008another' } }]);
    expect(await refund(elsewhere.no, elsewhere.personId)).toMatchObject({ ok: true, data: { amountFen: 38000, cause: 'staff' } });
    expect(enrollmentOf(elsewhere.personId)).toMatchObject({ status: 'enrolled', outTradeNo: 'HF20231008another' });

    // More than a page of persons stored before the payer (the payer's person written last): the
    // payment's people are looked up by id, not taken from the first page.
    const many = await paidOrder('staff_many');
    const person = cloud.store.getById('persons', many.personId) as any;
    const filler = Array.from({ length: 105 }, (_, i) => ({ c: 'persons', id: `000filler${String(i).padStart(3, '0')}`, doc: { _id: `000filler${String(i).padStart(3, '0')}`, idHash: `filler-${i}`, name: '填充', district: '340104' } as any }));
    cloud.store.write([{ c: 'persons', id: many.personId, doc: undefined }]);
    cloud.store.write(filler);
    cloud.store.write([{ c: 'persons', id: many.personId, doc: person }]);
    try {
      expect((await district.data('staffPayments', { action: 'findPayment', outTradeNo: many.no })).items).toEqual([expect.objectContaining({ personId: many.personId, inScope: true })]);
    } finally {
      cloud.store.write(filler.map((w) => ({ ...w, doc: undefined })));
    }
  });
});
