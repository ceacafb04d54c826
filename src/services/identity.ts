/**
 * Proving that the person at the phone is the person they name (实名实人核验).
 *
 * - weapp: WeChat's face verification (微信人脸核身): `checkIsSupportFacialRecognition`, then
 *   `startFacialRecognitionVerify({name, idCardNumber, checkAliveType: 2})`; its `verifyResult`
 *   is a ticket the `resident` function redeems with WeChat. The client never decides the result.
 * - H5: the local cloud's simulated verification sheet (like the simulated pay sheet): the page
 *   shows 核验通过 / 核验不通过 and POSTs /api/identity/verify with the session token; the reply's
 *   `verifyResult` goes to the server exactly as WeChat's would.
 *
 * When face verification cannot be used (unsupported phone, camera denied, not a mainland ID
 * card), the page offers the document path: an identity document reviewed by staff, or the
 * community desk.
 */
import Taro from '@tarojs/taro';
import { CloudCallError, MESSAGES } from './errors';
import { postJson } from './gateway';
import { sessionToken } from './session';

/** H5 shows the simulated sheet; weapp opens WeChat's own face verification. */
export const usesSimulatedFaceSheet = (): boolean => process.env.TARO_ENV !== 'weapp';

/** 2 = motion liveness (WeChat's default for government services). */
export const CHECK_ALIVE_TYPE = 2;

export type FaceOutcome =
  | { kind: 'result'; verifyResult: string }
  | { kind: 'cancel' }
  /** Face verification can't be used here; `message` says why and what to do instead. */
  | { kind: 'unavailable'; reason: 'unsupported' | 'camera' ; message: string };

export const FACE_MESSAGES = {
  unsupported: '您的手机暂不支持刷脸核验。可以上传身份证件由工作人员审核，或到社区办理。',
  camera: '没有使用摄像头的权限，无法刷脸。请在手机“设置”中允许微信使用摄像头后重试；也可以上传身份证件由工作人员审核，或到社区办理。',
} as const;

/** weapp: whether this phone and WeChat version can run face verification. */
export function faceSupported(): Promise<boolean> {
  if (usesSimulatedFaceSheet()) return Promise.resolve(true);
  return new Promise((resolve) => {
    try {
      Taro.checkIsSupportFacialRecognition({
        checkAliveType: CHECK_ALIVE_TYPE,
        success: () => resolve(true),
        fail: () => resolve(false),
      });
    } catch {
      resolve(false);
    }
  });
}

/**
 * Sorts WeChat's failure of startFacialRecognitionVerify. 90100: the person cancelled; camera or
 * client errors (90102/90107/90199, "auth deny") mean the camera can't be used; any other failure
 * that still carries a verifyResult is handed to the server, which counts and audits it.
 */
export function classifyFaceFailure(err: { errCode?: number; errMsg?: string; verifyResult?: string }): FaceOutcome {
  const code = Number(err?.errCode);
  const msg = String(err?.errMsg ?? '').toLowerCase();
  if (code === 90100 || msg.includes('cancel')) return { kind: 'cancel' };
  if ([90102, 90107, 90199].includes(code) || msg.includes('auth deny') || msg.includes('authorize') || msg.includes('camera')) {
    return { kind: 'unavailable', reason: 'camera', message: FACE_MESSAGES.camera };
  }
  if (typeof err?.verifyResult === 'string' && err.verifyResult.length > 0) return { kind: 'result', verifyResult: err.verifyResult };
  return { kind: 'unavailable', reason: 'unsupported', message: FACE_MESSAGES.unsupported };
}

/** weapp: runs WeChat's face verification for `name` / `idNumber`. */
export async function startWeappFaceVerify(name: string, idNumber: string): Promise<FaceOutcome> {
  if (!(await faceSupported())) return { kind: 'unavailable', reason: 'unsupported', message: FACE_MESSAGES.unsupported };
  let res: { verifyResult?: string; errCode?: number; errMsg?: string };
  try {
    // Promise form: Taro's weapp build wraps this API in a promise that rejects on fail, so a
    // callback-style call would leave that rejection unhandled (an error report in WeChat).
    res = await Taro.startFacialRecognitionVerify({ name, idCardNumber: idNumber.toUpperCase(), checkAliveType: CHECK_ALIVE_TYPE });
  } catch (e) {
    if (e && typeof e === 'object' && 'errMsg' in e) return classifyFaceFailure(e as never);
    return { kind: 'unavailable', reason: 'unsupported', message: FACE_MESSAGES.unsupported };
  }
  return res.verifyResult ? { kind: 'result', verifyResult: res.verifyResult } : classifyFaceFailure(res);
}

/** H5: the simulated sheet's 核验通过 (`pass`) or 核验不通过; resolves with the ticket. */
export async function simulatedFaceVerify(name: string, idNumber: string, pass: boolean): Promise<string> {
  const body = (await postJson('/api/identity/verify', { name, idNumber: idNumber.toUpperCase(), pass }, sessionToken())) as { verifyResult?: unknown } | null;
  if (!body || typeof body.verifyResult !== 'string' || !body.verifyResult) throw new CloudCallError('BAD_REPLY', MESSAGES.BAD_REPLY);
  return body.verifyResult;
}

/** The display form of an ID number: first 3 and last 4 characters (as the server masks). */
export function maskId(idNumber: string): string {
  const id = idNumber.trim().toUpperCase();
  if (id.length < 8) return '*'.repeat(id.length);
  return `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`;
}
