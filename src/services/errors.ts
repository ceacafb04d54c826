/**
 * The one error type the client's services throw. `message` is plain Simplified Chinese, ready to
 * be shown next to the action (or the field named by `field`) it concerns.
 */
export class CloudCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'CloudCallError';
    // Keep `instanceof` working when compiled to ES5 classes.
    Object.setPrototypeOf(this, CloudCallError.prototype);
  }
}

export const MESSAGES = {
  NETWORK: '网络不太稳定，请稍后重试',
  BAD_REPLY: '服务返回的数据有误，请稍后重试',
  UNAUTHENTICATED: '登录已过期，请重新登录',
  SERVER: '服务暂时不可用，请稍后再试',
  UPLOAD: '文件上传失败，请稍后重试',
  /** weapp: the function is not deployed, or the mini-program points at a wrong or unbound cloud environment. */
  NOT_DEPLOYED: '服务暂未开通或正在维护，请稍后再试',
  /** weapp: the function ran past its time limit; what it did may have been saved. */
  TIMEOUT: '服务响应超时，请稍后重试；如刚刚提交或缴费，请先查看记录再重试',
  /** weapp: the platform could not tell who is calling (never a sign-in: weapp has none). */
  WEAPP_IDENTITY: '暂时无法确认您的微信身份，请重新打开小程序后再试',
} as const;

/**
 * Failures of wx.cloud.callFunction / uploadFile, by what a resident can do about them. Codes
 * and messages as wx.cloud reports them (the wx-server-sdk's error table and WeChat's cloud
 * error codes): -404011 "cloud function execution error" wraps the server's own code and text,
 * so the text decides; -501000 "Environment not found", -501005 invalid env, -601012
 * unauthorized env, -601016 missing env auth info; -504003 / "Invoking task timed out after N
 * seconds" a function over its time limit, -501002 a server timeout; "request:fail" and the
 * polling failures (-404005 … -404009, -404006 "empty poll result base resp") the phone's network.
 */
const NOT_DEPLOYED_CODES = [-501000, -501005, -601012, -601016];
const NOT_DEPLOYED_TEXT = /ResourceNotFound\.Function|FunctionName parameter could not be found|function not found|not found the function|Environment not found|env(ironment)? not (exist|found|bound)|invalid env|unauthorized env|-501000|-501005|-601012/i;
const TIMEOUT_CODES = [-504003, -501002];
const TIMEOUT_TEXT = /-504003|-501002|timed out|execution time exceeded|time limit exceeded|函数执行超时|timeout after/i;
const NETWORK_CODES = [-404005, -404006, -404007, -404008, -404009, -601003];
const NETWORK_TEXT = /request:fail|network|net::ERR|ERR_NAME|ECONNRESET|-404006|empty poll result|-601003|网络/i;

export type WeappFailure = 'NOT_DEPLOYED' | 'TIMEOUT' | 'NETWORK' | 'SERVER';

export function classifyWeappFailure(err: unknown): WeappFailure {
  const e = (err ?? {}) as { errCode?: unknown; errMsg?: unknown; message?: unknown };
  const code = Number(e.errCode);
  const text = `${String(e.errMsg ?? '')} ${String(e.message ?? '')}`;
  if (NOT_DEPLOYED_CODES.includes(code) || NOT_DEPLOYED_TEXT.test(text)) return 'NOT_DEPLOYED';
  if (TIMEOUT_CODES.includes(code) || TIMEOUT_TEXT.test(text)) {
    // "request:fail timeout" is the phone's request giving up: the network, not the function.
    return /request:fail/i.test(text) ? 'NETWORK' : 'TIMEOUT';
  }
  if (NETWORK_CODES.includes(code) || NETWORK_TEXT.test(text)) return 'NETWORK';
  return 'SERVER';
}

/** The CloudCallError a failed wx.cloud call becomes; `fallback` names what failed otherwise. */
export function weappCallError(err: unknown, fallback: 'SERVER' | 'UPLOAD' = 'SERVER'): CloudCallError {
  const kind = classifyWeappFailure(err);
  if (kind === 'SERVER') return new CloudCallError(fallback, MESSAGES[fallback]);
  return new CloudCallError(kind, MESSAGES[kind]);
}

/** The Chinese message of anything thrown; unknown errors get a generic one. */
export function userMessage(err: unknown): string {
  if (err instanceof CloudCallError) return err.message;
  return MESSAGES.SERVER;
}
