/**
 * The H5 gateway and function invocation: sign-in, identity only from the token,
 * isolated concurrent callers, errors, uploads, pay confirmation with repeated
 * callback delivery, outbox, clock.
 */
import type { FunctionFailure, LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { getJson, login, post, startFixtureCloud } from './helpers';

jest.setTimeout(60_000);

let lc: LocalCloud;
const failures: FunctionFailure[] = [];

beforeAll(async () => {
  lc = await startFixtureCloud('gateway', {
    functionTimeoutMs: 3_000,
    onFunctionFailure: (f) => failures.push(f),
  });
});

afterAll(async () => {
  await lc?.close();
});

describe('sign-in', () => {
  test('residents sign in without password, with a stable openid per account', async () => {
    const a1 = await login(lc.url, 'zhang_san');
    const a2 = await login(lc.url, 'zhang_san');
    const b = await login(lc.url, 'li_si');
    expect(a1.openid).toBe(a2.openid);
    expect(a1.openid).not.toBe(b.openid);
    expect(a1.openid).toMatch(/^o[A-Za-z0-9_-]{27}$/);
    expect(a1.token).not.toBe(a2.token);
    expect(a1.staff).toBeNull();
    const bad = await post(lc.url, '/api/auth/login', { account: 'x' });
    expect(bad.status).toBe(400);
  });

  test('staff need their password; the staff collection is seeded', async () => {
    const noPass = await post(lc.url, '/api/auth/login', { account: 'sq_district' });
    expect(noPass.status).toBe(401);
    const wrong = await post(lc.url, '/api/auth/login', { account: 'sq_district', password: 'nope' });
    expect(wrong.status).toBe(401);
    const ok = await login(lc.url, 'sq_district', 'Local@2023');
    expect(ok.staff).toEqual({ role: 'district', scope: '蜀山区' });
    const seeded = lc.store.find('staff', { openid: ok.openid });
    expect(seeded).toHaveLength(1);
    expect(seeded[0]).toMatchObject({ role: 'district', scope: '蜀山区' });
  });
});

describe('functions through the gateway', () => {
  test('401 without a valid token, 404 for an unknown function', async () => {
    expect(await post(lc.url, '/api/functions/whoami', {})).toEqual({ status: 401, body: { error: { code: 'UNAUTHENTICATED', message: '请先登录' } } });
    expect((await post(lc.url, '/api/functions/whoami', {}, 'forged')).status).toBe(401);
    const { token } = await login(lc.url, 'wang_wu');
    const r = await post(lc.url, '/api/functions/no_such_fn', {}, token);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('FUNCTION_NOT_FOUND');
  });

  test('the caller is the token; a body cannot choose its openid', async () => {
    const me = await login(lc.url, 'wang_wu');
    const r = await post(lc.url, '/api/functions/whoami', { openid: 'oATTACKER', WX_OPENID: 'oATTACKER', echo: 1 }, me.token);
    expect(r.status).toBe(200);
    expect(r.body.result).toMatchObject({ openid: me.openid, appid: expect.any(String), echo: 1, env: 'local', hasKeys: true });
    expect(r.body.result.now.slice(0, 13)).toBe('2023-10-08T02');
  });

  test('concurrent callers are isolated (each sees its own openid)', async () => {
    const a = await login(lc.url, 'caller_a');
    const b = await login(lc.url, 'caller_b');
    const calls = await Promise.all([
      post(lc.url, '/api/functions/whoami', { delayMs: 300 }, a.token),
      post(lc.url, '/api/functions/whoami', { delayMs: 300 }, b.token),
      post(lc.url, '/api/functions/whoami', { delayMs: 100 }, a.token),
      post(lc.url, '/api/functions/whoami', { delayMs: 200 }, b.token),
    ]);
    const expected = [a.openid, b.openid, a.openid, b.openid];
    calls.forEach((c, i) => {
      expect(c.status).toBe(200);
      expect(c.body.result.openidBefore).toBe(expected[i]);
      expect(c.body.result.openid).toBe(expected[i]);
    });
    // Concurrent invocations ran in different processes.
    expect(new Set(calls.map((c) => c.body.result.pid)).size).toBeGreaterThan(1);
  });

  test('a nested cloud.callFunction has no user context', async () => {
    const a = await login(lc.url, 'nester');
    const r = await post(lc.url, '/api/functions/callee_caller', { echo: 'x' }, a.token);
    expect(r.body.result.self).toBe(a.openid);
    expect(r.body.result.inner).toMatchObject({ echo: 'x', openid: null });
  });

  test('a thrown error, a crash and a timeout are 500 FUNCTION_ERROR; the pool recovers', async () => {
    const { token } = await login(lc.url, 'crasher');
    const expected = { status: 500, body: { error: { code: 'FUNCTION_ERROR', message: '服务暂时不可用，请稍后再试' } } };
    expect(await post(lc.url, '/api/functions/crash', { mode: 'throw' }, token)).toEqual(expected);
    expect(await post(lc.url, '/api/functions/crash', { mode: 'exit' }, token)).toEqual(expected);
    expect(await post(lc.url, '/api/functions/crash', { mode: 'reject' }, token)).toEqual(expected);
    expect(await post(lc.url, '/api/functions/slow', { ms: 10_000 }, token)).toEqual(expected);
    expect((await post(lc.url, '/api/functions/slow', { ms: 10 }, token)).body).toEqual({ result: { done: true } });
    // The client learns nothing more; the local cloud reports which function failed and how
    // (a 1,000,000-row bench run once failed with nothing else to go on), never the message.
    expect(failures.splice(0)).toEqual([
      { name: 'crash', kind: 'error', source: 'wx_client' },
      { name: 'crash', kind: 'crash', source: 'wx_client' },
      // An unhandled rejection ends the worker process, as in Node.
      { name: 'crash', kind: 'crash', source: 'wx_client' },
      { name: 'slow', kind: 'timeout', source: 'wx_client' },
    ]);
  });

  test('the clock: GET/POST /api/clock and LOCAL_CLOUD_NOW in invocations', async () => {
    const { token } = await login(lc.url, 'timer');
    const set = await post(lc.url, '/api/clock', { now: '2024-12-31T23:59:00+08:00' });
    expect(set.body.now.slice(0, 16)).toBe('2024-12-31T15:59');
    const r = await post(lc.url, '/api/functions/whoami', {}, token);
    expect(r.body.result.now.slice(0, 16)).toBe('2024-12-31T15:59');
    expect(Math.abs(Date.now() + r.body.result.offsetMs - Date.parse('2024-12-31T15:59:00Z'))).toBeLessThan(10_000);
    const got = await getJson(`${lc.url}/api/clock`);
    expect(got.now.slice(0, 16)).toBe('2024-12-31T15:59');
    expect((await post(lc.url, '/api/clock', { now: 'yesterday' })).status).toBe(400);
  });
});

describe('storage upload through the gateway', () => {
  test('records the owner; 10 MB cap', async () => {
    const me = await login(lc.url, 'uploader');
    const form = new FormData();
    form.append('cloudPath', 'id-docs/uploader/front.jpg');
    form.append('file', new Blob([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], { type: 'image/jpeg' }), 'front.jpg');
    const res = await fetch(`${lc.url}/api/storage/upload`, { method: 'POST', headers: { authorization: `Bearer ${me.token}` }, body: form });
    expect(res.status).toBe(200);
    const { fileID } = (await res.json()) as any;
    expect(fileID).toBe('cloud://local.local-bucket/id-docs/uploader/front.jpg');
    expect(lc.store.getById('$files', fileID)).toMatchObject({ owner: me.openid, size: 7, contentType: 'image/jpeg' });

    const big = new FormData();
    big.append('cloudPath', 'id-docs/uploader/big.pdf');
    big.append('file', new Blob([Buffer.alloc(10 * 1024 * 1024 + 1)], { type: 'application/pdf' }), 'big.pdf');
    const tooBig = await fetch(`${lc.url}/api/storage/upload`, { method: 'POST', headers: { authorization: `Bearer ${me.token}` }, body: big });
    expect(tooBig.status).toBe(413);

    const anon = await fetch(`${lc.url}/api/storage/upload`, { method: 'POST', body: form });
    expect(anon.status).toBe(401);
  });
});

describe('pay', () => {
  test('order from a function, confirm by the payer, callback delivered, redelivered', async () => {
    const payer = await login(lc.url, 'payer_one');
    const other = await login(lc.url, 'payer_two');
    const placed = await post(lc.url, '/api/functions/pay_order', { outTradeNo: 'GW-ORDER-1', totalFee: 38000 }, payer.token);
    expect(placed.body.result).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'SUCCESS' });

    const before = await getJson(`${lc.url}/api/pay/orders/GW-ORDER-1`);
    expect(before.order).toMatchObject({ tradeState: 'NOTPAY', totalFee: 38000, deliveries: [] });

    expect((await post(lc.url, '/api/pay/confirm', { outTradeNo: 'GW-ORDER-1' }, other.token)).status).toBe(403);
    expect((await post(lc.url, '/api/pay/confirm', { outTradeNo: 'GW-ORDER-1' })).status).toBe(401);

    const confirmed = await post(lc.url, '/api/pay/confirm', { outTradeNo: 'GW-ORDER-1' }, payer.token);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.delivery.ok).toBe(true);
    expect(confirmed.body.order).toMatchObject({ tradeState: 'SUCCESS', transactionId: expect.stringMatching(/^4200\d{24}$/), timeEnd: expect.stringMatching(/^\d{14}$/) });
    expect((await post(lc.url, '/api/pay/confirm', { outTradeNo: 'GW-ORDER-1' }, payer.token)).status).toBe(409);

    const again = await post(lc.url, '/api/pay/redeliver', { outTradeNo: 'GW-ORDER-1' });
    expect(again.body.delivery.ok).toBe(true);

    const events = lc.store.find('fixture_pay_events', {});
    expect(events).toHaveLength(2);
    for (const { event } of events) {
      expect(event).toMatchObject({
        returnCode: 'SUCCESS',
        resultCode: 'SUCCESS',
        outTradeNo: 'GW-ORDER-1',
        transactionId: confirmed.body.order.transactionId,
        totalFee: 38000,
        cashFee: 38000,
        subOpenid: payer.openid,
        timeEnd: confirmed.body.order.timeEnd,
      });
    }
    const after = await getJson(`${lc.url}/api/pay/orders/GW-ORDER-1`);
    expect(after.order.deliveries.map((d: any) => d.ok)).toEqual([true, true]);
  });

  test('a callback reply other than {errcode: 0} is recorded as a failed delivery', async () => {
    const payer = await login(lc.url, 'payer_three');
    await post(lc.url, '/api/functions/pay_order', { outTradeNo: 'GW-ORDER-2', totalFee: 100, callback: 'pay_callback_fails' }, payer.token);
    const confirmed = await post(lc.url, '/api/pay/confirm', { outTradeNo: 'GW-ORDER-2' }, payer.token);
    expect(confirmed.body.delivery.ok).toBe(false);
    const state = await getJson(`${lc.url}/api/pay/orders/GW-ORDER-2`);
    expect(state.order.tradeState).toBe('SUCCESS');
    expect(state.order.deliveries).toEqual([expect.objectContaining({ ok: false })]);
  });
});

