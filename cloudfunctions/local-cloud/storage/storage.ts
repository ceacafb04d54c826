/**
 * File storage: the SDK's upload path (storage.getUploadMetadata, then a PUT to the
 * URL it returns), expiring signed download URLs, deletion. Bytes live under
 * <data>/files/, metadata (path, size, content type, owner) in the journaled store.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'fs';
import { createHash } from 'crypto';
import { join } from 'path';
import type { Clock } from '../clock';
import { DbError, Store } from '../database/store';

export const FILES = '$files';
export const SDK_UPLOAD_CAP = 50 * 1024 * 1024;
const UPLOAD_TICKET_MS = 10 * 60 * 1000;
const DEFAULT_MAX_AGE = 24 * 3600;

export interface FileMeta {
  _id: string; // fileID
  cloudPath: string;
  size: number;
  contentType: string;
  owner?: string;
  uploadedAt: Date;
}

const MIME: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  txt: 'text/plain',
  json: 'application/json',
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function guessContentType(cloudPath: string, header?: string): string {
  if (header && header !== 'application/octet-stream' && !header.startsWith('multipart/')) return header;
  const ext = cloudPath.split('.').pop()?.toLowerCase() ?? '';
  return MIME[ext] ?? 'application/octet-stream';
}

export class StorageError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class Storage {
  private readonly dir: string;
  private tickets = new Map<string, { cloudPath: string; expires: number }>();

  constructor(
    dataDir: string,
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly signKey: string,
    private readonly baseUrl: () => string,
  ) {
    this.dir = join(dataDir, 'files');
    mkdirSync(this.dir, { recursive: true });
    store.createCollection(FILES);
  }

  static fileIdOf(cloudPath: string): string {
    return `cloud://local.local-bucket/${cloudPath.replace(/^\/+/, '')}`;
  }

  private blobPath(fileID: string): string {
    return join(this.dir, createHash('sha256').update(fileID).digest('hex'));
  }

  static validCloudPath(cloudPath: unknown): cloudPath is string {
    return typeof cloudPath === 'string' && cloudPath.length > 0 && cloudPath.length <= 850 && !cloudPath.split('/').includes('..');
  }

  /** storage.getUploadMetadata: a one-time upload ticket. */
  uploadMetadata(cloudPath: string): Record<string, any> {
    if (!Storage.validCloudPath(cloudPath)) throw new DbError('INVALID_PARAM', 'invalid cloudPath');
    const ticket = randomBytes(16).toString('hex');
    this.tickets.set(ticket, { cloudPath: cloudPath.replace(/^\/+/, ''), expires: Date.now() + UPLOAD_TICKET_MS });
    const fileId = Storage.fileIdOf(cloudPath);
    return {
      url: `${this.baseUrl()}/storage/upload/${ticket}`,
      token: ticket,
      authorization: `local-upload ${ticket}`,
      fileId,
      cosFileId: ticket,
      download_url: `${this.baseUrl()}/storage/object/${encodeURIComponent(cloudPath)}`,
    };
  }

  /** The PUT of the SDK's upload path. */
  completeUpload(ticket: string, body: Buffer, contentType?: string): FileMeta {
    const t = this.tickets.get(ticket);
    if (!t || t.expires < Date.now()) throw new StorageError(403, 'AccessDenied', 'Upload ticket is invalid or expired');
    this.tickets.delete(ticket);
    return this.put(t.cloudPath, body, guessContentType(t.cloudPath, contentType));
  }

  /** Stores bytes (write to a temp file, fsync, rename), then records the metadata. */
  put(cloudPath: string, body: Buffer, contentType: string, owner?: string): FileMeta {
    if (!Storage.validCloudPath(cloudPath)) throw new StorageError(400, 'InvalidArgument', 'invalid cloudPath');
    const fileID = Storage.fileIdOf(cloudPath);
    const target = this.blobPath(fileID);
    const tmp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      let off = 0;
      while (off < body.length) off += writeSync(fd, body, off, body.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
    const meta: FileMeta = { _id: fileID, cloudPath: cloudPath.replace(/^\/+/, ''), size: body.length, contentType, uploadedAt: this.clock.now() };
    if (owner) meta.owner = owner;
    this.store.write([{ c: FILES, id: fileID, doc: meta as any }]);
    return meta;
  }

  meta(fileID: string): FileMeta | undefined {
    return this.store.getById(FILES, fileID) as FileMeta | undefined;
  }

  private sign(fileID: string, expires: number): string {
    return createHmac('sha256', this.signKey).update(`${fileID}\n${expires}`).digest('base64url');
  }

  tempUrl(fileID: string, maxAgeSeconds?: number): string | undefined {
    if (!this.meta(fileID)) return undefined;
    const maxAge = Number(maxAgeSeconds) > 0 ? Number(maxAgeSeconds) : DEFAULT_MAX_AGE;
    const expires = Math.floor(this.clock.now().getTime() / 1000) + maxAge;
    const id = Buffer.from(fileID).toString('base64url');
    return `${this.baseUrl()}/storage/download/${id}?t=${expires}&sign=${this.sign(fileID, expires)}`;
  }

  /** storage.batchGetDownloadUrl */
  batchTempUrls(list: Array<{ fileid: string; max_age?: number }>): Array<Record<string, any>> {
    return (list ?? []).map((f) => {
      const url = this.tempUrl(f.fileid, f.max_age);
      return url
        ? { fileID: f.fileid, tempFileURL: url, code: 'SUCCESS', maxAge: Number(f.max_age) > 0 ? Number(f.max_age) : DEFAULT_MAX_AGE }
        : { fileID: f.fileid, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST', message: 'file not exist' };
    });
  }

  /** Serves a signed download; throws StorageError for a bad or expired link. */
  download(idSegment: string, t: string | null, sign: string | null): { meta: FileMeta; body: Buffer } {
    let fileID: string;
    try {
      fileID = Buffer.from(idSegment, 'base64url').toString('utf8');
    } catch {
      throw new StorageError(404, 'NoSuchKey', 'The specified key does not exist.');
    }
    const expires = Number(t);
    if (!t || !sign || !Number.isFinite(expires)) throw new StorageError(403, 'AccessDenied', 'Access Denied.');
    const expected = Buffer.from(this.sign(fileID, expires));
    const given = Buffer.from(sign);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new StorageError(403, 'AccessDenied', 'Access Denied.');
    if (this.clock.now().getTime() / 1000 > expires) throw new StorageError(403, 'AccessDenied', 'Request has expired');
    const meta = this.meta(fileID);
    const path = this.blobPath(fileID);
    if (!meta || !existsSync(path)) throw new StorageError(404, 'NoSuchKey', 'The specified key does not exist.');
    return { meta, body: readFileSync(path) };
  }

  /** storage.batchDeleteFile */
  deleteFiles(fileIDs: string[]): Array<Record<string, any>> {
    return (fileIDs ?? []).map((fileID) => {
      if (!this.meta(fileID)) return { fileID, code: 'STORAGE_FILE_NONEXIST', message: 'file not exist' };
      this.store.write([{ c: FILES, id: fileID, doc: undefined }]);
      rmSync(this.blobPath(fileID), { force: true });
      return { fileID, code: 'SUCCESS' };
    });
  }
}
