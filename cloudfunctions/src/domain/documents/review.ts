/**
 * Staff review of identity documents: list and search what lies within the caller's scope (the
 * registered facts and this year's payment beside each file), open a file (its type checked
 * again), approve one or several, or send back for resubmission with a reason. Every change is
 * audited. Approved files are removed from storage after the retention period (retention.ts).
 */
import { createHash } from 'crypto';
import type { DocumentKind } from '../../contracts/resident';
import type { PendingDocument } from '../../contracts/staff';
import { AppError } from '../../platform/errors';
import { appendAudit } from '../audit/audit-log';
import { Acting, C } from '../context';
import { findByIdHash, sameName, type PersonDoc } from '../persons/persons';
import { decryptIdNumber, hashIdNumber } from '../identity/id-protection';
import { getEnrollment } from '../enrollments/enrollments';
import { today } from '../enrollments/person-quote';
import type { FamilyLinkDoc } from '../family/family';
import { STATUS_TEXT } from '../home/home';
import { currentBenefitYear } from '../policy-port';
import { OUT_OF_SCOPE, StaffRole } from '../staff/staff';
import { notOwnFamily, personDistrict, personInScope, requireStaff, Staff } from '../staff/scope';
import { verifyByApprovedDocument } from '../identity/verification';
import { DocumentDoc, sniff } from './documents';
import { tellUploader } from './rejection-message';

export type ReviewStatus = 'pending_review' | 'approved' | 'needs_resubmission';

/** Who may review documents: community and district staff (their district), the city centre (all). */
export const REVIEWER_ROLES: readonly StaffRole[] = ['community', 'district', 'city'];
/**
 * Minutes, not hours: the bytes were checked just before the URL was made, and a URL that
 * outlives the check by long would serve whatever the path holds later.
 */
const OPEN_URL_SECONDS = 120;
const SCAN_BATCH = 100;
const SCAN_MAX_BATCHES = 10;

function encodeCursor(d: Pick<DocumentDoc, 'uploadedAt' | '_id'>): string {
  return `${d.uploadedAt}|${d._id}`;
}

function decodeCursor(cursor: string | undefined): { at: string; id: string } | null {
  if (!cursor) return null;
  const [at, id] = cursor.split('|');
  if (!at || !id) throw new AppError('INVALID_INPUT', '翻页参数不正确，请刷新后重试', 'cursor');
  return { at, id };
}

async function personsById(deps: Acting, ids: string[]): Promise<Map<string, PersonDoc>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const found = await deps.db.find<PersonDoc>(C.persons, { _id: deps.db.cmd.in(unique) }, { limit: unique.length });
  return new Map(found.map((p) => [p._id, p]));
}

export interface ListFilters {
  status?: ReviewStatus;
  kind?: DocumentKind;
  /** Beijing dates, inclusive. */
  from?: string;
  to?: string;
  name?: string;
  idNumber?: string;
}

