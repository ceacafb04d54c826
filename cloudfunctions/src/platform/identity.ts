/**
 * The identity port on WeChat's face-verification result API (微信人脸核身, 实名实人信息校验):
 *   POST {IDENTITY_API_BASE}/cityservice/face/identify/getinfo?access_token=… {verify_result}
 * with an access token from cgi-bin/stable_token (WX_APPID / WX_APPSECRET of the function's
 * environment). IDENTITY_API_BASE defaults to WeChat's API; the local cloud points it at its
 * own loopback copy. A missing secret stops the call, like a missing key.
 */
import { AppError } from './errors';
import type { FaceResult, IdentityPort } from './ports';

const DEFAULT_BASE = 'https://api.weixin.qq.com';
const UNAVAILABLE = () => new AppError('IDENTITY_UNAVAILABLE', '实名核验服务暂时不可用，请稍后再试');

function base(): string {
  return (process.env.IDENTITY_API_BASE || DEFAULT_BASE).replace(/\/+$/, '');
}

function credentials(): { appid: string; secret: string } | null {
  const appid = process.env.WX_APPID;
  const secret = process.env.WX_APPSECRET;
  return appid && secret ? { appid, secret } : null;
}

let cached: { token: string; until: number; base: string } | null = null;

async function postJson(url: string, body: unknown): Promise<any> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(5000) });
  } catch {
    throw UNAVAILABLE();
  }
  if (!res.ok) throw UNAVAILABLE();
  try {
    return await res.json();
  } catch {
    throw UNAVAILABLE();
  }
}

/** The stable access token (cgi-bin/stable_token), reused until five minutes before it expires. */
async function accessToken(forceRefresh = false): Promise<string> {
  const creds = credentials();
  if (!creds) throw new AppError('CONFIG_MISSING', '系统配置不完整，请联系管理员');
  const b = base();
  if (!forceRefresh && cached && cached.base === b && cached.until > Date.now()) return cached.token;
  const r = await postJson(`${b}/cgi-bin/stable_token`, { grant_type: 'client_credential', appid: creds.appid, secret: creds.secret, force_refresh: forceRefresh });
  if (typeof r?.access_token !== 'string' || !r.access_token) throw UNAVAILABLE();
  const ttl = Number(r.expires_in) > 0 ? Number(r.expires_in) : 7200;
  cached = { token: r.access_token, until: Date.now() + Math.max(ttl - 300, 60) * 1000, base: b };
  return r.access_token;
}

/** errcodes of an access token that is no longer valid: fetch a fresh one once. */
const TOKEN_EXPIRED = new Set([40001, 40014, 42001]);

export const identityPort: IdentityPort = {
  faceAvailable() {
    return credentials() !== null;
  },
  async faceResult(verifyResult) {
    let r: any;
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = await accessToken(attempt > 0);
      r = await postJson(`${base()}/cityservice/face/identify/getinfo?access_token=${encodeURIComponent(token)}`, { verify_result: verifyResult });
      if (!TOKEN_EXPIRED.has(Number(r?.errcode))) break;
    }
    const errcode = Number(r?.errcode ?? 0);
    // 84001–84004: the verify_result is unknown, used or expired — an answer (not passed).
    // Anything else (system busy, bad credentials) is no answer at all: not counted as a failure.
    if (errcode !== 0 && !(errcode >= 84001 && errcode <= 84004)) throw UNAVAILABLE();
    const result: FaceResult = {
      ok: errcode === 0 && Number(r?.identify_ret) === 0,
      openid: typeof r?.openid === 'string' ? r.openid : '',
      idCardNumberMd5: typeof r?.id_card_number_md5 === 'string' ? r.id_card_number_md5.toLowerCase() : '',
      nameUtf8Md5: typeof r?.name_utf8_md5 === 'string' ? r.name_utf8_md5.toLowerCase() : '',
      identifyTime: Number(r?.identify_time) || 0,
    };
    return result;
  },
};
