/**
 * The one client for cloud functions and file storage.
 *
 * - weapp: `Taro.cloud.callFunction` / `Taro.cloud.uploadFile` (wx.cloud; the caller is the
 *   WeChat user, known to the cloud).
 * - H5: the local cloud's gateway, `POST ${LOCAL_CLOUD_URL}/api/functions/<name>` with the
 *   bearer token of the local sign-in; reply `{result}` or `{error: {code, message}}`.
 *
 * Every function replies with the envelope of `@contracts/envelope` ({ok, data} | {ok, error});
 * the reply is parsed with the function's data schema, and every failure becomes a
 * `CloudCallError` whose message is plain Chinese.
 */
import Taro from '@tarojs/taro';
import type { z } from 'zod';
import { replyEnvelope } from '@contracts/envelope';
import { CloudCallError, MESSAGES, weappCallError } from './errors';
import { takeArrivedEarlyCall, takeEarlyCall } from './early-call';
import { checkGatewayReply, gatewayBase, postJson, REQUEST_TIMEOUT_MS } from './gateway';
import { logout, sessionToken } from './session';

export { CloudCallError, MESSAGES } from './errors';

const isWeapp = (): boolean => process.env.TARO_ENV === 'weapp';

/** Parses a function's raw result with the envelope around `dataSchema`; throws on failure. */
export function unwrapReply<Res>(result: unknown, dataSchema: z.ZodType<Res>): Res {
  const parsed = replyEnvelope(dataSchema).safeParse(result);
  if (!parsed.success) throw new CloudCallError('BAD_REPLY', MESSAGES.BAD_REPLY);
  const reply = parsed.data as { ok: true; data: Res } | { ok: false; error: { code: string; message: string; field?: string } };
  if (!reply.ok) throw new CloudCallError(reply.error.code, reply.error.message || MESSAGES.SERVER, reply.error.field);
  return reply.data;
}

/**
 * Calls cloud function `name` with `event`; `replySchema` is the schema of the reply's `data`
 * (the envelope is added here). Resolves with the parsed data, or throws CloudCallError.
 */
export async function callFunction<Req, Res>(name: string, event: Req, replySchema: z.ZodType<Res>): Promise<Res> {
  let result: unknown;
  if (isWeapp()) {
    try {
      const res = await Taro.cloud.callFunction({ name, data: (event ?? {}) as Record<string, unknown> });
      result = (res as { result?: unknown }).result;
    } catch (e) {
      throw weappCallError(e);
    }
    try {
      return unwrapReply(result, replySchema);
    } catch (e) {
      // weapp has no sign-in: a function that cannot see the caller must not ask for one.
      if (e instanceof CloudCallError && e.code === 'UNAUTHENTICATED') throw new CloudCallError(e.code, MESSAGES.WEAPP_IDENTITY, e.field);
      throw e;
    }
  } else {
    let body: unknown;
    try {
      const token = sessionToken();
      // The home's call may already be on its way (app.ts, early-call.ts).
      body = await (takeEarlyCall(name, event ?? {}, token) ?? postJson(`/api/functions/${encodeURIComponent(name)}`, event ?? {}, token));
    } catch (e) {
      // An expired or unknown token: forget it, so the page shows the sign-in form.
      if (e instanceof CloudCallError && e.code === 'UNAUTHENTICATED') logout();
      throw e;
    }
    result = gatewayResult(body);
  }
  return unwrapReply(result, replySchema);
}

/** The function's result inside the gateway's body `{result}`. */
function gatewayResult(body: unknown): unknown {
  if (!body || typeof body !== 'object' || !('result' in body)) throw new CloudCallError('BAD_REPLY', MESSAGES.BAD_REPLY);
  return (body as { result: unknown }).result;
}

/**
 * H5: the reply of exactly this call when the early call (early-call.ts) has already brought it,
 * parsed and checked as callFunction does, so a page can start with its data instead of a
 * loading state (issue 15). Undefined when there is none: call callFunction then.
 */
export function arrivedReply<Req, Res>(name: string, event: Req, replySchema: z.ZodType<Res>): { data: Res } | { error: unknown } | undefined {
  if (isWeapp()) return undefined;
  const arrived = takeArrivedEarlyCall(name, event ?? {}, sessionToken());
  if (!arrived) return undefined;
  try {
    return { data: unwrapReply(gatewayResult(arrived.body), replySchema) };
  } catch (error) {
    return { error };
  }
}

/** A file picked in the browser, or a local/temporary path (weapp temp path, H5 blob: URL). */
export type UploadSource = string | Blob;

/** Uploads a file to the cloud storage at `cloudPath`; resolves with its fileID. */
export async function uploadFile(source: UploadSource, cloudPath: string): Promise<{ fileID: string }> {
  if (isWeapp()) {
    if (typeof source !== 'string') throw new CloudCallError('UPLOAD', MESSAGES.UPLOAD);
    try {
      const res = await Taro.cloud.uploadFile({ cloudPath, filePath: source });
      if (!res.fileID) throw new Error('no fileID');
      return { fileID: res.fileID };
    } catch (e) {
      throw weappCallError(e, 'UPLOAD');
    }
  }

  let blob: Blob;
  let filename = cloudPath.split('/').pop() || 'file';
  try {
    if (typeof source === 'string') {
      blob = await (await fetch(source)).blob();
    } else {
      blob = source;
      if (typeof File !== 'undefined' && source instanceof File && source.name) filename = source.name;
    }
  } catch {
    throw new CloudCallError('UPLOAD', '读取文件失败，请重新选择');
  }
  const form = new FormData();
  form.append('cloudPath', cloudPath);
  form.append('file', blob, filename);
  const token = sessionToken();
  let status: number;
  let body: unknown;
  try {
    const ctrl = typeof AbortController !== 'undefined' ? new AbortController() : undefined;
    const timer = ctrl ? setTimeout(() => ctrl.abort(), REQUEST_TIMEOUT_MS * 4) : undefined;
    try {
      const res = await fetch(`${gatewayBase()}/api/storage/upload`, {
        method: 'POST',
        body: form,
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        signal: ctrl?.signal,
      });
      status = res.status;
      body = await res.json().catch(() => null);
    } finally {
      if (timer) clearTimeout(timer);
    }
  } catch {
    throw new CloudCallError('NETWORK', MESSAGES.NETWORK);
  }
  const ok = checkGatewayReply(status, body) as { fileID?: unknown } | null;
  if (!ok || typeof ok.fileID !== 'string') throw new CloudCallError('BAD_REPLY', MESSAGES.BAD_REPLY);
  return { fileID: ok.fileID };
}
