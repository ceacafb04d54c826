/**
 * The H5 client's HTTP gateway (the local cloud, or any server speaking the same protocol).
 * Replies: 2xx with a JSON body, or any status with `{error: {code, message}}` (Chinese message).
 */
import Taro from '@tarojs/taro';
import { CloudCallError, MESSAGES } from './errors';

/** Gateway origin: '' = the origin that served the H5 app. */
export function gatewayBase(): string {
  return typeof LOCAL_CLOUD_URL === 'string' ? LOCAL_CLOUD_URL.replace(/\/+$/, '') : '';
}

export const REQUEST_TIMEOUT_MS = 15000;

/** The gateway's error body, if the value is one. */
export function gatewayError(body: unknown): { code: string; message: string } | undefined {
  const e = (body as { error?: unknown } | null)?.error as { code?: unknown; message?: unknown } | undefined;
  if (e && typeof e.code === 'string' && typeof e.message === 'string') return { code: e.code, message: e.message };
  return undefined;
}

/** Turns a non-2xx or error reply into a CloudCallError; returns the body otherwise. */
export function checkGatewayReply(statusCode: number, body: unknown): unknown {
  const err = gatewayError(body);
  if (statusCode === 401) throw new CloudCallError(err?.code ?? 'UNAUTHENTICATED', err?.message ?? MESSAGES.UNAUTHENTICATED);
  if (err) throw new CloudCallError(err.code, err.message || MESSAGES.SERVER);
  if (statusCode < 200 || statusCode >= 300) throw new CloudCallError('HTTP_' + statusCode, MESSAGES.SERVER);
  return body;
}

/** POST JSON to a gateway path; network failures become the Chinese network message. */
export async function postJson(path: string, body: unknown, token?: string): Promise<unknown> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let res: Taro.request.SuccessCallbackResult<any>;
  try {
    res = await Taro.request({
      url: `${gatewayBase()}${path}`,
      method: 'POST',
      data: body as Record<string, unknown>,
      header: {
        'Content-Type': 'application/json',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      dataType: 'json',
      timeout: REQUEST_TIMEOUT_MS,
    });
  } catch {
    throw new CloudCallError('NETWORK', MESSAGES.NETWORK);
  }
  if (!res || typeof res.statusCode !== 'number') throw new CloudCallError('NETWORK', MESSAGES.NETWORK);
  return checkGatewayReply(res.statusCode, res.data);
}
