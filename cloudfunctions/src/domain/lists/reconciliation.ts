/**
 * 多缴核对 (issue 12): people who had paid the full (or a higher) amount before a list put them under
 * assistance. The list shows what they paid, what they owe now and the difference; a district
 * office or the city gives the difference back (退还差额):
 *   - paid by WeChat Pay → a partial refund of that person's part to the account that paid, with a
 *     number of its own (refunds.ts `differenceRefundNo`), so the person stays enrolled by the
 *     payment; the payer reads it in 缴费记录 like any refund, and the sweeper drives it until
 *     WeChat Pay confirms it;
 *   - paid in cash at a desk or collected by a university → the cash handed back, recorded with a
 *     note naming the receipt.
 * The premium itself stays whole: the difference is what the medical-assistance fund pays for the
 * person, so the enrollment keeps its amount and the insurance system gets the same contribution.
 *
 * Each entry is settled once: the refund number is derived from the order and the person's place
 * in it (a repeated or concurrent request finds the same refund), the entry is marked in a
 * transaction, and asking again answers with what was done. A crash between the refund and the
 * mark is completed by asking again.
 */
import type { ReconciliationItem, ReconciliationWay } from '../../contracts/staffLists';
import { AppError } from '../../platform/errors';
import { appendAudit } from '../audit/audit-log';
import { Acting, C } from '../context';
import { EnrollmentDoc, enrollmentId } from '../enrollments/enrollments';
import { getOrder, OrderDoc } from '../orders/order-doc';
import { REFUND_STATUS_TEXT, RefundDoc, requestRefund } from '../orders/refunds';
import { personForStaff, requireStaff } from '../staff/scope';
import { categoryLabel } from './categories';
import type { ReconciliationDoc } from './list-import';
import { listYearsNow, scopeFilter } from './lists';
import { LIST_ROLES } from './roles';

/** Money goes back only by the offices that answer for it. */
const SETTLE_ROLES = ['district', 'city'] as const;

const NOT_FOUND = () => new AppError('OUT_OF_SCOPE', '名单条目不存在或不在您的管辖范围内', 'entryId');

type Channel = ReconciliationItem['channel'];

function view(r: ReconciliationDoc, channel: Channel, refund: RefundDoc | null): ReconciliationItem {
  return {
    entryId: r._id,
    name: r.name,
    idMasked: r.idMasked,
    category: categoryLabel(r.category),
    percent: r.percent,
    paidFen: r.paidFen,
    dueFen: r.dueFen,
    differenceFen: r.differenceFen,
    township: r.township,
    community: r.communityName,
    status: r.status,
    channel,
    settledWay: r.settledWay ?? null,
    settledAt: r.settledAt ?? null,
    refundStatusText: refund ? REFUND_STATUS_TEXT[refund.status] : null,
    settleNote: r.settleNote ?? null,
  };
}

const channelOf = (order: Pick<OrderDoc, 'channel'> | null | undefined): Channel => order?.channel ?? 'wechat';

export async function reconciliationList(deps: Acting, q: { benefitYear?: number; offset: number; limit: number }) {
  const staff = await requireStaff(deps, LIST_ROLES);
  const years = listYearsNow(deps);
  const benefitYear = q.benefitYear ?? years[0];
  const filter = { benefitYear, ...scopeFilter(staff) };
  const [total, page] = await Promise.all([
    deps.db.count(C.reconciliation, filter),
    deps.db.find<ReconciliationDoc>(C.reconciliation, filter, { orderBy: [['district', 'asc'], ['township', 'asc'], ['_id', 'asc']], skip: q.offset, limit: q.limit }),
  ]);
  // One read each for the page's orders (how they paid) and refunds (their state).
  const tradeNos = [...new Set(page.map((r) => r.outTradeNo).filter((x): x is string => !!x))];
  const refundNos = page.map((r) => r.outRefundNo).filter((x): x is string => !!x);
  const [orders, refunds] = await Promise.all([
    tradeNos.length ? deps.db.find<OrderDoc>(C.orders, { _id: deps.db.cmd.in(tradeNos) }, { limit: 100, fields: { _id: true, channel: true } }) : [],
    refundNos.length ? deps.db.find<RefundDoc>(C.refunds, { _id: deps.db.cmd.in(refundNos) }, { limit: 100 }) : [],
  ]);
  const orderOf = new Map(orders.map((o) => [o._id as unknown as string, o]));
  const refundOf = new Map(refunds.map((f) => [f._id, f]));
  return {
    total,
    items: page.map((r) => view(r, channelOf(r.outTradeNo ? orderOf.get(r.outTradeNo) : null), r.outRefundNo ? refundOf.get(r.outRefundNo) ?? null : null)),
    benefitYear,
    years,
  };
}

