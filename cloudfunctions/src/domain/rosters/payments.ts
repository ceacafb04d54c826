/**
 * A rostered student paid: the entry follows, whatever way the enrollment was paid.
 *
 * Called by the settlement (orders/settlement.ts) for every enrollment it marks paid, so a
 * student who pays from the student page, from home, or at the community desk leaves the
 * pending list the same way, with the benefit start of their payment date. The university's
 * own batch orders are left to the batch (collection.ts), which knows the collection date.
 * Idempotent: the entry changes only from `pending`, inside a transaction.
 */
import { appendAudit } from '../audit/audit-log';
import { C, Deps } from '../context';
import { enrollmentId } from '../enrollments/enrollments';
import { shanghaiDateOf } from '../dates';
import type { OrderDoc } from '../orders/order-doc';
import type { PersonDoc } from '../persons/persons';
import { benefitStartOf } from './benefit-start';
import { ROSTER, rosterEntryId, RosterEntryDoc } from './entries';

export async function rosterEntryOf(deps: Pick<Deps, 'db'>, idHash: string, benefitYear: number): Promise<RosterEntryDoc | null> {
  return deps.db.get<RosterEntryDoc>(ROSTER.entries, rosterEntryId(benefitYear, idHash));
}

/** Whether the person is on a roster of the year: the engine then quotes them as a student (在校学生). */
export async function onRoster(deps: Pick<Deps, 'db'>, idHash: string, benefitYear: number): Promise<boolean> {
  return !!(await rosterEntryOf(deps, idHash, benefitYear));
}

export async function noteRosterPayment(deps: Pick<Deps, 'db' | 'clock'>, personId: string, benefitYear: number, order: Pick<OrderDoc, 'outTradeNo' | 'channel'>, paidAt: Date): Promise<void> {
  if (order.channel === 'university') return;
  const person = await deps.db.get<PersonDoc>(C.persons, personId);
  if (!person) return;
  const id = rosterEntryId(benefitYear, person.idHash);
  const entry = await deps.db.get<RosterEntryDoc>(ROSTER.entries, id);
  if (!entry) return;
  const day = shanghaiDateOf(paidAt);
  const start = benefitStartOf(benefitYear, entry.newStudent, 'paid', day, shanghaiDateOf(deps.clock.now()));
  const status = order.channel === 'cash' ? 'paid_other' : 'paid_wechat';
  const now = deps.clock.now().toISOString();
  const changed = await deps.db.transaction(async (tx) => {
    const e = await tx.get<RosterEntryDoc>(ROSTER.entries, id);
    if (!e || e.status !== 'pending') return false;
    await tx.update(ROSTER.entries, id, { status, personId, outTradeNo: order.outTradeNo, paidAt: paidAt.toISOString(), benefitStart: start.date, updatedAt: now });
    return true;
  });
  if (!changed) return;
  await deps.db.update(C.enrollments, enrollmentId(personId, benefitYear), { benefitStart: start.date, benefitStartBasis: start.basis });
  await appendAudit(deps, { entity: 'enrollment', entityId: enrollmentId(personId, benefitYear), from: 'roster_pending', to: status, actor: 'system', reason: `rostered student paid by order ${order.outTradeNo}; benefits from ${start.date} (${start.basis})` }, `roster:${id}:paid:${order.outTradeNo}`);
}
