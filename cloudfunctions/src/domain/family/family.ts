/**
 * Family links: whom a WeChat user acts for (themself, spouse, children, parents), and on what
 * authorization (issue 9): `basis` says why the account may act, `status` whether it may act now.
 * Only active links act; links written before authorizations existed (no status) count as
 * `legacy` and active until the migration marks them. Unique (ownerOpenid, personId).
 */
import { DuplicateKeyError } from '../../platform/database';
import { AppError } from '../../platform/errors';
import { appendAudit } from '../audit/audit-log';
import { Acting, C, Deps } from '../context';
import { getPerson, PersonDoc } from '../persons/persons';

export type Relation = 'self' | 'spouse' | 'child' | 'parent';

export type LinkBasis = 'self' | 'guardian' | 'adult_authorized' | 'desk_authorized' | 'unverified_claim' | 'legacy';
export type LinkStatus = 'active' | 'pending' | 'disputed' | 'revoked';

export interface FamilyLinkDoc {
  _id: string;
  ownerOpenid: string;
  personId: string;
  relation: Relation;
  parentRelation?: 'father' | 'mother' | 'guardian';
  createdAt: string;
  /** Absent on links written before authorizations existed: they count as `legacy`, active. */
  basis?: LinkBasis;
  status?: LinkStatus;
  grantedAt?: string | null;
  /** Who granted it: the person's own openid, the inviter's, a staff openid, or 'system'. */
  grantedBy?: string | null;
  revokedAt?: string;
  revokedBy?: string;
  evidenceDocumentId?: string;
  /** The name the claimant typed (shown to them while the claim is not authorized). */
  claimedName?: string;
}

export function basisOf(link: Pick<FamilyLinkDoc, 'basis'>): LinkBasis {
  return link.basis ?? 'legacy';
}
export function statusOf(link: Pick<FamilyLinkDoc, 'status'>): LinkStatus {
  return link.status ?? 'active';
}
/** The caller's authorization as home shows it (revoked links are not listed at all). */
export function authorizationOf(link: Pick<FamilyLinkDoc, 'status'>): 'active' | 'pending' | 'disputed' {
  const s = statusOf(link);
  return s === 'revoked' ? 'disputed' : s;
}

/** The caller's links that are not revoked (active, pending, disputed), oldest first. */
export async function linksOf(deps: Pick<Deps, 'db'>, openid: string): Promise<FamilyLinkDoc[]> {
  const all = await deps.db.find<FamilyLinkDoc>(C.familyLinks, { ownerOpenid: openid }, { orderBy: [['createdAt', 'asc']], limit: 100 });
  return all.filter((l) => statusOf(l) !== 'revoked');
}

/** Every link on a person (all accounts, all statuses). */
export async function linksOnPerson(deps: Pick<Deps, 'db'>, personId: string): Promise<FamilyLinkDoc[]> {
  return deps.db.find<FamilyLinkDoc>(C.familyLinks, { personId }, { orderBy: [['createdAt', 'asc']], limit: 100 });
}

export async function linkOf(deps: Pick<Deps, 'db'>, openid: string, personId: string): Promise<FamilyLinkDoc | null> {
  const found = await deps.db.find<FamilyLinkDoc>(C.familyLinks, { ownerOpenid: openid, personId }, { limit: 1 });
  return found[0] ?? null;
}

export interface Grant {
  relation: Relation;
  parentRelation?: FamilyLinkDoc['parentRelation'];
  basis: LinkBasis;
  status: Exclude<LinkStatus, 'revoked'>;
  /** Extra fields staff see on a disputed claim (the name the claimant gave). */
  claimedName?: string;
}

/**
 * Links a person to the caller with the given authorization, or re-grants a link the caller had
 * (a revoked or disputed one gets the new basis and status). Every change is audited.
 */
