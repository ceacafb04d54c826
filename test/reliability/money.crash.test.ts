/**
 * Reliability, money across a crash (issue 14): the local cloud runs as a child process; while
 * residents order and pay, payments with a wrong amount are refunded, and 蜀山区 staff refund
 * payments, it is killed with SIGKILL; restarted on the same data folder, the sweeper runs as its
 * timer does. Then nothing is lost (every payment WeChat Pay took is settled here, every refund it
 * accepted is ours and succeeded) and nothing is duplicated (one payment per transaction, nobody
 * paid twice, one refund per part). Prints attempts, acknowledged writes, duplicates, refunds.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { Journal } from '../../cloudfunctions/local-cloud/database/journal';
import { Store } from '../../cloudfunctions/local-cloud/database/store';
import { loadIndexes } from '../../cloudfunctions/local-cloud/server';
import { post, signIn } from '../cloud/helpers';
import { books, bundleMoneyFunctions, chineseName, inBatches, readyResident, report, TIMER } from './money-support';
import { ChildCloud, killHard, newDataDir, registerForScan, REPO, startChildCloud, stopCleanly } from './support';

process.env.TENCENTCLOUD = 'true';
process.env.SILENCE = 'true';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const wx: any = require('wx-server-sdk');

jest.setTimeout(900_000);
const INDEXES = join(REPO, 'cloudfunctions', 'indexes.json');
const PASSWORD = 'Local@2023';

/** The SDK as a timer's function uses it, signed with the data folder's local token. */
function sdkAt(url: string, dataDir: string): any {
  const keys = JSON.parse(readFileSync(join(dataDir, 'keys.json'), 'utf8'));
  return wx.createNewInstance({ env: 'local', serviceUrl: `${url}/admin`, secretId: 'local', secretKey: keys.localToken ?? 'local', timeout: 120_000 });
}

let running: ChildCloud | undefined;
afterAll(async () => {
  if (running) await killHard(running.proc);
});