describe('outbox', () => {
  test('functions post subscribe messages to /internal/outbox; GET /api/outbox lists them', async () => {
    const me = await login(lc.url, 'notified');
    const r = await post(lc.url, '/api/functions/notify', { text: '缴费成功' }, me.token);
    expect(r.body.result.ok).toBe(true);
    const list = await getJson(`${lc.url}/api/outbox?touser=${me.openid}`);
    expect(list.items).toEqual([
      expect.objectContaining({ touser: me.openid, templateId: 'TPL_PAY_OK', page: 'pages/index/index', data: { thing1: { value: '缴费成功' } } }),
    ]);
  });
});

test('health', async () => {
  const h = await getJson(`${lc.url}/api/health`);
  expect(h.ok).toBe(true);
});

describe('face verification (simulated 微信人脸核身)', () => {
  const md5 = (s: string) => require('crypto').createHash('md5').update(s, 'utf8').digest('hex');
  const secret = () => JSON.parse(require('fs').readFileSync(require('path').join(lc.dataDir, 'keys.json'), 'utf8')).wxAppSecret as string;
  const token = async () => (await post(lc.url, '/wxapi/cgi-bin/stable_token', { grant_type: 'client_credential', appid: 'wxlocal0000000000', secret: secret() })).body.access_token as string;
  const getinfo = async (accessToken: string, verifyResult: string) =>
    (await post(lc.url, `/wxapi/cityservice/face/identify/getinfo?access_token=${encodeURIComponent(accessToken)}`, { verify_result: verifyResult })).body;

  test('the sheet needs a signed-in account and a name, an 18-character number and the outcome', async () => {
    expect((await post(lc.url, '/api/identity/verify', { name: '张三', idNumber: '11010519491231002X', pass: true })).status).toBe(401);
    const a = await login(lc.url, 'face_a');
    expect((await post(lc.url, '/api/identity/verify', { name: '张三', idNumber: '123', pass: true }, a.token)).status).toBe(400);
    expect((await post(lc.url, '/api/identity/verify', { name: '张三', idNumber: '11010519491231002X' }, a.token)).status).toBe(400);
  });

  test("WeChat's API on loopback: stable_token checks the secret; getinfo answers once, for the sheet's openid, with md5 digests", async () => {
    expect((await post(lc.url, '/wxapi/cgi-bin/stable_token', { grant_type: 'client_credential', appid: 'wxlocal0000000000', secret: 'wrong' })).body.errcode).toBe(40125);
    expect(await getinfo('not-a-token', 'x')).toMatchObject({ errcode: 40001 });
    const a = await login(lc.url, 'face_b');
    const { verifyResult } = (await post(lc.url, '/api/identity/verify', { name: '张三', idNumber: '11010519491231002x', pass: true }, a.token)).body;
    const t = await token();
    const info = await getinfo(t, verifyResult);
    expect(info).toEqual({
      errcode: 0,
      errmsg: 'ok',
      identify_ret: 0,
      identify_time: expect.any(Number),
      validate_data: '',
      openid: a.openid,
      user_id_key: '',
      id_card_number_md5: md5('11010519491231002X'),
      name_utf8_md5: md5('张三'),
    });
    expect(await getinfo(t, verifyResult)).toMatchObject({ errcode: 84001 });
    const failed = (await post(lc.url, '/api/identity/verify', { name: '张三', idNumber: '11010519491231002X', pass: false }, a.token)).body.verifyResult;
    expect(await getinfo(t, failed)).toMatchObject({ errcode: 0, identify_ret: 10001 });
    // Nothing plain is kept of the claim.
    expect(JSON.stringify(lc.store.all('$face_verifications'))).not.toMatch(/张三|11010519491231002X/);
  });

  test('a verify_result expires after 30 minutes of the local clock', async () => {
    const a = await login(lc.url, 'face_c');
    const { verifyResult } = (await post(lc.url, '/api/identity/verify', { name: '张三', idNumber: '11010519491231002X', pass: true }, a.token)).body;
    await post(lc.url, '/api/clock', { now: new Date(lc.clock.now().getTime() + 31 * 60_000).toISOString() });
    expect(await getinfo(await token(), verifyResult)).toMatchObject({ errcode: 84001 });
  });
});
