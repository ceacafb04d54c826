/**
 * The local cloud serves the H5 build's JavaScript and CSS compressed (gzip or brotli, as the
 * browser asks; made once per file, see static-cache.test.ts); images are sent as they are, and a
 * client that accepts no encoding gets the plain bytes.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { request } from 'http';
import { tmpdir } from 'os';
import { join } from 'path';
import { brotliDecompressSync, gunzipSync } from 'zlib';
import { startLocalCloud } from '../../cloudfunctions/local-cloud/server';

type Cloud = Awaited<ReturnType<typeof startLocalCloud>>;
let cloud: Cloud;
const staticDir = mkdtempSync(join(tmpdir(), 'hf-static-'));
// Something shaped like a bundle: repetitive, well over the middleware's 1 KB threshold.
const JS = Array.from({ length: 2000 }, (_, i) => `function f${i}(a){return a+${i}}`).join(';\n');
const CSS = Array.from({ length: 800 }, (_, i) => `.hf-c${i}{color:#4e5969;white-space:nowrap}`).join('\n');
const PNG = Buffer.alloc(4096, 7);

beforeAll(async () => {
  mkdirSync(join(staticDir, 'js'));
  mkdirSync(join(staticDir, 'css'));
  writeFileSync(join(staticDir, 'index.html'), '<!DOCTYPE html><html><body><div id="app"></div></body></html>');
  writeFileSync(join(staticDir, 'js', 'app.js'), JS);
  writeFileSync(join(staticDir, 'css', 'app.css'), CSS);
  writeFileSync(join(staticDir, 'logo.png'), PNG);
  cloud = await startLocalCloud({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'hf-cloud-')), staticDir, quiet: true, functionsDir: mkdtempSync(join(tmpdir(), 'hf-fn-')) });
});
afterAll(() => cloud?.close());

/** Raw GET (fetch would decode the body and hide what went over the wire). */
function get(path: string, acceptEncoding?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${cloud.url}${path}`, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('JavaScript with gzip: smaller on the wire, the same bytes once decoded', async () => {
  const r = await get('/js/app.js', 'gzip');
  expect(r.status).toBe(200);
  expect(r.headers['content-encoding']).toBe('gzip');
  expect(r.headers['content-type']).toContain('javascript');
  expect(String(r.headers.vary)).toMatch(/accept-encoding/i);
  expect(r.body.length).toBeLessThan(JS.length / 4);
  expect(gunzipSync(r.body).toString()).toBe(JS);
});

test('CSS with brotli when the browser prefers it', async () => {
  const r = await get('/css/app.css', 'br, gzip');
  expect(r.headers['content-encoding']).toBe('br');
  expect(r.body.length).toBeLessThan(CSS.length / 4);
  expect(brotliDecompressSync(r.body).toString()).toBe(CSS);
});

test('no accepted encoding: plain bytes with their length', async () => {
  const r = await get('/js/app.js');
  expect(r.headers['content-encoding']).toBeUndefined();
  expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(JS));
  expect(r.body.toString()).toBe(JS);
});

test('images are not recompressed', async () => {
  const r = await get('/logo.png', 'gzip, br');
  expect(r.headers['content-encoding']).toBeUndefined();
  expect(r.body.equals(PNG)).toBe(true);
});

test('HEAD of a compressed asset sends no body', async () => {
  const r = await new Promise<{ status: number; encoding?: string; length: number }>((resolve, reject) => {
    const req = request(`${cloud.url}/js/app.js`, { method: 'HEAD', headers: { 'accept-encoding': 'gzip' } }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => (n += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, encoding: res.headers['content-encoding'] as string | undefined, length: n }));
    });
    req.on('error', reject);
    req.end();
  });
  expect(r.status).toBe(200);
  expect(r.length).toBe(0);
});
