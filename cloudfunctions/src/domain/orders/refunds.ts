/**
 * Refunds through WeChat Pay (cloudPay.refund / queryRefund). Every payment that cannot become an
 * enrollment is given back this way — a second payment for a person and year another order
 * already paid (double payment), a payment arriving for an order that was closed meanwhile and
 * whose people another order took (late payment), a payment whose confirmed amount differs from
 * the order (amount mismatch) — and staff can refund one person's part of a payment with a reason.
 *
 * One refund document per refund, _id = out_refund_no, derived from the order and the part
 * refunded, so a refund is requested at most once however often settlement runs; a failed
 * submission is sent again with the same number (WeChat Pay's rule).
 *
 *   submitting ──WeChat Pay accepts──▶ processing ──queryRefund SUCCESS──▶ succeeded
 *        ▲  (not accepted, or no answer: retried by the sweeper)   └── REFUNDCLOSE / CHANGE ──▶ failed (alert; staff)
 *
 * Success is only what queryRefund confirms: the refund notification is a reason to ask, never
 * the answer itself.
 */
import { DuplicateKeyError } from '../../platform/database';
import { appendAudit, Actor } from '../audit/audit-log';
import { C, Deps } from '../context';
import type { OrderDoc } from './order-doc';

/** The function WeChat Pay delivers refund results to (the pay callback handles both). */
export const REFUND_CALLBACK_FUNCTION = 'payCallback';

export type RefundCause = 'double_payment' | 'late_payment' | 'amount_mismatch' | 'staff' | 'assistance_difference';
export type RefundStatus = 'submitting' | 'processing' | 'succeeded' | 'failed';

/** Reasons staff give (contracts/staffPayments.ts lists the same codes). */
export const STAFF_REFUND_REASONS = {
  wrong_person: '为他人误缴',
  duplicate_with_cash: '已在社区窗口现金缴费，线上重复缴费',
  other: '其他原因',
} as const;
export type StaffRefundReason = keyof typeof STAFF_REFUND_REASONS;

/** What the resident reads beside the refunded amount. */
export const CAUSE_TEXT: Record<RefundCause, string> = {
  double_payment: '重复缴费',
  late_payment: '订单关闭后才到账的付款',
  amount_mismatch: '支付金额与订单不符',
  staff: '工作人员办理退款',
  assistance_difference: '已列入医疗救助资助名单，退还多缴差额',
};

export const REFUND_STATUS_TEXT: Record<RefundStatus, string> = {
  submitting: '退款处理中',
  processing: '退款处理中',
  succeeded: '已退款',
  failed: '退款未成功，工作人员正在处理',
};

export interface RefundItem {
  personId: string;
  benefitYear: number;
  amountFen: number;
  name: string;
}

export interface RefundDoc {
  _id: string;
  outRefundNo: string;
  outTradeNo: string;
  transactionId: string;
  /** The payer (the order's account): refunds are shown to them in their records. */
  openid: string;
  /** The order total as WeChat Pay confirmed it (its total_fee). */
  totalFeeFen: number;
  refundFeeFen: number;
  /** The people whose part is refunded; empty when the whole payment is (amount mismatch). */
  items: RefundItem[];
  cause: RefundCause;
  reasonCode?: StaffRefundReason;
  note?: string;
  requestedBy: Actor;
  status: RefundStatus;
  attempts: number;
  /** When the sweeper looks at it next (submit again, or ask WeChat Pay); absent when final. */
  nextCheckAt?: string;
  createdAt: string;
  updatedAt: string;
  succeededAt?: string;
}

/** Retry spacing: 1, 2, 4 … minutes, at most an hour. */
function backoffMs(attempts: number): number {
  return Math.min(60, 2 ** Math.min(attempts, 6)) * 60_000;
}

/** out_refund_no (≤ 64, [A-Za-z0-9_-]): the order and the part — 'A' the whole, 'P<n>' one item. */
export function refundNo(outTradeNo: string, part: 'all' | number): string {
  return `RF${outTradeNo}${part === 'all' ? 'A' : `P${part}`}`;
}

/**
 * A person's assistance difference ('D<n>'): a number of its own, so settlement never reads it as
 * that part refunded (the person stays enrolled by the payment).
 */
