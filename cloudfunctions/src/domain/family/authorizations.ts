/**
 * Authorizations (issue 9): invitations an adult accepts from their own WeChat after verifying
 * themself, evidence that activates a guardian's claim on a child, revocation by the person,
 * and the caller ending their own link. Every grant and revocation is audited.
 */
import { randomBytes } from 'crypto';
import type { AuthorizationItem, DocumentKind } from '../../contracts/resident';
import { AppError } from '../../platform/errors';
import { appendAudit } from '../audit/audit-log';
import { requireConsent } from '../consent/consent';
import { Acting, C, Deps } from '../context';
import { identityCheckFailed, requireAttemptsLeft } from '../identity/attempts';
import { keyedHash } from '../identity/id-protection';
import { maskName, requireVerifiedCaller, verifiedPersonOf } from '../identity/verification';
import { getPerson } from '../persons/persons';
import { basisOf, FamilyLinkDoc, linkOf, PERSON_NOT_FOUND, Relation, setLinkStatus, statusOf } from './family';

/** An invitation is valid for 7 days and once. */
export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

interface InvitationDoc {
  _id: string;
  codeHash: string;
  personId: string;
  linkId: string;
  relation: Relation;
  inviterOpenid: string;
  createdAt: string;
  expiresAt: string;
  status: 'open' | 'accepted' | 'superseded';
  acceptedAt?: string;
}

const INVITATION_NOT_FOUND = () => new AppError('INVITATION_NOT_FOUND', '邀请不存在或已失效，请让家人重新发起邀请', 'code');
const INVITATION_EXPIRED = () => new AppError('INVITATION_EXPIRED', '邀请已过期，请让家人重新发起邀请', 'code');
const codeHashOf = (code: string) => keyedHash('invitation', code.trim());

/** "王**" for an account verified as a person, else 微信用户. */
export async function actorLabel(deps: Pick<Deps, 'db'>, openid: string): Promise<string> {
  const p = await verifiedPersonOf(deps, openid);
  return p ? maskName(p.name) : '微信用户';
}

export async function createInvitation(deps: Acting, personId: string): Promise<{ code: string; path: string; expiresAt: string }> {
  await requireConsent(deps);
  await requireVerifiedCaller(deps);
  const link = await linkOf(deps, deps.caller.openid, personId);
  if (!link || statusOf(link) === 'revoked') throw PERSON_NOT_FOUND();
  if (statusOf(link) !== 'pending' || basisOf(link) !== 'adult_authorized') {
    throw new AppError('INVITATION_NOT_NEEDED', statusOf(link) === 'active' ? '该家庭成员已授权，无需邀请' : '该授权需由工作人员审核，无需邀请', 'personId');
  }
  // One open invitation per link: an earlier one stops working.
  await deps.db.updateWhere(C.invitations, { linkId: link._id, status: 'open' }, { status: 'superseded' });
  const code = randomBytes(12).toString('base64url');
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS).toISOString();
  const doc = { codeHash: codeHashOf(code), personId, linkId: link._id, relation: link.relation, inviterOpenid: deps.caller.openid, createdAt: now.toISOString(), expiresAt, status: 'open' };
  const id = await deps.db.insert(C.invitations, doc);
  await appendAudit(deps, { entity: 'invitation', entityId: id, from: null, to: 'open', actor: deps.caller.openid, reason: `invitation for link ${link._id}` });
  return { code, path: `pages/invite/index?code=${code}`, expiresAt };
}

async function findInvitation(deps: Pick<Deps, 'db'>, code: string): Promise<InvitationDoc> {
  const [inv] = await deps.db.find<InvitationDoc>(C.invitations, { codeHash: codeHashOf(code) }, { limit: 1 });
  if (!inv || inv.status === 'superseded') throw INVITATION_NOT_FOUND();
  return inv;
}

export async function invitationInfo(deps: Acting, code: string) {
  const inv = await findInvitation(deps, code);
  const person = await getPerson(deps, inv.personId);
  if (!person) throw INVITATION_NOT_FOUND();
  const expired = inv.status === 'open' && inv.expiresAt <= deps.clock.now().toISOString();
  return {
    personName: maskName(person.name),
    relation: inv.relation,
    inviterName: await actorLabel(deps, inv.inviterOpenid),
    expiresAt: inv.expiresAt,
    status: inv.status === 'accepted' ? ('accepted' as const) : expired ? ('expired' as const) : ('open' as const),
  };
}

