/**
 * The local cloud's guard (cloudfunctions/local-cloud/guard.ts) and the hardening around it:
 * other origins and simple cross-origin bodies refused, /admin only for requests the SDK signed
 * with the data folder's local token, development routes only for staff or the local token
 * (new /api routes included), bodies nested thousands of levels deep answered 400 without
 * harming the process, uploads never rendered on the app's origin, the moved clock kept across
 * a restart.
 */
import { createServer, request, type IncomingMessage } from 'http';
import type { AddressInfo } from 'net';
import { Guard } from '../../cloudfunctions/local-cloud/guard';
import { HttpError } from '../../cloudfunctions/local-cloud/http';
import { readFileSync } from 'fs';
import { join } from 'path';
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { login, startFixtureCloud } from './helpers';

process.env.TENCENTCLOUD = 'true';
process.env.SILENCE = 'true';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const cloud: any = require('wx-server-sdk');

jest.setTimeout(60_000);

let lc: LocalCloud;
beforeAll(async () => {
  lc = await startFixtureCloud('guard');
});
afterAll(async () => {
  await lc?.close();
});

/** A raw request (fetch cannot set Host or Origin). */
function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: lc.port, method, path, headers: { ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const staffCount = () => lc.store.find('staff', {}).length;
/** What a web page could send: the CloudBase protocol's insert of a city account. */
const forgedInsert = JSON.stringify({ action: 'database.insertDocument', collectionName: 'staff', data: [JSON.stringify({ openid: 'oEVIL', role: 'city', status: 'active' })] });

describe('other origins', () => {
  test('a cross-origin text/plain POST to /admin writes nothing (403), with or without an Origin', async () => {
    const before = staffCount();
    const fromPage = await raw('POST', '/admin', { 'content-type': 'text/plain;charset=UTF-8', origin: 'http://evil.example' }, forgedInsert);
    expect(fromPage.status).toBe(403);
    expect(JSON.parse(fromPage.body).error.code).toBe('FORBIDDEN_ORIGIN');
    const noOrigin = await raw('POST', '/admin', { 'content-type': 'text/plain;charset=UTF-8' }, forgedInsert);
    expect(noOrigin.status).toBe(415);
    // JSON (which a page cannot send cross-origin without a preflight) but unsigned: refused too.
    const unsigned = await raw('POST', '/admin', { 'content-type': 'application/json' }, forgedInsert);
    expect(unsigned.status).toBe(401);
    expect(JSON.parse(unsigned.body).error.code).toBe('SIGNATURE_INVALID');
    expect(staffCount()).toBe(before);
  });

  test('a DNS-rebinding page (another Host) is refused even for GET', async () => {
    const r = await raw('GET', '/api/health', { host: `evil.example:${lc.port}` });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error.code).toBe('FORBIDDEN_HOST');
    expect((await raw('GET', '/api/health', {})).status).toBe(200);
  });

  test('the app on its own origin still signs in; a login form posted from another site does not', async () => {
    const own = await raw('POST', '/api/auth/login', { 'content-type': 'application/json', origin: lc.url }, JSON.stringify({ account: 'same_origin' }));
    expect(own.status).toBe(200);
    const form = await raw('POST', '/api/auth/login', { 'content-type': 'application/x-www-form-urlencoded' }, 'account=csrf_victim');
    expect(form.status).toBe(415);
  });
});

