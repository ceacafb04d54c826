/**
 * Caching of the H5 build by the local cloud's static server (issue 15), as the real static
 * hosting / CDN does: hashed assets are immutable for a year (a warm visit downloads no script),
 * index.html and the SPA fallback are revalidated every time (ETag → 304 without a body), and
 * compressed text is made once per file version, not per request.
 */
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'fs';
import { request } from 'http';
import { tmpdir } from 'os';
import { join } from 'path';
import { startLocalCloud } from '../../cloudfunctions/local-cloud/server';

// The module object itself (server.ts's named imports read from it), so a spy sees its calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const zlib = require('zlib') as typeof import('zlib');

type Cloud = Awaited<ReturnType<typeof startLocalCloud>>;
let cloud: Cloud;
const staticDir = mkdtempSync(join(tmpdir(), 'hf-static-cache-'));
const JS = Array.from({ length: 2000 }, (_, i) => `function g${i}(a){return a*${i}}`).join(';\n');
const HTML = '<!DOCTYPE html><html><head><script defer src="/js/app.5ec6aaff.js"></script></head><body><div id="app"></div></body></html>';
const IMMUTABLE = 'public, max-age=31536000, immutable';

beforeAll(async () => {
  mkdirSync(join(staticDir, 'js'));
  mkdirSync(join(staticDir, 'css'));
  mkdirSync(join(staticDir, 'static'));
  writeFileSync(join(staticDir, 'index.html'), HTML);
  writeFileSync(join(staticDir, 'js', 'app.5ec6aaff.js'), JS);
  writeFileSync(join(staticDir, 'css', 'app.21b9e87b.css'), '.a{color:red}');
  writeFileSync(join(staticDir, 'js', 'plain.js'), JS);
  writeFileSync(join(staticDir, 'static', 'logo.0a1b2c3d.png'), Buffer.alloc(2048, 3));
  cloud = await startLocalCloud({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'hf-cloud-')), staticDir, quiet: true, functionsDir: mkdtempSync(join(tmpdir(), 'hf-fn-')) });
});
afterAll(() => cloud?.close());

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

function get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${cloud.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('hashed scripts, styles and images are immutable for a year', async () => {
  for (const path of ['/js/app.5ec6aaff.js', '/css/app.21b9e87b.css', '/static/logo.0a1b2c3d.png']) {
    const r = await get(path, { 'accept-encoding': 'gzip' });
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe(IMMUTABLE);
  }
});

test('index.html, an app route and an unhashed file are revalidated (no-cache) with an ETag', async () => {
  for (const path of ['/', '/index.html', '/pages/quote/index', '/js/plain.js']) {
    const r = await get(path);
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.headers.etag).toMatch(/^"[\w-]+"$/);
  }
  expect((await get('/')).body.toString()).toBe(HTML);
});

test('an unchanged index.html costs a 304 without a body; a changed one is sent again', async () => {
  const first = await get('/');
  const etag = String(first.headers.etag);
  const again = await get('/', { 'if-none-match': etag, 'accept-encoding': 'gzip' });
  expect(again.status).toBe(304);
  expect(again.body.length).toBe(0);
  expect(again.headers['cache-control']).toBe('no-cache');
  expect(again.headers.etag).toBe(etag);
  // Another ETag (another deployment's page): the page itself.
  expect((await get('/', { 'if-none-match': '"old"' })).status).toBe(200);

  // A new build writes a new index.html: new ETag, new bytes.
  const file = join(staticDir, 'index.html');
  writeFileSync(file, HTML.replace('app.5ec6aaff', 'app.11111111'));
  utimesSync(file, new Date(), new Date(Date.now() + 5000));
  const changed = await get('/', { 'if-none-match': etag });
  expect(changed.status).toBe(200);
  expect(changed.headers.etag).not.toBe(etag);
  expect(changed.body.toString()).toContain('app.11111111');
});

test('text is gzipped once per file, not per request', async () => {
  const gzip = jest.spyOn(zlib, 'gzipSync');
  try {
    const a = await get('/js/app.5ec6aaff.js', { 'accept-encoding': 'gzip, deflate' });
    const b = await get('/js/app.5ec6aaff.js', { 'accept-encoding': 'gzip, deflate' });
    expect(a.headers['content-encoding']).toBe('gzip');
    expect(String(a.headers.vary)).toMatch(/accept-encoding/i);
    expect(b.body.equals(a.body)).toBe(true);
    expect(zlib.gunzipSync(b.body).toString()).toBe(JS);
    // At most the first request compressed (an earlier test may already have).
    expect(gzip.mock.calls.length).toBeLessThanOrEqual(1);
    for (let i = 0; i < 3; i++) await get('/js/app.5ec6aaff.js', { 'accept-encoding': 'gzip' });
    expect(gzip.mock.calls.length).toBeLessThanOrEqual(1);
  } finally {
    gzip.mockRestore();
  }
});

test('q=0 refuses an encoding', async () => {
  const r = await get('/js/app.5ec6aaff.js', { 'accept-encoding': 'gzip;q=0, identity' });
  expect(r.headers['content-encoding']).toBeUndefined();
  expect(r.body.toString()).toBe(JS);
});
