/**
 * The insurance-platform port (医保信息平台) over HTTPS, on the exchange endpoint the city's
 * 医保信息平台 front-end processor (前置机) exposes for batch files:
 *
 *   PUT {INSURANCE_API_BASE}/batches/{batchNo}          the export file (text/csv; UTF-8)
 *   GET {INSURANCE_API_BASE}/batches/{batchNo}/answer   200 the answer file | 202 not yet | 404 unknown
 *
 * Every request is signed with INSURANCE_API_KEY (HMAC-SHA256, hex) over
 * `METHOD \n path \n unix seconds \n sha256(body)`, sent as `x-timestamp` and
 * `Authorization: INS-HMAC-SHA256 Signature=<hex>`, so a file can neither be forged nor replayed
 * later (the receiver refuses timestamps more than 5 minutes off). The local cloud serves the same protocol
 * (local-cloud/insurance/insurance.ts). A missing base or key stops the sync with CONFIG_MISSING.
 * The files carry ID numbers in plain text (the platform registers people by them): they exist
 * only in this request's memory, never in storage or logs.
 */
import { createHash, createHmac } from 'crypto';
import { AppError } from './errors';
import type { InsuranceBatchFile, InsurancePlatformPort } from './ports';

const UNAVAILABLE = () => new AppError('INSURANCE_UNAVAILABLE', '医保信息平台暂时无法连接，请稍后再试');
const TIMEOUT_MS = 20_000;

function config(): { base: string; key: string } {
  const base = (process.env.INSURANCE_API_BASE ?? '').replace(/\/+$/, '');
  const key = process.env.INSURANCE_API_KEY ?? '';
  if (!/^https?:\/\//.test(base) || key.length < 32) throw new AppError('CONFIG_MISSING', '系统配置不完整，请联系管理员');
  return { base, key };
}

/** The signature both sides compute; exported for the local cloud's check. */
export function signRequest(key: string, method: string, path: string, timestamp: string, body: Buffer): string {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return createHmac('sha256', key).update(`${method}\n${path}\n${timestamp}\n${bodyHash}`).digest('hex');
}

async function send(method: 'PUT' | 'GET', path: string, body: Buffer, extra: Record<string, string> = {}): Promise<Response> {
  const { base, key } = config();
  const url = new URL(base + path);
  const timestamp = String(Math.floor(Date.now() / 1000));
  try {
    return await fetch(url, {
      method,
      headers: { ...extra, 'x-timestamp': timestamp, authorization: `INS-HMAC-SHA256 Signature=${signRequest(key, method, url.pathname, timestamp, body)}` },
      body: method === 'PUT' ? body : undefined,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    throw UNAVAILABLE();
  }
}

const batchPath = (batchNo: string) => `/batches/${encodeURIComponent(batchNo)}`;

export const insurancePort: InsurancePlatformPort = {
  async submitBatch(file: InsuranceBatchFile) {
    const res = await send('PUT', batchPath(file.batchNo), file.content, {
      'content-type': 'text/csv; charset=utf-8',
      'x-file-name': encodeURIComponent(file.fileName),
    });
    if (res.status === 409) throw new AppError('BATCH_CONFLICT', '该批次号已用于另一份报送文件');
    if (!res.ok) throw UNAVAILABLE();
  },
  async fetchAnswer(batchNo) {
    const res = await send('GET', `${batchPath(batchNo)}/answer`, Buffer.alloc(0));
    if (res.status === 202) return null;
    if (res.status === 404) throw new AppError('BATCH_UNKNOWN', '医保信息平台没有这个批次，请重新报送');
    if (!res.ok) throw UNAVAILABLE();
    const name = res.headers.get('x-file-name');
    return { fileName: name ? decodeURIComponent(name) : `${batchNo}_HP.csv`, content: Buffer.from(await res.arrayBuffer()) };
  },
};
