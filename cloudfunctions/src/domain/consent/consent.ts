/**
 * Privacy consent (DESIGN.md: a resident agrees before any personal data is collected;
 * a guardian consents for a child under 14). Recorded per openid in `users`.
 */
// Not from contracts/resident: that would evaluate the whole resident contract at every cold start.
import { CONSENT_VERSION } from '../../contracts/consent-version';
import { AppError } from '../../platform/errors';
import { Acting, C } from '../context';

export interface UserDoc {
  _id: string; // the openid
  consent?: { version: string; acceptedAt: string; forChildUnder14: boolean };
  subscriptions?: string[];
}

export const CONSENT_REQUIRED = () => new AppError('CONSENT_REQUIRED', '请先阅读并同意隐私保护说明');

export async function loadUser(deps: Pick<Acting, 'db' | 'caller'>): Promise<UserDoc | null> {
  return deps.db.get<UserDoc>(C.users, deps.caller.openid);
}

export function consentView(user: UserDoc | null) {
  const c = user?.consent;
  return {
    accepted: !!c && c.version === CONSENT_VERSION,
    acceptedVersion: c?.version ?? null,
    currentVersion: CONSENT_VERSION,
    acceptedAt: c?.acceptedAt ?? null,
  };
}

export async function consentStatus(deps: Acting) {
  return consentView(await loadUser(deps));
}

export async function acceptConsent(deps: Acting, input: { version: string; forChildUnder14?: boolean }) {
  if (input.version !== CONSENT_VERSION) {
    throw new AppError('CONSENT_VERSION_OUTDATED', '隐私保护说明已更新，请重新阅读后再同意', 'version');
  }
  const consent = { version: input.version, acceptedAt: deps.clock.now().toISOString(), forChildUnder14: input.forChildUnder14 === true };
  const existing = await loadUser(deps);
  if (existing) await deps.db.update(C.users, deps.caller.openid, { consent });
  else await deps.db.set(C.users, deps.caller.openid, { consent, subscriptions: [], createdAt: consent.acceptedAt });
  return consentView({ _id: deps.caller.openid, consent });
}

/** Every action that reads or writes personal data calls this first. */
export async function requireConsent(deps: Acting): Promise<UserDoc> {
  const user = await loadUser(deps);
  if (!consentView(user).accepted) throw CONSENT_REQUIRED();
  return user as UserDoc;
}

/** [interpretation] China's PIPL: personal information of a child under 14 needs a guardian's consent. */
export const CHILD_CONSENT_AGE = 14;

export function requireChildConsent(flag: boolean | undefined) {
  if (flag !== true) {
    throw new AppError('CHILD_CONSENT_REQUIRED', '为未满14周岁的孩子登记信息，需要您作为监护人同意隐私保护说明', 'consentForChild');
  }
}
