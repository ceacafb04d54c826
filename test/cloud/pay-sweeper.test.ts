/**
 * The pay sweeper (domain/orders/sweeper.ts) step by step, each kind of due document alone so the
 * timer's report can be checked to the count: an open order looked at again and at its expiry, an
 * order WeChat Pay closed by itself, a close the payer asked for too early, a paid order left due
 * by a settlement stopped half-way, the desk's orders (never asked of WeChat Pay), a step failing
 * on storage, batches and the time guard, and a refund's whole life with its back-off.
 * The mutation run of refunds.ts and staff-refunds.ts (issue 16) showed the sweeper's report and
 * the refund back-off untested: money-guards.test.ts checks what happens to the money, this file
 * when and how often the sweeper comes back.
 *
 * Each test starts with nothing due (afterEach drains the queue) so the counts are its own.
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { buildFunction } from '../../cloudfunctions/build';
import { adminSdk, adult, closedAtWechat, CONSENT, makeId, post, Resident, signIn, startCloud, verify, PayCall, recordPayCalls, TIMER_EVENT, withEveryWriteFailing, withWriteFault } from './helpers';

jest.setTimeout(240_000);
const START = '2023-10-08T10:00:00+08:00';
const MIN = 60_000;

/**
 * Sweeps read at most two documents at a time here (PAY_SWEEPER_BATCH_SIZE), so that a handful
 * of orders already takes several reads. The function workers read their environment when they
 * start: the time guard's test starts a local cloud of its own with PAY_SWEEPER_BUDGET_MS.
 */
const FUNCTION_ENV = { PAY_SWEEPER_BATCH_SIZE: '2' };
let cloud: LocalCloud;
let pay: any;
/** The server SDK, as the timer calls the function (one instance per local cloud). */
let app: any;
let seq = 500;
const payCalls: PayCall[] = [];

const move = (ms: number) => cloud.clock.set(new Date(cloud.clock.now().getTime() + ms));
const orderDoc = (no: string) => cloud.store.getById('orders', no) as any;
const refundDoc = (no: string) => cloud.store.getById('refunds', no) as any;
const enrollmentOf = (personId: string) => cloud.store.getById('enrollments', `${personId}_2024`) as any;
const refundsOf = (no: string) => (cloud.store.all('refunds') as any[]).filter((r) => r.outTradeNo === no);
const queriesOf = (no: string) => payCalls.filter((c) => c.api === 'queryOrder' && c.outTradeNo === no).length;
const at = (iso: string) => new Date(iso).getTime();
const ZERO = {
  orders: { examined: 0, settled: 0, closed: 0, closing: 0, released: 0, open: 0, failed: 0 },
  refunds: { examined: 0, submitted: 0, succeeded: 0, processing: 0, failed: 0, unavailable: 0 },
};
/** The report expected when only these counts are not zero. */
const report = (orders: Partial<(typeof ZERO)['orders']>, refunds: Partial<(typeof ZERO)['refunds']> = {}, complete = true) => ({
  orders: { ...ZERO.orders, ...orders },
  refunds: { ...ZERO.refunds, ...refunds },
  complete,
});

async function sweep(): Promise<any> {
  const r = await app.callFunction({ name: 'paySweeper', data: TIMER_EVENT });
  expect(r.result.ok).toBe(true);
  return r.result.data;
}

/** A signed-in resident, verified as a new adult person of 蜀山区, with an order for 2024. */
async function payerWithOrder(tag: string): Promise<{ r: Resident; personId: string; no: string }> {
  const r = await signIn(cloud.url, `ps_${tag}`);
  await r.data('resident', CONSENT);
  const { personId } = await verify(r, adult(`孙${tag.slice(0, 2)}`, makeId('340104', '1979-05-05', ++seq)));
  const o = await r.data('payment', { action: 'createOrder', items: [{ personId, benefitYear: 2024 }] });
  return { r, personId, no: o.outTradeNo };
}

/** The refunds the payer reads beside this payment in their records (newest payment first). */
async function refundsShown(r: Resident, no: string) {
  const { records } = await r.data('resident', { action: 'listRecords' });
  return records.find((x: any) => x.outTradeNo === no)?.refunds;
}
const shown = (status: string, statusText: string, amountFen: number) => [{ personId: null, benefitYear: null, amountFen, status, statusText, reason: '支付金额与订单不符' }];

