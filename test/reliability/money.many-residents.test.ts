/**
 * Reliability, money under concurrency (issue 14), against the local cloud: 200 different
 * residents ordering and paying at once all succeed, each exactly once (the books: one payment
 * and one paid enrollment each, nothing unbacked, received = kept). Prints attempts, successes,
 * duplicates and refunds.
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { post } from '../cloud/helpers';
import { books, chineseName, inBatches, readyResident, report, startBurstCloud } from './money-support';

jest.setTimeout(900_000);

describe('200 different residents paying at once', () => {
  let cloud: LocalCloud;
  afterAll(async () => cloud?.close());

  test('all succeed, each exactly once', async () => {
    cloud = await startBurstCloud('2023-10-08T10:00:00+08:00', 'money-concurrency');
    const N = 200;
    const started = Date.now();
    const residents = await inBatches(
      Array.from({ length: N }, (_, i) => () => readyResident(cloud.url, `rel_many_${i}`, chineseName(i), 1000 + i)),
      12,
    );
    const setupMs = Date.now() - started;
    const t0 = Date.now();
    const outcomes = await Promise.all(
      residents.map(async ({ r, personId }) => {
        const o = await r.call('payment', { action: 'createOrder', items: [{ personId, benefitYear: 2024 }] });
        if (!o.ok) return { ok: false, code: o.error.code };
        const paid = await post(cloud.url, '/api/pay/confirm', { outTradeNo: o.data.outTradeNo }, r.token);
        return { ok: paid.status === 200, code: paid.status === 200 ? 'confirmed' : `PAY ${paid.status}`, outTradeNo: o.data.outTradeNo as string };
      }),
    );
    const burstMs = Date.now() - t0;
    await cloud.pay.settled();
    // Each order as its payer's queryOrder reads it: the stored order, paid (its notification
    // settled it; the query would only read the same document).
    for (const o of outcomes) {
      const stored = o.outTradeNo ? (cloud.store.getById('orders', o.outTradeNo) as any) : null;
      if (o.ok && stored?.status !== 'paid') Object.assign(o, { ok: false, code: `order ${stored?.status}` });
    }
    const b = books((c) => cloud.store.all(c) as any[]);
    const paidEnrollments = (cloud.store.all('enrollments') as any[]).filter((e) => e.status === 'paid_pending_sync');
    report('money.concurrency.many-residents', {
      residents: N,
      attempts: N * 2,
      succeeded: outcomes.filter((o) => o.ok).length,
      failed: outcomes.filter((o) => !o.ok).length,
      payments: b.payments,
      enrollmentsPaid: paidEnrollments.length,
      duplicates: b.duplicates,
      refundsIssued: b.refunds,
      setupSeconds: Math.round(setupMs / 100) / 10,
      burstSeconds: Math.round(burstMs / 100) / 10,
    });
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(b.payments).toBe(N);
    expect(paidEnrollments).toHaveLength(N);
    expect(b.duplicates).toBe(0);
    expect(b.unbacked).toBe(0);
    expect(b.enrolledWithoutMoney).toBe(0);
    expect(b.balanced).toBe(true);
  });
});
