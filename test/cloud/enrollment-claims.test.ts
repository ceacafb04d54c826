/**
 * The enrollment an order claims (domain/enrollments/claims.ts): its trail in the audit log from
 * the first claim through a close, a second claim and the payment, the progress table counting it
 * once, a claim whose write fails, and a release that finds the person no longer held by its order.
 * The mutation run of claims.ts (issue 16) showed that no test read the enrollment's own audit
 * entries, that a claim's storage failure could be swallowed, and that release's guard (only the
 * order that holds the person gives it back) was never reached with another holder.
 */
import { buildFunction } from '../../cloudfunctions/build';
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { adminSdk, adult, CONSENT, makeId, post, Resident, signIn, startCloud, TIMER_EVENT, verify, withWriteFault } from './helpers';

jest.setTimeout(240_000);
const START = '2023-10-08T10:00:00+08:00';

let cloud: LocalCloud;
let app: ReturnType<typeof adminSdk>;
let seq = 700;

const move = (ms: number) => cloud.clock.set(new Date(cloud.clock.now().getTime() + ms));
const enrollmentOf = (personId: string) => cloud.store.getById('enrollments', `${personId}_2024`) as any;
/** The enrollment's own audit entries, oldest first, with the fields a reader of the trail needs. */
const trailOf = (personId: string) =>
  (cloud.store.all('audit_log') as any[])
    .filter((e) => e.entity === 'enrollment' && e.entityId === `${personId}_2024`)
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    .map(({ from, to, actor, reason }) => ({ from, to, actor, reason }));
/** The people the progress table counts for 2024, over all areas and shards. */
const counted2024 = () => (cloud.store.all('progress_counters') as any[]).filter((c) => c.benefitYear === 2024).reduce((s, c) => s + c.count, 0);

async function payer(tag: string): Promise<{ r: Resident; personId: string }> {
  const r = await signIn(cloud.url, `ec_${tag}`);
  await r.data('resident', CONSENT);
  const { personId } = await verify(r, adult(`周${tag.slice(0, 2)}`, makeId('340104', '1983-07-07', ++seq)));
  return { r, personId };
}
const order = (r: Resident, personId: string) => r.data('payment', { action: 'createOrder', items: [{ personId, benefitYear: 2024 }] });

async function sweep(): Promise<any> {
  const res = await app.callFunction({ name: 'paySweeper', data: TIMER_EVENT });
  expect(res.result.ok).toBe(true);
  return res.result.data;
}

beforeAll(async () => {
  await buildFunction('paySweeper');
  cloud = await startCloud(START);
  app = adminSdk(cloud);
});
afterAll(async () => cloud?.close());

test('the trail of an enrollment: claimed, refused to a second order, given back at the close, claimed again, paid — and counted once', async () => {
  const { r, personId } = await payer('trail');
  const before = counted2024();
  const first = await order(r, personId);
  // A second order while the first holds the person is refused, and the refused claim writes nothing.
  expect(await r.call('payment', { action: 'createOrder', items: [{ personId, benefitYear: 2024 }] })).toMatchObject({ ok: false, error: { code: 'ORDER_PENDING' } });
  move(5 * 60_000 + 1000);
  expect((await r.data('payment', { action: 'closeOrder', outTradeNo: first.outTradeNo })).status).toBe('closed');
  expect(enrollmentOf(personId)).toMatchObject({ status: 'open', outTradeNo: null });
  const second = await order(r, personId);
  expect(enrollmentOf(personId)).toMatchObject({ status: 'awaiting_payment', outTradeNo: second.outTradeNo });
  expect((await post(cloud.url, '/api/pay/confirm', { outTradeNo: second.outTradeNo }, r.token)).status).toBe(200);
  await (cloud as any).pay.settled();

  const actor = r.openid;
  expect(trailOf(personId)).toEqual([
    { from: null, to: 'awaiting_payment', actor, reason: `order ${first.outTradeNo}` },
    { from: 'awaiting_payment', to: 'open', actor, reason: 'order closed' },
    { from: 'open', to: 'awaiting_payment', actor, reason: `order ${second.outTradeNo}` },
    { from: 'awaiting_payment', to: 'paid_pending_sync', actor: 'wechat_pay', reason: `paid by order ${second.outTradeNo}` },
  ]);
  expect(enrollmentOf(personId)).toMatchObject({ status: 'paid_pending_sync', outTradeNo: second.outTradeNo, amountFen: 38000 });
  expect(counted2024()).toBe(before + 1);
});

