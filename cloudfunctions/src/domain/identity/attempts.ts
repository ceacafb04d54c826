/**
 * No oracle, no guessing (issue 9). Every identity refusal is one message that says nothing
 * about whether an ID number is registered; failed checks are counted per account and per ID
 * number in fixed hour buckets (identity_attempts, key unique), each failure is audited without
 * the name or number, and the LIMIT-th failure on one account or one number raises a staff alert.
 */
import { AppError } from '../../platform/errors';
import { appendAudit } from '../audit/audit-log';
import { Acting, C, Deps } from '../context';
import { keyedHash } from './id-protection';

/** Failures allowed per account and per ID number in one clock hour. */
export const FAILURE_LIMIT = 5;
const HOUR_MS = 3600 * 1000;

export const IDENTITY_CHECK_FAILED = () =>
  new AppError('IDENTITY_CHECK_FAILED', '身份核验未通过，请核对姓名和证件号码后重试；如多次未通过，请到社区办理');
export const RATE_LIMITED = () => new AppError('RATE_LIMITED', '尝试次数过多，请一小时后再试');

interface AttemptDoc {
  _id: string;
  key: string;
  scope: 'per_account' | 'per_id';
  hour: number;
  failures: number;
  updatedAt: string;
}

function bucketKeys(deps: Acting, idHash: string | null) {
  const hour = Math.floor(deps.clock.now().getTime() / HOUR_MS);
  const keys: Array<{ key: string; scope: AttemptDoc['scope'] }> = [
    { key: `acct:${keyedHash('openid', deps.caller.openid).slice(0, 40)}:${hour}`, scope: 'per_account' },
  ];
  if (idHash) keys.push({ key: `id:${idHash.slice(0, 40)}:${hour}`, scope: 'per_id' });
  return { hour, keys };
}

/**
 * Refuses (RATE_LIMITED) when the account or the ID number has used up this hour's failures.
 * `idHash: null` checks the account alone: a face verification, which a guesser cannot pass,
 * must not be locked out by someone else's guessing on the person's number.
 */
export async function requireAttemptsLeft(deps: Acting, idHash: string | null): Promise<void> {
  const { keys } = bucketKeys(deps, idHash);
  for (const { key } of keys) {
    const doc = await deps.db.get<AttemptDoc>(C.identityAttempts, key);
    if (doc && doc.failures >= FAILURE_LIMIT) throw RATE_LIMITED();
  }
}

async function countFailure(deps: Pick<Deps, 'db' | 'clock'>, key: string, scope: AttemptDoc['scope'], hour: number): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const doc = await tx.get<AttemptDoc>(C.identityAttempts, key);
    const failures = (doc?.failures ?? 0) + 1;
    const at = deps.clock.now().toISOString();
    if (doc) await tx.update(C.identityAttempts, key, { failures, updatedAt: at });
    else await tx.set(C.identityAttempts, key, { key, scope, hour, failures, updatedAt: at });
    return failures;
  });
}

/**
 * Records one failed identity check (audited; a staff alert at the LIMIT-th failure of the hour)
 * and returns the uniform refusal for the caller to throw.
 */
export async function identityCheckFailed(deps: Acting, idHash: string | null, what: string): Promise<AppError> {
  const { hour, keys } = bucketKeys(deps, idHash);
  for (const { key, scope } of keys) {
    const failures = await countFailure(deps, key, scope, hour);
    if (failures === FAILURE_LIMIT) {
      const at = deps.clock.now().toISOString();
      try {
        const alert = { _id: `guess_${key.replace(/:/g, '_')}`.slice(0, 64), key: `identity_guessing:${key}`, kind: 'identity_guessing', scope, failures, hour, at, status: 'open' };
        await deps.db.insert(C.staffAlerts, alert);
      } catch {
        // One alert per account or number and hour: a second one is the same alert.
      }
      await appendAudit(deps, { entity: 'identity_check', entityId: key, from: null, to: 'alert', actor: deps.caller.openid, reason: `${FAILURE_LIMIT} failed identity checks in one hour (${scope})`, level: 'alert' });
    }
  }
  await appendAudit(deps, {
    entity: 'identity_check',
    entityId: idHash ? idHash.slice(0, 16) : 'none',
    from: null,
    to: 'failed',
    actor: deps.caller.openid,
    reason: what,
  });
  return IDENTITY_CHECK_FAILED();
}
