/**
 * Staff review of identity documents: list what awaits review within the caller's scope,
 * approve, or send back for resubmission with a reason. Every change is audited.
 */
import { AppError } from '../../platform/errors';
import { appendAudit } from '../audit/audit-log';
import { Acting, C } from '../context';
import type { PersonDoc } from '../persons/persons';
import { districtInScope, OUT_OF_SCOPE, requireStaff, StaffDoc, StaffRole } from '../staff/staff';
import { verifyByApprovedDocument } from '../identity/verification';
import type { DocumentDoc } from './documents';

/** Who may review documents: community and district staff (their district), the city centre (all). */
export const REVIEWER_ROLES: readonly StaffRole[] = ['community', 'district', 'city'];
const TEMP_URL_SECONDS = 600;
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

export async function listPending(deps: Acting, limit: number, cursor?: string) {
  const staff = await requireStaff(deps, REVIEWER_ROLES);
  let after = decodeCursor(cursor);
  const picked: Array<{ doc: DocumentDoc; person: PersonDoc }> = [];
  let exhausted = false;
  let lastScanned: DocumentDoc | null = null;
  for (let batch = 0; batch < SCAN_MAX_BATCHES && picked.length < limit; batch++) {
    const filter: Record<string, unknown> = { status: 'pending_review' };
    if (after) filter.uploadedAt = deps.db.cmd.gte(after.at);
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
      if (person && districtInScope(staff, person.district)) picked.push({ doc, person });
      if (picked.length >= limit) break;
    }
    after = lastScanned ? { at: lastScanned.uploadedAt, id: lastScanned._id } : after;
  }
  const items = [];
  for (const { doc, person } of picked) {
    items.push({
      documentId: doc._id,
      personId: person._id,
      personName: person.name,
      idMasked: person.idMasked,
      district: person.district,
      kind: doc.kind,
      mime: doc.mime,
      uploadedAt: doc.uploadedAt,
      tempUrl: await deps.storage.tempUrl(doc.fileID, TEMP_URL_SECONDS),
    });
  }
  return { items, nextCursor: exhausted || !lastScanned ? null : encodeCursor(lastScanned) };
}

async function reviewable(deps: Acting, staff: StaffDoc, documentId: string): Promise<DocumentDoc> {
  const doc = await deps.db.get<DocumentDoc>(C.documents, documentId);
  if (!doc) throw new AppError('DOCUMENT_NOT_FOUND', '材料不存在或已被替换，请刷新列表');
  const person = await deps.db.get<PersonDoc>(C.persons, doc.personId);
  // Out of scope answers like not found would leak nothing; a distinct code helps staff.
  if (!person || !districtInScope(staff, person.district)) throw OUT_OF_SCOPE();
  if (doc.status !== 'pending_review') throw new AppError('DOCUMENT_NOT_PENDING', '该材料已审核或已被替换，请刷新列表');
  return doc;
}

async function decide(deps: Acting, documentId: string, to: 'approved' | 'needs_resubmission', reason: string | null) {
  const staff = await requireStaff(deps, REVIEWER_ROLES);
  await reviewable(deps, staff, documentId);
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

export async function approveDocument(deps: Acting, documentId: string) {
  const result = await decide(deps, documentId, 'approved', null);
  // An approved ID document verifies the uploader's own unverified self registration (issue 9).
  await verifyByApprovedDocument(deps, documentId);
  return result;
}

export function requestResubmission(deps: Acting, documentId: string, reason: string) {
  return decide(deps, documentId, 'needs_resubmission', reason);
}
