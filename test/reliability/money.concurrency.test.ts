/**
 * Reliability, money under concurrency (issue 14), against the local cloud: ≥ 100 simultaneous
 * attempts to order or pay for ONE person and year — from 25 authorized accounts (4 createOrder
 * each) and the community cash desk (5 windows) at once, then every order that exists paid 10
 * times at once — end in one enrollment and one payment. (200 different residents paying at
 * once: money.many-residents.test.ts, a file of its own so the two run on the two workers.)
 * Prints attempts, successes, duplicates and refunds.
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { adult, CONSENT, makeId, post, Resident, signIn, verify } from '../cloud/helpers';
import { books, chineseName, inBatches, report, startBurstCloud } from './money-support';

jest.setTimeout(900_000);
const PASSWORD = 'Local@2023';
const ANJUYUAN = 'org-c-340104-anjuyuan';

describe('one person, one year: ≥ 100 simultaneous attempts from authorized accounts and the cash desk', () => {
  let cloud: LocalCloud;
  afterAll(async () => cloud?.close());

  test('one enrollment, one payment', async () => {
    cloud = await startBurstCloud('2023-10-08T10:00:00+08:00', 'money-concurrency');
    const owner = await signIn(cloud.url, 'rel_owner');
    await owner.data('resident', CONSENT);
    const name = '周玉兰';
    const idNumber = makeId('340104', '1952-03-14', 401);
    const personId = (await verify(owner, { name, idNumber, communityId: ANJUYUAN })).personId;
    // 25 relatives, each verified as themself and authorized by her from her own WeChat.
    const actors = await inBatches(
      Array.from({ length: 25 }, (_, i) => async () => {
        const a = await signIn(cloud.url, `rel_actor_${i}`);
        await a.data('resident', CONSENT);
        await verify(a, { name: chineseName(i, '周'), idNumber: makeId('340104', '1980-01-1' + (i % 10), 500 + i) });
        const m = await a.data('resident', { ...adult(name, idNumber), relation: 'parent' });
        const invitation = await a.data('resident', { action: 'createInvitation', personId: m.personId });
        await owner.data('resident', { action: 'acceptInvitation', code: invitation.code });
        return a;
      }),
      8,
    );
    const desk = await signIn(cloud.url, 'sq_worker', PASSWORD);
    const found = await desk.data('staffCash', { action: 'findPerson', name, idNumber, benefitYear: 2024 });
    const amountFen = found.person.quote.individualContributionFen;

    const attempts: Array<Promise<{ kind: string; ok: boolean; code?: string; data?: any }>> = [];
    const durations: number[] = [];
    const t0 = Date.now();
    const wrap = (kind: string, p: Promise<any>) =>
      p.finally(() => durations.push(Date.now() - t0)).then(
        (r) => ({ kind, ok: !!r.ok, code: r.ok ? undefined : r.error?.code, data: r.ok ? r.data : undefined }),
        (e) => ({ kind, ok: false, code: `GATEWAY ${String(e).slice(0, 60)}` }),
      );
    for (const a of [owner, ...actors]) for (let k = 0; k < 4; k++) attempts.push(wrap('order', a.call('payment', { action: 'createOrder', items: [{ personId, benefitYear: 2024 }] })));
    // The desk's windows once the first online attempt has answered, while the others are still
    // being made (otherwise the desk's own idle function pool always wins before any order exists).
    const firstAnswer = Promise.race(attempts);
    for (let w = 0; w < 5; w++) attempts.push(wrap('cash', firstAnswer.then(() => desk.call('staffCash', { action: 'recordCash', personId, benefitYear: 2024, amountFen, receiptNo: `RELCASH${w}01` }))));
    const results = await Promise.all(attempts);
    const orders = results.filter((r) => r.kind === 'order' && r.ok);
    const cash = results.filter((r) => r.kind === 'cash' && r.ok);
    const unexpected = results.filter((r) => !r.ok && !['ORDER_PENDING', 'ALREADY_PAID', 'CASH_PENDING_ONLINE'].includes(r.code ?? '') && !/PENDING|PAID/.test(r.code ?? ''));
    expect(unexpected.map((u) => `${u.kind} ${u.code}`)).toEqual([]);
    // Every order that exists is paid from its payer's phone, 10 times at once.
    const byOrder = new Map<string, Resident>();
    for (const [i, r] of results.entries()) if (r.kind === 'order' && r.ok) byOrder.set(r.data.outTradeNo, [owner, ...actors][Math.floor(i / 4)]);
    const pays = await Promise.all([...byOrder].flatMap(([no, payer]) => Array.from({ length: 10 }, () => post(cloud.url, '/api/pay/confirm', { outTradeNo: no }, payer.token))));
    await cloud.pay.settled();

    const enrollments = (cloud.store.all('enrollments') as any[]).filter((e) => e.personId === personId && e.benefitYear === 2024);
    const payments = (cloud.store.all('payments') as any[]).filter((p) => p.personIds.includes(personId));
    const b = books((c) => cloud.store.all(c) as any[]);
    const codes: Record<string, number> = {};
    for (const r of results) codes[`${r.kind}:${r.ok ? 'ok' : r.code}`] = (codes[`${r.kind}:${r.ok ? 'ok' : r.code}`] ?? 0) + 1;
    report('money.concurrency.one-person', {
      outcomes: JSON.stringify(codes),
      burstSeconds: Math.round(Math.max(...durations) / 100) / 10,
      attempts: attempts.length + pays.length,
      orderAttempts: 104,
      cashAttempts: 5,
      payAttempts: pays.length,
      ordersCreated: orders.length,
      cashTaken: cash.length,
      paidAtWechatPay: pays.filter((p) => p.status === 200).length,
      enrollments: enrollments.length,
      payments: payments.length,
      duplicates: b.duplicates,
      refundsIssued: b.refunds,
    });
    expect(attempts.length + pays.length).toBeGreaterThanOrEqual(100);
    expect(orders.length + cash.length).toBe(1);
    expect(enrollments).toHaveLength(1);
    expect(enrollments[0].status).toBe('paid_pending_sync');
    expect(payments).toHaveLength(1);
    expect(b.duplicates).toBe(0);
    expect(b.unbacked).toBe(0);
    expect(b.enrolledWithoutMoney).toBe(0);
  });
});
