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

export async function readJson(req: IncomingMessage, limit = 1024 * 1024): Promise<any> {
  const body = await readBody(req, limit);
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', '请求格式错误');
  }
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
