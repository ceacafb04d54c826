/**
 * The H5 client's HTTP gateway (the local cloud, or any server speaking the same protocol).
 * Replies: 2xx with a JSON body, or any status with `{error: {code, message}}` (Chinese message).
 */
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

export interface HttpPost {
  url: string;
  data: unknown;
  header: Record<string, string>;
  timeout: number;
}

/**
 * One JSON POST over XMLHttpRequest, which every browser the H5 pages open in has. Taro.request
 * would put a fetch polyfill, an AbortController polyfill and a JSONP client (~25 KB) into the
 * entry script every page downloads and runs first (issue 15). Resolves with any status; rejects
 * only when no reply came (network down, timeout).
 */
function xhrPost({ url, data, header, timeout }: HttpPost): Promise<{ statusCode: number; data: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [k, v] of Object.entries(header)) xhr.setRequestHeader(k, v);
    xhr.timeout = timeout;
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        // Not JSON (a proxy's error page): the status decides.
      }
      resolve({ statusCode: xhr.status, data: body });
    };
    xhr.onerror = xhr.ontimeout = xhr.onabort = () => reject(new Error('no reply'));
    xhr.send(JSON.stringify(data ?? {}));
  });
}

/** The transport under postJson; an object so the web tests can stand in for the network. */
export const http = { post: xhrPost };

/** POST JSON to a gateway path; network failures become the Chinese network message. */
export async function postJson(path: string, body: unknown, token?: string): Promise<unknown> {
  let res: { statusCode: number; data: unknown };
  try {
    res = await http.post({
      url: `${gatewayBase()}${path}`,
      data: body,
      header: {
        'Content-Type': 'application/json',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      timeout: REQUEST_TIMEOUT_MS,
    });
  } catch {
    throw new CloudCallError('NETWORK', MESSAGES.NETWORK);
  }
  if (!res || typeof res.statusCode !== 'number') throw new CloudCallError('NETWORK', MESSAGES.NETWORK);
  return checkGatewayReply(res.statusCode, res.data);
}