describe('/admin takes only the SDK signed with the local token', () => {
  test('the SDK with another secretKey is refused; with the local token it works', async () => {
    const wrong = cloud.createNewInstance({ env: 'local', serviceUrl: `${lc.url}/admin`, secretId: 'local', secretKey: 'local', timeout: 10_000 });
    const before = staffCount();
    let refused: any;
    try {
      await wrong.database().collection('staff').add({ data: { openid: 'oEVIL2', role: 'city' } });
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeDefined();
    expect(staffCount()).toBe(before);
    const right = cloud.createNewInstance({ env: 'local', serviceUrl: `${lc.url}/admin`, secretId: 'local', secretKey: lc.localToken, timeout: 10_000 });
    const { _id } = await right.database().collection('things').add({ data: { ok: 1 } });
    expect(lc.store.getById('things', _id)).toMatchObject({ ok: 1 });
    // The token is the data folder's own.
    expect(JSON.parse(readFileSync(join(lc.dataDir, 'keys.json'), 'utf8')).localToken).toBe(lc.localToken);
  });

  test('the signature covers the body: the same signed request with another body, or checked with another token, fails', async () => {
    // Capture what the SDK sends (a listener that answers like the cloud), then check it with the guard.
    let captured: { method: string; url: string; headers: Record<string, string>; body: string } | undefined;
    const spy = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        captured = { method: req.method!, url: req.url!, headers: req.headers as Record<string, string>, body };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ requestId: 'x', data: { _id: 'spy', id: 'spy' } }));
      });
    });
    await new Promise<void>((r) => spy.listen(0, '127.0.0.1', () => r()));
    const host = `127.0.0.1:${(spy.address() as AddressInfo).port}`;
    const sdk = cloud.createNewInstance({ env: 'local', serviceUrl: `http://${host}/admin`, secretId: 'local', secretKey: lc.localToken, timeout: 10_000 });
    await sdk.database().collection('things').add({ data: { harmless: 1 } }).catch(() => undefined);
    spy.close();
    expect(captured).toBeDefined();
    const req = { method: captured!.method, url: captured!.url, headers: captured!.headers } as unknown as IncomingMessage;
    const params = JSON.parse(captured!.body);
    const guard = (token: string) => new Guard(lc.store, token, () => [host]);
    expect(() => guard(lc.localToken).verifySdkSignature(req, params)).not.toThrow();
    const tampered = { ...params, data: String(params.data).replace('harmless', 'tampered') };
    expect(() => guard(lc.localToken).verifySdkSignature(req, tampered)).toThrow(HttpError);
    expect(() => guard('another-folder-token').verifySdkSignature(req, params)).toThrow(HttpError);
  });
});

