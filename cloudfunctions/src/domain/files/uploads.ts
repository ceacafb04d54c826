/**
 * Staff uploads of spreadsheets (imports). The page asks for a ticket (`uploadTicket`), uploads
 * to that path in storage (weapp: wx.cloud.uploadFile after chooseMessageFile; H5: the gateway),
 * and passes the fileID to the import action, which reads the bytes through the storage port.
 *
 * The folder is a keyed hash of the staff member's openid: paths never carry the openid, and a
 * fileID outside the caller's own folder is refused (a staff member cannot make the function read
 * a file someone else uploaded). With storage permission 仅创建者可读写 only the uploader can
 * read or overwrite it from a client; the import records the file's SHA-256 at start, so a file
 * overwritten afterwards does not change what was imported (issue 14).
 */
import { randomBytes, createHash } from 'crypto';
import { AppError } from '../../platform/errors';
import { keyedHash } from '../identity/id-protection';
import { Deps } from '../context';

/** The gateway and wx.cloud.uploadFile both take up to 10 MB; 50,000 list rows are ~4 MB of csv. */
export const MAX_SHEET_BYTES = 10 * 1024 * 1024;

export function staffFolder(openid: string): string {
  return `staff-files/${keyedHash('openid', openid).slice(0, 32)}`;
}

export function uploadTicket(openid: string, ext: 'xlsx' | 'csv'): { cloudPath: string; maxBytes: number } {
  return { cloudPath: `${staffFolder(openid)}/${randomBytes(12).toString('hex')}.${ext}`, maxBytes: MAX_SHEET_BYTES };
}

const NOT_YOURS = () => new AppError('FILE_NOT_FOUND', '文件没有上传成功，请重新上传', 'fileID');

/** Whether the fileID (cloud://<env>/<path>) lies in the caller's own staff folder. */
export function inOwnFolder(openid: string, fileID: string): boolean {
  const m = /^cloud:\/\/[^/]+\/(staff-files\/[0-9a-f]{32})\/[0-9a-f]{24}\.(xlsx|csv)$/.exec(fileID);
  return !!m && m[1] === staffFolder(openid);
}

/** The uploaded bytes and their SHA-256 (the import's idempotency key). */
export async function readOwnUpload(deps: Pick<Deps, 'storage'>, openid: string, fileID: string): Promise<{ bytes: Buffer; sha256: string }> {
  if (!inOwnFolder(openid, fileID)) throw NOT_YOURS();
  let bytes: Buffer;
  try {
    bytes = await deps.storage.download(fileID);
  } catch {
    throw NOT_YOURS();
  }
  if (!bytes || bytes.length === 0) throw NOT_YOURS();
  if (bytes.length > MAX_SHEET_BYTES) throw new AppError('FILE_TOO_LARGE', '文件不能超过 10 MB，请分成几个文件上传', 'fileID');
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}
