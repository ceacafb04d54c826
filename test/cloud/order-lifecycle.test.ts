/**
 * The payer's order after it exists (domain/orders/orders.ts): queryOrder and closeOrder at each
 * state WeChat Pay may report (not paid, paid with its notification lost, closed by itself, not
 * answering, refusing the close), and a new order meeting the old one (continued, refused, taken
 * over once stale, settled first). The first whole mutation run of orders.ts (issue 16, 76.7 %)
 * showed these branches untested: the money files check what happens to the money, this file what
 * the payer reads, what the order becomes and what is sent to WeChat Pay for it.
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { adult, addWithDocument, closedAtWechat, CONSENT, makeId, PayCall, post, recordPayCalls, Resident, signIn, startCloud, verify } from './helpers';

jest.setTimeout(240_000);
const START = '2023-10-08T10:00:00+08:00';
const MIN = 60_000;

let cloud: LocalCloud;
let pay: any;
let seq = 800;
const payCalls: PayCall[] = [];

beforeAll(async () => {
  cloud = await startCloud(START);
  pay = (cloud as any).pay;
  recordPayCalls(cloud, payCalls);
});
afterAll(async () => cloud?.close());
afterEach(() => {
  pay.faults.failNext = {};
  pay.faults.dropNotifications = false;
});

const move = (ms: number) => cloud.clock.set(new Date(cloud.clock.now().getTime() + ms));
const orderDoc = (no: string) => cloud.store.getById('orders', no) as any;
const enrollmentOf = (personId: string) => cloud.store.getById('enrollments', `${personId}_2024`) as any;
const auditOf = (entityId: string) => (cloud.store.all('audit_log') as any[]).filter((e) => e.entityId === entityId);
const closesSent = (no: string) => payCalls.filter((c) => c.api === 'closeOrder' && c.outTradeNo === no).length;
/** What is sent to WeChat Pay about this order while `work` runs. */
async function sentDuring(no: string, work: () => Promise<unknown>): Promise<string[]> {
  const before = payCalls.length;
  await work();
  return payCalls.slice(before).filter((c) => c.outTradeNo === no).map((c) => c.api);
}
const ordersOf = (r: Resident) => (cloud.store.all('orders') as any[]).filter((o) => o.openid === r.openid);

async function payer(tag: string): Promise<{ r: Resident; personId: string }> {
  const r = await signIn(cloud.url, `ol_${tag}`);
  await r.data('resident', CONSENT);
  const { personId } = await verify(r, adult(`郑${tag.slice(0, 2)}`, makeId('340104', '1977-02-02', ++seq)));
  return { r, personId };
}
/** A second person of the payer's family (a parent with an ID card photo). */
const parentOf = (r: Resident, name: string) => addWithDocument(cloud.url, r, { ...adult(name, makeId('340104', '1950-05-05', ++seq)), relation: 'parent' });
const items = (...personIds: string[]) => personIds.map((personId) => ({ personId, benefitYear: 2024 }));
const order = (r: Resident, ...personIds: string[]) => r.data('payment', { action: 'createOrder', items: items(...personIds) });
const tryOrder = (r: Resident, ...personIds: string[]) => r.call('payment', { action: 'createOrder', items: items(...personIds) });
const query = (r: Resident, outTradeNo: string) => r.data('payment', { action: 'queryOrder', outTradeNo });
const close = (r: Resident, outTradeNo: string) => r.data('payment', { action: 'closeOrder', outTradeNo });

/** Paid at WeChat Pay with its notification lost: only a query finds the payment. */
async function paidUnnotified(r: Resident, no: string) {
  pay.faults.dropNotifications = true;
  expect((await post(cloud.url, '/api/pay/confirm', { outTradeNo: no }, r.token)).status).toBe(200);
  pay.faults.dropNotifications = false;
}