export async function settleReconciliation(deps: Acting, input: { benefitYear: number; entryId: string; way: ReconciliationWay; note: string }): Promise<ReconciliationItem> {
  const staff = await requireStaff(deps, SETTLE_ROLES);
  const [entry] = await deps.db.find<ReconciliationDoc>(C.reconciliation, { _id: input.entryId, benefitYear: input.benefitYear, ...scopeFilter(staff) }, { limit: 1 });
  if (!entry) throw NOT_FOUND();
  // Nobody gives money back to their own family.
  await personForStaff(deps, staff, entry.personId);
  const order = entry.outTradeNo ? await getOrder(deps, entry.outTradeNo) : null;
  const channel = channelOf(order);
  const refundOf = async (no?: string) => (no ? await deps.db.get<RefundDoc>(C.refunds, no) : null);
  if (entry.status === 'settled') return view(entry, channel, await refundOf(entry.outRefundNo));

  // The payment the difference belongs to must still be what enrolls the person (not refunded or
  // reversed since the list arrived).
  const enrollment = await deps.db.get<EnrollmentDoc>(C.enrollments, enrollmentId(entry.personId, input.benefitYear));
  const index = order ? order.items.findIndex((i) => i.personId === entry.personId && i.benefitYear === input.benefitYear) : -1;
  if (!order || index < 0 || order.status !== 'paid' || enrollment?.outTradeNo !== order.outTradeNo) {
    throw new AppError('STATE_CHANGED', '该人员的这笔缴费已退款或冲正，无需再退还差额', 'entryId');
  }
  let outRefundNo: string | undefined;
  if (input.way === 'wechat_refund') {
    if (channel !== 'wechat' || !order.transactionId) throw new AppError('NOT_WECHAT_PAYMENT', '这笔不是微信支付的缴费：请退还现金后选择“已退还现金”', 'way');
    const payment = await deps.db.get<{ totalFeeFen: number }>(C.payments, order.transactionId);
    if (!payment) throw new AppError('STATE_CHANGED', '未找到这笔微信支付记录，请稍后再试', 'entryId');
    const refund = await requestRefund(
      deps,
      { order, transactionId: order.transactionId, totalFeeFen: payment.totalFeeFen, part: index, cause: 'assistance_difference', amountFen: entry.differenceFen, note: input.note },
      deps.caller.openid,
    );
    outRefundNo = refund.outRefundNo;
  } else if (channel === 'wechat') {
    throw new AppError('WECHAT_PAYMENT', '这笔是微信支付的缴费：请选择“微信原路退还”，钱款退回付款的微信账户', 'way');
  }

  const now = deps.clock.now().toISOString();
  const settled = await deps.db.transaction(async (tx) => {
    const r = await tx.get<ReconciliationDoc>(C.reconciliation, entry._id);
    if (!r || r.status === 'settled') return false;
    await tx.update(C.reconciliation, entry._id, { status: 'settled', settledWay: input.way, settledAt: now, settledBy: staff._id, settleNote: input.note, ...(outRefundNo ? { outRefundNo } : {}) });
    return true;
  });
  if (settled) {
    await appendAudit(
      deps,
      {
        entity: 'assistance_list',
        entityId: entry._id,
        personIds: [entry.personId],
        from: 'open',
        to: 'settled',
        actor: deps.caller.openid,
        reason: `assistance difference ${entry.differenceFen} fen of order ${order.outTradeNo} ${input.way === 'wechat_refund' ? `refunded through WeChat Pay (${outRefundNo})` : 'returned in cash'}: ${input.note}`,
      },
      `reconciliation:${entry._id}:settled`,
    );
  }
  const stored = (await deps.db.get<ReconciliationDoc>(C.reconciliation, entry._id)) ?? entry;
  return view(stored, channel, await refundOf(stored.outRefundNo));
}
