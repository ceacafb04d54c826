/**
 * Refunds by staff (issue 14): district and city staff refund one person's part of a WeChat Pay
 * payment with a reason — paid for the wrong person, or paid online as well as at the cash desk —
 * and read the refunds of their scope. The person is no longer enrolled by that payment (the
 * enrollment opens again), unless it already reached the insurance system (then it is the tax
 * office's 退费, outside this system). Each refund is requested once (its number is derived from
 * the order and the person's place in it), so a repeated request answers with the same refund.
 * Audited with who, why and the note.
 */
import type { StaffRefundView } from '../../contracts/staffPayments';
import { AppError } from '../../platform/errors';
import { appendAudit } from '../audit/audit-log';
import { Acting, C } from '../context';
import { EnrollmentDoc, enrollmentId } from '../enrollments/enrollments';
import type { PersonDoc } from '../persons/persons';
import { personForStaff, personInScope, requireStaff, Staff } from '../staff/scope';
import { FIRST_SWEEP_AFTER_MS, getOrder, OrderDoc } from './order-doc';
import { reopenRefundedPart } from './settlement';
import { CAUSE_TEXT, differenceRefundNo, REFUND_STATUS_TEXT, RefundDoc, refundNo, refundsOfOrder, requestRefund, STAFF_REFUND_REASONS, StaffRefundReason } from './refunds';

const MANAGERS = ['district', 'city'] as const;
const PAYMENT_NOT_FOUND = () => new AppError('PAYMENT_NOT_FOUND', '未找到该笔微信支付缴费', 'outTradeNo');

interface PaymentDoc {
  _id: string;
  transactionId: string;
  outTradeNo: string;
  totalFeeFen: number;
  paidAt: string;
}

export function staffRefundView(r: RefundDoc): StaffRefundView {
  const item = r.items[0];
  return {
    outRefundNo: r.outRefundNo,
    outTradeNo: r.outTradeNo,
    amountFen: r.refundFeeFen,
    personId: item?.personId ?? null,
    name: item?.name ?? null,
    benefitYear: item?.benefitYear ?? null,
    cause: r.cause,
    causeText: r.cause === 'staff' && r.reasonCode ? STAFF_REFUND_REASONS[r.reasonCode] : CAUSE_TEXT[r.cause],
    status: r.status,
    statusText: REFUND_STATUS_TEXT[r.status],
    createdAt: r.createdAt,
    succeededAt: r.succeededAt ?? null,
  };
}

async function personsOf(deps: Acting, ids: string[]): Promise<Map<string, PersonDoc>> {
  const unique = [...new Set(ids)];
  const found = unique.length ? await deps.db.find<PersonDoc>(C.persons, { _id: deps.db.cmd.in(unique) }, { limit: 100 }) : [];
  return new Map(found.map((p) => [p._id, p]));
}

/** The order, if one of its people lies in the staff member's scope; else it answers as missing. */
async function orderInScope(deps: Acting, staff: Staff, outTradeNo: string): Promise<{ order: OrderDoc; persons: Map<string, PersonDoc> }> {
  const order = await getOrder(deps, outTradeNo);
  if (!order || !order.transactionId) throw PAYMENT_NOT_FOUND();
  const persons = await personsOf(deps, order.personIds);
  if (!order.personIds.some((id) => persons.has(id) && personInScope(staff, persons.get(id)!))) throw PAYMENT_NOT_FOUND();
  return { order, persons };
}

export async function findPayment(deps: Acting, outTradeNo: string) {
  const staff = await requireStaff(deps, MANAGERS);
  const { order, persons } = await orderInScope(deps, staff, outTradeNo);
  const payment = await deps.db.get<PaymentDoc>(C.payments, order.transactionId!);
  if (!payment) throw PAYMENT_NOT_FOUND();
  return {
    outTradeNo,
    transactionId: payment.transactionId,
    paidAt: payment.paidAt,
    totalFeeFen: payment.totalFeeFen,
    items: order.items.map((i) => ({ personId: i.personId, name: i.name, idMasked: i.idMasked, benefitYear: i.benefitYear, amountFen: i.amountFen, inScope: persons.has(i.personId) && personInScope(staff, persons.get(i.personId)!) })),
    refunds: (await refundsOfOrder(deps, outTradeNo)).map(staffRefundView),
  };
}

