/**
 * Staff decide disputed claims on a person (a second, unrelated family claiming a child; an
 * unverified claim a verified self-claim displaced; an unverified self claim on an existing
 * record) and see identity-guessing alerts. Role and scope as for document review; every
 * decision is audited with its reason.
 */
import type { DisputeItem } from '../../contracts/staffIdentity';
import { AppError } from '../../platform/errors';
import { Acting, C } from '../context';
import type { DocumentDoc } from '../documents/documents';
import { REVIEWER_ROLES } from '../documents/review';
import type { PersonDoc } from '../persons/persons';
import { districtInScope, OUT_OF_SCOPE, requireStaff } from '../staff/staff';
import { actorLabel } from './authorizations';
import { basisOf, FamilyLinkDoc, setLinkStatus, statusOf } from './family';
import { hashIdNumber } from '../identity/id-protection';
import { verifiedPersonOf } from '../identity/verification';
import { findByIdHash } from '../persons/persons';

const DISPUTE_NOT_FOUND = () => new AppError('DISPUTE_NOT_FOUND', '该争议不存在或已处理，请刷新列表', 'linkId');

export async function listDisputes(deps: Acting, limit: number): Promise<{ items: DisputeItem[] }> {
  const staff = await requireStaff(deps, REVIEWER_ROLES);
  const links = await deps.db.find<FamilyLinkDoc>(C.familyLinks, { status: 'disputed' }, { orderBy: [['updatedAt', 'asc']], limit: 100 });
  const items: DisputeItem[] = [];
  for (const l of links) {
    if (items.length >= limit) break;
    const person = await deps.db.get<PersonDoc>(C.persons, l.personId);
    if (!person || !districtInScope(staff, person.district)) continue;
    const all = await deps.db.find<FamilyLinkDoc>(C.familyLinks, { personId: l.personId }, { limit: 100 });
    const docs = await deps.db.find<DocumentDoc>(C.documents, { personId: l.personId, uploadedBy: l.ownerOpenid }, { limit: 20 });
    const others = [];
    for (const o of all) {
      if (o._id === l._id) continue;
      others.push({ relation: o.relation, basis: basisOf(o), status: statusOf(o), claimantLabel: await actorLabel(deps, o.ownerOpenid) });
    }
    items.push({
      linkId: l._id,
      personId: person._id,
      personName: person.name,
      idMasked: person.idMasked,
      district: person.district,
      relation: l.relation,
      basis: basisOf(l),
      claimantLabel: await actorLabel(deps, l.ownerOpenid),
      claimedName: l.claimedName && l.claimedName !== person.name ? l.claimedName : null,
      claimantVerified: !!(await verifiedPersonOf(deps, l.ownerOpenid)),
      evidenceDocumentIds: docs.filter((d) => d.status !== 'replaced').map((d) => d._id),
      others,
      since: (l as { updatedAt?: string }).updatedAt ?? l.createdAt,
    });
  }
  return { items };
}

export async function resolveDispute(deps: Acting, linkId: string, decision: 'grant' | 'revoke', reason: string) {
  const staff = await requireStaff(deps, REVIEWER_ROLES);
  const link = await deps.db.get<FamilyLinkDoc>(C.familyLinks, linkId);
  if (!link || statusOf(link) !== 'disputed') throw DISPUTE_NOT_FOUND();
  const person = await deps.db.get<PersonDoc>(C.persons, link.personId);
  if (!person) throw DISPUTE_NOT_FOUND();
  if (!districtInScope(staff, person.district)) throw OUT_OF_SCOPE();
  const status = decision === 'grant' ? 'active' : 'revoked';
  await setLinkStatus(deps, link, status, `staff decision (${staff.role}): ${reason}`, { decidedBy: deps.caller.openid, decisionReason: reason });
  return { linkId, status } as const;
}

export async function listAlerts(deps: Acting, limit: number) {
  await requireStaff(deps, REVIEWER_ROLES);
  const rows = await deps.db.find<{ _id: string; scope: 'per_account' | 'per_id'; failures: number; at: string }>(C.staffAlerts, { kind: 'identity_guessing' }, { orderBy: [['at', 'desc']], limit });
  return { items: rows.map((r) => ({ alertId: r._id, kind: 'identity_guessing' as const, scope: r.scope, failures: r.failures, at: r.at })) };
}

/** Who may record a signed authorization at the desk: community and district staff, the city centre. */
const DESK_ROLES = REVIEWER_ROLES;

export async function deskPending(deps: Acting, idNumber: string) {
  const staff = await requireStaff(deps, DESK_ROLES);
  const person = await findByIdHash(deps, hashIdNumber(idNumber));
  if (!person) return { items: [] };
  if (!districtInScope(staff, person.district)) throw OUT_OF_SCOPE();
  const links = await deps.db.find<FamilyLinkDoc>(C.familyLinks, { personId: person._id, status: 'pending' }, { limit: 100 });
  const items = [];
  for (const l of links) {
    if (basisOf(l) !== 'adult_authorized') continue;
    items.push({ linkId: l._id, personId: person._id, personName: person.name, idMasked: person.idMasked, relation: l.relation, claimantLabel: await actorLabel(deps, l.ownerOpenid), since: l.createdAt });
  }
  return { items };
}

export async function deskAuthorize(deps: Acting, linkId: string, reason: string) {
  const staff = await requireStaff(deps, DESK_ROLES);
  const link = await deps.db.get<FamilyLinkDoc>(C.familyLinks, linkId);
  if (!link || statusOf(link) !== 'pending' || basisOf(link) !== 'adult_authorized') {
    throw new AppError('AUTHORIZATION_NOT_FOUND', '未找到待确认的授权，请刷新后重试', 'linkId');
  }
  const person = await deps.db.get<PersonDoc>(C.persons, link.personId);
  if (!person) throw new AppError('AUTHORIZATION_NOT_FOUND', '未找到待确认的授权，请刷新后重试', 'linkId');
  if (!districtInScope(staff, person.district)) throw OUT_OF_SCOPE();
  await setLinkStatus(deps, link, 'active', `signed authorization recorded at the desk (${staff.role}): ${reason}`, { basis: 'desk_authorized', decidedBy: deps.caller.openid });
  await deps.db.updateWhere(C.invitations, { linkId, status: 'open' }, { status: 'superseded' });
  return { linkId, status: 'active' as const };
}
