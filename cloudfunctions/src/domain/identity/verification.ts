/**
 * Verification of an account as a person (issue 9): 微信人脸核身 through the identity port,
 * checked here on the server; a staff-approved identity document; the community desk.
 */
import type { FamilyMember, IdentityStatus, VerificationMethod } from '../../contracts/resident';
import { AppError } from '../../platform/errors';
import { Acting, C, Deps } from '../context';
import type { PersonDoc } from '../persons/persons';

/** The person the caller's account is verified as, if any. */
export async function verifiedPersonOf(deps: Pick<Deps, 'db'>, openid: string): Promise<PersonDoc | null> {
  const found = await deps.db.find<PersonDoc>(C.persons, { verifiedOpenid: openid }, { limit: 1 });
  return found[0] ?? null;
}

export async function selfVerification(deps: Acting): Promise<{ verified: boolean; method: VerificationMethod | null }> {
  const person = await verifiedPersonOf(deps, deps.caller.openid);
  return { verified: !!person?.verification, method: person?.verification ?? null };
}

export async function identityStatus(_deps: Acting): Promise<IdentityStatus> {
  throw new AppError('NOT_IMPLEMENTED', '该功能即将上线');
}

export async function verifySelf(_deps: Acting, _input: unknown): Promise<FamilyMember> {
  throw new AppError('NOT_IMPLEMENTED', '该功能即将上线');
}