async function confirm(r: Resident, outTradeNo: string) {
  const res = await post(cloud.url, '/api/pay/confirm', { outTradeNo }, r.token);
  expect(res.status).toBe(200);
}

/** Points the helpers and the SDK at a local cloud, recording its WeChat Pay calls. */
function useCloud(c: LocalCloud) {
  cloud = c;
  pay = (c as any).pay;
  app = adminSdk(c);
  recordPayCalls(c, payCalls);
}

/** The order's total raised by 1 yuan: WeChat Pay's confirmed amount then differs, and the payment is refunded whole. */
function differFromOrder(no: string) {
  cloud.store.write([{ c: 'orders', id: no, doc: { ...orderDoc(no), totalFeeFen: orderDoc(no).totalFeeFen + 100 } }]);
}

/**
 * A settled order found due an hour later (a settlement that stopped half-way), swept while
 * WeChat Pay does not answer: one `open` step, and the next look 2 minutes on (not at the expiry
 * long past).
 */
async function sweptLaterWhileSilent(no: string) {
  move(60 * MIN);
  cloud.store.write([{ c: 'orders', id: no, doc: { ...orderDoc(no), nextSweepAt: cloud.clock.now().toISOString() } }]);
  move(1000);
  pay.faults.failNext.queryOrder = 1;
  const before = cloud.clock.now().getTime();
  expect(await sweep()).toEqual(report({ examined: 1, open: 1 }));
  expect(at(orderDoc(no).nextSweepAt)).toBeGreaterThanOrEqual(before + 2 * MIN);
}

/** A whole-payment refund WeChat Pay accepted and holds in PROCESSING (the payment differed from its order). */
async function heldRefund(tag: string) {
  const { r, no } = await payerWithOrder(tag);
  differFromOrder(no);
  pay.faults.holdRefunds = true;
  await confirm(r, no);
  const [refund] = refundsOf(no);
  return { r, no, refund };
}

/** WeChat Pay completes the held refunds and loses their notifications: only the sweeper's query can confirm them. */
async function completeRefundsUnnotified() {
  pay.faults.holdRefunds = false;
  pay.faults.dropNotifications = true;
  try {
    await pay.completeRefunds();
  } finally {
    pay.faults.dropNotifications = false;
  }
}

beforeAll(async () => {
  await buildFunction('paySweeper');
  useCloud(await startCloud(START, FUNCTION_ENV));
}, 120_000);
afterAll(async () => cloud?.close());

afterEach(async () => {
  pay.faults.failNext = {};
  pay.faults.holdRefunds = false;
  await pay.completeRefunds();
  // Past every order's lifetime and every back-off: the queue empties (expired orders closed).
  for (let i = 0; i < 6; i++) {
    move(61 * MIN);
    const r = await sweep();
    if (r.orders.examined === 0 && r.refunds.examined === 0) return;
  }
  throw new Error('the sweeper queue did not empty');
});

