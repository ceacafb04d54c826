/**
 * The identity port against a fake of WeChat's API: the stable token is reused, refreshed once
 * when WeChat says it expired, errcodes about the verify_result are an answer (not passed), any
 * other errcode is no answer (IDENTITY_UNAVAILABLE), a missing secret stops it (CONFIG_MISSING).
 */
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';

let server: Server;
let base: string;
const seen: Array<{ path: string; body: any }> = [];
let getinfoReplies: any[] = [];
let tokenNo = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : {};
      const path = (req.url ?? '').split('?')[0];
      seen.push({ path: req.url ?? '', body });
      res.setHeader('content-type', 'application/json');
      if (path === '/cgi-bin/stable_token') res.end(JSON.stringify({ access_token: `token-${++tokenNo}`, expires_in: 7200 }));
      else res.end(JSON.stringify(getinfoReplies.shift() ?? { errcode: -1, errmsg: 'system error' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const saved = { ...process.env };
beforeEach(() => {
  jest.resetModules();
  seen.length = 0;
  process.env.IDENTITY_API_BASE = base;
  process.env.WX_APPID = 'wxtest';
  process.env.WX_APPSECRET = 'secret';
});
afterEach(() => {
  process.env = { ...saved };
});

const port = () => require('../../cloudfunctions/src/platform/identity').identityPort as typeof import('../../cloudfunctions/src/platform/identity').identityPort;
const passed = { errcode: 0, errmsg: 'ok', identify_ret: 0, identify_time: 1696730400, openid: 'oCaller', id_card_number_md5: 'ABC', name_utf8_md5: 'DEF' };

test('a passed verification, with one stable token for two calls', async () => {
  getinfoReplies = [passed, { ...passed, identify_ret: 10001 }];
  const p = port();
  expect(await p.faceResult('vr1')).toEqual({ ok: true, openid: 'oCaller', idCardNumberMd5: 'abc', nameUtf8Md5: 'def', identifyTime: 1696730400 });
  expect((await p.faceResult('vr2')).ok).toBe(false);
  expect(seen.filter((s) => s.path === '/cgi-bin/stable_token')).toHaveLength(1);
  expect(seen[0].body).toEqual({ grant_type: 'client_credential', appid: 'wxtest', secret: 'secret', force_refresh: false });
  expect(seen[1]).toEqual({ path: expect.stringMatching(/^\/cityservice\/face\/identify\/getinfo\?access_token=token-\d+$/), body: { verify_result: 'vr1' } });
});

test('an expired token is refreshed once (force_refresh) and the call repeated', async () => {
  getinfoReplies = [{ errcode: 42001, errmsg: 'access_token expired' }, passed];
  expect((await port().faceResult('vr')).ok).toBe(true);
  const tokens = seen.filter((s) => s.path === '/cgi-bin/stable_token');
  expect(tokens.map((t) => t.body.force_refresh)).toEqual([false, true]);
});

test('an unknown or used verify_result is an answer: not passed', async () => {
  getinfoReplies = [{ errcode: 84001, errmsg: 'invalid verify_result' }];
  expect((await port().faceResult('vr')).ok).toBe(false);
});

test('any other errcode is no answer: IDENTITY_UNAVAILABLE', async () => {
  getinfoReplies = [{ errcode: -1, errmsg: 'system error' }];
  await expect(port().faceResult('vr')).rejects.toMatchObject({ code: 'IDENTITY_UNAVAILABLE' });
});

test('without the secret: not available, and a call stops with CONFIG_MISSING', async () => {
  delete process.env.WX_APPSECRET;
  const p = port();
  expect(p.faceAvailable()).toBe(false);
  await expect(p.faceResult('vr')).rejects.toMatchObject({ code: 'CONFIG_MISSING' });
  expect(seen).toHaveLength(0);
});
