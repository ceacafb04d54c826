/**
 * WeChat Pay's rules as the functions meet them, against the local cloud (whose simulated pay
 * enforces them): what the SDK sends (env id a string, the sub-merchant, time_expire), no
 * merchant fallback, no payment after time_expire, no close before 5 minutes.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { startLocalCloud, type LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { addWithDocument, adult, buildOnce, CONSENT, makeId, post, signIn } from './helpers';

jest.setTimeout(120_000);

const START = '2023-10-08T10:00:00+08:00';

interface PayCall {
  api: string;
  data: Record<string, unknown>;
}

async function cloudWith(calls: PayCall[], functionEnv?: Record<string, string>): Promise<LocalCloud> {
  await buildOnce();
  return startLocalCloud({
    port: 0,
    dataDir: mkdtempSync(join(tmpdir(), 'pay-rules-')),
    now: START,
    quiet: true,
    functionEnv,
    onSdkRequest(action, params) {
      if (action !== 'wx.wxPayApi') return;
      const raw = Buffer.isBuffer(params.requestData) ? params.requestData.toString('utf8') : String(params.requestData);
      calls.push({ api: String(params.apiName), data: JSON.parse(raw) });
    },
  });
}

async function readyResident(cloud: LocalCloud, account: string, seq: number) {
  const r = await signIn(cloud.url, account);
  await r.data('resident', CONSENT);
  const personId = await addWithDocument(cloud.url, r, adult('付款人', makeId('340104', '1980-05-05', seq)));
  return { r, personId };
}

describe('pay rules (local cloud configured as deployed)', () => {
  let cloud: LocalCloud;
  const calls: PayCall[] = [];
  beforeAll(async () => {
    cloud = await cloudWith(calls);
  });
  afterAll(async () => cloud?.close());
  const move = (ms: number) => cloud.clock.set(new Date(cloud.clock.now().getTime() + ms));

  test('unifiedOrder carries the env id as a string from the function context, the sub-merchant and time_expire (30 minutes, Beijing time)', async () => {
    const { r, personId } = await readyResident(cloud, 'pr_env', 101);
    const order = await r.data('payment', { action: 'createOrder', items: [{ personId, benefitYear: 2024 }] });
    const sent = calls.filter((c) => c.api === 'unifiedOrder' && c.data.out_trade_no === order.outTradeNo);
    expect(sent).toHaveLength(1);
    expect(typeof sent[0].data.env_id).toBe('string');
    expect(sent[0].data).toMatchObject({ env_id: 'local', sub_mch_id: '1900000109', total_fee: 38000, function_name: 'payCallback', trade_type: 'JSAPI' });
    // expiresAt is the order's 30-minute lifetime; time_expire is the same instant in Beijing time.
    expect(new Date(order.expiresAt).getTime() - new Date(order.createdAt).getTime()).toBe(30 * 60_000);
    const beijing = new Date(new Date(order.expiresAt).getTime() + 8 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
    expect(sent[0].data.time_expire).toBe(beijing);
    expect(cloud.store.getById('$orders', order.outTradeNo)).toMatchObject({ envId: 'local', timeExpire: beijing });
  });

  test('an order past time_expire cannot be paid, and is shown as expired', async () => {
    const { r, personId } = await readyResident(cloud, 'pr_expire', 202);
    const order = await r.data('payment', { action: 'createOrder', items: [{ personId, benefitYear: 2024 }] });
    move(30 * 60_000 + 1000);
    const pay = await post(cloud.url, '/api/pay/confirm', { outTradeNo: order.outTradeNo }, r.token);
    expect(pay.status).toBe(409);
    expect(pay.body.error.code).toBe('ORDER_EXPIRED');
    const q = await r.data('payment', { action: 'queryOrder', outTradeNo: order.outTradeNo });
    expect(q.status).toBe('expired');
    expect(cloud.store.all('payments')).toHaveLength(0);
  });

  test('a close under 5 minutes is not sent to WeChat Pay: the order stays pending, the same people continue it, the close goes out once allowed', async () => {
    const { r, personId } = await readyResident(cloud, 'pr_close', 303);
    const order = await r.data('payment', { action: 'createOrder', items: [{ personId, benefitYear: 2024 }] });
    const closes = () => calls.filter((c) => c.api === 'closeOrder' && c.data.out_trade_no === order.outTradeNo);

    move(4 * 60_000);
    const early = await r.data('payment', { action: 'closeOrder', outTradeNo: order.outTradeNo });
    expect(early.status).toBe('pending');
    expect(closes()).toHaveLength(0);
    expect((cloud.store.getById('$orders', order.outTradeNo) as any).tradeState).toBe('NOTPAY');

    // Back on the pay page for the same person: the same order, with the same prepay.
    const again = await r.data('payment', { action: 'createOrder', items: [{ personId, benefitYear: 2024 }] });
    expect(again.outTradeNo).toBe(order.outTradeNo);
    expect(again.payment.package).toBe(order.payment.package);
    expect(closes()).toHaveLength(0);

    // Leaves again; past 5 minutes the remembered close is sent when the order is next looked at.
    await r.data('payment', { action: 'closeOrder', outTradeNo: order.outTradeNo });
    move(60_000 + 1000);
    const q = await r.data('payment', { action: 'queryOrder', outTradeNo: order.outTradeNo });
    expect(q.status).toBe('closed');
    expect(closes()).toHaveLength(1);
    expect((cloud.store.getById('$orders', order.outTradeNo) as any).tradeState).toBe('CLOSED');
    const fresh = await r.data('payment', { action: 'createOrder', items: [{ personId, benefitYear: 2024 }] });
    expect(fresh.outTradeNo).not.toBe(order.outTradeNo);
  });
});

describe('pay rules: a function without PAY_SUB_MCH_ID', () => {
  let cloud: LocalCloud;
  const calls: PayCall[] = [];
  beforeAll(async () => {
    cloud = await cloudWith(calls, { PAY_SUB_MCH_ID: '' });
  });
  afterAll(async () => cloud?.close());

  test('createOrder stops with CONFIG_MISSING, sends nothing to WeChat Pay and leaves no order holding the person', async () => {
    const { r, personId } = await readyResident(cloud, 'pr_nomch', 404);
    const reply = await r.call('payment', { action: 'createOrder', items: [{ personId, benefitYear: 2024 }] });
    expect(reply).toEqual({ ok: false, error: { code: 'CONFIG_MISSING', message: '系统配置不完整，请联系管理员' } });
    expect(calls.filter((c) => c.api === 'unifiedOrder')).toHaveLength(0);
    expect(cloud.store.all('orders')).toHaveLength(0);
    const home = await r.data('resident', { action: 'home' });
    expect(home.persons[0].status).toBe('not_enrolled');
  });
});