describe('orders the sweeper comes back to', () => {
  test('an open unpaid order is looked at 2 minutes after creation, again every 2 minutes, last at its expiry, then closed as expired', async () => {
    const { personId, no } = await payerWithOrder('open');
    const created = orderDoc(no);
    expect(at(created.nextSweepAt) - at(created.createdAt)).toBe(2 * MIN);
    move(2 * MIN - 5000);
    expect(await sweep()).toEqual(report({})); // not due yet

    move(5000 + 1000);
    const before = cloud.clock.now().getTime();
    expect(await sweep()).toEqual(report({ examined: 1, open: 1 }));
    const next = at(orderDoc(no).nextSweepAt);
    expect(next).toBeGreaterThanOrEqual(before + 2 * MIN);
    expect(next).toBeLessThanOrEqual(cloud.clock.now().getTime() + 2 * MIN);
    expect(queriesOf(no)).toBe(1);

    // A minute before its expiry: the next look is at the expiry itself, not 2 minutes on.
    cloud.clock.set(new Date(at(created.expiresAt) - MIN));
    expect(await sweep()).toEqual(report({ examined: 1, open: 1 }));
    expect(orderDoc(no).nextSweepAt).toBe(created.expiresAt);
    expect(orderDoc(no).status).toBe('pending');

    cloud.clock.set(new Date(at(created.expiresAt) + 1000));
    expect(await sweep()).toEqual(report({ examined: 1, closed: 1 }));
    expect(orderDoc(no)).toMatchObject({ status: 'expired', closedReason: 'unpaid after 30 minutes' });
    expect(orderDoc(no).nextSweepAt).toBeUndefined();
    expect(pay.order(no).tradeState).toBe('CLOSED');
    expect(enrollmentOf(personId)).toMatchObject({ status: 'open', outTradeNo: null });
  });

  test('an order WeChat Pay closed by itself is closed here as the sweeper finds it (expired once its time is up) and gives its person back', async () => {
    const a = await payerWithOrder('wxclosed');
    closedAtWechat(cloud, a.no);
    move(2 * MIN + 1000);
    expect(await sweep()).toEqual(report({ examined: 1, closed: 1 }));
    expect(orderDoc(a.no)).toMatchObject({ status: 'closed', closedReason: 'closed at WeChat Pay' });
    expect(enrollmentOf(a.personId)).toMatchObject({ status: 'open', outTradeNo: null });
    expect(payCalls.filter((c) => c.api === 'closeOrder' && c.outTradeNo === a.no)).toHaveLength(0);

    const b = await payerWithOrder('wxexpired');
    cloud.clock.set(new Date(at(orderDoc(b.no).expiresAt) + 1000));
    closedAtWechat(cloud, b.no);
    expect(await sweep()).toEqual(report({ examined: 1, closed: 1 }));
    expect(orderDoc(b.no)).toMatchObject({ status: 'expired', closedReason: 'closed at WeChat Pay' });
    expect(enrollmentOf(b.personId)).toMatchObject({ status: 'open', outTradeNo: null });
  });

  test('a close the payer asked for that WeChat Pay refused ends as the close the payer asked for, even after the order’s lifetime', async () => {
    const { r, personId, no } = await payerWithOrder('closing');
    move(5 * MIN + 1000);
    pay.faults.failNext.closeOrder = 1;
    expect((await r.data('payment', { action: 'closeOrder', outTradeNo: no })).status).toBe('closing');
    expect(orderDoc(no)).toMatchObject({ status: 'closing', closingTo: 'closed', closedReason: 'closed by the payer' });
    // WeChat Pay closes it by itself later; the sweeper comes after the order's 30 minutes.
    cloud.clock.set(new Date(at(orderDoc(no).expiresAt) + MIN));
    closedAtWechat(cloud, no);
    expect(await sweep()).toEqual(report({ examined: 1, closed: 1 }));
    expect(orderDoc(no)).toMatchObject({ status: 'closed', closedReason: 'closed by the payer' });
    expect(enrollmentOf(personId)).toMatchObject({ status: 'open', outTradeNo: null });
  });

  test('a close asked for before WeChat Pay allows it (5 minutes) is sent by the sweeper once it does, not before', async () => {
    const { r, personId, no } = await payerWithOrder('early');
    move(1 * MIN);
    expect((await r.data('payment', { action: 'closeOrder', outTradeNo: no })).status).toBe('pending');
    expect(orderDoc(no).closeRequestedAt).toBeDefined();
    move(1 * MIN + 1000); // 2 minutes old: due, but not closable yet
    expect(await sweep()).toEqual(report({ examined: 1, open: 1 }));
    expect(orderDoc(no).status).toBe('pending');
    expect(payCalls.filter((c) => c.api === 'closeOrder' && c.outTradeNo === no)).toHaveLength(0);
    move(3 * MIN); // 5 minutes and a second
    expect(await sweep()).toEqual(report({ examined: 1, closed: 1 }));
    expect(orderDoc(no)).toMatchObject({ status: 'closed', closedReason: 'closed by the payer' });
    expect(pay.order(no).tradeState).toBe('CLOSED');
    expect(enrollmentOf(personId)).toMatchObject({ status: 'open', outTradeNo: null });
  });

  test('an expired order whose close WeChat Pay refuses is counted as closing, tried again after 2, 4, 8, 16, 30, 30 minutes, and keeps its person until a close goes through', async () => {
    const { personId, no } = await payerWithOrder('refused');
    cloud.clock.set(new Date(at(orderDoc(no).expiresAt) + 1000));
    const gaps: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      pay.faults.failNext.closeOrder = 1;
      const before = cloud.clock.now().getTime();
      expect(await sweep()).toEqual(report({ examined: 1, closing: 1 }));
      const after = cloud.clock.now().getTime();
      const next = at(orderDoc(no).nextSweepAt);
      // The step ran between before and after: its gap is the one whole number of minutes in that range.
      gaps.push(Math.floor((next - before) / MIN));
      expect(next - after).toBeLessThanOrEqual(gaps[gaps.length - 1] * MIN);
      expect(orderDoc(no)).toMatchObject({ status: 'closing', closingTo: 'expired', closeAttempts: attempt });
      cloud.clock.set(new Date(next + 1000));
    }
    expect(gaps).toEqual([2, 4, 8, 16, 30, 30]);
    expect(enrollmentOf(personId)).toMatchObject({ status: 'awaiting_payment', outTradeNo: no });
    expect((cloud.store.all('audit_log') as any[]).filter((e) => e.entityId === no && e.to === 'closing')).toEqual([
      expect.objectContaining({ from: 'pending', reason: 'unpaid after 30 minutes; WeChat Pay has not confirmed the close' }),
    ]);
    expect(await sweep()).toEqual(report({ examined: 1, closed: 1 }));
    expect(orderDoc(no)).toMatchObject({ status: 'expired', closedReason: 'unpaid after 30 minutes' });
    expect(enrollmentOf(personId)).toMatchObject({ status: 'open', outTradeNo: null });
  });

  test('a paid order left due (a settlement stopped half-way) is asked again 2 minutes on while WeChat Pay does not answer, also past its lifetime, then finished once', async () => {
    const { r, personId, no } = await payerWithOrder('halfway');
    await confirm(r, no);
    expect(orderDoc(no).status).toBe('paid');
    // Found an hour later: past the order's 30 minutes, which do not matter once it is paid.
    await sweptLaterWhileSilent(no);
    expect(orderDoc(no).status).toBe('paid');
    move(2 * MIN + 1000);
    expect(await sweep()).toEqual(report({ examined: 1, settled: 1 }));
    expect(orderDoc(no).nextSweepAt).toBeUndefined();
    expect((cloud.store.all('payments') as any[]).filter((p) => p.outTradeNo === no)).toHaveLength(1);
    expect(enrollmentOf(personId)).toMatchObject({ status: 'paid_pending_sync', outTradeNo: no });
  });

  test('a refunded payment (its amount differed) left due is also asked again 2 minutes on while WeChat Pay does not answer', async () => {
    const { r, no } = await payerWithOrder('halfrefund');
    differFromOrder(no);
    await confirm(r, no);
    await pay.settled();
    expect(orderDoc(no).status).toBe('refunded');
    await sweptLaterWhileSilent(no);
    expect(orderDoc(no).status).toBe('refunded');
  });

  test('a desk payment whose settlement stopped half-way (the order paid, its person still held) is settled from the order’s own facts', async () => {
    const { personId, no } = await payerWithOrder('deskhalf');
    const paidAt = cloud.clock.now().toISOString();
    cloud.store.write([
      { c: 'orders', id: no, doc: { ...orderDoc(no), channel: 'cash', status: 'paid', paidAt, transactionId: 'CASH340104202310080001', settledFrom: 'pending', nextSweepAt: paidAt } },
    ]);
    expect(enrollmentOf(personId)).toMatchObject({ status: 'awaiting_payment', outTradeNo: no });
    const queries = queriesOf(no);
    move(1000);
    expect(await sweep()).toEqual(report({ examined: 1, settled: 1 }));
    expect(queriesOf(no)).toBe(queries);
    expect(enrollmentOf(personId)).toMatchObject({ status: 'paid_pending_sync', outTradeNo: no });
    expect((cloud.store.all('payments') as any[]).filter((p) => p.outTradeNo === no)).toEqual([expect.objectContaining({ _id: 'CASH340104202310080001', channel: 'cash' })]);
    expect(orderDoc(no).nextSweepAt).toBeUndefined();
  });

  test('a close the payer asked for that WeChat Pay refused is tried again by the sweeper before the order’s lifetime ends, audited as the system’s', async () => {
    const { r, personId, no } = await payerWithOrder('retryclose');
    move(5 * MIN + 1000);
    pay.faults.failNext.closeOrder = 1;
    expect((await r.data('payment', { action: 'closeOrder', outTradeNo: no })).status).toBe('closing');
    move(2 * MIN + 1000); // markClosing's first retry, 23 minutes before the order's expiry
    expect(await sweep()).toEqual(report({ examined: 1, closed: 1 }));
    expect(orderDoc(no)).toMatchObject({ status: 'closed', closedReason: 'closed by the payer' });
    expect(pay.order(no).tradeState).toBe('CLOSED');
    expect(enrollmentOf(personId)).toMatchObject({ status: 'open', outTradeNo: null });
    const audit = (cloud.store.all('audit_log') as any[]).filter((e) => e.entityId === no || e.entityId === `${personId}_2024`);
    expect(audit.filter((e) => e.to === 'closed' || (e.entity === 'enrollment' && e.to === 'open'))).toEqual([
      expect.objectContaining({ entity: 'order', from: 'closing', to: 'closed', actor: 'system' }),
      expect.objectContaining({ entity: 'enrollment', from: 'awaiting_payment', to: 'open', actor: 'system', reason: 'order closed' }),
    ]);
  });

  test('an expired order that still holds its person (a crash between the two writes) gives the person back, counted as released', async () => {
    const { personId, no } = await payerWithOrder('crashexp');
    const now = cloud.clock.now().toISOString();
    cloud.store.write([{ c: 'orders', id: no, doc: { ...orderDoc(no), status: 'expired', closedReason: 'unpaid after 30 minutes', nextSweepAt: now } }]);
    move(1000);
    expect(await sweep()).toEqual(report({ examined: 1, released: 1 }));
    expect(enrollmentOf(personId)).toMatchObject({ status: 'open', outTradeNo: null });
    expect(orderDoc(no).nextSweepAt).toBeUndefined();
  });

  test('the desk’s orders are never asked of WeChat Pay: a paid one is settled from its own facts, one without a payment only leaves the queue; a closed one gives its person back', async () => {
    const paid = await payerWithOrder('deskpaid');
    await confirm(paid.r, paid.no);
    const now = cloud.clock.now().toISOString();
    cloud.store.write([{ c: 'orders', id: paid.no, doc: { ...orderDoc(paid.no), channel: 'cash', nextSweepAt: now } }]);
    const unpaid = await payerWithOrder('deskopen');
    cloud.store.write([{ c: 'orders', id: unpaid.no, doc: { ...orderDoc(unpaid.no), channel: 'cash', nextSweepAt: now } }]);
    const queries = { paid: queriesOf(paid.no), unpaid: queriesOf(unpaid.no) };
    move(1000);
    expect(await sweep()).toEqual(report({ examined: 2, settled: 2 }));
    expect({ paid: queriesOf(paid.no), unpaid: queriesOf(unpaid.no) }).toEqual(queries);
    expect(orderDoc(paid.no).nextSweepAt).toBeUndefined();
    expect(orderDoc(unpaid.no).nextSweepAt).toBeUndefined();
    expect(orderDoc(unpaid.no).status).toBe('pending');
    expect(enrollmentOf(paid.personId)).toMatchObject({ status: 'paid_pending_sync', outTradeNo: paid.no });

    // A crash after closing a desk order but before giving its person back: the sweeper finishes it.
    cloud.store.write([{ c: 'orders', id: unpaid.no, doc: { ...orderDoc(unpaid.no), status: 'closed', closedReason: 'closed by the payer', nextSweepAt: now } }]);
    expect(enrollmentOf(unpaid.personId)).toMatchObject({ status: 'awaiting_payment', outTradeNo: unpaid.no });
    expect(await sweep()).toEqual(report({ examined: 1, released: 1 }));
    expect(enrollmentOf(unpaid.personId)).toMatchObject({ status: 'open', outTradeNo: null });
    expect(orderDoc(unpaid.no).nextSweepAt).toBeUndefined();
  });
});