describe('queryOrder and closeOrder, as WeChat Pay answers', () => {
  test('another resident asking for the order, or closing it, reads that there is no such order', async () => {
    const { r, personId } = await payer('own');
    const o = await order(r, personId);
    const other = await signIn(cloud.url, 'ol_other');
    await other.data('resident', CONSENT);
    const missing = { ok: false, error: { code: 'ORDER_NOT_FOUND', message: '未找到该订单', field: 'outTradeNo' } };
    expect(await other.call('payment', { action: 'queryOrder', outTradeNo: o.outTradeNo })).toEqual(missing);
    expect(await other.call('payment', { action: 'closeOrder', outTradeNo: o.outTradeNo })).toEqual(missing);
    expect(orderDoc(o.outTradeNo).status).toBe('pending');
  });

  test('a fresh unpaid order asked about stays pending, and nothing but the question goes to WeChat Pay', async () => {
    const { r, personId } = await payer('fresh');
    const o = await order(r, personId);
    move(2 * MIN);
    expect(await query(r, o.outTradeNo)).toMatchObject({ status: 'pending', statusText: '待支付' });
    expect(closesSent(o.outTradeNo)).toBe(0);
    expect(orderDoc(o.outTradeNo)).toMatchObject({ status: 'pending' });
  });

  test('paid, its notification lost: the payer’s question settles it, and so does pressing 取消 afterwards', async () => {
    const a = await payer('paidq');
    const q = await order(a.r, a.personId);
    await paidUnnotified(a.r, q.outTradeNo);
    expect(await query(a.r, q.outTradeNo)).toMatchObject({ status: 'paid', statusText: '已支付' });
    expect(enrollmentOf(a.personId)).toMatchObject({ status: 'paid_pending_sync', outTradeNo: q.outTradeNo });

    const b = await payer('paidc');
    const c = await order(b.r, b.personId);
    await paidUnnotified(b.r, c.outTradeNo);
    move(6 * MIN);
    expect(await close(b.r, c.outTradeNo)).toMatchObject({ status: 'paid', statusText: '已支付' });
    expect(closesSent(c.outTradeNo)).toBe(0);
    expect(enrollmentOf(b.personId)).toMatchObject({ status: 'paid_pending_sync', outTradeNo: c.outTradeNo });
  });

  test('closed by WeChat Pay itself after its time: asked about, it is expired here; pressing 取消 on such an order sends no close', async () => {
    const a = await payer('wxq');
    const q = await order(a.r, a.personId);
    move(31 * MIN);
    closedAtWechat(cloud, q.outTradeNo);
    expect(await query(a.r, q.outTradeNo)).toMatchObject({ status: 'expired', statusText: '已超时关闭' });
    expect(auditOf(q.outTradeNo).filter((e) => e.to === 'expired')).toEqual([expect.objectContaining({ from: 'pending', reason: 'closed at WeChat Pay' })]);
    expect(enrollmentOf(a.personId)).toMatchObject({ status: 'open' });
    expect(closesSent(q.outTradeNo)).toBe(0);

    const b = await payer('wxc');
    const c = await order(b.r, b.personId);
    move(31 * MIN);
    closedAtWechat(cloud, c.outTradeNo);
    expect(await close(b.r, c.outTradeNo)).toMatchObject({ status: 'closed', statusText: '已取消' });
    expect(auditOf(c.outTradeNo).filter((e) => e.to === 'closed')).toEqual([expect.objectContaining({ from: 'pending', reason: 'closed by the payer' })]);
    expect(closesSent(c.outTradeNo)).toBe(0);
  });

  test('unpaid past its 30 minutes: asked about, it is closed at WeChat Pay and expired here', async () => {
    const { r, personId } = await payer('late');
    const o = await order(r, personId);
    move(31 * MIN);
    expect(await query(r, o.outTradeNo)).toMatchObject({ status: 'expired' });
    expect(closesSent(o.outTradeNo)).toBe(1);
    expect(auditOf(o.outTradeNo).filter((e) => e.to === 'expired')).toEqual([expect.objectContaining({ reason: 'unpaid after 30 minutes' })]);
    expect(enrollmentOf(personId)).toMatchObject({ status: 'open' });
  });

  test('a close WeChat Pay refuses: 正在关闭订单, audited; it ends as the payer’s close, not as an expiry, even when met after 30 minutes', async () => {
    const { r, personId } = await payer('refused');
    const o = await order(r, personId);
    move(6 * MIN);
    pay.faults.failNext.closeOrder = 1;
    expect(await close(r, o.outTradeNo)).toMatchObject({ status: 'closing', statusText: '正在关闭订单' });
    expect(auditOf(o.outTradeNo).filter((e) => e.to === 'closing')).toEqual([
      expect.objectContaining({ from: 'pending', actor: r.openid, reason: 'closed by the payer; WeChat Pay has not confirmed the close' }),
    ]);
    move(30 * MIN);
    expect(await query(r, o.outTradeNo)).toMatchObject({ status: 'closed', statusText: '已取消' });
    expect(auditOf(o.outTradeNo).filter((e) => e.to === 'closed')).toEqual([expect.objectContaining({ from: 'closing', reason: 'closed by the payer' })]);
    expect(enrollmentOf(personId)).toMatchObject({ status: 'open' });    // 取消 pressed again on the closed order: it stays closed, and WeChat Pay is not asked.
    expect(await sentDuring(o.outTradeNo, async () => expect(await close(r, o.outTradeNo)).toMatchObject({ status: 'closed' }))).toEqual([]);
  });

  test('a close WeChat Pay refused is sent again when the payer next asks, and an order WeChat Pay then reports closed is the payer’s close even after 30 minutes', async () => {
    const a = await payer('retry');
    const first = await order(a.r, a.personId);
    move(6 * MIN);
    pay.faults.failNext.closeOrder = 1;
    expect(await close(a.r, first.outTradeNo)).toMatchObject({ status: 'closing' });
    move(1 * MIN);
    expect(await query(a.r, first.outTradeNo)).toMatchObject({ status: 'closed' });
    expect(closesSent(first.outTradeNo)).toBe(2);

    const b = await payer('retryc');
    const second = await order(b.r, b.personId);
    move(6 * MIN);
    pay.faults.failNext.closeOrder = 1;
    expect(await close(b.r, second.outTradeNo)).toMatchObject({ status: 'closing' });
    expect(auditOf(second.outTradeNo).filter((e) => e.to === 'closing')).toHaveLength(1);
    move(30 * MIN);
    closedAtWechat(cloud, second.outTradeNo);
    expect(await query(b.r, second.outTradeNo)).toMatchObject({ status: 'closed', statusText: '已取消' });
  });

  test('an expired order whose close was refused, then 取消 pressed: it ends expired', async () => {
    const { r, personId } = await payer('expclose');
    const o = await order(r, personId);
    move(31 * MIN);
    pay.faults.failNext.closeOrder = 1;
    expect(await query(r, o.outTradeNo)).toMatchObject({ status: 'closing' });
    expect(orderDoc(o.outTradeNo)).toMatchObject({ closingTo: 'expired' });
    expect(await close(r, o.outTradeNo)).toMatchObject({ status: 'expired' });
    expect(enrollmentOf(personId)).toMatchObject({ status: 'open' });
  });
});

