/**
 * Settlement of a paid order, shared by the pay callback and queryOrder. Runs any number of
 * times with the same effect as once:
 *   1. the payment document is keyed by transactionId (unique): written once;
 *   2. the order moves pending → paid inside a transaction (only the first run changes it);
 *   3. each enrollment moves to paid_pending_sync if this order still holds it;
 *   4. audit entries have deterministic keys; the payment-result message goes out once.
 * The facts are what WeChat Pay's queryOrder confirmed (or what the cash desk took), never a
 * notification's own fields. Money that cannot become an enrollment is refunded through WeChat
 * Pay (refunds.ts): a confirmed amount other than the order's total (the whole payment; the order
 * becomes 'refunded' and gives its people back), and each person another order already paid
 * (that person's part: a double payment, or a late one for an order closed meanwhile).
 * The order carries nextSweepAt while a run is under way: a crash half-way is completed by the
 * sweeper (sweeper.ts), which settles again.
 */
import { DuplicateKeyError } from '../../platform/database';
import { appendAudit, Actor } from '../audit/audit-log';
import { C, Deps } from '../context';
import { markPaid, release } from '../enrollments/claims';
import { EnrollmentDoc, enrollmentId } from '../enrollments/enrollments';
import { noteRosterPayment } from '../rosters/payments';
import { sendPaymentResult } from '../reminders/subscriptions';
import { FIRST_SWEEP_AFTER_MS, getOrder, OrderDoc } from './order-doc';
import { refundNo, refundsOfOrder, requestRefund } from './refunds';

export interface PaidFacts {
  transactionId: string;
  totalFee: number;
  /** yyyyMMddHHmmss in China Standard Time, as WeChat Pay sends it. */
  timeEnd?: string;
}

export type SettleOutcome = 'settled' | 'already_settled' | 'unknown_order' | 'amount_mismatch';