describe('failures, batches and the time guard', () => {
  test('a step that fails on storage is counted and put off 5 minutes; the next order is still swept', async () => {
    const a = await payerWithOrder('faulty');
    const b = await payerWithOrder('fine');
    move(2 * MIN + 1000);
    const before = cloud.clock.now().getTime();
    let rep: any;
    expect(await withWriteFault(cloud, (c) => c.c === 'orders' && c.id === a.no, async () => (rep = await sweep()))).toBe(1);
    expect(rep).toEqual(report({ examined: 2, open: 1, failed: 1 }));
    const putOff = at(orderDoc(a.no).nextSweepAt);
    expect(putOff).toBeGreaterThanOrEqual(before + 5 * MIN);
    expect(putOff).toBeLessThanOrEqual(cloud.clock.now().getTime() + 5 * MIN);
    expect(at(orderDoc(b.no).nextSweepAt)).toBeLessThan(before + 3 * MIN);
  });

  test('an order whose every write fails is tried once per run, not again and again, and the others are swept', async () => {
    const stuck = await payerWithOrder('stuck');
    const others = [await payerWithOrder('other1'), await payerWithOrder('other2')];
    move(2 * MIN + 1000);
    let rep: any;
    expect(await withEveryWriteFailing(cloud, (c) => c.c === 'orders' && c.id === stuck.no, async () => (rep = await sweep()))).toBeGreaterThanOrEqual(2);
    expect(rep).toEqual(report({ examined: 3, open: 2, failed: 1 }));
    expect(queriesOf(stuck.no)).toBe(1);
    for (const o of others) expect(queriesOf(o.no)).toBe(1);
  });

  test('batches of PAY_SWEEPER_BATCH_SIZE, the oldest due first, until none is due', async () => {
    const orders: string[] = [];
    for (let i = 0; i < 5; i++) {
      orders.push((await payerWithOrder(`batch${i}`)).no);
      move(1000);
    }
    move(2 * MIN);
    expect(await sweep()).toEqual(report({ examined: 5, open: 5 }));
    expect(orders.map(queriesOf)).toEqual([1, 1, 1, 1, 1]);
  });

  test('with a time guard (PAY_SWEEPER_BUDGET_MS) a run stops after a batch, says it is not complete, and the next run goes on with the oldest due', async () => {
    const main = cloud;
    useCloud(await startCloud(START, { ...FUNCTION_ENV, PAY_SWEEPER_BUDGET_MS: '1' }));
    try {
      // Refunds first (no order due meanwhile): three whole-payment refunds WeChat Pay did not
      // accept, due in the order 2, 3, 1 (not the order they were made in).
      pay.faults.failNext.refund = 3;
      const refunds: string[] = [];
      for (let i = 0; i < 3; i++) {
        const { r, no } = await payerWithOrder(`guardrf${i}`);
        differFromOrder(no);
        await confirm(r, no);
        refunds.push(refundsOf(no)[0]._id);
      }
      const base = cloud.clock.now().getTime() + 2 * MIN;
      refunds.forEach((id, i) => cloud.store.write([{ c: 'refunds', id, doc: { ...refundDoc(id), nextCheckAt: new Date(base + [5, 1, 2][i] * 1000).toISOString() } }]));
      cloud.clock.set(new Date(base + 10_000));
      const refundRuns: Array<{ examined: number; complete: boolean; submitted: boolean[] }> = [];
      for (let i = 0; i < 3; i++) {
        const r = await sweep();
        refundRuns.push({ examined: r.refunds.examined, complete: r.complete, submitted: refunds.map((id) => refundDoc(id).status !== 'submitting') });
      }
      expect(refundRuns).toEqual([
        { examined: 2, complete: false, submitted: [false, true, true] },
        { examined: 1, complete: false, submitted: [true, true, true] },
        { examined: 0, complete: true, submitted: [true, true, true] },
      ]);
      await pay.settled(); // the three refunds confirmed by their notifications: nothing left due

      const orders: string[] = [];
      for (let i = 0; i < 5; i++) {
        orders.push((await payerWithOrder(`guard${i}`)).no);
        move(1000);
      }
      move(2 * MIN);
      // Due in the order 3, 5, 1, 4, 2 (not the order they were made in, nor their numbers').
      const dueFrom = cloud.clock.now().getTime() - 10_000;
      orders.forEach((no, i) => cloud.store.write([{ c: 'orders', id: no, doc: { ...orderDoc(no), nextSweepAt: new Date(dueFrom + [3, 5, 1, 4, 2][i] * 1000).toISOString() } }]));
      const runs: Array<{ examined: number; complete: boolean; asked: number[] }> = [];
      for (let i = 0; i < 4; i++) {
        const r = await sweep();
        // Which orders WeChat Pay has been asked about so far, in the order they were created.
        runs.push({ examined: r.orders.examined, complete: r.complete, asked: orders.map(queriesOf) });
      }
      expect(runs).toEqual([
        { examined: 2, complete: false, asked: [0, 0, 1, 0, 1] },
        { examined: 2, complete: false, asked: [1, 0, 1, 1, 1] },
        { examined: 1, complete: false, asked: [1, 1, 1, 1, 1] },
        { examined: 0, complete: true, asked: [1, 1, 1, 1, 1] },
      ]);
    } finally {
      await cloud.close();
      useCloud(main);
    }
  });
});

