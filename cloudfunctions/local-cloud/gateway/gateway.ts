/**
 * The HTTP gateway of the H5 client. The caller's identity comes only from the
 * bearer token of a local sign-in, never from a request body.
 */
import { createHash, createHmac, randomBytes, scryptSync, timingSafeEqual } from 'crypto';
import type { IncomingMessage, ServerResponse } from 'http';
import { existsSync, readFileSync } from 'fs';
import type { Clock } from '../clock';
import { newId, Store } from '../database/store';
import { FunctionRunner } from '../functions/pool';
import { HttpError, readJson, readMultipart, sendError, sendJson } from '../http';
import { Identity } from '../identity/identity';
import { Pay, PayError, publicOrder } from '../pay/pay';
import { guessContentType, Storage } from '../storage/storage';

export const TOKENS = '$tokens';
export const OUTBOX = '$outbox';
const TOKEN_TTL_MS = 12 * 3600 * 1000;
export const GATEWAY_UPLOAD_CAP = 10 * 1024 * 1024;
const ACCOUNT_RE = /^[A-Za-z0-9_]{2,32}$/;

export interface StaffSeed {
  account: string;
  name: string;
  role: string;
  scope: unknown;
  /** The organisation in seed/organisations.json (issue 11). */
  orgId?: string;
  passwordHash: string;
}

interface Session {
  _id: string; // sha256 of the token
  openid: string;
  account: string;
  displayName: string;
  staff: { role: string; scope: unknown } | null;
  expiresAt: number;
}

export function loadStaffSeed(file: string): StaffSeed[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8'));
  return (Array.isArray(parsed) ? parsed : parsed.staff) as StaffSeed[];
}

/** seed/organisations.json (issue 11); none when the file is missing. */
export function loadOrganisationSeed(file: string): Array<Record<string, unknown> & { _id: string }> {
  if (!existsSync(file)) return [];
  return JSON.parse(readFileSync(file, 'utf8')).organisations;
}