describe('development routes', () => {
  // Every row has a body (null for a GET): a row shorter than the test's parameters would make jest pass `done`.
  const devRoutes: Array<[string, string, unknown]> = [
    ['GET', '/api/clock', null],
    ['POST', '/api/clock', { now: '2030-01-01T00:00:00+08:00' }],
    ['GET', '/api/outbox', null],
    ['POST', '/api/pay/redeliver', { outTradeNo: 'NONE' }],
    ['GET', '/api/pay/orders/NONE', null],
    // A simulator route added later is protected without touching the guard.
    ['POST', '/api/some-future-simulator/reset', {}],
  ];

  test.each(devRoutes)('%s %s: 401 anonymous, 403 for a resident', async (method, path, body) => {
    const resident = await login(lc.url, 'plain_resident');
    const send = (token?: string) =>
      fetch(`${lc.url}${path}`, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === null ? undefined : JSON.stringify(body) });
    const anon = await send();
    expect(anon.status).toBe(401);
    const res = await send(resident.token);
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error.code).toBe('DEV_ROUTE_FORBIDDEN');
  });

  test('staff and the local token reach them; the clock did not move for the refused calls', async () => {
    const before = lc.clock.now().getTime();
    expect(Math.abs(lc.clock.now().getTime() - before)).toBeLessThan(5_000);
    const staff = await login(lc.url, 'sq_worker', 'Local@2023');
    const byStaff = await fetch(`${lc.url}/api/outbox`, { headers: { authorization: `Bearer ${staff.token}` } });
    expect(byStaff.status).toBe(200);
    const byToken = await fetch(`${lc.url}/api/clock`, { headers: { authorization: `Bearer ${lc.localToken}` } });
    expect(byToken.status).toBe(200);
    expect(Math.abs(Date.parse(((await byToken.json()) as any).now) - Date.parse('2023-10-08T10:00+08:00'))).toBeLessThan(10 * 60_000);
  });

  test("the residents' routes keep working for a resident session", async () => {
    const me = await login(lc.url, 'h5_resident');
    const r = await fetch(`${lc.url}/api/functions/whoami`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${me.token}` }, body: '{}' });
    expect(r.status).toBe(200);
    const sheet = await fetch(`${lc.url}/api/identity/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${me.token}` },
      body: JSON.stringify({ name: '张三', idNumber: '11010519491231002X', pass: true }),
    });
    expect(sheet.status).toBe(200);
  });
});

describe('hostile bodies', () => {
  test('a body nested 5,000 levels deep is a 400 TOO_DEEP, and the local cloud keeps serving', async () => {
    const me = await login(lc.url, 'deep_resident');
    let nested = '1';
    for (let i = 0; i < 5000; i++) nested = `{"a":${nested}}`;
    const r = await fetch(`${lc.url}/api/functions/whoami`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${me.token}` }, body: `{"x":${nested}}` });
    expect(r.status).toBe(400);
    expect(((await r.json()) as any).error.code).toBe('TOO_DEEP');
    const arrays = '['.repeat(5000) + ']'.repeat(5000);
    expect((await fetch(`${lc.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: arrays })).status).toBe(400);
    expect((await fetch(`${lc.url}/api/health`)).status).toBe(200);
    const ok = await fetch(`${lc.url}/api/functions/whoami`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${me.token}` }, body: '{}' });
    expect(ok.status).toBe(200);
  });

  test('a body over the limit is a 413', async () => {
    const me = await login(lc.url, 'big_resident');
    const r = await fetch(`${lc.url}/api/functions/whoami`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${me.token}` }, body: JSON.stringify({ s: 'x'.repeat(6 * 1024 * 1024) }) });
    expect(r.status).toBe(413);
  });
});

describe('uploads on the app origin', () => {
  async function uploadAndFetch(cloudPath: string, bytes: Buffer, type: string) {
    const me = await login(lc.url, 'uploader');
    const form = new FormData();
    form.append('cloudPath', cloudPath);
    form.append('file', new Blob([bytes], { type }), cloudPath.split('/').pop()!);
    const up = await fetch(`${lc.url}/api/storage/upload`, { method: 'POST', headers: { authorization: `Bearer ${me.token}` }, body: form });
    return ((await up.json()) as { fileID: string }).fileID;
  }

  test('HTML is an attachment with nosniff; a JPEG is inline with nosniff', async () => {
    const sdk = cloud.createNewInstance({ env: 'local', serviceUrl: `${lc.url}/admin`, secretId: 'local', secretKey: lc.localToken, timeout: 10_000 });
    const html = await uploadAndFetch('uploads/page.html', Buffer.from('<script>alert(localStorage.token)</script>'), 'text/html');
    const jpeg = await uploadAndFetch('uploads/photo.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'image/jpeg');
    const { fileList } = await sdk.getTempFileURL({ fileList: [html, jpeg] });
    const [h, j] = await Promise.all(fileList.map((f: any) => fetch(f.tempFileURL)));
    expect(h.status).toBe(200);
    expect(h.headers.get('x-content-type-options')).toBe('nosniff');
    expect(h.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(h.headers.get('content-security-policy')).toContain('sandbox');
    expect(j.headers.get('x-content-type-options')).toBe('nosniff');
    expect(j.headers.get('content-disposition')).toBe('inline');
  });
});

describe('the clock is saved in the data folder', () => {
  test('a restart without --now keeps the moved clock; --now overrides it', async () => {
    const { startLocalCloud } = await import('../../cloudfunctions/local-cloud/server');
    const first = await startFixtureCloud('clock');
    const moved = await fetch(`${first.url}/api/clock`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${first.localToken}` }, body: JSON.stringify({ now: '2024-05-01T10:00:00+08:00' }) });
    expect(moved.status).toBe(200);
    const dataDir = first.dataDir;
    await first.close();
    const again = await startLocalCloud({ port: 0, dataDir, quiet: true, functionsDir: join(__dirname, 'fixtures'), indexesFile: join(dataDir, 'indexes.test.json') });
    try {
      expect(Math.abs(again.clock.now().getTime() - Date.parse('2024-05-01T10:00:00+08:00'))).toBeLessThan(60_000);
    } finally {
      await again.close();
    }
    // npm start's default applies only to a folder without a saved clock.
    const withDefault = await startLocalCloud({ port: 0, dataDir, quiet: true, defaultNow: '2023-10-08T10:00+08:00', functionsDir: join(__dirname, 'fixtures'), indexesFile: join(dataDir, 'indexes.test.json') });
    try {
      expect(Math.abs(withDefault.clock.now().getTime() - Date.parse('2024-05-01T10:00:00+08:00'))).toBeLessThan(60_000);
    } finally {
      await withDefault.close();
    }
    const overridden = await startLocalCloud({ port: 0, dataDir, quiet: true, now: '2025-01-01T00:00:00+08:00', functionsDir: join(__dirname, 'fixtures'), indexesFile: join(dataDir, 'indexes.test.json') });
    try {
      expect(Math.abs(overridden.clock.now().getTime() - Date.parse('2025-01-01T00:00:00+08:00'))).toBeLessThan(60_000);
    } finally {
      await overridden.close();
    }
  });
});
