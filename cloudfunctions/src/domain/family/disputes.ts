/**
 * Staff decide disputed claims on a person (a second, unrelated family claiming a child; an
 * unverified claim a verified self-claim displaced; an unverified self claim on an existing
 * record) and see identity-guessing alerts. Role and scope as for document review; every
 * decision is audited with its reason.
 */
import type { DisputeItem, EvidenceDocument } from '../../contracts/staffIdentity';
import { AppError } from '../../platform/errors';
import { Acting, C } from '../context';
import type { DocumentDoc } from '../documents/documents';
import { REVIEWER_ROLES } from '../documents/review';
import type { PersonDoc } from '../persons/persons';
import { OUT_OF_SCOPE } from '../staff/staff';
import { notOwnFamily, personInScope, requireStaff } from '../staff/scope';
import { actorLabel } from './authorizations';
import { basisOf, FamilyLinkDoc, linksOnPerson, setLinkStatus, statusOf } from './family';
import { hashIdNumber } from '../identity/id-protection';
import { maskName, verifiedPersonOf } from '../identity/verification';
import type { UserDoc } from '../consent/consent';
import { subscribeMessage } from '../reminders/templates';
import { findByIdHash } from '../persons/persons';

const DISPUTE_NOT_FOUND = () => new AppError('DISPUTE_NOT_FOUND', '该争议不存在或已处理，请刷新列表', 'linkId');

/** A claimant's documents for the person: files open through staffDocuments.openDocument only. */
async function evidenceOf(deps: Acting, personId: string, ownerOpenid: string): Promise<EvidenceDocument[]> {
  const docs = await deps.db.find<DocumentDoc>(C.documents, { personId, uploadedBy: ownerOpenid }, { orderBy: [['uploadedAt', 'asc']], limit: 20 });
  return docs.map((d) => ({
    documentId: d._id,
    kind: d.kind,
    mime: d.mime,
    status: d.status,
    uploadedAt: d.uploadedAt,
    fileDeleted: !!d.fileDeleted,
    fileMismatch: !!d.fileMismatch,
  }));
}

export async function listDisputes(deps: Acting, limit: number): Promise<{ items: DisputeItem[] }> {
  const staff = await requireStaff(deps, REVIEWER_ROLES);
  const links = await deps.db.find<FamilyLinkDoc>(C.familyLinks, { status: 'disputed' }, { orderBy: [['updatedAt', 'asc']], limit: 100 });
  // Staff never decide on their own family: those disputes are left to a colleague.
  const own = new Set((await deps.db.find<FamilyLinkDoc>(C.familyLinks, { ownerOpenid: staff.openid }, { limit: 100 })).map((l) => l.personId));
  const items: DisputeItem[] = [];
  for (const l of links) {
    if (items.length >= limit) break;
    if (own.has(l.personId)) continue;
    const person = await deps.db.get<PersonDoc>(C.persons, l.personId);
    if (!person || !personInScope(staff, person)) continue;
    const all = await deps.db.find<FamilyLinkDoc>(C.familyLinks, { personId: l.personId }, { limit: 100 });
    const evidence = await evidenceOf(deps, person._id, l.ownerOpenid);
    const others = [];
    for (const o of all) {
      if (o._id === l._id) continue;
      others.push({
        relation: o.relation,
        basis: basisOf(o),
        status: statusOf(o),
        claimantLabel: await actorLabel(deps, o.ownerOpenid),
        claimantVerified: !!(await verifiedPersonOf(deps, o.ownerOpenid)),
        since: o.createdAt,
        evidence: await evidenceOf(deps, person._id, o.ownerOpenid),
      });
    }
    items.push({
      linkId: l._id,
      personId: person._id,
      personName: person.name,
      idMasked: person.idMasked,
      district: person.community?.district ?? person.district,
      relation: l.relation,
      basis: basisOf(l),
      claimantLabel: await actorLabel(deps, l.ownerOpenid),
      claimedName: l.claimedName && l.claimedName !== person.name ? l.claimedName : null,
      claimantVerified: !!(await verifiedPersonOf(deps, l.ownerOpenid)),
      evidenceDocumentIds: evidence.filter((d) => d.status !== 'replaced').map((d) => d.documentId),
      evidence,
      others,
      since: (l as { updatedAt?: string }).updatedAt ?? l.createdAt,
    });
  }
  return { items };
}

const HOLDING = ['active', 'pending', 'disputed'];

/**
 * The other claims that cannot stand beside a granted one: one account is the person's own
 * (`self`); a child has one father and one mother, and a guardian beside a parent is decided by
 * staff (the rule registration applies, registration.ts guardianStatus). Other relations
 * (spouse, a parent's own parent) do not exclude each other. A parent's side is the one the
 * claim names, else the sex of the account's verified person; unknown counts as a conflict.
 * Exported for its table-driven test (test/unit/dispute-conflicts.test.ts).
 */
