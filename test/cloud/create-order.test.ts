/**
 * createOrder (domain/orders/orders.ts) as the resident meets it: each refusal in the words they
 * read, with nothing claimed or left behind by it; WeChat Pay refusing the order; the order as
 * WeChat Pay receives it and as it is audited. The money tests (money-guards, money-per-actor)
 * cover what happens to orders after they exist; the mutation run of the orders module (issue
 * 16) asks that the refusals before that be tested to the word, since a resident acts on them.
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { addWithDocument, adult, CONSENT, idHashOf, makeId, Resident, signIn, startCloud, verify } from './helpers';

jest.setTimeout(120_000);
const START = '2023-10-08T10:00:00+08:00';

let cloud: LocalCloud;
let pay: any;
let seq = 700;
beforeAll(async () => {
  cloud = await startCloud(START);
  pay = (cloud as any).pay;
}, 120_000);
afterAll(async () => cloud?.close());
afterEach(() => {
  pay.faults.failNext = {};
  cloud.clock.set(new Date(START));
});

const ordersOf = (r: Resident) => (cloud.store.all('orders') as any[]).filter((o) => o.openid === r.openid);
const enrollmentOf = (personId: string, year = 2024) => cloud.store.getById('enrollments', `${personId}_${year}`) as any;
const nextId = (birth = '1975-04-04') => makeId('340104', birth, ++seq);
/** yyyyMMddHHmmss in Beijing time, through Intl (not the product's own formatter). */
function beijingStamp(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}${part('month')}${part('day')}${part('hour')}${part('minute')}${part('second')}`;
}

async function resident(tag: string): Promise<Resident> {
  const r = await signIn(cloud.url, `co_${tag}`);
  await r.data('resident', CONSENT);
  return r;
}

/** The refusal's code, words and field, after checking it left no order and no claim behind. */
async function refusal(r: Resident, items: Array<{ personId: string; benefitYear: number }>) {
  const res = await r.call('payment', { action: 'createOrder', items });
  expect(res.ok).toBe(false);
  expect(ordersOf(r)).toEqual([]);
  for (const i of items) expect(enrollmentOf(i.personId, i.benefitYear)?.status ?? 'none').not.toBe('awaiting_payment');
  return !res.ok && res.error;
}

describe('createOrder’s refusals, in the words the resident reads, leaving nothing behind', () => {
  test('the same person and year twice in one order', async () => {
    const r = await resident('twice');
    const { personId } = await verify(r, adult('周一', nextId()));
    const item = { personId, benefitYear: 2024 };
    expect(await refusal(r, [item, item])).toEqual({ code: 'INVALID_INPUT', message: '同一位参保人同一年度只能选择一次', field: 'items' });
  });

  test('before the payment window opens: when it opens', async () => {
    cloud.clock.set(new Date('2023-08-20T10:00:00+08:00'));
    const r = await resident('early');
    const { personId } = await verify(r, adult('周二', nextId()));
    expect(await refusal(r, [{ personId, benefitYear: 2024 }])).toEqual({ code: 'WINDOW_CLOSED', message: '2024年度缴费期2023-09-01开始，现在还不能缴费', field: 'items' });
  });

  test('after the payment window has ended: which window it was', async () => {
    cloud.clock.set(new Date('2025-01-06T10:00:00+08:00'));
    const r = await resident('late');
    const { personId } = await verify(r, adult('周三', nextId()));
    expect(await refusal(r, [{ personId, benefitYear: 2024 }])).toEqual({ code: 'WINDOW_CLOSED', message: '2024年度缴费期（2023-09-01至2023-12-31）已结束', field: 'items' });
  });

  test('a person the policy does not admit: the name and the engine’s reasons', async () => {
    const r = await resident('employee');
    // Both exclusions at once: each reason is read, one after the other.
    const { personId } = await verify(r, adult('周三', nextId(), { answers: { employeeInsured: true, enrolledElsewhere: true } }));
    const q = await r.data('resident', { action: 'quote', personId, benefitYear: 2024 });
    expect(q.eligible).toBe(false);
    expect(await refusal(r, [{ personId, benefitYear: 2024 }])).toEqual({ code: 'NOT_ELIGIBLE', message: '周三不符合本年度参保条件：已参加职工医保，不需要再参加居民医保；已在其他城市参加本年度居民医保，不能重复参保', field: 'items' });
  });

  test('a person whose whole contribution the assistance pays: nothing to pay', async () => {
    const r = await resident('tekun');
    const idNumber = nextId('1950-02-02');
    cloud.store.write([{ c: 'assistance_lists', id: 'co-tekun', doc: { _id: 'co-tekun', idHash: idHashOf(cloud, idNumber), benefitYear: 2024, category: 'tekun', source: '民政' } as any }]);
    const { personId } = await verify(r, adult('周四', idNumber));
    expect(await refusal(r, [{ personId, benefitYear: 2024 }])).toEqual({ code: 'NOTHING_TO_PAY', message: '周四由医疗救助全额资助参保，无需缴费', field: 'items' });
  });

  test('a first enrollment without face verification needs the ID card photo first', async () => {
    const r = await resident('nodoc');
    const m = await r.data('resident', adult('周五', nextId()));
    expect(m.needsDocument).toBe(true);
    expect(await refusal(r, [{ personId: m.personId, benefitYear: 2024 }])).toEqual({ code: 'DOCUMENT_REQUIRED', message: '周五是首次参保，请先上传身份证件照片', field: 'items' });
  });

  test('one refused person in a two-person order: the other person is not held either', async () => {
    const r = await resident('mixed');
    const ok = await verify(r, adult('周六', nextId()));
    const refused = { personId: await addWithDocument(cloud.url, r, { ...adult('周七', nextId('1948-08-08'), { answers: { employeeInsured: true, enrolledElsewhere: false } }), relation: 'parent' }) };
    const err = await refusal(r, [
      { personId: ok.personId, benefitYear: 2024 },
      { personId: refused.personId, benefitYear: 2024 },
    ]);
    expect(err).toMatchObject({ code: 'NOT_ELIGIBLE', message: expect.stringMatching(/^周七不符合本年度参保条件：/) });
    expect(enrollmentOf(ok.personId)?.status ?? 'none').not.toBe('awaiting_payment');
  });
});

describe('the order WeChat Pay receives', () => {
  test('WeChat Pay refusing the order: the resident reads 稍后再试, the order and its claims are given back, and the next try works', async () => {
    const r = await resident('payfail');
    const { personId } = await verify(r, adult('吴一', nextId()));
    pay.faults.failNext.unifiedOrder = 1;
    expect(await refusal(r, [{ personId, benefitYear: 2024 }])).toMatchObject({ code: 'PAY_UNAVAILABLE', message: '微信支付暂时不可用，请稍后再试' });
    expect(enrollmentOf(personId)).toMatchObject({ status: 'open', outTradeNo: null });
    const audit = (cloud.store.all('audit_log') as any[]).filter((e) => e.entityId === `${personId}_2024`);
    expect(audit.map((e) => [e.from, e.to, e.reason])).toEqual([
      [null, 'awaiting_payment', expect.stringMatching(/^order HF\d{8}[0-9a-f]{18}$/)],
      ['awaiting_payment', 'open', 'pay order failed'],
    ]);
    const o = await r.data('payment', { action: 'createOrder', items: [{ personId, benefitYear: 2024 }] });
    expect(o.status).toBe('pending');
    expect(enrollmentOf(personId)).toMatchObject({ status: 'awaiting_payment', outTradeNo: o.outTradeNo });
  });

  test('its body, total and time_expire; the order is audited with its item count and total, and its number names the day', async () => {
    const r = await resident('body');
    const a = await verify(r, adult('吴二', nextId()));
    const b = { personId: await addWithDocument(cloud.url, r, { ...adult('吴三', nextId('1949-09-09')), relation: 'parent' }) };
    const o = await r.data('payment', {
      action: 'createOrder',
      items: [
        { personId: a.personId, benefitYear: 2024 },
        { personId: b.personId, benefitYear: 2024 },
      ],
    });
    expect(o.outTradeNo).toMatch(/^HF20231008[0-9a-f]{18}$/);
    expect(pay.order(o.outTradeNo)).toMatchObject({ body: '合肥居民医保2024年度个人缴费', totalFee: 76000, timeExpire: beijingStamp(o.expiresAt) });
    expect((cloud.store.all('audit_log') as any[]).filter((e) => e.entityId === o.outTradeNo)).toEqual([
      expect.objectContaining({ entity: 'order', from: null, to: 'pending', actor: r.openid, reason: '2 item(s), 76000 fen' }),
    ]);
    // Both people claimed for this order, in the order's amounts.
    for (const p of [a, b]) expect(enrollmentOf(p.personId)).toMatchObject({ status: 'awaiting_payment', outTradeNo: o.outTradeNo, amountFen: 38000 });
  });
});