function paidInstant(timeEnd: string | undefined, fallback: Date): Date {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(timeEnd ?? '');
  if (!m) return fallback;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`);
  return Number.isNaN(d.getTime()) ? fallback : d;
}

/**
 * One alert per hour for payments of orders this side does not know, however many arrive: each
 * would otherwise write an alert (issue 14: 30 notifications, 30 alerts). The hour's alert says
 * where to look (WeChat Pay's merchant platform lists the orders).
 */
export async function unknownOrderAlert(deps: Pick<Deps, 'db' | 'clock'>, actor: Actor): Promise<void> {
  const hour = deps.clock.now().toISOString().slice(0, 13);
  await appendAudit(
    deps,
    { entity: 'order', entityId: `unknown-${hour}`, from: null, to: 'unknown', actor, reason: 'payment notification for an order this system does not know (at most one alert an hour): check the merchant platform', level: 'alert' },
    `alert:unknown-order:${hour}`,
  );
}

async function recordPayment(deps: Deps, order: OrderDoc, facts: PaidFacts, paidAt: Date): Promise<void> {
  try {
    const payment: Record<string, unknown> = {
      _id: facts.transactionId,
      transactionId: facts.transactionId,
      outTradeNo: order.outTradeNo,
      openid: order.openid,
      personIds: order.personIds,
      items: order.items.map(({ explanation: _e, explanationCipher: _c, ...i }) => i),
      // What was received; the order's own total beside it when they differ (refunded whole).
      totalFeeFen: facts.totalFee,
      ...(facts.totalFee !== order.totalFeeFen ? { orderTotalFen: order.totalFeeFen } : {}),
      channel: order.channel ?? 'wechat',
      paidAt: paidAt.toISOString(),
      recordedAt: deps.clock.now().toISOString(),
    };
    await deps.db.insert(C.payments, payment as { _id: string });
  } catch (err) {
    if (!(err instanceof DuplicateKeyError)) throw err;
  }
}

/**
 * A person's part refunded by staff is no longer an enrollment: their enrollment opens again if
 * this order still pays it. Run by the staff refund, and again by settlement (the sweeper) should
 * a crash have come between the refund and this step.
 */
export async function reopenRefundedPart(deps: Deps, outTradeNo: string, personId: string, benefitYear: number, actor: Actor, reason: string): Promise<boolean> {
  const id = enrollmentId(personId, benefitYear);
  const now = deps.clock.now().toISOString();
  const reopened = await deps.db.transaction(async (tx) => {
    const e = await tx.get<EnrollmentDoc>(C.enrollments, id);
    if (!e || e.outTradeNo !== outTradeNo || e.status !== 'paid_pending_sync') return false;
    await tx.update(C.enrollments, id, { status: 'open', outTradeNo: null, amountFen: null, paidAt: null, expectedSyncBy: null, updatedAt: now });
    return true;
  });
  if (reopened) await appendAudit(deps, { entity: 'enrollment', entityId: id, from: 'paid_pending_sync', to: 'open', actor, reason }, `enr:${id}:refunded:${outTradeNo}`);
  return reopened;
}

export async function settle(deps: Deps, outTradeNo: string, facts: PaidFacts, actor: Actor): Promise<SettleOutcome> {
  const order = await getOrder(deps, outTradeNo);
  if (!order) {
    await unknownOrderAlert(deps, actor);
    return 'unknown_order';
  }
  const paidAt = paidInstant(facts.timeEnd, deps.clock.now());
  const online = (order.channel ?? 'wechat') === 'wechat';
  const mismatch = facts.totalFee !== order.totalFeeFen;
  await recordPayment(deps, order, facts, paidAt);

  // settle()'s own idempotency: only the first run moves the order (and sends the message).
  const from = await deps.db.transaction(async (tx) => {
    const o = await tx.get<OrderDoc>(C.orders, outTradeNo);
    if (!o || o.status === 'paid' || o.status === 'refunded') return null;
    await tx.update(C.orders, outTradeNo, {
      status: mismatch ? 'refunded' : 'paid',
      paidAt: paidAt.toISOString(),
      transactionId: facts.transactionId,
      settledFrom: o.status,
      nextSweepAt: new Date(deps.clock.now().getTime() + FIRST_SWEEP_AFTER_MS).toISOString(),
    });
    return o.status;
  });
  // What this settlement or an earlier one that stopped half-way moved the order from.
  const movedFrom = from ?? order.settledFrom ?? null;
  const refunds = await refundsOfOrder(deps, outTradeNo);
  const refunded = new Set(refunds.map((r) => r.outRefundNo));

  if (mismatch) {
    await appendAudit(
      deps,
      { entity: 'order', entityId: outTradeNo, from: movedFrom ?? order.status, to: 'refunded', actor, reason: `amount mismatch: WeChat Pay confirmed ${facts.totalFee} fen, order total ${order.totalFeeFen} fen; not settled, refunded whole`, level: 'alert' },
      `alert:amount:${outTradeNo}:${facts.transactionId}`,
    );
    for (const item of order.items) await release(deps, item.personId, item.benefitYear, outTradeNo, actor, 'payment amount differs from the order (refunded)');
    if (online) await requestRefund(deps, { order, transactionId: facts.transactionId, totalFeeFen: facts.totalFee, part: 'all', cause: 'amount_mismatch' }, actor);
    await deps.db.update(C.orders, outTradeNo, { nextSweepAt: deps.db.cmd.remove() });
    return 'amount_mismatch';
  }

  // Written again (its key keeps it single) while an earlier run may have stopped before it.
  if (movedFrom !== null) {
    await appendAudit(
      deps,
      { entity: 'order', entityId: outTradeNo, from: movedFrom, to: 'paid', actor, reason: `transaction ${facts.transactionId}`, level: movedFrom === 'pending' || movedFrom === 'closing' ? 'info' : 'alert', personIds: order.personIds },
      `order:${outTradeNo}:paid`,
    );
  }
  const late = movedFrom === 'closed' || movedFrom === 'expired';
  for (const [index, item] of order.items.entries()) {
    // A part already refunded (by staff, or as a double payment) never becomes an enrollment again.
    if (refunded.has(refundNo(outTradeNo, index))) {
      if (refunds.find((r) => r.outRefundNo === refundNo(outTradeNo, index))?.cause === 'staff') await reopenRefundedPart(deps, outTradeNo, item.personId, item.benefitYear, actor, 'payment refunded by staff');
      continue;
    }
    const r = await markPaid(deps, item.personId, item.benefitYear, outTradeNo, item.amountFen, paidAt, actor);
    // A student on a university's or school's roster leaves its pending list (issue 12).
    if (r === 'paid' || r === 'already') await noteRosterPayment(deps, item.personId, item.benefitYear, order, paidAt);
    if (r === 'conflict') {
      await appendAudit(
        deps,
        { entity: 'payment', entityId: facts.transactionId, from: null, to: 'double_payment', actor, reason: `person ${item.personId} year ${item.benefitYear} already paid by another order: ${online ? 'refunded through WeChat Pay' : 'refund needed'}`, level: 'alert' },
        `alert:double:${facts.transactionId}:${item.personId}:${item.benefitYear}`,
      );
      if (online) await requestRefund(deps, { order, transactionId: facts.transactionId, totalFeeFen: facts.totalFee, part: index, cause: late ? 'late_payment' : 'double_payment' }, actor);
    }
  }
  // On every settlement, not only the first: a run that failed after moving the order (a refund
  // or roster write refused) must not lose this entry when the notification comes again. Its key
  // keeps it single.
  await appendAudit(deps, { entity: 'payment', entityId: facts.transactionId, from: null, to: 'recorded', actor, reason: `order ${outTradeNo}`, personIds: order.personIds }, `payment:${facts.transactionId}`);
  if (from !== null) await sendPaymentResult(deps, { ...order, status: 'paid', paidAt: paidAt.toISOString(), transactionId: facts.transactionId });
  await deps.db.update(C.orders, outTradeNo, { nextSweepAt: deps.db.cmd.remove() });
  return from !== null ? 'settled' : 'already_settled';
}
