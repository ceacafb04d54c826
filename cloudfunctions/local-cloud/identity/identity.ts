/**
 * Simulated WeChat face verification (微信人脸核身), as the simulated pay sheet stands in for
 * WeChat Pay:
 *   - the verification sheet (`issue`, behind the gateway's POST /api/identity/verify): the
 *     signed-in user "verifies" a name and ID number and the test or the H5 page chooses whether
 *     the face matched; it returns a verify_result bound to that openid, single use, valid for
 *     30 minutes (of the local clock);
 *   - WeChat's HTTP API on loopback (`/wxapi/...`): cgi-bin/stable_token and
 *     cityservice/face/identify/getinfo, with WeChat's field names, which the functions' identity
 *     port calls exactly as it calls api.weixin.qq.com.
 * Only md5 digests of the name and the ID number are kept, as WeChat reports them.
 */
import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import type { IncomingMessage, ServerResponse } from 'http';
import type { Clock } from '../clock';
import { Store } from '../database/store';
import { HttpError, readJson, sendJson } from '../http';

export const FACE_VERIFICATIONS = '$face_verifications';
const RESULT_TTL_MS = 30 * 60 * 1000;
const TOKEN_TTL_S = 7200;
const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

interface FaceVerification {
  _id: string; // sha256 of the verify_result
  openid: string;
  nameMd5: string;
  idMd5: string;
  pass: boolean;
  issuedAt: number; // local clock, ms
  usedAt?: number;
}

export class Identity {
  private readonly tokens = new Map<string, number>(); // access_token → expiry (real ms)

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly appid: string,
    private readonly secret: string,
  ) {
    store.createCollection(FACE_VERIFICATIONS);
  }

  /** The sheet: the caller verifies a name and ID number; `pass` is the face check's outcome. */
  issue(openid: string, body: any): { verifyResult: string } {
    const name = body?.name;
    const idNumber = body?.idNumber;
    if (typeof name !== 'string' || !name.trim() || name.length > 40) throw new HttpError(400, 'BAD_REQUEST', '请填写姓名');
    if (typeof idNumber !== 'string' || !/^[0-9]{17}[0-9Xx]$/.test(idNumber.trim())) throw new HttpError(400, 'BAD_REQUEST', '请填写18位身份证号码');
    if (typeof body?.pass !== 'boolean') throw new HttpError(400, 'BAD_REQUEST', '缺少核验结果');
    const verifyResult = randomBytes(24).toString('base64url');
    const doc: FaceVerification = {
      _id: createHash('sha256').update(verifyResult).digest('hex'),
      openid,
      nameMd5: md5(name.trim()),
      idMd5: md5(idNumber.trim().toUpperCase()),
      pass: body.pass,
      issuedAt: this.clock.now().getTime(),
    };
    this.store.write([{ c: FACE_VERIFICATIONS, id: doc._id, doc: doc as any }]);
    return { verifyResult };
  }

  /** WeChat's API on loopback; returns false when the path is not one of it. */
  async handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const path = url.pathname.slice('/wxapi'.length);
    if (req.method !== 'POST') return false;
    if (path === '/cgi-bin/stable_token') {
      sendJson(res, 200, this.stableToken(await readJson(req)));
      return true;
    }
    if (path === '/cityservice/face/identify/getinfo') {
      sendJson(res, 200, this.getinfo(url.searchParams.get('access_token') ?? '', await readJson(req)));
      return true;
    }
    return false;
  }

  private stableToken(body: any) {
    if (body?.grant_type !== 'client_credential') return { errcode: 40002, errmsg: 'invalid grant_type' };
    if (body?.appid !== this.appid) return { errcode: 40013, errmsg: 'invalid appid' };
    const a = Buffer.from(String(body?.secret ?? ''));
    const b = Buffer.from(this.secret);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return { errcode: 40125, errmsg: 'invalid appsecret' };
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, Date.now() + TOKEN_TTL_S * 1000);
    return { access_token: token, expires_in: TOKEN_TTL_S };
  }

  private getinfo(accessToken: string, body: any) {
    const until = this.tokens.get(accessToken);
    if (!until || until < Date.now()) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
    const verifyResult = body?.verify_result;
    if (typeof verifyResult !== 'string' || !verifyResult) return { errcode: 47001, errmsg: 'data format error' };
    const id = createHash('sha256').update(verifyResult).digest('hex');
    const v = this.store.getById(FACE_VERIFICATIONS, id) as unknown as FaceVerification | undefined;
    const now = this.clock.now().getTime();
    if (!v || v.usedAt !== undefined || now - v.issuedAt > RESULT_TTL_MS) return { errcode: 84001, errmsg: 'invalid verify_result' };
    this.store.write([{ c: FACE_VERIFICATIONS, id, doc: { ...v, usedAt: now } as any }]);
    return {
      errcode: 0,
      errmsg: 'ok',
      // 0: the face matched the ID card holder; anything else: it did not.
      identify_ret: v.pass ? 0 : 10001,
      identify_time: Math.floor(v.issuedAt / 1000),
      validate_data: '',
      openid: v.openid,
      user_id_key: '',
      id_card_number_md5: v.idMd5,
      name_utf8_md5: v.nameMd5,
    };
  }
}
