/** Small HTTP helpers shared by the SDK endpoint and the gateway. */
import type { IncomingMessage, ServerResponse } from 'http';
import busboy from 'busboy';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', '请求内容过大'));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => !failed && resolve(Buffer.concat(chunks)));
    req.on('error', (e) => !failed && reject(e));
  });
}

/**
 * Deepest nesting a JSON body may have. Real events and SDK requests stay under 10 levels; a body
 * thousands of levels deep would overflow the stack later (structured copies, the functions' IPC,
 * query matching), so it is answered 400 here.
 */
export const MAX_JSON_DEPTH = 64;

/** True when a parsed JSON value nests deeper than `max` (iterative: it cannot overflow itself). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as object)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** Parses JSON text; 400 BAD_REQUEST when malformed, 400 TOO_DEEP beyond MAX_JSON_DEPTH. */
export function parseJsonText(text: string): any {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', '请求格式错误');
  }
  if (nestedDeeperThan(value, MAX_JSON_DEPTH)) throw new HttpError(400, 'TOO_DEEP', `请求内容嵌套过深（最多 ${MAX_JSON_DEPTH} 层）`);
  return value;
}

export async function readJson(req: IncomingMessage, limit = 1024 * 1024): Promise<any> {
  const body = await readBody(req, limit);
  if (body.length === 0) return {};
  return parseJsonText(body.toString('utf8'));
}

export interface MultipartFile {
  field: string;
  filename?: string;
  mimeType: string;
  data: Buffer;
  truncated: boolean;
}

/** Parses multipart/form-data: text fields as strings, file parts as buffers. */
export function readMultipart(req: IncomingMessage, fileLimit: number): Promise<{ fields: Record<string, string>; files: MultipartFile[] }> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { fileSize: fileLimit, fields: 50, files: 5, fieldSize: 25 * 1024 * 1024 } });
    } catch {
      reject(new HttpError(400, 'BAD_REQUEST', '请求格式错误'));
      return;
    }
    const fields: Record<string, string> = {};
    const files: MultipartFile[] = [];
    bb.on('field', (name, value) => {
      fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      const file: MultipartFile = { field: name, filename: info.filename, mimeType: info.mimeType, data: Buffer.alloc(0), truncated: false };
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => {
        file.truncated = true;
      });
      stream.on('end', () => {
        file.data = Buffer.concat(chunks);
        files.push(file);
      });
    });
    bb.on('close', () => resolve({ fields, files }));
    bb.on('error', () => reject(new HttpError(400, 'BAD_REQUEST', '请求格式错误')));
    req.pipe(bb);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}