/** The invited adult, verified as that person, authorizes the inviter. */
export async function acceptInvitation(deps: Acting, code: string): Promise<{ personId: string }> {
  await requireConsent(deps);
  const inv = await findInvitation(deps, code);
  if (inv.status === 'accepted') throw INVITATION_NOT_FOUND();
  if (inv.expiresAt <= deps.clock.now().toISOString()) throw INVITATION_EXPIRED();
  const person = await getPerson(deps, inv.personId);
  if (!person) throw INVITATION_NOT_FOUND();
  await requireAttemptsLeft(deps, person.idHash);
  const me = await verifiedPersonOf(deps, deps.caller.openid);
  if (!me) throw new AppError('VERIFY_FIRST', '请先完成本人实名核验，再确认授权');
  if (me._id !== inv.personId) throw await identityCheckFailed(deps, person.idHash, 'invitation accepted by an account verified as another person');
  // Single use, even when two phones accept at once.
  const n = await deps.db.updateWhere(C.invitations, { _id: inv._id, status: 'open' }, { status: 'accepted', acceptedAt: deps.clock.now().toISOString() });
  if (n !== 1) throw INVITATION_NOT_FOUND();
  const link = await deps.db.get<FamilyLinkDoc>(C.familyLinks, inv.linkId);
  if (!link || statusOf(link) === 'revoked') throw INVITATION_NOT_FOUND();
  await setLinkStatus(deps, link, 'active', 'the adult accepted the invitation from their own WeChat', { basis: 'adult_authorized' });
  return { personId: inv.personId };
}

/** Who may act for the caller's own verified person (the caller's own link is not listed). */
export async function listAuthorizations(deps: Acting, personId: string): Promise<{ items: AuthorizationItem[] }> {
  await requireConsent(deps);
  const me = await verifiedPersonOf(deps, deps.caller.openid);
  if (!me || me._id !== personId) throw PERSON_NOT_FOUND();
  const links = await deps.db.find<FamilyLinkDoc>(C.familyLinks, { personId }, { orderBy: [['createdAt', 'asc']], limit: 100 });
  const items: AuthorizationItem[] = [];
  for (const l of links) {
    if (l.ownerOpenid === deps.caller.openid) continue;
    items.push({ linkId: l._id, actorLabel: await actorLabel(deps, l.ownerOpenid), relation: l.relation, basis: basisOf(l), status: statusOf(l), grantedAt: l.grantedAt ?? (l.basis ? null : l.createdAt) });
  }
  return { items };
}

/** The person ends another account's authorization. */
export async function revokeAuthorization(deps: Acting, linkId: string): Promise<{ linkId: string; status: 'revoked' }> {
  await requireConsent(deps);
  const me = await verifiedPersonOf(deps, deps.caller.openid);
  const link = await deps.db.get<FamilyLinkDoc>(C.familyLinks, linkId);
  if (!me || !link || link.personId !== me._id || link.ownerOpenid === deps.caller.openid) {
    throw new AppError('AUTHORIZATION_NOT_FOUND', '未找到该授权', 'linkId');
  }
  if (statusOf(link) !== 'revoked') await setLinkStatus(deps, link, 'revoked', 'revoked by the person');
  await deps.db.updateWhere(C.invitations, { linkId, status: 'open' }, { status: 'superseded' });
  return { linkId, status: 'revoked' };
}

/** The caller stops acting for a person (their own link); the person record stays. */
export async function removeFamilyMember(deps: Acting, personId: string): Promise<{ personId: string }> {
  await requireConsent(deps);
  const link = await linkOf(deps, deps.caller.openid, personId);
  if (!link || statusOf(link) === 'revoked') throw PERSON_NOT_FOUND();
  await setLinkStatus(deps, link, 'revoked', 'removed by the account itself');
  const person = await getPerson(deps, personId);
  if (person?.verifiedOpenid === deps.caller.openid) {
    // The account no longer speaks for this person as themself.
    await deps.db.update(C.persons, personId, { verifiedOpenid: null, updatedAt: deps.clock.now().toISOString() });
    await appendAudit(deps, { entity: 'person', entityId: personId, from: 'verified_account', to: 'no_verified_account', actor: deps.caller.openid, reason: 'the verified account removed itself' });
  }
  return { personId };
}

/** Kinds of document that prove a parent's or guardian's relation to a child. */
export const EVIDENCE_KINDS: readonly DocumentKind[] = ['hukou_page', 'birth_certificate'];

/** A 户口簿 page or birth certificate attached by a pending guardian activates their claim. */
export async function activateWithEvidence(deps: Acting, personId: string, kind: DocumentKind, documentId: string): Promise<void> {
  if (!EVIDENCE_KINDS.includes(kind)) return;
  const link = await linkOf(deps, deps.caller.openid, personId);
  if (!link || statusOf(link) !== 'pending' || basisOf(link) !== 'guardian') return;
  await setLinkStatus(deps, link, 'active', `evidence attached (${kind})`, { evidenceDocumentId: documentId });
}
