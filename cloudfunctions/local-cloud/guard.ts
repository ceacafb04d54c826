/**
 * The local cloud's one guard against other origins and unauthenticated development routes.
 *
 * The local cloud listens on loopback, but any web page a developer opens can still send it
 * requests: a cross-origin `text/plain` POST needs no CORS preflight, and a DNS-rebinding page
 * looks same-origin to the browser. So, for every request (`checkRequest`, called first by the
 * server for every path):
 * - the Host header must name this server on loopback (DNS rebinding),
 * - a browser's `Origin`, when present, must be this server's own origin,
 * - a write without an `Authorization` header must be `application/json` (or the SDK's
 *   multipart): the only bodies a page cannot send cross-origin without a preflight, which
 *   the local cloud never grants (it sends no CORS headers).
 *
 * Development routes (`/api/*` except the few the H5 app's residents use, see RESIDENT_ROUTES)
 * reveal or change state (the clock, the pay simulator, the outbox, and whatever simulator
 * route is added later): they need a signed-in staff account's bearer token or the data
 * folder's local token (`Authorization: Bearer <localToken>`, `localToken` in
 * `<data>/keys.json`). New `/api/...` routes are protected by default: add one to
 * RESIDENT_ROUTES only when a resident's own session must reach it (and then bind it to that
 * session in the handler, as /api/pay/confirm does).
 *
 * `/admin` (the CloudBase protocol) takes only requests signed by the SDK with the local token
 * as its `secretKey` (TC3-HMAC-SHA256, the same signature CloudBase checks); the functions get
 * it as TENCENTCLOUD_SECRETKEY, so the unmodified SDK signs with it and nothing else can.
 */
import { createHash, timingSafeEqual } from 'crypto';
import type { IncomingMessage } from 'http';
// The SDK's own signer (a dependency of wx-server-sdk's node-sdk): recomputing the signature with
// the very code that made it keeps the check exact for JSON and multipart bodies alike.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { Signer } = require('@cloudbase/signature-nodejs') as { Signer: new (c: { secretId: string; secretKey: string }, service: string) => { tc3sign: (...a: unknown[]) => { signature: string } } };
import type { Store } from './database/store';
import { HttpError } from './http';

/** The gateway's sessions collection and its key (sha256 of the bearer token). */
const TOKENS = '$tokens';
const tokenKey = (token: string) => createHash('sha256').update(token).digest('hex');

/** `/api/*` routes a resident's own session reaches from the H5 app; every other one is a development route. */
export const RESIDENT_ROUTES: ReadonlyArray<{ method: string; path: string | RegExp }> = [
  { method: 'GET', path: '/api/health' },
  { method: 'POST', path: '/api/auth/login' },
  { method: 'POST', path: /^\/api\/functions\/[^/]+$/ },
  { method: 'POST', path: '/api/storage/upload' },
  // The simulated pay and face-verification sheets: bound to the signed-in caller in the gateway.
  { method: 'POST', path: '/api/pay/confirm' },
  { method: 'POST', path: '/api/identity/verify' },
];

/** Signatures older than this are refused (the SDK signs each request; X-Signature-Expires is 600 s). */
const SIGNATURE_MAX_AGE_S = 600;

export class Guard {
  constructor(
    private readonly store: Store,
    private readonly localToken: string,
    private readonly hosts: () => string[],
  ) {}

  /** Host, Origin and Content-Type checks for every request; throws HttpError 403/415. */
  checkRequest(req: IncomingMessage): void {
    const host = String(req.headers.host ?? '').toLowerCase();
    if (!this.hosts().includes(host)) throw new HttpError(403, 'FORBIDDEN_HOST', '只接受本机地址的请求');
    const origin = req.headers.origin;
    if (origin !== undefined && !this.hosts().some((h) => origin.toLowerCase() === `http://${h}`)) {
      throw new HttpError(403, 'FORBIDDEN_ORIGIN', '不接受其他网站发来的请求');
    }
    const method = req.method ?? 'GET';
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return;
    if (req.headers.authorization) return; // a browser preflights it, and no preflight is granted
    const url = req.url ?? '/';
    // The SDK's upload step PUTs raw bytes to a one-time ticket URL it was given by a signed /admin call.
    if (url.startsWith('/storage/upload/')) return;
    const ct = String(req.headers['content-type'] ?? '').toLowerCase();
    if (ct.startsWith('application/json') || ct.startsWith('multipart/form-data')) return;
    throw new HttpError(415, 'UNSUPPORTED_CONTENT_TYPE', '请求内容须为 JSON');
  }

