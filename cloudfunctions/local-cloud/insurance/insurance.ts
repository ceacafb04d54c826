/**
 * Simulated insurance system (医保信息平台), as the pay and identity simulators stand in for
 * WeChat:
 *   - the exchange endpoint the functions' insurance port calls (platform/insurance.ts), with the
 *     same signature check: PUT /insurance/batches/:batchNo (the export file), GET
 *     /insurance/batches/:batchNo/answer (202 until `delayMs` of the local clock has passed since
 *     the batch arrived, then the answer file — decided once, the same bytes on every fetch);
 *   - development routes (a signed-in staff account or the data folder's local token):
 *     POST /api/insurance/refuse {idNumber, code?, text?, times?}  refuse that person's next
 *          registration(s) (default once, code R01), so a corrected resubmission goes through;
 *     POST /api/insurance/config {delayMs}                          how long the platform takes;
 *     GET  /api/insurance/batches                                   what arrived (no personal data).
 * Only the sha256 of an ID number is kept (to match a refusal), never the number or the file.
 */
import { createHash, timingSafeEqual } from 'crypto';
import type { IncomingMessage, ServerResponse } from 'http';
import type { Clock } from '../clock';
import { Store } from '../database/store';
import { HttpError, readBody, readJson, sendError, sendJson } from '../http';
import { signRequest } from '../../src/platform/insurance';
import { answerFileName, AnswerRow, readExportFile, writeAnswerFile } from '../../src/domain/insurance/file-layout';

export const INSURANCE_BATCHES = '$insurance_batches';
export const INSURANCE_REFUSALS = '$insurance_refusals';
const TOKENS = '$tokens';
const MAX_FILE = 32 * 1024 * 1024;
const SIGNATURE_MAX_AGE_S = 300;
const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

interface SimBatch {
  _id: string;
  sha256: string;
  receivedAt: number; // local clock, ms
  rows: Array<{ seq: number; ref: string; idHash: string }>;
  /** The answer, decided at the first fetch after the delay. */
  answer?: AnswerRow[];
}

interface Refusal {
  _id: string; // sha256 of the ID number
  code: string;
  text: string;
  times: number;
}

const DEFAULT_TEXT: Record<string, string> = {
  R01: '姓名与公民身份号码不匹配',
  R02: '已参加职工基本医疗保险',
  R03: '已在其他统筹地区参加城乡居民医保',
  R04: '户籍或居住证信息核验未通过',
  R99: '其他原因',
};