export async function refundPayment(deps: Acting, input: { outTradeNo: string; personId: string; benefitYear: number; reasonCode: StaffRefundReason; note: string }): Promise<StaffRefundView> {
  const staff = await requireStaff(deps, MANAGERS);
  // Scope and own family first, the same answer for a person outside the scope as for a missing one.
  await personForStaff(deps, staff, input.personId);
  const order = await getOrder(deps, input.outTradeNo);
  const index = order ? order.items.findIndex((i) => i.personId === input.personId && i.benefitYear === input.benefitYear) : -1;
  if (!order || index < 0 || order.status !== 'paid' || !order.transactionId) throw PAYMENT_NOT_FOUND();
  if ((order.channel ?? 'wechat') !== 'wechat') {
    throw new AppError('NOT_WECHAT_PAYMENT', '这笔不是微信支付的缴费：现金冲正请在现金收缴办理，已入库的请按退费流程到税务部门办理', 'outTradeNo');
  }
  const payment = await deps.db.get<PaymentDoc>(C.payments, order.transactionId);
  if (!payment) throw PAYMENT_NOT_FOUND();
  const id = enrollmentId(input.personId, input.benefitYear);
  const enrollment = await deps.db.get<EnrollmentDoc>(C.enrollments, id);
  const existing = await deps.db.get<RefundDoc>(C.refunds, refundNo(order.outTradeNo, index));
  if (!existing && enrollment?.outTradeNo === order.outTradeNo && enrollment.status === 'enrolled') {
    throw new AppError('ENROLLMENT_SYNCED', '该笔缴费已同步到医保系统，不能在线退款；请按退费流程到税务部门办理', 'personId');
  }
  // An assistance difference already given back (多缴核对) leaves only the rest of the part.
  const difference = await deps.db.get<RefundDoc>(C.refunds, differenceRefundNo(order.outTradeNo, index));
  const leftFen = order.items[index].amountFen - (difference && difference.status !== 'failed' ? difference.refundFeeFen : 0);
  if (!existing && leftFen <= 0) throw new AppError('ALREADY_REFUNDED', '这笔缴费已全部退还', 'personId');
  const reason = `${STAFF_REFUND_REASONS[input.reasonCode]}：${input.note}`;
  // The order is marked for the sweeper first: a crash after the refund and before the enrollment
  // opens is completed by settlement, which reopens staff-refunded parts. Then the refund (its
  // record stops any later settlement from enrolling the person by this payment again), then the
  // enrollment opens.
  await deps.db.update(C.orders, order.outTradeNo, { nextSweepAt: new Date(deps.clock.now().getTime() + FIRST_SWEEP_AFTER_MS).toISOString() });
  const refund = existing ?? (await requestRefund(deps, { order, transactionId: order.transactionId, totalFeeFen: payment.totalFeeFen, part: index, cause: 'staff', reasonCode: input.reasonCode, note: input.note, amountFen: leftFen }, deps.caller.openid));
  if (!existing) {
    await appendAudit(deps, { entity: 'payment', entityId: order.transactionId, from: 'paid', to: 'refund_requested', actor: deps.caller.openid, reason: `refund of ${input.personId} ${input.benefitYear} by ${staff.role}: ${reason}` }, `staff-refund:${refund._id}`);
  }
  await reopenRefundedPart(deps, order.outTradeNo, input.personId, input.benefitYear, deps.caller.openid, `payment refunded by staff: ${reason}`);
  await deps.db.update(C.orders, order.outTradeNo, { nextSweepAt: deps.db.cmd.remove() });
  return staffRefundView((await deps.db.get<RefundDoc>(C.refunds, refund._id)) ?? refund);
}

export async function listRefunds(deps: Acting, status: 'open' | 'failed' | 'all', limit: number) {
  const staff = await requireStaff(deps, MANAGERS);
  const filter: Record<string, unknown> = status === 'open' ? { status: deps.db.cmd.in(['submitting', 'processing']) } : status === 'failed' ? { status: 'failed' } : {};
  const recent = await deps.db.find<RefundDoc>(C.refunds, filter, { orderBy: [['createdAt', 'desc']], limit: 100 });
  if (staff.role === 'city') return { items: recent.slice(0, limit).map(staffRefundView) };
  // A refund of the whole payment names no person: the order's people decide.
  const orders = new Map<string, OrderDoc>();
  for (const r of recent.filter((x) => x.items.length === 0)) {
    const o = await getOrder(deps, r.outTradeNo);
    if (o) orders.set(o.outTradeNo, o);
  }
  const personIds = recent.flatMap((r) => (r.items.length ? r.items.map((i) => i.personId) : (orders.get(r.outTradeNo)?.personIds ?? [])));
  const persons = await personsOf(deps, personIds);
  const inScope = (id: string) => persons.has(id) && personInScope(staff, persons.get(id)!);
  const visible = recent.filter((r) => (r.items.length ? r.items.some((i) => inScope(i.personId)) : (orders.get(r.outTradeNo)?.personIds ?? []).some(inScope)));
  return { items: visible.slice(0, limit).map(staffRefundView) };
}