describe('a new order meeting the payer’s earlier one', () => {
  test('the earlier order still open: refused in plain words, and no close is sent for it', async () => {
    const { r, personId } = await payer('busy');
    const o = await order(r, personId);
    expect(await tryOrder(r, personId)).toEqual({ ok: false, error: { code: 'ORDER_PENDING', message: '郑bu2024年度已有一笔待支付的订单，请先完成支付或取消该订单', field: 'items' } });
    expect(closesSent(o.outTradeNo)).toBe(0);
    expect(ordersOf(r).map((x) => x.outTradeNo)).toEqual([o.outTradeNo]);
  });

  test('the earlier order closing (its close refused): closed now, and the new order made', async () => {
    const { r, personId } = await payer('closing');
    const o = await order(r, personId);
    move(6 * MIN);
    pay.faults.failNext.closeOrder = 1;
    expect(await close(r, o.outTradeNo)).toMatchObject({ status: 'closing' });
    const again = await order(r, personId);
    expect(orderDoc(o.outTradeNo).status).toBe('closed');
    expect(enrollmentOf(personId)).toMatchObject({ status: 'awaiting_payment', outTradeNo: again.outTradeNo });
  });

  test('the earlier order expired and WeChat Pay not answering about it: 上一笔订单正在关闭, and it is left closing', async () => {
    const { r, personId } = await payer('silent');
    const o = await order(r, personId);
    move(31 * MIN);
    pay.faults.failNext.queryOrder = 1;
    expect(await tryOrder(r, personId)).toEqual({ ok: false, error: { code: 'ORDER_PENDING', message: '郑si2024年度上一笔订单正在关闭，请几分钟后再试', field: 'items' } });
    expect(orderDoc(o.outTradeNo)).toMatchObject({ status: 'closing', closingTo: 'expired' });
    expect(closesSent(o.outTradeNo)).toBe(0);
    expect(enrollmentOf(personId)).toMatchObject({ status: 'awaiting_payment', outTradeNo: o.outTradeNo });
  });

  test('the earlier order expired and closed by WeChat Pay itself: asked once, expired here, and the new order made without sending a close', async () => {
    const { r, personId } = await payer('wxgone');
    const o = await order(r, personId);
    move(31 * MIN);
    closedAtWechat(cloud, o.outTradeNo);
    let again: any;
    expect(await sentDuring(o.outTradeNo, async () => (again = await order(r, personId)))).toEqual(['queryOrder']);
    expect(orderDoc(o.outTradeNo).status).toBe('expired');
    expect(enrollmentOf(personId)).toMatchObject({ status: 'awaiting_payment', outTradeNo: again.outTradeNo });
  });

  test('a claim left by an order already closed here (a crash before its release): given back without asking WeChat Pay', async () => {
    const { r, personId } = await payer('crashed');
    const o = await order(r, personId);
    move(6 * MIN);
    cloud.store.write([{ c: 'orders', id: o.outTradeNo, doc: { ...orderDoc(o.outTradeNo), status: 'closed', closedReason: 'closed by the payer' } }]);
    let again: any;
    expect(await sentDuring(o.outTradeNo, async () => (again = await order(r, personId)))).toEqual([]);
    expect(enrollmentOf(personId)).toMatchObject({ status: 'awaiting_payment', outTradeNo: again.outTradeNo });
    expect(auditOf(`${personId}_2024`).filter((x) => x.to === 'open')).toEqual([expect.objectContaining({ from: 'awaiting_payment', reason: 'order closed' })]);
  });

  test('the earlier order paid at its last moment, its notification lost: settled, and the person is already paid', async () => {
    const { r, personId } = await payer('lastpay');
    const o = await order(r, personId);
    move(29 * MIN);
    await paidUnnotified(r, o.outTradeNo);
    move(2 * MIN);
    expect(await tryOrder(r, personId)).toEqual({ ok: false, error: { code: 'ALREADY_PAID', message: '该参保人本年度已缴费，无需重复缴费' } });
    expect(orderDoc(o.outTradeNo).status).toBe('paid');
    expect(closesSent(o.outTradeNo)).toBe(0);
    expect(ordersOf(r)).toHaveLength(1);
  });

  test('the earlier order paid but its settlement stopped before the enrollment: the person is already paid, not ordered again', async () => {
    const { r, personId } = await payer('halfway');
    const o = await order(r, personId);
    expect((await post(cloud.url, '/api/pay/confirm', { outTradeNo: o.outTradeNo }, r.token)).status).toBe(200);
    await pay.settled();
    // What a settlement that moved the order and stopped before markPaid leaves behind.
    const e = enrollmentOf(personId);
    cloud.store.write([{ c: 'enrollments', id: e._id, doc: { ...e, status: 'awaiting_payment', paidAt: null, expectedSyncBy: null } }]);
    expect(await tryOrder(r, personId)).toEqual({ ok: false, error: { code: 'ALREADY_PAID', message: '该参保人本年度已缴费，无需重复缴费' } });
    expect(enrollmentOf(personId)).toMatchObject({ status: 'awaiting_payment', outTradeNo: o.outTradeNo });
    expect(ordersOf(r)).toHaveLength(1);
  });

  test('a claim left by an order that no longer exists is given back, and the new order made', async () => {
    const { r, personId } = await payer('ghost');
    const at = cloud.clock.now().toISOString();
    cloud.store.write([{ c: 'enrollments', id: `${personId}_2024`, doc: { _id: `${personId}_2024`, personId, benefitYear: 2024, status: 'awaiting_payment', outTradeNo: 'HF20231008ghost', amountFen: 38000, paidAt: null, expectedSyncBy: null, createdAt: at, updatedAt: at } }]);
    const o = await order(r, personId);
    expect(enrollmentOf(personId)).toMatchObject({ status: 'awaiting_payment', outTradeNo: o.outTradeNo });
    expect(auditOf(`${personId}_2024`).filter((x) => x.to === 'open')).toEqual([expect.objectContaining({ from: 'awaiting_payment', reason: 'holding order does not exist' })]);
  });

  test('a two-person order meeting a held person: the claims are taken in person-id order whatever the listing, and one taken before the refusal is given back as not created', async () => {
    // The higher id held: the lower one is claimed first, then given back.
    const first = await payer('twoheld');
    const [lo, hi] = [first.personId, await parentOf(first.r, '郑老')].sort();
    const held = await order(first.r, hi);
    expect(await tryOrder(first.r, hi, lo)).toMatchObject({ ok: false, error: { code: 'ORDER_PENDING' } });
    expect(enrollmentOf(lo)).toMatchObject({ status: 'open', outTradeNo: null });
    expect(auditOf(`${lo}_2024`).map((x) => [x.from, x.to, x.reason])).toEqual([
      [null, 'awaiting_payment', expect.stringMatching(/^order HF/)],
      ['awaiting_payment', 'open', 'order not created'],
    ]);
    expect(enrollmentOf(hi)).toMatchObject({ status: 'awaiting_payment', outTradeNo: held.outTradeNo });
    // The lower id held: the refusal comes first, and the higher one is never touched.
    const second = await payer('lowheld');
    const [lo2, hi2] = [second.personId, await parentOf(second.r, '郑长')].sort();
    await order(second.r, lo2);
    expect(await tryOrder(second.r, lo2, hi2)).toMatchObject({ ok: false, error: { code: 'ORDER_PENDING' } });
    expect(enrollmentOf(hi2)).toBeUndefined();
    expect(auditOf(`${hi2}_2024`)).toEqual([]);
  });
});