export class InsuranceSimulator {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly apiKey: string,
    public delayMs: number,
  ) {
    store.createCollection(INSURANCE_BATCHES);
    store.createCollection(INSURANCE_REFUSALS);
  }

  private checkSignature(req: IncomingMessage, path: string, body: Buffer): void {
    const m = /^INS-HMAC-SHA256 Signature=([0-9a-f]{64})$/.exec(String(req.headers.authorization ?? ''));
    const ts = String(req.headers['x-timestamp'] ?? '');
    if (!m || !/^\d+$/.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > SIGNATURE_MAX_AGE_S) throw new HttpError(401, 'SIGNATURE_INVALID', '签名无效');
    const expected = Buffer.from(signRequest(this.apiKey, String(req.method), path, ts, body), 'hex');
    const got = Buffer.from(m[1], 'hex');
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) throw new HttpError(401, 'SIGNATURE_INVALID', '签名无效');
  }

  /** The exchange endpoint; false when the path is not one of it. */
  async handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const m = /^\/insurance\/batches\/([A-Za-z0-9_-]{1,40})(\/answer)?$/.exec(url.pathname);
    if (!m) return false;
    const [, batchNo, answer] = m;
    if (req.method === 'PUT' && !answer) {
      const body = await readBody(req, MAX_FILE);
      this.checkSignature(req, url.pathname, body);
      this.receive(batchNo, body);
      sendJson(res, 200, { ok: true });
      return true;
    }
    if (req.method === 'GET' && answer) {
      this.checkSignature(req, url.pathname, Buffer.alloc(0));
      const file = this.answer(batchNo);
      if (file === 'unknown') sendError(res, 404, 'BATCH_UNKNOWN', '没有这个批次');
      else if (file === 'pending') sendJson(res, 202, { status: 'processing' });
      else {
        res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-length': file.length, 'x-file-name': encodeURIComponent(answerFileName(batchNo)) });
        res.end(file);
      }
      return true;
    }
    return false;
  }

  private receive(batchNo: string, body: Buffer): void {
    const digest = sha256(body);
    const existing = this.store.getById(INSURANCE_BATCHES, batchNo) as unknown as SimBatch | undefined;
    if (existing) {
      // A retry of the same file is one batch; other bytes under a known number are refused.
      if (existing.sha256 !== digest) throw new HttpError(409, 'BATCH_CONFLICT', '批次号已使用');
      return;
    }
    let rows: ReturnType<typeof readExportFile>;
    try {
      rows = readExportFile(body);
    } catch {
      throw new HttpError(400, 'LAYOUT', '文件格式不符合报送接口规范');
    }
    if (rows.some((r) => r.批次号 !== batchNo)) throw new HttpError(400, 'LAYOUT', '文件中的批次号与请求不符');
    const doc: SimBatch = {
      _id: batchNo,
      sha256: digest,
      receivedAt: this.clock.now().getTime(),
      rows: rows.map((r) => ({ seq: Number(r.序号), ref: r.业务流水号, idHash: sha256(r.证件号码.toUpperCase()) })),
    };
    this.store.write([{ c: INSURANCE_BATCHES, id: batchNo, doc: doc as any }]);
  }

  private answer(batchNo: string): Buffer | 'pending' | 'unknown' {
    const b = this.store.getById(INSURANCE_BATCHES, batchNo) as unknown as SimBatch | undefined;
    if (!b) return 'unknown';
    const ready = b.receivedAt + this.delayMs;
    if (this.clock.now().getTime() < ready) return 'pending';
    if (!b.answer) {
      const on = new Date(ready + 8 * 3_600_000).toISOString().slice(0, 10);
      const changes: Array<{ c: string; id: string; doc: any }> = [];
      b.answer = b.rows.map((r) => {
        const refusal = this.store.getById(INSURANCE_REFUSALS, r.idHash) as unknown as Refusal | undefined;
        if (refusal && refusal.times > 0) {
          refusal.times -= 1;
          changes.push({ c: INSURANCE_REFUSALS, id: refusal._id, doc: refusal.times > 0 ? { ...refusal } : undefined });
          return { seq: r.seq, ref: r.ref, result: 'refused' as const, code: refusal.code, text: refusal.text };
        }
        return { seq: r.seq, ref: r.ref, result: 'registered' as const, registeredOn: on };
      });
      changes.push({ c: INSURANCE_BATCHES, id: batchNo, doc: b });
      this.store.write(changes);
    }
    return writeAnswerFile(batchNo, b.answer);
  }

  /** Development routes: a signed-in staff account or the local token. False when not one of them. */
  async handleDev(req: IncomingMessage, res: ServerResponse, url: URL, localToken: () => string | undefined): Promise<boolean> {
    const path = url.pathname;
    if (!path.startsWith('/api/insurance/')) return false;
    try {
      this.requireStaffOrToken(req, localToken());
      if (path === '/api/insurance/refuse' && req.method === 'POST') {
        const body = await readJson(req);
        const id = typeof body?.idNumber === 'string' ? body.idNumber.trim().toUpperCase() : '';
        if (!/^[0-9]{17}[0-9X]$/.test(id)) throw new HttpError(400, 'BAD_REQUEST', '请填写18位身份证号码');
        const code = typeof body?.code === 'string' && /^[A-Z0-9]{1,8}$/.test(body.code) ? body.code : 'R01';
        const text = typeof body?.text === 'string' && body.text.trim() ? body.text.trim().slice(0, 100) : DEFAULT_TEXT[code] ?? DEFAULT_TEXT.R99;
        const times = Number.isInteger(body?.times) && body.times >= 0 && body.times <= 100 ? body.times : 1;
        const doc: Refusal = { _id: sha256(id), code, text, times };
        this.store.write([{ c: INSURANCE_REFUSALS, id: doc._id, doc: times > 0 ? (doc as any) : undefined }]);
        sendJson(res, 200, { code, text, times });
      } else if (path === '/api/insurance/config' && req.method === 'POST') {
        const body = await readJson(req);
        if (!Number.isInteger(body?.delayMs) || body.delayMs < 0 || body.delayMs > 7 * 86_400_000) throw new HttpError(400, 'BAD_REQUEST', 'delayMs 须为 0 到 7 天之间的毫秒数');
        this.delayMs = body.delayMs;
        sendJson(res, 200, { delayMs: this.delayMs });
      } else if (path === '/api/insurance/batches' && req.method === 'GET') {
        const items = this.store.find(INSURANCE_BATCHES, {}).map((b: any) => ({ batchNo: b._id, rows: b.rows.length, sha256: b.sha256, receivedAt: new Date(b.receivedAt).toISOString(), answered: !!b.answer }));
        sendJson(res, 200, { delayMs: this.delayMs, items });
      } else sendError(res, 404, 'NOT_FOUND', '接口不存在');
    } catch (e) {
      if (e instanceof HttpError) sendError(res, e.status, e.code, e.message);
      else throw e;
    }
    return true;
  }

  private requireStaffOrToken(req: IncomingMessage, localToken: string | undefined): void {
    const m = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
    const token = m?.[1];
    if (token && localToken && token.length === localToken.length && timingSafeEqual(Buffer.from(token), Buffer.from(localToken))) return;
    const s = token ? (this.store.getById(TOKENS, sha256(token)) as unknown as { staff: unknown; expiresAt: number } | undefined) : undefined;
    if (!s || s.expiresAt < Date.now()) throw new HttpError(401, 'UNAUTHENTICATED', '开发接口需要工作人员登录或本地令牌');
    if (!s.staff) throw new HttpError(403, 'DEV_ROUTE_FORBIDDEN', '开发接口仅限工作人员或本地令牌');
  }
}