export function differenceRefundNo(outTradeNo: string, part: number): string {
  return `RF${outTradeNo}D${part}`;
}

export async function refundsOfOrder(deps: Pick<Deps, 'db'>, outTradeNo: string): Promise<RefundDoc[]> {
  return deps.db.find<RefundDoc>(C.refunds, { outTradeNo }, { limit: 100 });
}

export interface RefundRequest {
  order: Pick<OrderDoc, 'outTradeNo' | 'openid' | 'items'>;
  transactionId: string;
  totalFeeFen: number;
  part: 'all' | number;
  cause: RefundCause;
  reasonCode?: StaffRefundReason;
  note?: string;
  /**
   * Less than the person's part: the assistance difference (its own refund number), or what is
   * left of a part after that difference went back. Defaults to the whole part.
   */
  amountFen?: number;
}

/**
 * Records the refund (once: its number is its id) and submits it to WeChat Pay. A submission that
 * fails leaves it 'submitting' for the sweeper. Returns the refund as stored.
 */
export async function requestRefund(deps: Deps, req: RefundRequest, actor: Actor): Promise<RefundDoc> {
  const outRefundNo = req.cause === 'assistance_difference' && req.part !== 'all' ? differenceRefundNo(req.order.outTradeNo, req.part) : refundNo(req.order.outTradeNo, req.part);
  const items = req.part === 'all' ? [] : [req.order.items[req.part]].map((i) => ({ personId: i.personId, benefitYear: i.benefitYear, amountFen: Math.min(req.amountFen ?? i.amountFen, i.amountFen), name: i.name }));
  if (items.length && items[0].amountFen <= 0) throw new Error('refund amount must be positive');
  const now = deps.clock.now().toISOString();
  const doc: RefundDoc = {
    _id: outRefundNo,
    outRefundNo,
    outTradeNo: req.order.outTradeNo,
    transactionId: req.transactionId,
    openid: req.order.openid,
    totalFeeFen: req.totalFeeFen,
    refundFeeFen: req.part === 'all' ? req.totalFeeFen : items[0].amountFen,
    items,
    cause: req.cause,
    ...(req.reasonCode ? { reasonCode: req.reasonCode } : {}),
    ...(req.note ? { note: req.note } : {}),
    requestedBy: actor,
    status: 'submitting',
    attempts: 0,
    nextCheckAt: now,
    createdAt: now,
    updatedAt: now,
  };
  let stored = doc;
  try {
    await deps.db.insert(C.refunds, doc as unknown as { _id: string });
    await appendAudit(
      deps,
      { entity: 'refund', entityId: outRefundNo, from: null, to: 'requested', actor, reason: `${req.cause}: ${doc.refundFeeFen} fen of order ${req.order.outTradeNo}${req.note ? ` (${req.note})` : ''}` },
      `refund:${outRefundNo}:requested`,
    );
  } catch (err) {
    if (!(err instanceof DuplicateKeyError)) throw err;
    stored = (await deps.db.get<RefundDoc>(C.refunds, outRefundNo)) ?? doc;
  }
  return submitRefund(deps, stored);
}

/** Sends a 'submitting' refund to WeChat Pay (again, with the same number). */
export async function submitRefund(deps: Deps, refund: RefundDoc): Promise<RefundDoc> {
  if (refund.status !== 'submitting') return refund;
  const now = deps.clock.now();
  try {
    await deps.pay.refund({
      outTradeNo: refund.outTradeNo,
      outRefundNo: refund.outRefundNo,
      totalFee: refund.totalFeeFen,
      refundFee: refund.refundFeeFen,
      functionName: REFUND_CALLBACK_FUNCTION,
    });
  } catch {
    const attempts = refund.attempts + 1;
    await deps.db.update(C.refunds, refund._id, { attempts, nextCheckAt: new Date(now.getTime() + backoffMs(attempts)).toISOString(), updatedAt: now.toISOString() });
    return { ...refund, attempts };
  }
  const accepted = await deps.db.transaction(async (tx) => {
    const r = await tx.get<RefundDoc>(C.refunds, refund._id);
    if (!r || r.status !== 'submitting') return false;
    // Asked again a minute on, unless the notification comes first.
    await tx.update(C.refunds, refund._id, { status: 'processing', attempts: r.attempts + 1, nextCheckAt: new Date(now.getTime() + 60_000).toISOString(), updatedAt: now.toISOString() });
    return true;
  });
  if (accepted) await appendAudit(deps, { entity: 'refund', entityId: refund._id, from: 'submitting', to: 'processing', actor: 'system', reason: 'accepted by WeChat Pay' }, `refund:${refund._id}:processing`);
  return (await deps.db.get<RefundDoc>(C.refunds, refund._id)) ?? refund;
}

