/**
 * Identity documents of new enrollees (POLICY §4: upload of an ID card, hukou booklet or
 * residence permit). Private files: JPEG/PNG/PDF only, at most 5 MB, checked on the server by
 * their first bytes (not by the name the client gave). A document belongs to the person: any
 * account that acts for them may replace it, but only the uploader's own earlier file is
 * deleted; another account's upload stays in storage (status `replaced`) as the record of what
 * staff saw.
 */
import { createHash, randomBytes } from 'crypto';
import type { DocumentKind, DocumentView } from '../../contracts/resident';
import { AppError } from '../../platform/errors';
import { appendAudit } from '../audit/audit-log';
import { Acting, C, Deps } from '../context';
import { linkOf, statusOf } from '../family/family';
import { keyedHash } from '../identity/id-protection';

export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

export type DocumentStatus = 'pending_review' | 'approved' | 'needs_resubmission' | 'replaced';

export interface DocumentDoc {
  _id: string;
  personId: string;
  kind: DocumentKind;
  fileID: string;
  mime: 'image/jpeg' | 'image/png' | 'application/pdf';
  size: number;
  status: DocumentStatus;
  reason: string | null;
  uploadedBy: string;
  uploadedAt: string;
  reviewedBy?: string;
  reviewedAt?: string;
  replacedAt?: string;
  replacedBy?: string;
  /** false: the file is kept because another account uploaded it; true: removed from storage. */
  fileDeleted?: boolean;
  /** When the retention sweep removed the file (approved documents, issue 11). */
  fileDeletedAt?: string;
  /** SHA-256 of the bytes checked at upload (absent on older records: type and size only). */
  sha256?: string;
  /** The stored bytes stopped matching what was recorded at upload: never served again. */
  fileMismatch?: boolean;
  fileMismatchAt?: string;
}

/** Folder of a user's uploads: a keyed hash, so paths never carry the openid. */
export function uploadFolder(openid: string): string {
  return `documents/${keyedHash('openid', openid).slice(0, 32)}`;
}

export function newCloudPath(openid: string, ext: string): string {
  return `${uploadFolder(openid)}/${randomBytes(12).toString('hex')}.${ext === 'jpeg' ? 'jpg' : ext}`;
}

/** The file type by its magic bytes, or null. */
export function sniff(bytes: Buffer): DocumentDoc['mime'] | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 4 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  if (bytes.length >= 4 && bytes.subarray(0, 4).toString('latin1') === '%PDF') return 'application/pdf';
  return null;
}

const REFUSED = () => new AppError('INVALID_FILE', '只能上传 JPG、PNG 图片或 PDF 文件，且不超过 5 MB', 'fileID');
const NOT_UPLOADED = () => new AppError('FILE_NOT_FOUND', '文件没有上传成功，请重新上传', 'fileID');

/** The upload folder a fileID lies in (cloud://<env>/<folder>/<name>), or null. */
function folderOf(fileID: string): string | null {
  return /^cloud:\/\/[^/]+\/(documents\/[^/]+)\/[^/]+$/.exec(fileID)?.[1] ?? null;
}

export function view(doc: DocumentDoc): DocumentView {
  return {
    documentId: doc._id,
    kind: doc.kind,
    status: doc.status === 'replaced' ? 'pending_review' : doc.status,
    reason: doc.reason,
    uploadedAt: doc.uploadedAt,
  };
}

/** Current (not replaced) documents of a person. */
export async function documentsOf(deps: Pick<Deps, 'db'>, personId: string): Promise<DocumentDoc[]> {
  const all = await deps.db.find<DocumentDoc>(C.documents, { personId }, { orderBy: [['uploadedAt', 'asc']], limit: 100 });
  return all.filter((d) => d.status !== 'replaced');
}

/** A usable document: uploaded and not sent back for resubmission. */
export function hasUsableDocument(docs: DocumentDoc[]): boolean {
  return docs.some((d) => d.status === 'pending_review' || d.status === 'approved');
}

export async function attachDocument(deps: Acting, personId: string, kind: DocumentKind, fileID: string): Promise<DocumentView> {
  // Only files in the caller's own upload folder can be attached: another account's file is
  // refused like a missing one, so the answer says nothing about what others uploaded.
  if (folderOf(fileID) !== uploadFolder(deps.caller.openid)) throw NOT_UPLOADED();
  let bytes: Buffer;
  try {
    bytes = await deps.storage.download(fileID);
  } catch {
    throw NOT_UPLOADED();
  }
  const mime = sniff(bytes);
  if (!mime || bytes.length > MAX_DOCUMENT_BYTES || bytes.length === 0) {
    await deps.storage.remove([fileID]).catch(() => undefined);
    throw REFUSED();
  }
  const now = deps.clock.now().toISOString();
  const doc: Omit<DocumentDoc, '_id'> = {
    personId,
    kind,
    fileID,
    mime,
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    status: 'pending_review',
    reason: null,
    uploadedBy: deps.caller.openid,
    uploadedAt: now,
  };
  const id = await deps.db.insert(C.documents, doc);
  // A new upload of the same kind replaces the old one, if the caller's authorization is active:
  // a parent whose claim is still pending adds evidence beside the other parent's, replacing
  // nothing. Only the caller's own earlier file is deleted: another account's upload (perhaps
  // already approved) is kept.
  const link = await linkOf(deps, deps.caller.openid, personId);
  const replaces = link !== null && statusOf(link) === 'active';
  const previous = replaces ? (await documentsOf(deps, personId)).filter((d) => d.kind === kind && d._id !== id) : [];
  for (const old of previous) {
    const own = old.uploadedBy === deps.caller.openid;
    await deps.db.update(C.documents, old._id, { status: 'replaced', replacedAt: now, replacedBy: id, fileDeleted: own });
    if (own) await deps.storage.remove([old.fileID]).catch(() => undefined);
    await appendAudit(deps, {
      entity: 'document',
      entityId: old._id,
      from: old.status,
      to: 'replaced',
      actor: deps.caller.openid,
      reason: own ? 'the uploader uploaded a new file; old file deleted' : "another account uploaded a new file; the earlier upload is kept",
    });
  }
  await appendAudit(deps, { entity: 'document', entityId: id, from: null, to: 'pending_review', actor: deps.caller.openid, reason: `uploaded ${kind}` });
  return view({ ...doc, _id: id });
}