export async function conflictingWith(deps: Pick<Acting, 'db'>, granted: FamilyLinkDoc, all: FamilyLinkDoc[]): Promise<FamilyLinkDoc[]> {
  const out: FamilyLinkDoc[] = [];
  const parentOf = async (l: FamilyLinkDoc) => {
    if (l.parentRelation) return l.parentRelation;
    const owner = await verifiedPersonOf(deps, l.ownerOpenid);
    return owner ? (owner.sex === 'male' ? 'father' : 'mother') : null;
  };
  const mine = granted.relation === 'child' ? await parentOf(granted) : null;
  for (const o of all) {
    // The granted claim itself is skipped as its own account's (one link per account and person).
    if (o.ownerOpenid === granted.ownerOpenid || !HOLDING.includes(statusOf(o))) continue;
    if (granted.relation === 'self' && o.relation === 'self') out.push(o);
    else if (granted.relation === 'child' && o.relation === 'child') {
      const b = basisOf(o);
      if (b === 'adult_authorized' || b === 'desk_authorized') continue;
      const theirs = await parentOf(o);
      if (!mine || !theirs || mine === theirs || mine === 'guardian' || theirs === 'guardian') out.push(o);
    }
  }
  return out;
}

/**
 * The claimant who lost is told in plain words: their home shows the claim as 未通过 with the
 * staff's reason (home.ts, `declined`), and a subscribe message goes out if they subscribed to
 * dispute_result. Best effort: a failed message never undoes the decision.
 */
async function tellLoser(deps: Acting, link: FamilyLinkDoc, person: PersonDoc, reason: string): Promise<boolean> {
  try {
    const user = await deps.db.get<UserDoc>(C.users, link.ownerOpenid);
    if (!user?.subscriptions?.includes('dispute_result')) return false;
    // The name the claimant gave, never the record's (a squatter must not learn it).
    const name = link.claimedName ?? maskName(person.name);
    await deps.messages.sendSubscribe(
      subscribeMessage('dispute_result', link.ownerOpenid, 'pages/index/index', {
        item: `为${name}办理参保的登记`,
        result: '未通过',
        note: reason,
        decidedAt: { at: deps.clock.now() },
      }),
    );
    await deps.db.update(C.users, link.ownerOpenid, { subscriptions: deps.db.cmd.set(user.subscriptions.filter((t) => t !== 'dispute_result')) });
    return true;
  } catch (err) {
    console.warn('[dispute_result] message not sent', (err as Error)?.name);
    return false;
  }
}

export const SELF_VERIFIED_ELSEWHERE = () =>
  new AppError('SELF_VERIFIED_ELSEWHERE', '本人已通过人脸核验认领该身份，不能同意他人以“本人”身份办理', 'decision');

export async function resolveDispute(deps: Acting, linkId: string, decision: 'grant' | 'revoke', reason: string) {
  const staff = await requireStaff(deps, REVIEWER_ROLES);
  const link = await deps.db.get<FamilyLinkDoc>(C.familyLinks, linkId);
  if (!link || statusOf(link) !== 'disputed') throw DISPUTE_NOT_FOUND();
  const person = await deps.db.get<PersonDoc>(C.persons, link.personId);
  if (!person) throw DISPUTE_NOT_FOUND();
  if (!personInScope(staff, person)) throw OUT_OF_SCOPE();
  await notOwnFamily(deps, staff, person._id);
  const decided = { decidedBy: deps.caller.openid, decisionReason: reason, decidedAt: deps.clock.now().toISOString() };
  const losers: FamilyLinkDoc[] = [];
  if (decision === 'grant') {
    // Face verification is the strongest proof there is: staff cannot hand the person's own
    // account to someone else; the verified person's record stays theirs.
    if (link.relation === 'self' && person.verifiedOpenid && person.verifiedOpenid !== link.ownerOpenid) throw SELF_VERIFIED_ELSEWHERE();
    losers.push(...(await conflictingWith(deps, link, await linksOnPerson(deps, person._id))));
    await setLinkStatus(deps, link, 'active', `staff decision (${staff.role}): ${reason}`, decided);
    for (const l of losers) await setLinkStatus(deps, l, 'revoked', `staff granted a competing claim (${staff.role}): ${reason}`, decided);
  } else {
    losers.push(link);
    await setLinkStatus(deps, link, 'revoked', `staff decision (${staff.role}): ${reason}`, decided);
  }
  let told = 0;
  for (const l of losers) if (await tellLoser(deps, l, person, reason)) told++;
  return { linkId, status: decision === 'grant' ? ('active' as const) : ('revoked' as const), revoked: losers.length, told };
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
  if (!personInScope(staff, person)) throw OUT_OF_SCOPE();
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
  if (!personInScope(staff, person)) throw OUT_OF_SCOPE();
  await notOwnFamily(deps, staff, person._id);
  await setLinkStatus(deps, link, 'active', `signed authorization recorded at the desk (${staff.role}): ${reason}`, { basis: 'desk_authorized', decidedBy: deps.caller.openid });
  await deps.db.updateWhere(C.invitations, { linkId, status: 'open' }, { status: 'superseded' });
  return { linkId, status: 'active' as const };
}