describe('an order the payer left (its close asked for within 5 minutes)', () => {
  test('the same two people ordered again, listed either way round: the same order continues', async () => {
    const { r, personId } = await payer('cont');
    const [lo, hi] = [personId, await parentOf(r, '郑续')].sort();
    const o = await order(r, hi, lo);
    for (const listed of [
      [lo, hi],
      [hi, lo],
    ]) {
      move(1 * MIN);
      expect(await close(r, o.outTradeNo)).toMatchObject({ status: 'pending' });
      expect(await order(r, ...listed)).toMatchObject({ outTradeNo: o.outTradeNo, status: 'pending' });
      expect(orderDoc(o.outTradeNo).closeRequestedAt).toBeUndefined();
    }
    expect(ordersOf(r)).toHaveLength(1);
  });

  test('someone else of the family ordered instead: a new order, the left one untouched', async () => {
    const { r, personId } = await payer('other');
    const parent = await parentOf(r, '郑另');
    const o = await order(r, personId);
    move(1 * MIN);
    await close(r, o.outTradeNo);
    const next = await order(r, parent);
    expect(next.outTradeNo).not.toBe(o.outTradeNo);
    expect(orderDoc(o.outTradeNo)).toMatchObject({ status: 'pending', closeRequestedAt: expect.any(String) });
    expect(enrollmentOf(parent)).toMatchObject({ outTradeNo: next.outTradeNo });
  });

  test('the same person ordered again after the 5 minutes: the left order is closed and a new one made', async () => {
    const { r, personId } = await payer('after5');
    const o = await order(r, personId);
    move(1 * MIN);
    await close(r, o.outTradeNo);
    move(5 * MIN);
    const next = await order(r, personId);
    expect(next.outTradeNo).not.toBe(o.outTradeNo);
    expect(orderDoc(o.outTradeNo).status).toBe('closed');
    expect(closesSent(o.outTradeNo)).toBe(1);
    expect(auditOf(o.outTradeNo).filter((e) => e.to === 'closed')).toEqual([expect.objectContaining({ from: 'pending', reason: 'closed by the payer' })]);
    expect(enrollmentOf(personId)).toMatchObject({ outTradeNo: next.outTradeNo });
  });
});