test('a claim whose write fails: the order is refused, nothing is left behind, and the next try works', async () => {
  const { r, personId } = await payer('fault');
  let refused: any;
  const failed = await withWriteFault(
    cloud,
    (w) => w.c === 'enrollments' && w.id === `${personId}_2024`,
    async () => {
      refused = await r.call('payment', { action: 'createOrder', items: [{ personId, benefitYear: 2024 }] });
    },
  );
  expect(failed).toBe(1);
  expect(refused).toEqual({ ok: false, error: { code: 'INTERNAL', message: '系统繁忙，请稍后再试' } });
  expect(enrollmentOf(personId)).toBeUndefined();
  expect((cloud.store.all('orders') as any[]).filter((o) => o.personIds.includes(personId))).toEqual([]);
  expect(trailOf(personId)).toEqual([]);

  const again = await order(r, personId);
  expect(enrollmentOf(personId)).toMatchObject({ status: 'awaiting_payment', outTradeNo: again.outTradeNo });
});

test('an order that no longer holds its people gives back nothing: not another order’s claim, not a paid enrollment', async () => {
  const { r, personId: held } = await payer('held');
  const { personId: paid } = await payer('paid');
  const live = await order(r, held);
  // An expired order still listed as holding both (what a crash between its two writes leaves),
  // while one person is held by a live order and the other is paid by this very order.
  const no = `S${Date.now()}`;
  const at = cloud.clock.now().toISOString();
  const item = (personId: string) => ({ personId, benefitYear: 2024, amountFen: 38000, name: '周某', idMasked: '3401**********0000', explanationCipher: '' });
  cloud.store.write([
    {
      c: 'orders',
      id: no,
      doc: { _id: no, outTradeNo: no, openid: 'o-staged', items: [item(held), item(paid)], personIds: [held, paid], totalFeeFen: 76000, status: 'expired', createdAt: at, expiresAt: at, paidAt: null, transactionId: null, nextSweepAt: at },
    },
    { c: 'enrollments', id: `${paid}_2024`, doc: { _id: `${paid}_2024`, personId: paid, benefitYear: 2024, status: 'paid_pending_sync', outTradeNo: no, amountFen: 38000, paidAt: at, expectedSyncBy: '2023-10-10', createdAt: at, updatedAt: at } },
  ]);
  const heldBefore = enrollmentOf(held);
  const paidBefore = enrollmentOf(paid);

  expect((await sweep()).orders).toMatchObject({ released: 1, failed: 0 });
  expect(enrollmentOf(held)).toEqual(heldBefore);
  expect(enrollmentOf(held)).toMatchObject({ status: 'awaiting_payment', outTradeNo: live.outTradeNo });
  expect(enrollmentOf(paid)).toEqual(paidBefore);
  expect(trailOf(held).filter((e) => e.to === 'open')).toEqual([]);
  expect(trailOf(paid)).toEqual([]);
  expect((cloud.store.getById('orders', no) as any).nextSweepAt).toBeUndefined();
});

test('a payment whose enrollment record is missing writes it whole, as paid', async () => {
  const { r, personId } = await payer('lost');
  const o = await order(r, personId);
  // The claim is gone (a record lost with a restored backup): the payment still makes the person paid.
  cloud.store.write([{ c: 'enrollments', id: `${personId}_2024`, doc: undefined }]);
  expect((await post(cloud.url, '/api/pay/confirm', { outTradeNo: o.outTradeNo }, r.token)).status).toBe(200);
  await (cloud as any).pay.settled();
  expect(enrollmentOf(personId)).toMatchObject({ personId, benefitYear: 2024, status: 'paid_pending_sync', outTradeNo: o.outTradeNo, amountFen: 38000, createdAt: expect.any(String) });
  expect(trailOf(personId).slice(1)).toEqual([{ from: 'none', to: 'paid_pending_sync', actor: 'wechat_pay', reason: `paid by order ${o.outTradeNo}` }]);
});