export type ConfirmOutcome = 'unknown' | 'succeeded' | 'processing' | 'failed' | 'resubmitted' | 'unavailable';

/**
 * Asks WeChat Pay about one refund and records what it says. Unknown refund numbers are not asked
 * about (nothing of ours to confirm, and a query costs a request).
 */
export async function confirmRefund(deps: Deps, outRefundNo: string, actor: Actor): Promise<ConfirmOutcome> {
  const refund = await deps.db.get<RefundDoc>(C.refunds, outRefundNo);
  if (!refund) return 'unknown';
  if (refund.status === 'succeeded') return 'succeeded';
  if (refund.status === 'failed') return 'failed';
  const now = deps.clock.now();
  let answer;
  try {
    answer = await deps.pay.queryRefund(outRefundNo);
  } catch {
    const attempts = refund.attempts + 1;
    await deps.db.update(C.refunds, outRefundNo, { attempts, nextCheckAt: new Date(now.getTime() + backoffMs(attempts)).toISOString(), updatedAt: now.toISOString() });
    return 'unavailable';
  }
  if (answer.state === 'NOTEXIST') {
    // Never accepted (or the answer was lost): submit again under the same number.
    await deps.db.update(C.refunds, outRefundNo, { status: 'submitting', updatedAt: now.toISOString() });
    await submitRefund(deps, { ...refund, status: 'submitting' });
    return 'resubmitted';
  }
  if (answer.state === 'PROCESSING') {
    const attempts = refund.attempts + 1;
    await deps.db.update(C.refunds, outRefundNo, { status: 'processing', attempts, nextCheckAt: new Date(now.getTime() + backoffMs(attempts)).toISOString(), updatedAt: now.toISOString() });
    return 'processing';
  }
  const to: RefundStatus = answer.state === 'SUCCESS' ? 'succeeded' : 'failed';
  const changed = await deps.db.transaction(async (tx) => {
    const r = await tx.get<RefundDoc>(C.refunds, outRefundNo);
    if (!r || r.status === 'succeeded' || r.status === 'failed') return null;
    await tx.update(C.refunds, outRefundNo, {
      status: to,
      nextCheckAt: deps.db.cmd.remove(),
      updatedAt: now.toISOString(),
      ...(to === 'succeeded' ? { succeededAt: now.toISOString() } : {}),
    });
    return r.status;
  });
  if (changed) {
    await appendAudit(
      deps,
      {
        entity: 'refund',
        entityId: outRefundNo,
        from: changed,
        to,
        actor,
        reason: to === 'succeeded' ? `${refund.refundFeeFen} fen back to the payer (order ${refund.outTradeNo})` : `WeChat Pay reports ${answer.state}: staff must return the money another way`,
        level: to === 'failed' ? 'alert' : 'info',
      },
      `refund:${outRefundNo}:${to}`,
    );
  }
  return to;
}

/** Refunds due for another look (the sweeper): submissions to retry, results to ask for. */
export async function dueRefunds(deps: Pick<Deps, 'db' | 'clock'>, limit: number): Promise<RefundDoc[]> {
  return deps.db.find<RefundDoc>(
    C.refunds,
    { status: deps.db.cmd.in(['submitting', 'processing']), nextCheckAt: deps.db.cmd.lte(deps.clock.now().toISOString()) },
    { orderBy: [['nextCheckAt', 'asc']], limit },
  );
}

/** The sweeper's step for one refund. */
export async function sweepRefund(deps: Deps, refund: RefundDoc): Promise<ConfirmOutcome | 'submitted'> {
  if (refund.status === 'submitting') {
    const r = await submitRefund(deps, refund);
    return r.status === 'processing' ? 'submitted' : 'unavailable';
  }
  return confirmRefund(deps, refund.outRefundNo, 'system');
}
