/**
 * Claiming an enrollment for an order, releasing it, and marking it paid. Every step is a
 * single-document write decided inside a transaction or by the unique index, so two
 * concurrent orders for the same person and year cannot both hold it.
 */
import { DuplicateKeyError } from '../../platform/database';
import { AppError } from '../../platform/errors';
import { appendAudit, Actor } from '../audit/audit-log';
import { C, Deps } from '../context';
import { addWorkingDays } from '../calendar/working-days';
import { shanghaiDateOf } from '../dates';
import { EnrollmentDoc, enrollmentId, PAID_STATES } from './enrollments';
import { countEnrolled } from '../season/counters';

export const ALREADY_PAID = () => new AppError('ALREADY_PAID', '该参保人本年度已缴费，无需重复缴费');

/** The outcome of a claim attempt. */
export type ClaimResult =
  | { ok: true }
  | { ok: false; heldBy: string } // another order holds it: the caller decides (pending or stale)
  | { ok: false; paid: true };

export async function tryClaim(
  deps: Pick<Deps, 'db' | 'clock'>,
  personId: string,
  benefitYear: number,
  outTradeNo: string,
  amountFen: number,
  actor: Actor,
): Promise<ClaimResult> {
  const id = enrollmentId(personId, benefitYear);
  const now = deps.clock.now().toISOString();
  try {
    const fresh: Record<string, unknown> = {
      _id: id,
      personId,
      benefitYear,
      status: 'awaiting_payment',
      outTradeNo,
      amountFen,
      paidAt: null,
      expectedSyncBy: null,
      createdAt: now,
      updatedAt: now,
    };
    await deps.db.insert(C.enrollments, fresh as { _id: string });
    await appendAudit(deps, { entity: 'enrollment', entityId: id, from: null, to: 'awaiting_payment', actor, reason: `order ${outTradeNo}` });
    return { ok: true };
  } catch (err) {
    if (!(err instanceof DuplicateKeyError)) throw err;
  }
  // It exists: claim it only if it is open, decided inside a transaction.
  const result = await deps.db.transaction(async (tx): Promise<ClaimResult & { from?: string }> => {
    const e = await tx.get<EnrollmentDoc>(C.enrollments, id);
    if (!e) return { ok: false, heldBy: '' };
    if (PAID_STATES.includes(e.status)) return { ok: false, paid: true };
    if (e.status === 'awaiting_payment' && e.outTradeNo && e.outTradeNo !== outTradeNo) return { ok: false, heldBy: e.outTradeNo };
    await tx.update(C.enrollments, id, { status: 'awaiting_payment', outTradeNo, amountFen, updatedAt: now });
    return { ok: true, from: e.status };
  });
  if (result.ok) await appendAudit(deps, { entity: 'enrollment', entityId: id, from: result.from ?? 'open', to: 'awaiting_payment', actor, reason: `order ${outTradeNo}` });
  return result.ok ? { ok: true } : result;
}

/** Gives the enrollment back (order closed, expired or failed) if this order still holds it. */
export async function release(deps: Pick<Deps, 'db' | 'clock'>, personId: string, benefitYear: number, outTradeNo: string, actor: Actor, reason: string) {
  const id = enrollmentId(personId, benefitYear);
  const released = await deps.db.transaction(async (tx) => {
    const e = await tx.get<EnrollmentDoc>(C.enrollments, id);
    if (!e || e.status !== 'awaiting_payment' || e.outTradeNo !== outTradeNo) return false;
    await tx.update(C.enrollments, id, { status: 'open', outTradeNo: null, updatedAt: deps.clock.now().toISOString() });
    return true;
  });
  if (released) await appendAudit(deps, { entity: 'enrollment', entityId: id, from: 'awaiting_payment', to: 'open', actor, reason });
}

/**
 * Marks the enrollment paid by this order. Idempotent: a second run changes nothing.
 * Returns 'conflict' when another order already paid it (a double payment staff must refund).
 */
export async function markPaid(
  deps: Pick<Deps, 'db' | 'clock'>,
  personId: string,
  benefitYear: number,
  outTradeNo: string,
  amountFen: number,
  paidAt: Date,
  actor: Actor,
): Promise<'paid' | 'already' | 'conflict'> {
  const id = enrollmentId(personId, benefitYear);
  // Public holidays and 调休 counted (chinese-days, CALENDAR_OVERRIDES): 两个工作日 across 国庆 is not Monday.
  const expectedSyncBy = addWorkingDays(shanghaiDateOf(paidAt), 2);
  const outcome = await deps.db.transaction(async (tx): Promise<{ r: 'paid' | 'already' | 'conflict'; from?: string }> => {
    const e = await tx.get<EnrollmentDoc>(C.enrollments, id);
    const patch = { status: 'paid_pending_sync', outTradeNo, amountFen, paidAt: paidAt.toISOString(), expectedSyncBy, updatedAt: deps.clock.now().toISOString() };
    if (!e) {
      await tx.set(C.enrollments, id, { personId, benefitYear, createdAt: patch.updatedAt, ...patch });
      return { r: 'paid', from: 'none' };
    }
    if (PAID_STATES.includes(e.status)) return { r: e.outTradeNo === outTradeNo ? 'already' : 'conflict' };
    await tx.update(C.enrollments, id, patch);
    return { r: 'paid', from: e.status };
  });
  if (outcome.r === 'paid') {
    await appendAudit(deps, { entity: 'enrollment', entityId: id, from: outcome.from ?? null, to: 'paid_pending_sync', actor, reason: `paid by order ${outTradeNo}` }, `enr:${id}:paid:${outTradeNo}`);
  }
  // The progress table's counter (issue 13), once per enrollment; 'already' repeats it harmlessly,
  // so a settlement retried after a failure here still counts.
  if (outcome.r !== 'conflict') await countEnrolled(deps, personId, benefitYear);
  return outcome.r;
}
