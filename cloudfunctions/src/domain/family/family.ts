/**
 * Family links: whom a WeChat user acts for (themself, spouse, children, parents).
 * A resident sees only the people linked to their openid (unique (ownerOpenid, personId)).
 */
import { DuplicateKeyError } from '../../platform/database';
import { AppError } from '../../platform/errors';
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

export async function linksOf(deps: Pick<Deps, 'db'>, openid: string): Promise<FamilyLinkDoc[]> {
  return deps.db.find<FamilyLinkDoc>(C.familyLinks, { ownerOpenid: openid }, { orderBy: [['createdAt', 'asc']], limit: 100 });
}

export async function linkCount(deps: Pick<Deps, 'db'>, personId: string): Promise<number> {
  return deps.db.count(C.familyLinks, { personId });
}

/** Links a person to the caller; linking twice is not an error. Returns true when new. */
export async function link(
  deps: Acting,
  personId: string,
  relation: Relation,
  parentRelation?: FamilyLinkDoc['parentRelation'],
): Promise<boolean> {
  try {
    const doc: Record<string, unknown> = {
      ownerOpenid: deps.caller.openid,
      personId,
      relation,
      ...(parentRelation ? { parentRelation } : {}),
      createdAt: deps.clock.now().toISOString(),
    };
    await deps.db.insert(C.familyLinks, doc);
    return true;
  } catch (err) {
    if (err instanceof DuplicateKeyError) return false;
    throw err;
  }
}

export const PERSON_NOT_FOUND = () => new AppError('PERSON_NOT_FOUND', '未找到该家庭成员，请先添加', 'personId');

/** The person, if the caller acts for them; the same refusal whether it exists or not. */
export async function requireFamilyPerson(deps: Acting, personId: string): Promise<{ person: PersonDoc; link: FamilyLinkDoc }> {
  const found = await deps.db.find<FamilyLinkDoc>(C.familyLinks, { ownerOpenid: deps.caller.openid, personId }, { limit: 1 });
  if (!found[0]) throw PERSON_NOT_FOUND();
  const person = await getPerson(deps, personId);
  if (!person) throw PERSON_NOT_FOUND();
  return { person, link: found[0] };
}