/** Start of a Beijing calendar day as an ISO instant (uploadedAt is stored in UTC). */
const beijingDayStart = (date: string) => new Date(`${date}T00:00:00+08:00`).toISOString();
const nextDay = (date: string) => new Date(new Date(`${date}T00:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);

/** Persons the staff member's own account has a link to: never in their queue (OWN_FAMILY). */
async function ownFamilyIds(deps: Acting, staff: Staff): Promise<Set<string>> {
  const links = await deps.db.find<FamilyLinkDoc>(C.familyLinks, { ownerOpenid: staff.openid }, { limit: 100 });
  return new Set(links.map((l) => l.personId));
}

function matches(doc: DocumentDoc, f: ListFilters, window: { from: string | null; to: string | null }): boolean {
  if (doc.status !== (f.status ?? 'pending_review')) return false;
  if (f.kind && doc.kind !== f.kind) return false;
  if (window.from && doc.uploadedAt < window.from) return false;
  if (window.to && doc.uploadedAt >= window.to) return false;
  return true;
}

const PAYMENT_TEXT: Record<string, string> = { ...STATUS_TEXT, open: '未参保', awaiting_payment: '待支付' };

/** What staff see beside the image: the registered facts and this year's payment. */
async function reviewItem(deps: Acting, doc: DocumentDoc, person: PersonDoc, benefitYear: number): Promise<PendingDocument> {
  let address: string | null = null;
  if (person.addressCipher) {
    try {
      address = decryptIdNumber(person.addressCipher);
    } catch {
      address = null;
    }
  }
  const enrollment = await getEnrollment(deps, person._id, benefitYear);
  const paymentStatus = enrollment?.status === 'open' || !enrollment ? 'not_enrolled' : enrollment.status;
  return {
    documentId: doc._id,
    personId: person._id,
    personName: person.name,
    idMasked: person.idMasked,
    district: personDistrict(person),
    kind: doc.kind,
    mime: doc.mime,
    uploadedAt: doc.uploadedAt,
    status: doc.status as ReviewStatus,
    reason: doc.reason,
    reviewedAt: doc.reviewedAt ?? null,
    address,
    community: person.community?.name ?? null,
    hukou: person.hukou,
    answers: person.answers,
    payment: { benefitYear, status: paymentStatus, text: PAYMENT_TEXT[paymentStatus] ?? paymentStatus },
    fileDeleted: !!doc.fileDeleted,
    fileMismatch: !!doc.fileMismatch,
  };
}

/**
 * The review list. With `name` or `idNumber` it is one lookup (the ID number only through its
 * keyed hash, the name by exact equality) and that person's documents; otherwise the queue is
 * scanned oldest first in batches, keeping what lies in the caller's scope — where the person
 * lives and registered (their community), not the division code of their ID number.
 */
export async function listPending(deps: Acting, limit: number, cursor?: string, filters: ListFilters = {}) {
  const staff = await requireStaff(deps, REVIEWER_ROLES);
  const own = await ownFamilyIds(deps, staff);
  const window = { from: filters.from ? beijingDayStart(filters.from) : null, to: filters.to ? beijingDayStart(nextDay(filters.to)) : null };
  const usable = (p: PersonDoc | undefined): p is PersonDoc => !!p && personInScope(staff, p) && !own.has(p._id);
  const benefitYear = currentBenefitYear(today(deps)).benefitYear;

  if (filters.name || filters.idNumber) {
    const persons = filters.idNumber
      ? [await findByIdHash(deps, hashIdNumber(filters.idNumber))].filter((p): p is PersonDoc => !!p)
      : await deps.db.find<PersonDoc>(C.persons, { name: filters.name!.trim() }, { limit: 20 });
    const items: PendingDocument[] = [];
    for (const person of persons.filter(usable)) {
      if (filters.name && filters.idNumber && !sameName(person.name, filters.name)) continue;
      const docs = await deps.db.find<DocumentDoc>(C.documents, { personId: person._id }, { orderBy: [['uploadedAt', 'asc']], limit: 100 });
      for (const doc of docs) if (matches(doc, filters, window) && items.length < limit) items.push(await reviewItem(deps, doc, person, benefitYear));
    }
    return { items, nextCursor: null };
  }

  let after = decodeCursor(cursor);
  const picked: Array<{ doc: DocumentDoc; person: PersonDoc }> = [];
  let exhausted = false;
  let lastScanned: DocumentDoc | null = null;
  for (let batch = 0; batch < SCAN_MAX_BATCHES && picked.length < limit; batch++) {
    const filter: Record<string, unknown> = { status: filters.status ?? 'pending_review' };
    if (filters.kind) filter.kind = filters.kind;
    const lower = [after?.at, window.from].filter((x): x is string => !!x).sort().pop();
    if (lower && window.to) filter.uploadedAt = deps.db.cmd.and(deps.db.cmd.gte(lower), deps.db.cmd.lt(window.to));
    else if (lower) filter.uploadedAt = deps.db.cmd.gte(lower);
    else if (window.to) filter.uploadedAt = deps.db.cmd.lt(window.to);
    const docs = (
      await deps.db.find<DocumentDoc>(C.documents, filter, { orderBy: [['uploadedAt', 'asc'], ['_id', 'asc']], limit: SCAN_BATCH })
    ).filter((d) => !after || d.uploadedAt > after.at || d._id > after.id);
    if (docs.length === 0) {
      exhausted = true;
      break;
    }
    const persons = await personsById(deps, docs.map((d) => d.personId));
    for (const doc of docs) {
      lastScanned = doc;
      const person = persons.get(doc.personId);
      if (usable(person) && matches(doc, filters, window)) picked.push({ doc, person });
      if (picked.length >= limit) break;
    }
    after = lastScanned ? { at: lastScanned.uploadedAt, id: lastScanned._id } : after;
  }
  const items = [];
  for (const { doc, person } of picked) items.push(await reviewItem(deps, doc, person, benefitYear));
  return { items, nextCursor: exhausted || !lastScanned ? null : encodeCursor(lastScanned) };
}

export const FILE_MISMATCH = () => new AppError('FILE_MISMATCH', '该文件与上传时的类型或内容不符，已停止显示，请要求居民重新上传');
export const FILE_DELETED = () => new AppError('FILE_DELETED', '该材料审核通过后已按规定从存储中删除');

/**
 * The stored bytes are read again and must still be what was checked at upload: the type by
 * its magic bytes (`sniff`), the size, and the SHA-256 where it was recorded. A file replaced
 * in storage after upload (same path, other bytes) is flagged, audited and never served.
 */
async function checkStoredFile(deps: Acting, doc: DocumentDoc, actor: string): Promise<void> {
  if (doc.fileDeleted) throw FILE_DELETED();
  if (doc.fileMismatch) throw FILE_MISMATCH();
  let bytes: Buffer | null;
  try {
    bytes = await deps.storage.download(doc.fileID);
  } catch {
    bytes = null;
  }
  const same =
    !!bytes && sniff(bytes) === doc.mime && bytes.length === doc.size && (!doc.sha256 || createHash('sha256').update(bytes).digest('hex') === doc.sha256);
  if (same) return;
  const now = deps.clock.now().toISOString();
  await deps.db.update(C.documents, doc._id, { fileMismatch: true, fileMismatchAt: now });
  await appendAudit(deps, {
    entity: 'document',
    entityId: doc._id,
    from: doc.status,
    to: 'file_mismatch',
    actor,
    reason: bytes ? `stored bytes are not the ${doc.mime} recorded at upload (sniffed ${sniff(bytes) ?? 'unknown'})` : 'stored file missing',
  });
  throw FILE_MISMATCH();
}

/** A short-lived URL of one document's file, after its type is checked again (see checkStoredFile). */
export async function openDocument(deps: Acting, documentId: string) {
  const staff = await requireStaff(deps, REVIEWER_ROLES);
  const doc = await deps.db.get<DocumentDoc>(C.documents, documentId);
  if (!doc) throw new AppError('DOCUMENT_NOT_FOUND', '材料不存在或已被替换，请刷新列表');
  const person = await deps.db.get<PersonDoc>(C.persons, doc.personId);
  if (!person || !personInScope(staff, person)) throw OUT_OF_SCOPE();
  await notOwnFamily(deps, staff, person._id);
  await checkStoredFile(deps, doc, staff.openid);
  return { documentId, mime: doc.mime, tempUrl: await deps.storage.tempUrl(doc.fileID, OPEN_URL_SECONDS), expiresInSeconds: OPEN_URL_SECONDS };
}

async function reviewable(deps: Acting, staff: Staff, documentId: string): Promise<DocumentDoc> {
  const doc = await deps.db.get<DocumentDoc>(C.documents, documentId);
  if (!doc) throw new AppError('DOCUMENT_NOT_FOUND', '材料不存在或已被替换，请刷新列表');
  const person = await deps.db.get<PersonDoc>(C.persons, doc.personId);
  // Out of scope answers like not found would leak nothing; a distinct code helps staff.
  if (!person || !personInScope(staff, person)) throw OUT_OF_SCOPE();
  await notOwnFamily(deps, staff, person._id);
  if (doc.status !== 'pending_review') throw new AppError('DOCUMENT_NOT_PENDING', '该材料已审核或已被替换，请刷新列表');
  return doc;
}

async function decide(deps: Acting, documentId: string, to: 'approved' | 'needs_resubmission', reason: string | null, known?: Staff) {
  const staff = known ?? (await requireStaff(deps, REVIEWER_ROLES));
  const doc = await reviewable(deps, staff, documentId);
  // Approval vouches for the bytes: they must still be the ones uploaded. Sending back needs no
  // file (a flagged one is exactly what gets sent back).
  if (to === 'approved') await checkStoredFile(deps, doc, staff.openid);
  const now = deps.clock.now().toISOString();
  // Re-checked inside the transaction: a concurrent review or a re-upload wins once.
  await deps.db.transaction(async (tx) => {
    const current = await tx.get<DocumentDoc>(C.documents, documentId);
    if (!current || current.status !== 'pending_review') {
      throw new AppError('DOCUMENT_NOT_PENDING', '该材料已审核或已被替换，请刷新列表');
    }
    await tx.update(C.documents, documentId, { status: to, reason, reviewedBy: staff.openid, reviewedAt: now });
  });
  await appendAudit(deps, {
    entity: 'document',
    entityId: documentId,
    from: 'pending_review',
    to,
    actor: staff.openid,
    reason: reason ?? `approved by ${staff.role} staff`,
  });
  return { documentId, status: to, reason };
}

export async function approveDocument(deps: Acting, documentId: string, known?: Staff) {
  const result = await decide(deps, documentId, 'approved', null, known);
  // An approved ID document verifies the uploader's own unverified self registration (issue 9).
  await verifyByApprovedDocument(deps, documentId);
  return result;
}

/**
 * Several approvals at once. Each document is checked on its own — scope, own family, still
 * pending, the file's bytes — and approved or refused with its own code: one document outside
 * the caller's scope does not hold up the others (the page shows which ones were refused).
 */
export async function approveMany(deps: Acting, documentIds: string[]) {
  const staff = await requireStaff(deps, REVIEWER_ROLES);
  const results = [];
  for (const documentId of documentIds) {
    try {
      await approveDocument(deps, documentId, staff);
      results.push({ documentId, ok: true as const, status: 'approved' as const });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      results.push({ documentId, ok: false as const, code: err.code, message: err.message });
    }
  }
  return { approved: results.filter((r) => r.ok).length, results };
}

export async function requestResubmission(deps: Acting, documentId: string, reason: string) {
  const result = await decide(deps, documentId, 'needs_resubmission', reason);
  // The uploader hears of it on the phone, not only on the home page (issue 10).
  await tellUploader(deps, documentId, reason);
  return result;
}