function verifyPassword(password: string, stored: string): boolean {
  const [alg, n, r, p, saltHex, hashHex] = stored.split('$');
  if (alg !== 'scrypt') return false;
  const expected = Buffer.from(hashHex, 'hex');
  const got = scryptSync(password, Buffer.from(saltHex, 'hex'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(expected, got);
}

const tokenKey = (token: string) => createHash('sha256').update(token).digest('hex');

export interface GatewayDeps {
  store: Store;
  clock: Clock;
  functions: FunctionRunner;
  storage: Storage;
  pay: Pay;
  identity: Identity;
  openidKey: string;
  staff: StaffSeed[];
  /** seed/organisations.json: the organisations the seeded staff accounts belong to. */
  organisations?: Array<Record<string, unknown> & { _id: string }>;
  invoke: (name: string, event: unknown, openid: string | undefined, clientIp?: string) => ReturnType<FunctionRunner['invoke']>;
}

export class Gateway {
  constructor(private readonly d: GatewayDeps) {
    d.store.createCollection(TOKENS);
    d.store.createCollection(OUTBOX);
  }

  openidOf(account: string): string {
    return 'o' + createHmac('sha256', this.d.openidKey).update(account).digest('base64url').slice(0, 27);
  }

  /**
   * Seeds the `organisations` collection (missing ones, by _id) and the `staff` collection
   * (openid, role, scope, name, orgId) with missing accounts; an account seeded before
   * organisations existed gets its orgId.
   */
  seedStaff(): void {
    const { store } = this.d;
    if (!store.hasCollection('organisations')) store.createCollection('organisations');
    for (const o of this.d.organisations ?? []) {
      if (!store.getById('organisations', o._id)) store.write([{ c: 'organisations', id: o._id, doc: o }]);
    }
    if (!store.hasCollection('staff')) store.createCollection('staff');
    for (const s of this.d.staff) {
      const openid = this.openidOf(s.account);
      const [existing] = store.find('staff', { openid }, { limit: 1 }) as Array<{ _id: string; orgId?: string }>;
      if (existing) {
        if (!existing.orgId && s.orgId) store.write([{ c: 'staff', id: existing._id, doc: { ...existing, orgId: s.orgId } }]);
        continue;
      }
      const id = newId();
      const doc = { _id: id, openid, role: s.role, scope: s.scope, name: s.name, account: s.account, ...(s.orgId ? { orgId: s.orgId } : {}), status: 'active', createdBy: 'seed', createdAt: this.d.clock.now() };
      store.write([{ c: 'staff', id, doc }]);
    }
  }

  private session(req: IncomingMessage): Session {
    const auth = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    const s = m ? (this.d.store.getById(TOKENS, tokenKey(m[1])) as Session | undefined) : undefined;
    if (!s || s.expiresAt < Date.now()) throw new HttpError(401, 'UNAUTHENTICATED', '请先登录');
    return s;
  }

  /** Returns false when the path is not the gateway's. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    try {
      if (path === '/api/health' && method === 'GET') {
        sendJson(res, 200, { ok: true, now: this.d.clock.now().toISOString() });
      } else if (path === '/api/auth/login' && method === 'POST') {
        sendJson(res, 200, await this.login(await readJson(req)));
      } else if (path.startsWith('/api/functions/') && method === 'POST') {
        await this.callFunction(req, res, decodeURIComponent(path.slice('/api/functions/'.length)));
      } else if (path === '/api/storage/upload' && method === 'POST') {
        await this.upload(req, res);
      } else if (path === '/api/pay/confirm' && method === 'POST') {
        const s = this.session(req);
        const { outTradeNo } = await readJson(req);
        const o = typeof outTradeNo === 'string' ? this.d.pay.order(outTradeNo) : undefined;
        if (!o) throw new HttpError(404, 'ORDER_NOT_FOUND', '订单不存在');
        if (o.payerOpenid !== s.openid) throw new HttpError(403, 'FORBIDDEN', '只能支付本人发起的订单');
        const r = await this.d.pay.confirm(o.outTradeNo);
        sendJson(res, 200, { order: publicOrder(r.order, this.d.pay.deliveries(o.outTradeNo)), delivery: { ok: r.delivery.ok } });
      } else if (path === '/api/identity/verify' && method === 'POST') {
        // The simulated face-verification sheet: bound to the signed-in account's openid.
        const s = this.session(req);
        sendJson(res, 200, this.d.identity.issue(s.openid, await readJson(req)));
      } else if (path === '/api/pay/redeliver' && method === 'POST') {
        const { outTradeNo } = await readJson(req);
        if (typeof outTradeNo !== 'string') throw new HttpError(400, 'BAD_REQUEST', '缺少订单号');
        const r = await this.d.pay.redeliver(outTradeNo);
        sendJson(res, 200, { order: publicOrder(r.order, this.d.pay.deliveries(outTradeNo)), delivery: { ok: r.delivery.ok } });
      } else if (path.startsWith('/api/pay/orders/') && method === 'GET') {
        const no = decodeURIComponent(path.slice('/api/pay/orders/'.length));
        const o = this.d.pay.order(no);
        if (!o) throw new HttpError(404, 'ORDER_NOT_FOUND', '订单不存在');
        sendJson(res, 200, { order: publicOrder(o, this.d.pay.deliveries(no)) });
      } else if (path === '/api/clock' && method === 'GET') {
        sendJson(res, 200, this.clockState());
      } else if (path === '/api/clock' && method === 'POST') {
        const { now } = await readJson(req);
        const d = typeof now === 'string' || typeof now === 'number' ? new Date(now) : new Date(NaN);
        if (Number.isNaN(d.getTime())) throw new HttpError(400, 'BAD_REQUEST', '时间格式错误，请使用 ISO 格式，例如 2023-10-08T10:00+08:00');
        this.d.clock.set(d);
        sendJson(res, 200, this.clockState());
      } else if (path === '/api/outbox' && method === 'GET') {
        const touser = url.searchParams.get('touser');
        const items = this.d.store.find(OUTBOX, touser ? { touser } : {}, { sort: { at: 1 } }).map(({ _id, ...rest }) => ({ id: _id, ...rest }));
        sendJson(res, 200, { items });
      } else if (path.startsWith('/api/')) {
        sendError(res, 404, 'NOT_FOUND', '接口不存在');
      } else {
        return false;
      }
    } catch (e) {
      if (e instanceof HttpError || e instanceof PayError) sendError(res, e.status, e.code, e.message);
      else sendError(res, 500, 'INTERNAL', '服务暂时不可用，请稍后再试');
    }
    return true;
  }

  private clockState() {
    return { now: this.d.clock.now().toISOString(), offsetMs: this.d.clock.offset() };
  }

  private async login(body: any) {
    const account = body?.account;
    if (typeof account !== 'string' || !ACCOUNT_RE.test(account)) throw new HttpError(400, 'INVALID_ACCOUNT', '账号由 2–32 位字母、数字或下划线组成');
    const staff = this.d.staff.find((s) => s.account === account);
    if (staff) {
      const password = body?.password;
      if (typeof password !== 'string' || !verifyPassword(password, staff.passwordHash)) {
        throw new HttpError(401, 'INVALID_CREDENTIALS', '账号或密码错误');
      }
    }
    const token = randomBytes(32).toString('base64url');
    const openid = this.openidOf(account);
    const session: Session = {
      _id: tokenKey(token),
      openid,
      account,
      displayName: staff ? staff.name : account,
      staff: staff ? { role: staff.role, scope: staff.scope } : null,
      expiresAt: Date.now() + TOKEN_TTL_MS,
    };
    this.d.store.write([{ c: TOKENS, id: session._id, doc: session as any }]);
    this.purgeExpiredTokens();
    return { token, openid, displayName: session.displayName, staff: session.staff };
  }

  private purgeExpiredTokens(): void {
    const expired = this.d.store.find(TOKENS, { expiresAt: { $lt: Date.now() } });
    if (expired.length) this.d.store.write(expired.map((t) => ({ c: TOKENS, id: t._id, doc: undefined })));
  }

  private async callFunction(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    const s = this.session(req);
    if (!this.d.functions.exists(name)) throw new HttpError(404, 'FUNCTION_NOT_FOUND', `云函数 ${name} 不存在`);
    const event = await readJson(req, 5 * 1024 * 1024);
    // The identity is the token's; a body cannot choose its openid.
    const r = await this.d.invoke(name, event, s.openid, req.socket.remoteAddress ?? '127.0.0.1');
    if (!r.ok) throw new HttpError(500, 'FUNCTION_ERROR', '服务暂时不可用，请稍后再试');
    sendJson(res, 200, { result: r.result });
  }

  private async upload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const s = this.session(req);
    const ct = req.headers['content-type'] ?? '';
    if (!ct.startsWith('multipart/form-data')) throw new HttpError(400, 'BAD_REQUEST', '请以 multipart/form-data 上传文件');
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > GATEWAY_UPLOAD_CAP + 64 * 1024) {
      req.resume();
      throw new HttpError(413, 'FILE_TOO_LARGE', '文件不能超过 10 MB');
    }
    const { fields, files } = await readMultipart(req, GATEWAY_UPLOAD_CAP);
    const file = files.find((f) => f.field === 'file');
    if (!file) throw new HttpError(400, 'FILE_MISSING', '请选择要上传的文件');
    if (file.truncated) throw new HttpError(413, 'FILE_TOO_LARGE', '文件不能超过 10 MB');
    const cloudPath = fields.cloudPath;
    if (!Storage.validCloudPath(cloudPath)) throw new HttpError(400, 'INVALID_PATH', '文件路径不正确');
    const meta = this.d.storage.put(cloudPath, file.data, guessContentType(cloudPath, file.mimeType), s.openid);
    sendJson(res, 200, { fileID: meta._id });
  }
}
