/**
 * Authorizations: on what an account may act for a person (family_links basis/status),
 * invitations an adult accepts from their own WeChat, revocation, and staff decisions on
 * disputed claims. Every grant, revocation and decision is audited.
 */
import { AppError } from '../../platform/errors';
import { Acting } from '../context';

const notYet = () => new AppError('NOT_IMPLEMENTED', '该功能即将上线');

export async function createInvitation(_deps: Acting, _personId: string): Promise<{ code: string; path: string; expiresAt: string }> {
  throw notYet();
}
export async function invitationInfo(_deps: Acting, _code: string): Promise<never> {
  throw notYet();
}
export async function acceptInvitation(_deps: Acting, _code: string): Promise<{ personId: string }> {
  throw notYet();
}
export async function listAuthorizations(_deps: Acting, _personId: string): Promise<never> {
  throw notYet();
}
export async function revokeAuthorization(_deps: Acting, _linkId: string): Promise<never> {
  throw notYet();
}
export async function removeFamilyMember(_deps: Acting, _personId: string): Promise<{ personId: string }> {
  throw notYet();
}
