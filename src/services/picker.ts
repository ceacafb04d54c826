/**
 * Picking a document file on the phone (weapp): a photo from the camera or the album
 * (`chooseMedia`, compressed), or a PDF from a WeChat chat (`chooseMessageFile`: weapp has no
 * general file picker, so a PDF can only come from a chat). H5 uses a file input instead (the
 * documents page).
 *
 * A cancelled picker resolves with null and says nothing. Every other failure becomes a
 * PickError whose message says, in plain Chinese, what the resident can do — WeChat's own
 * errMsg only reaches the console otherwise, and the slot looks dead.
 */
import Taro from '@tarojs/taro';
import type { UploadSource } from './cloud';

export interface PickedFile {
  source: UploadSource;
  name: string;
  size: number;
  type?: string;
}

/**
 * Why a picker failed:
 * - `permission`: the camera or album scope was refused (in the mini-program's settings or in
 *   the phone's settings for WeChat) — the resident can turn it on in the settings;
 * - `privacy_declined`: errno 104, the resident did not agree to the privacy guide
 *   (用户隐私保护指引) pop-up — agreeing next time is enough;
 * - `privacy_undeclared`: errno 112 (or 1025/1026), the privacy guide in the MP console does not
 *   declare this data type — nothing the resident can do, only the operator;
 * - `failed`: anything else.
 */
export type PickFailure = 'permission' | 'privacy_declined' | 'privacy_undeclared' | 'failed';

export interface PickAdvice {
  title: string;
  message: string;
  /** Whether opening the mini-program's settings (Taro.openSetting) can help. */
  settings: boolean;
}

export const PICK_ADVICE: Record<PickFailure, PickAdvice> = {
  permission: {
    title: '没有相机或相册权限',
    message: '请点击“去设置”，打开“摄像头”和“相册”后返回本页重新上传。若设置里已打开仍无法使用，请在手机的“设置”中允许微信使用相机和照片。',
    settings: true,
  },
  privacy_declined: {
    title: '需要您同意隐私保护指引',
    message: '拍照或选择照片前需要您同意《用户隐私保护指引》。请再点一次上传，在弹出的说明中选择“同意”。',
    settings: false,
  },
  privacy_undeclared: {
    title: '暂时无法使用拍照和相册',
    message: '小程序的拍照和相册功能尚未完成开通，暂时无法上传证件。请稍后再试，或携带证件到社区（村）服务窗口办理。',
    settings: false,
  },
  failed: {
    title: '无法打开相机或相册',
    message: '请稍后重试；如多次失败，请重启微信后再试。',
    settings: false,
  },
};

export class PickError extends Error {
  readonly advice: PickAdvice;
  constructor(readonly failure: PickFailure) {
    super(PICK_ADVICE[failure].message);
    this.name = 'PickError';
    this.advice = PICK_ADVICE[failure];
    // Keep `instanceof` working when compiled to ES5 classes.
    Object.setPrototypeOf(this, PickError.prototype);
  }
}

function errInfo(err: unknown): { msg: string; errno?: number } {
  if (!err || typeof err !== 'object') return { msg: typeof err === 'string' ? err : '' };
  const e = err as { errMsg?: unknown; message?: unknown; errno?: unknown };
  const msg = typeof e.errMsg === 'string' ? e.errMsg : typeof e.message === 'string' ? e.message : '';
  const errno = typeof e.errno === 'number' ? e.errno : typeof e.errno === 'string' && /^\d+$/.test(e.errno) ? Number(e.errno) : undefined;
  return { msg, errno };
}

/**
 * Sorts a picker's rejection. WeChat's errMsg is "<api>:fail <reason>", e.g.
 * "chooseMedia:fail cancel", "chooseMedia:fail auth deny", "chooseMedia:fail privacy permission
 * is not authorized" (errno 104), "chooseMedia:fail api scope is not declared in the privacy
 * agreement" (errno 112). Privacy is checked before permission: both say "not authorized".
 */
export function classifyPickError(err: unknown): PickFailure | 'cancelled' {
  const { msg, errno } = errInfo(err);
  const m = msg.toLowerCase();
  if (/:fail[\s:]*cancel/.test(m) || m === 'cancel') return 'cancelled';
  if (errno === 112 || errno === 1025 || errno === 1026 || m.includes('scope is not declared') || m.includes('announce your privacy usage')) {
    return 'privacy_undeclared';
  }
  if (errno === 104 || m.includes('privacy permission is not authorized') || m.includes('privacy authorization')) return 'privacy_declined';
  if (/auth den(y|ied)|authorize:fail|authorize no response|permission denied|no permission|not authorized/.test(m)) return 'permission';
  return 'failed';
}

/** Runs a picker; null when the resident cancelled, PickError for anything else. */
async function picking<T>(run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (e) {
    const failure = classifyPickError(e);
    if (failure === 'cancelled') return null;
    throw new PickError(failure);
  }
}

/** A photo from the camera or the album, compressed by WeChat; null when cancelled. */
export async function pickImage(): Promise<PickedFile | null> {
  const r = await picking(() =>
    Taro.chooseMedia({ count: 1, mediaType: ['image'], sourceType: ['album', 'camera'], sizeType: ['compressed'] }),
  );
  const f = r?.tempFiles[0];
  if (!f) return null;
  // The temp path ends in the real extension (.jpg/.png/...): the page checks it.
  return { source: f.tempFilePath, name: f.tempFilePath, size: f.size };
}

/** Whether a PDF can be picked here: weapp's chooseMessageFile (from a WeChat chat). */
export const canPickPdfFromChat = (): boolean =>
  process.env.TARO_ENV === 'weapp' && typeof (Taro as { chooseMessageFile?: unknown }).chooseMessageFile === 'function';

/** A PDF sent in a WeChat chat; null when cancelled. */
export async function pickPdfFromChat(): Promise<PickedFile | null> {
  const r = await picking(() => Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['pdf'] }));
  const f = r?.tempFiles[0];
  if (!f) return null;
  // No type is claimed: the page checks the name's extension and the server the content.
  return { source: f.path, name: f.name || f.path, size: f.size };
}

/** Opens the mini-program's own settings page (camera, album); resolves when the resident is back. */
export async function openPermissionSettings(): Promise<void> {
  try {
    await Taro.openSetting();
  } catch {
    // Only a tap may open the settings; a failure leaves the advice on screen.
  }
}
