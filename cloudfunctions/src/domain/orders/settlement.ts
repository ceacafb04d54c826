/**
 * Settlement of a paid order, shared by the pay callback and queryOrder. Runs any number of
 * times with the same effect as once:
 *   1. the payment document is keyed by transactionId (unique): written once;
 *   2. the order moves pending → paid inside a transaction (only the first run changes it);
 *   3. each enrollment moves to paid_pending_sync if this order still holds it;
 *   4. audit entries have deterministic keys; the payment-result message goes out once.
 * Only amounts equal to the order's total are settled; a mismatch is recorded as an alert.
 */
import { DuplicateKeyError } from '../../platform/database';
import { appendAudit, Actor } from '../audit/audit-log';
import { C, Deps } from '../context';
import { markPaid } from '../enrollments/claims';
import { noteRosterPayment } from '../rosters/payments';
import { sendPaymentResult } from '../reminders/subscriptions';
import { getOrder, OrderDoc } from './order-doc';

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

export async function settle(deps: Deps, outTradeNo: string, facts: PaidFacts, actor: Actor): Promise<SettleOutcome> {
  const order = await getOrder(deps, outTradeNo);
  if (!order) {
    await appendAudit(deps, { entity: 'order', entityId: outTradeNo, from: null, to: 'unknown', actor, reason: 'payment for an unknown order', level: 'alert' }, `alert:unknown:${outTradeNo}:${facts.transactionId}`);
    return 'unknown_order';
  }
  if (facts.totalFee !== order.totalFeeFen) {
    await appendAudit(
      deps,
      { entity: 'order', entityId: outTradeNo, from: order.status, to: order.status, actor, reason: `amount mismatch: paid ${facts.totalFee} fen, order total ${order.totalFeeFen} fen; not settled`, level: 'alert' },
      `alert:amount:${outTradeNo}:${facts.transactionId}`,
    );
    return 'amount_mismatch';
  }
  const paidAt = paidInstant(facts.timeEnd, deps.clock.now());

  try {
    const payment: Record<string, unknown> = {
      _id: facts.transactionId,
      transactionId: facts.transactionId,
      outTradeNo,
      openid: order.openid,
      personIds: order.personIds,
      items: order.items.map(({ explanation: _e, explanationCipher: _c, ...i }) => i),
      totalFeeFen: order.totalFeeFen,
      channel: order.channel ?? 'wechat',
      paidAt: paidAt.toISOString(),
      recordedAt: deps.clock.now().toISOString(),
    };
    await deps.db.insert(C.payments, payment as { _id: string });
  } catch (err) {
    if (!(err instanceof DuplicateKeyError) && !/exist|duplicate/i.test(String((err as Error)?.message))) throw err;
  }

  const from = await deps.db.transaction(async (tx) => {
    const o = await tx.get<OrderDoc>(C.orders, outTradeNo);
    if (!o || o.status === 'paid') return null;
    await tx.update(C.orders, outTradeNo, { status: 'paid', paidAt: paidAt.toISOString(), transactionId: facts.transactionId });
    return o.status;
  });
  if (from !== null) {
    await appendAudit(
      deps,
      { entity: 'order', entityId: outTradeNo, from, to: 'paid', actor, reason: `transaction ${facts.transactionId}`, level: from === 'pending' ? 'info' : 'alert' },
      `order:${outTradeNo}:paid`,
    );
  }
  for (const item of order.items) {
    const r = await markPaid(deps, item.personId, item.benefitYear, outTradeNo, item.amountFen, paidAt, actor);
    // A student on a university's or school's roster leaves its pending list (issue 12).
    if (r === 'paid' || r === 'already') await noteRosterPayment(deps, item.personId, item.benefitYear, order, paidAt);
    if (r === 'conflict') {
      await appendAudit(
        deps,
        { entity: 'payment', entityId: facts.transactionId, from: null, to: 'double_payment', actor, reason: `person ${item.personId} year ${item.benefitYear} already paid by another order: refund needed`, level: 'alert' },
        `alert:double:${facts.transactionId}:${item.personId}:${item.benefitYear}`,
      );
    }
  }
  if (from !== null) {
    await appendAudit(deps, { entity: 'payment', entityId: facts.transactionId, from: null, to: 'recorded', actor, reason: `order ${outTradeNo}` }, `payment:${facts.transactionId}`);
    await sendPaymentResult(deps, { ...order, status: 'paid', paidAt: paidAt.toISOString(), transactionId: facts.transactionId });
    return 'settled';
  }
  return 'already_settled';
}