export async function grantLink(deps: Acting, personId: string, grant: Grant, reason: string): Promise<FamilyLinkDoc> {
  const now = deps.clock.now().toISOString();
  const fields: Record<string, unknown> = {
    relation: grant.relation,
    basis: grant.basis,
    status: grant.status,
    grantedAt: grant.status === 'active' ? now : null,
    grantedBy: grant.status === 'active' ? deps.caller.openid : null,
    ...(grant.parentRelation ? { parentRelation: grant.parentRelation } : {}),
    ...(grant.claimedName ? { claimedName: grant.claimedName } : {}),
  };
  const existing = await linkOf(deps, deps.caller.openid, personId);
  let link: FamilyLinkDoc;
  if (existing) {
    await deps.db.update(C.familyLinks, existing._id, { ...fields, updatedAt: now });
    link = { ...existing, ...(fields as Partial<FamilyLinkDoc>) };
  } else {
    const doc = { ownerOpenid: deps.caller.openid, personId, createdAt: now, ...fields };
    try {
      const id = await deps.db.insert(C.familyLinks, doc);
      link = { ...(doc as Omit<FamilyLinkDoc, '_id'>), _id: id };
    } catch (err) {
      // Two requests of the same account at once: the other one linked first.
      if (!(err instanceof DuplicateKeyError)) throw err;
      const raced = await linkOf(deps, deps.caller.openid, personId);
      if (!raced) throw err;
      return raced;
    }
  }
  await appendAudit(deps, {
    entity: 'family_link',
    entityId: link._id,
    from: existing ? `${basisOf(existing)}/${statusOf(existing)}` : null,
    to: `${grant.basis}/${grant.status}`,
    actor: deps.caller.openid,
    reason,
  });
  return link;
}

/** Changes one link's status (not the caller's own necessarily: revocations, disputes, staff). */
export async function setLinkStatus(
  deps: Acting,
  link: FamilyLinkDoc,
  status: LinkStatus,
  reason: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const now = deps.clock.now().toISOString();
  const patch: Record<string, unknown> = { status, basis: basisOf(link), updatedAt: now, ...extra };
  if (status === 'revoked') Object.assign(patch, { revokedAt: now, revokedBy: deps.caller.openid });
  if (status === 'active') Object.assign(patch, { grantedAt: now, grantedBy: deps.caller.openid });
  await deps.db.update(C.familyLinks, link._id, patch);
  await appendAudit(deps, {
    entity: 'family_link',
    entityId: link._id,
    from: `${basisOf(link)}/${statusOf(link)}`,
    to: `${String(extra.basis ?? basisOf(link))}/${status}`,
    actor: deps.caller.openid,
    reason,
  });
}

export const PERSON_NOT_FOUND = () => new AppError('PERSON_NOT_FOUND', '未找到该家庭成员，请先添加', 'personId');
export const AUTHORIZATION_PENDING = () =>
  new AppError('AUTHORIZATION_PENDING', '您为该家庭成员办理的授权尚未生效：请按提示上传证明材料、等待本人确认邀请或等待工作人员审核', 'personId');

/**
 * The one guard of acting for a person: the person, if the caller's link on them is active
 * (or, where `allowPending`, still pending: uploading the evidence that activates it).
 * The same refusal whether the person exists or not.
 */
export async function requireFamilyPerson(
  deps: Acting,
  personId: string,
  options: { allowPending?: boolean } = {},
): Promise<{ person: PersonDoc; link: FamilyLinkDoc }> {
  const found = await linkOf(deps, deps.caller.openid, personId);
  if (!found) throw PERSON_NOT_FOUND();
  const status = statusOf(found);
  if (status === 'revoked') throw PERSON_NOT_FOUND();
  if (status === 'disputed' || (status === 'pending' && !options.allowPending)) throw AUTHORIZATION_PENDING();
  const person = await getPerson(deps, personId);
  if (!person) throw PERSON_NOT_FOUND();
  return { person, link: found };
}