describe('a refund’s life in the sweeper', () => {
  test('not accepted: submitted again after 2, 4, 8 minutes; accepted: asked a minute on, then after 2^attempts minutes up to an hour; confirmed once', async () => {
    const { r, personId, no } = await payerWithOrder('refundlife');
    // A payment that differs from its order is refunded whole (money-guards.test.ts checks why).
    differFromOrder(no);
    pay.faults.failNext.refund = 3;
    await confirm(r, no);
    const [first] = refundsOf(no);
    const id = first._id;
    expect(id).toBe(`RF${no}A`); // the whole payment: 'A'
    expect((cloud.store.all('audit_log') as any[]).filter((e) => e.entityId === id && e.to === 'requested')).toEqual([
      expect.objectContaining({ from: null, reason: `amount_mismatch: ${first.refundFeeFen} fen of order ${no}` }),
    ]);

    const gap = () => at(refundDoc(id).nextCheckAt) - at(refundDoc(id).updatedAt);
    expect(refundDoc(id)).toMatchObject({ status: 'submitting', attempts: 1, cause: 'amount_mismatch' });
    expect(gap()).toBe(2 * MIN);
    // The whole payment goes back: no person, no year; not accepted yet reads as being processed.
    expect(await refundsShown(r, no)).toEqual(shown('processing', '退款处理中', first.refundFeeFen));

    move(2 * MIN + 1000);
    expect(await sweep()).toEqual(report({}, { examined: 1, unavailable: 1 }));
    expect(refundDoc(id)).toMatchObject({ status: 'submitting', attempts: 2 });
    expect(gap()).toBe(4 * MIN);
    move(2 * MIN);
    expect(await sweep()).toEqual(report({})); // not due before its 4 minutes
    move(2 * MIN + 1000);
    expect(await sweep()).toEqual(report({}, { examined: 1, unavailable: 1 }));
    expect(refundDoc(id)).toMatchObject({ status: 'submitting', attempts: 3 });
    expect(gap()).toBe(8 * MIN);

    pay.faults.holdRefunds = true;
    move(8 * MIN + 1000);
    expect(await sweep()).toEqual(report({}, { examined: 1, submitted: 1 }));
    expect(refundDoc(id)).toMatchObject({ status: 'processing', attempts: 4 });
    expect(gap()).toBe(MIN);

    move(MIN + 1000);
    expect(await sweep()).toEqual(report({}, { examined: 1, processing: 1 }));
    expect(refundDoc(id)).toMatchObject({ status: 'processing', attempts: 5 });
    expect(gap()).toBe(32 * MIN);

    move(32 * MIN + 1000);
    pay.faults.failNext.queryRefund = 1;
    expect(await sweep()).toEqual(report({}, { examined: 1, unavailable: 1 }));
    expect(refundDoc(id)).toMatchObject({ status: 'processing', attempts: 6 });
    expect(gap()).toBe(60 * MIN); // 2^6 = 64 minutes, capped at an hour

    move(60 * MIN + 1000);
    expect(await sweep()).toEqual(report({}, { examined: 1, processing: 1 }));
    expect(refundDoc(id).attempts).toBe(7);
    expect(gap()).toBe(60 * MIN);

    await completeRefundsUnnotified();
    expect(refundDoc(id).status).toBe('processing');
    move(60 * MIN + 1000);
    expect(await sweep()).toEqual(report({}, { examined: 1, succeeded: 1 }));
    const done = refundDoc(id);
    expect(done).toMatchObject({ status: 'succeeded', succeededAt: done.updatedAt });
    expect(done.nextCheckAt).toBeUndefined();
    expect(await refundsShown(r, no)).toEqual(shown('succeeded', '已退款', first.refundFeeFen));
    const audit = (cloud.store.all('audit_log') as any[]).filter((e) => e.entityId === id);
    expect(audit.filter((e) => e.to === 'succeeded')).toEqual([
      expect.objectContaining({ from: 'processing', actor: 'system', level: 'info', reason: `${first.refundFeeFen} fen back to the payer (order ${no})` }),
    ]);
    expect(audit.filter((e) => e.to === 'processing')).toEqual([expect.objectContaining({ from: 'submitting', reason: 'accepted by WeChat Pay' })]);
    // The payment notified again: acknowledged, and still this one refund.
    expect((await pay.redeliver(no)).delivery.ok).toBe(true);
    expect(refundsOf(no)).toEqual([expect.objectContaining({ _id: id, status: 'succeeded' })]);
    move(2 * 60 * MIN);
    expect(await sweep()).toEqual(report({}));
    expect(pay.refunds({ outTradeNo: no })).toHaveLength(1);
    expect(enrollmentOf(personId).status).toBe('open');
  });

  test('a refund step that fails on storage is counted as unavailable, tried once per run, and done by a later run', async () => {
    const { refund } = await heldRefund('refundeio');
    expect(refund).toMatchObject({ status: 'processing', attempts: 1 });
    move(MIN + 1000);
    let rep: any;
    expect(await withEveryWriteFailing(cloud, (c) => c.c === 'refunds', async () => (rep = await sweep()))).toBeGreaterThanOrEqual(1);
    expect(rep).toEqual(report({}, { examined: 1, unavailable: 1 }));
    expect(refundDoc(refund._id)).toMatchObject({ status: 'processing', attempts: 1 });
    await completeRefundsUnnotified();
    expect(await sweep()).toEqual(report({}, { examined: 1, succeeded: 1 }));
    expect(refundDoc(refund._id).status).toBe('succeeded');
  });

  test('a refund WeChat Pay does not know is submitted again under its number; one WeChat Pay closed is failed, alerted once and left to staff', async () => {
    const { r, no, refund } = await heldRefund('refundlost');
    expect(refund.status).toBe('processing');
    // WeChat Pay lost it (or never took it): the sweeper's query finds no such refund.
    cloud.store.write([{ c: '$refunds', id: refund._id, doc: undefined }]);
    expect(pay.refund(refund._id)).toBeUndefined();
    move(MIN + 1000);
    expect(await sweep()).toEqual(report({}, { examined: 1, submitted: 1 }));
    expect(pay.refund(refund._id)).toMatchObject({ outTradeNo: no, refundFee: refund.refundFeeFen, status: 'PROCESSING' });
    expect(refundDoc(refund._id)).toMatchObject({ status: 'processing' });

    // WeChat Pay closes the refund (the payer's account cannot take it).
    cloud.store.write([{ c: '$refunds', id: refund._id, doc: { ...pay.refund(refund._id), status: 'REFUNDCLOSE' } }]);
    move(MIN + 1000);
    expect(await sweep()).toEqual(report({}, { examined: 1, failed: 1 }));
    expect(refundDoc(refund._id)).toMatchObject({ status: 'failed' });
    expect(refundDoc(refund._id).nextCheckAt).toBeUndefined();
    expect(refundDoc(refund._id).succeededAt).toBeUndefined();
    expect(await refundsShown(r, no)).toEqual(shown('failed', '退款未成功，工作人员正在处理', refund.refundFeeFen));
    const alerts = (cloud.store.all('audit_log') as any[]).filter((e) => e.entityId === refund._id && e.level === 'alert');
    expect(alerts).toEqual([expect.objectContaining({ to: 'failed', from: 'processing', reason: 'WeChat Pay reports REFUNDCLOSE: staff must return the money another way' })]);
    move(2 * 60 * MIN);
    expect(await sweep()).toEqual(report({}));
  });
});