  /** True when the path is an `/api/*` development route (not one of RESIDENT_ROUTES). */
  static isDevRoute(method: string, path: string): boolean {
    if (!path.startsWith('/api/')) return false;
    return !RESIDENT_ROUTES.some((r) => r.method === method && (typeof r.path === 'string' ? r.path === path : r.path.test(path)));
  }

  /** The bearer token of a request, if any. */
  static bearer(req: IncomingMessage): string | undefined {
    const m = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
    return m ? m[1] : undefined;
  }

  isLocalToken(token: string | undefined): boolean {
    if (!token) return false;
    const a = Buffer.from(token);
    const b = Buffer.from(this.localToken);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /**
   * Development routes: the local token, or a live session of an active staff account (a seeded
   * staff login, or an account bound by invitation). Throws 401 / 403.
   */
  requireDevAccess(req: IncomingMessage): void {
    const token = Guard.bearer(req);
    if (this.isLocalToken(token)) return;
    const s = token ? (this.store.getById(TOKENS, tokenKey(token)) as { openid: string; staff: unknown; expiresAt: number } | undefined) : undefined;
    if (!s || s.expiresAt < Date.now()) throw new HttpError(401, 'UNAUTHENTICATED', '开发接口需要工作人员登录或本地令牌（keys.json 的 localToken）');
    if (s.staff) return;
    if (this.store.hasCollection('staff') && this.store.find('staff', { openid: s.openid, status: 'active' }, { limit: 1 }).length) return;
    throw new HttpError(403, 'DEV_ROUTE_FORBIDDEN', '开发接口仅限工作人员或本地令牌');
  }

  /**
   * `/admin`: the SDK's TC3-HMAC-SHA256 signature over the request, recomputed with the local
   * token as secretKey. `params` is the parsed body (JSON object, or multipart fields and files).
   */
  verifySdkSignature(req: IncomingMessage, params: Record<string, unknown>): void {
    const auth = String(req.headers.authorization ?? '');
    const m = /^TC3-HMAC-SHA256 Credential=([^/]*)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request,(?: SignedParams=([^,]*),)? SignedHeaders=([^,]*), Signature=([0-9a-f]{64})$/.exec(auth);
    const refuse = () => new HttpError(401, 'SIGNATURE_INVALID', '请求签名无效（本地云只接受以 keys.json 的 localToken 签名的 SDK 请求）');
    if (!m) throw refuse();
    const [, secretId, , service, signedParams, signedHeaders, signature] = m;
    const timestamp = Number(req.headers['x-timestamp']);
    if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > SIGNATURE_MAX_AGE_S) throw refuse();
    const headers: Record<string, string> = {};
    for (const h of signedHeaders.split(';')) {
      const v = req.headers[h];
      if (typeof v !== 'string') throw refuse();
      headers[h] = v;
    }
    const url = `http://${req.headers.host}${req.url ?? '/'}`;
    const signer = new Signer({ secretId, secretKey: this.localToken }, service);
    const includeKeys = signedParams ? signedParams.split(';').filter(Boolean) : [];
    const expected = Buffer.from(signature, 'hex');
    for (const method of [String(req.method).toLowerCase(), String(req.method).toUpperCase()]) {
      let got: string;
      try {
        got = signer.tc3sign(method, url, headers, params, timestamp, { withSignedParams: true, includeKeys }).signature;
      } catch {
        throw refuse();
      }
      const g = Buffer.from(got, 'hex');
      if (g.length === expected.length && timingSafeEqual(g, expected)) return;
    }
    throw refuse();
  }
}