test('kill -9 in the middle of payments and refunds: after a restart and the sweeper, nothing lost, nothing duplicated', async () => {
  await bundleMoneyFunctions();
  const dataDir = newDataDir('money-crash');
  running = await startChildCloud(dataDir, { now: '2023-10-08T10:00:00+08:00' });
  const log = running.log;
  registerForScan({ dataDir, logs: [log], today: '2023-10-08' });
  const url = running.url;

  const N = 40;
  const people = await inBatches(
    Array.from({ length: N }, (_, i) => () => readyResident(url, `rel_crash_${i}`, chineseName(i, '吴'), 4000 + i)),
    6,
  );
  const district = await signIn(url, 'sq_district', PASSWORD);
  // Ten already paid before the burst, for the staff refunds during it.
  const prepaid = [];
  for (const p of people.slice(0, 10)) {
    const o = await p.r.data('payment', { action: 'createOrder', items: [{ personId: p.personId, benefitYear: 2024 }] });
    expect((await post(url, '/api/pay/confirm', { outTradeNo: o.outTradeNo }, p.r.token)).status).toBe(200);
    prepaid.push({ ...p, outTradeNo: o.outTradeNo });
  }
  const db = sdkAt(url, dataDir).database({ throwOnNotFound: false });

  // The burst: 30 residents order and pay (every third with a wrong amount here, so a refund
  // follows), and the district refunds the ten earlier payments — all at once.
  let attempts = 0;
  const acknowledged = { paid: [] as string[], refunds: [] as string[] };
  const burst = [
    ...people.slice(10).map(async (p, k) => {
      attempts += 2;
      const o = await p.r.call('payment', { action: 'createOrder', items: [{ personId: p.personId, benefitYear: 2024 }] });
      if (!o.ok) return;
      if (k % 3 === 0) await db.collection('orders').doc(o.data.outTradeNo).update({ data: { totalFeeFen: o.data.totalFeeFen - 1 } });
      const res = await post(url, '/api/pay/confirm', { outTradeNo: o.data.outTradeNo }, p.r.token);
      if (res.status === 200) acknowledged.paid.push(o.data.outTradeNo);
    }),
    ...prepaid.map(async (p) => {
      attempts++;
      const r = await district.call('staffPayments', { action: 'refundPayment', outTradeNo: p.outTradeNo, personId: p.personId, benefitYear: 2024, reasonCode: 'duplicate_with_cash', note: '已在社区窗口现金缴费' });
      if (r.ok) acknowledged.refunds.push(r.data.outRefundNo);
    }),
  ].map((p) => p.catch(() => undefined));
  // Killed once half of the burst has answered: the rest is in flight (orders being made, paid,
  // settled, refunds requested at WeChat Pay but not yet recorded as accepted).
  let answered = 0;
  await new Promise<void>((resolve) => {
    for (const p of burst)
      void p.then(() => {
        if (++answered === Math.ceil(burst.length / 2)) resolve();
      });
  });
  await killHard(running.proc);
  await Promise.all(burst);
  const ackPaid = [...acknowledged.paid];
  const ackRefunds = [...acknowledged.refunds];

  // Restart on the same folder, a few minutes later; the sweeper runs until nothing is left.
  running = await startChildCloud(dataDir, { now: '2023-10-08T10:20:00+08:00', log });
  const sdk = sdkAt(running.url, dataDir);
  let runs = 0;
  let last: any;
  for (; runs < 10; runs++) {
    last = (await sdk.callFunction({ name: 'paySweeper', data: TIMER })).result;
    expect(last.ok).toBe(true);
    if (last.data.complete && last.data.orders.examined === 0 && last.data.refunds.examined === 0) break;
    await new Promise((r) => setTimeout(r, 300)); // refunds accepted complete a moment later (the simulator: 5 ms, then the notification)
    await post(running.url, '/api/clock', { now: new Date(Date.parse('2023-10-08T10:20:00+08:00') + (runs + 1) * 5 * 60_000).toISOString() }, running.localToken);
  }
  await stopCleanly(running.proc);

  const store = new Store(new Journal(join(dataDir, 'db')), loadIndexes(INDEXES));
  try {
    const all = (c: string) => (store.hasCollection(c) ? (store.all(c) as any[]) : []);
    const b = books(all);
    const paidAtWechat = all('$orders').filter((o) => o.tradeState === 'SUCCESS' || o.tradeState === 'REFUND');
    const lostPayments = paidAtWechat.filter((o) => !['paid', 'refunded'].includes(all('orders').find((x) => x._id === o._id)?.status));
    const wechatRefunds = all('$refunds');
    const lostRefunds = wechatRefunds.filter((r) => !all('refunds').some((x) => x._id === r._id && x.status === 'succeeded'));
    const txDuplicates = all('payments').length - new Set(all('payments').map((p) => p.transactionId)).size;
    report('money.crash', {
      attempts,
      acknowledgedPayments: ackPaid.length,
      acknowledgedRefunds: ackRefunds.length,
      paidAtWechatPay: paidAtWechat.length,
      paymentsLost: lostPayments.length,
      refundsAtWechatPay: wechatRefunds.length,
      refundsIssued: b.refunds,
      refundsLost: lostRefunds.length,
      duplicates: b.duplicates + txDuplicates,
      unbacked: b.unbacked,
      sweeperRuns: runs + 1,
    });
    for (const no of ackPaid) expect(paidAtWechat.map((o) => o._id)).toContain(no);
    for (const no of ackRefunds) expect(all('refunds').map((r) => r._id)).toContain(no);
    expect(lostPayments).toEqual([]);
    expect(lostRefunds).toEqual([]);
    expect(b.refundsOpen).toBe(0);
    expect(b.duplicates).toBe(0);
    expect(txDuplicates).toBe(0);
    expect(b.unbacked).toBe(0);
    expect(b.enrolledWithoutMoney).toBe(0);
    expect(b.balanced).toBe(true);
    // One refund per part: WeChat Pay never refunded more than it took.
    for (const o of paidAtWechat) expect(wechatRefunds.filter((r) => r.outTradeNo === o._id).reduce((s, r) => s + r.refundFee, 0)).toBeLessThanOrEqual(o.totalFee);
  } finally {
    store.close();
  }
});
