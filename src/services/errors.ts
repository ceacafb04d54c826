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
} as const;

/** The Chinese message of anything thrown; unknown errors get a generic one. */
export function userMessage(err: unknown): string {
  if (err instanceof CloudCallError) return err.message;
  return MESSAGES.SERVER;
}
