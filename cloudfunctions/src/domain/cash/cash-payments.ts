/**
 * Cash taken at the community desk (社区现金收缴), recorded against the number of the
 * 医疗保障专用票据 handed to the person.
 *
 * A cash payment goes the same way as an online one: an order (channel 'cash') claims the
 * enrollment (enrollments/claims.ts: one holder per person and year, decided by the unique index
 * and a transaction), then orders/settlement.ts settles it — payment document, order paid,
 * enrollment paid_pending_sync, audit — exactly as the pay callback does. So nothing is paid
 * twice, in any order: cash for a person already paid online meets ALREADY_PAID at the claim;
 * online for a person paid in cash meets it in createOrder; two desks at once: one claim wins.
 *
 * [decision] An online order pending for the person is resolved first, as a family member's
 * order is taken over (orders.ts takeOver): WeChat Pay is asked, a paid order is settled (and the
 * cash refused), an unpaid one closed there and here. WeChat Pay refuses to close an order under
 * 5 minutes old, and until closed it can still be paid: then the cash is refused with the time
 * the online payment started, to be tried again after those minutes.
 *
 * The receipt number is unique (collection cash_payments, keyed by it): one printed receipt,
 * one payment. The same request repeated (a double tap, a retry after a lost reply) gives the
 * same receipt back, or finishes a recording a crash interrupted.
 */
import type { CashReceipt } from '../../contracts/staffCash';
import { DuplicateKeyError } from '../../platform/database';
import { AppError } from '../../platform/errors';
import { appendAudit } from '../audit/audit-log';
import { Acting, C, Deps } from '../context';
import { shanghaiDateOf, shanghaiTimeOf } from '../dates';
import { ALREADY_PAID, release, tryClaim } from '../enrollments/claims';
import { EnrollmentDoc, enrollmentId, getEnrollment, PAID_STATES } from '../enrollments/enrollments';
import { quotePerson } from '../enrollments/person-quote';
import { encryptText } from '../identity/id-protection';
import { closableAtWechat, explanationOf, getOrder, isExpired, newOutTradeNo, OrderDoc, OrderItemDoc, ORDER_TTL_MS, PAID_IN_CASH } from '../orders/order-doc';
import { resolveStale, takeOver } from '../orders/orders';
import { settle } from '../orders/settlement';
import type { PersonDoc } from '../persons/persons';
import { personForStaff, requireStaff, Staff } from '../staff/scope';
import { communityView, DESK_ROLES } from './desk';
import { uncountEnrolled } from '../season/counters';

/** Collections of the cash desk (declared in cloudfunctions/indexes.json). */
export const CASH = { payments: 'cash_payments', remittances: 'cash_remittances' } as const;

export type CashStatus = 'reserved' | 'unremitted' | 'remitted' | 'reversed';

export interface CashPaymentDoc {
  /** The receipt number (normalised: upper case, no spaces), also under a unique index. */
  _id: string;
  receiptNo: string;
  status: CashStatus;
  outTradeNo: string;
  transactionId: string;
  personId: string;
  personName: string;
  idMasked: string | null;
  benefitYear: number;
  amountFen: number;
  communityId: string;
  community: string;
  district: string;
  staffId: string;
  staffName: string;
  staffRole: string;
  /** Set once settled (status unremitted). */
  takenAt: string | null;
  /** Shanghai date of takenAt: the remittance clock counts days from it. */
  takenDay: string | null;
  createdAt: string;
  remittanceId?: string | null;
  remittedAt?: string | null;
  reversedAt?: string | null;
  reversedBy?: string | null;
  reverseReason?: string | null;
}

/** The payer of a cash order: no WeChat account, so no resident's records list or message reaches it. */
const cashPayer = (staff: Staff) => `cash:${staff._id}`;
const transactionIdOf = (receiptNo: string) => `CASH-${receiptNo}`;

const RECEIPT_USED = () => new AppError('RECEIPT_USED', '该票据号码已用于另一笔缴费，请核对票据号码', 'receiptNo');
export const RECEIPT_NOT_FOUND = () => new AppError('RECEIPT_NOT_FOUND', '未找到该票据号码的现金缴费', 'receiptNo');
const CASH_IN_PROGRESS = () => new AppError('CASH_IN_PROGRESS', '另一窗口正在为该参保人收款，请刷新后查看缴费状态', 'personId');
const ONLINE_IN_PROGRESS = (started: Date) =>
  new AppError('ONLINE_PAYMENT_PENDING', `该参保人有一笔线上缴费正在进行（${shanghaiTimeOf(started)} 发起），5分钟内无法撤销；请稍后再收现金，避免重复缴费`, 'personId');

async function alreadyPaid(deps: Pick<Deps, 'db'>, e: EnrollmentDoc | null): Promise<AppError> {
  if (!e?.outTradeNo) return ALREADY_PAID();
  const order = await getOrder(deps, e.outTradeNo);
  if (order?.channel === 'cash') return new AppError('ALREADY_PAID', '该参保人本年度已在社区窗口现金缴费，不能重复收款', 'personId');
  return new AppError('ALREADY_PAID', '该参保人本年度已通过微信缴费，不能重复收款', 'personId');
}

export async function receiptView(deps: Pick<Deps, 'db'>, cp: CashPaymentDoc): Promise<CashReceipt> {
  const order = await getOrder(deps, cp.outTradeNo);
  const voucher = cp.remittanceId ? await deps.db.get<{ voucherNo: string }>(CASH.remittances, cp.remittanceId) : null;
  return {
    receiptNo: cp.receiptNo,
    personName: cp.personName,
    idMasked: cp.idMasked,
    community: cp.community,
    benefitYear: cp.benefitYear,
    amountFen: cp.amountFen,
    explanation: order?.items[0] ? explanationOf(order.items[0]) : [],
    takenAt: cp.takenAt ?? cp.createdAt,
    takenBy: cp.staffName,
    outTradeNo: cp.outTradeNo,
    status: cp.status === 'reserved' ? 'unremitted' : cp.status,
    voucherNo: voucher?.voucherNo ?? null,
    reverseReason: cp.reverseReason ?? null,
  };
}

/** The engine's amount for the person now, refused as an online order would be. */
async function priced(deps: Acting, person: PersonDoc, benefitYear: number): Promise<OrderItemDoc> {
  const q = await quotePerson(deps, person, benefitYear);
  if (!q.eligible || q.payableFen === null) throw new AppError('NOT_ELIGIBLE', `不符合本年度参保条件：${q.reasons.join('；') || '请核对参保信息'}`, 'personId');
  if (!q.windowOpen) throw new AppError('WINDOW_CLOSED', `${benefitYear}年度缴费时间为${q.window.start}至${q.window.end}，现在不在缴费期内`, 'benefitYear');
  if (q.payableFen === 0) throw new AppError('NOTHING_TO_PAY', '该参保人由医疗救助全额资助参保，无需缴费', 'personId');
  return { personId: person._id, benefitYear, amountFen: q.payableFen, name: person.name, idMasked: person.idMasked, explanationCipher: encryptText(JSON.stringify(q.explanation)) };
}

/**
 * Claims the enrollment for the cash order; resolves an online order holding it first (see the
 * file comment). Throws the refusal when the person is paid or being paid elsewhere.
 */
async function claimForCash(deps: Acting, item: OrderItemDoc, outTradeNo: string): Promise<void> {
  const actor = deps.caller.openid;
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await tryClaim(deps, item.personId, item.benefitYear, outTradeNo, item.amountFen, actor);
    if (r.ok) return;
    if ('paid' in r) throw await alreadyPaid(deps, await getEnrollment(deps, item.personId, item.benefitYear));
    const holder = r.heldBy ? await getOrder(deps, r.heldBy) : null;
    const now = deps.clock.now();
    if (!holder) {
      await release(deps, item.personId, item.benefitYear, r.heldBy, actor, 'holding order does not exist');
      continue;
    }
    let resolved: OrderDoc | null = holder;
    if (holder.status === 'pending') {
      if (holder.channel === 'cash') {
        // Another desk is recording it this moment; only a cash order a crash left behind is released.
        if (!isExpired(holder, now)) throw CASH_IN_PROGRESS();
        await deps.db.update(C.orders, holder.outTradeNo, { status: 'expired', closedReason: 'cash recording never finished' });
        await release(deps, item.personId, item.benefitYear, holder.outTradeNo, actor, 'cash order never finished');
        continue;
      }
      if (isExpired(holder, now)) resolved = await resolveStale(deps, holder, actor);
      else if (closableAtWechat(holder, now)) resolved = await takeOver(deps, holder, actor, PAID_IN_CASH);
      else throw ONLINE_IN_PROGRESS(new Date(holder.createdAt));
    }
    if (!resolved || resolved.status === 'pending') throw ONLINE_IN_PROGRESS(new Date(holder.createdAt));
    if (resolved.status === 'paid') throw await alreadyPaid(deps, await getEnrollment(deps, item.personId, item.benefitYear));
    await release(deps, item.personId, item.benefitYear, resolved.outTradeNo, actor, `order ${resolved.status}`);
  }
  throw CASH_IN_PROGRESS();
}

/** Settles the cash order as the pay callback settles an online one, then opens the receipt for remittance. */
async function settleCash(deps: Acting, cp: CashPaymentDoc): Promise<CashPaymentDoc> {
  const outcome = await settle(deps, cp.outTradeNo, { transactionId: cp.transactionId, totalFee: cp.amountFen }, deps.caller.openid);
  if (outcome !== 'settled' && outcome !== 'already_settled') throw new Error(`cash settlement ${outcome}`);
  const order = await getOrder(deps, cp.outTradeNo);
  const takenAt = order?.paidAt ?? deps.clock.now().toISOString();
  const opened = await deps.db.transaction(async (tx) => {
    const c = await tx.get<CashPaymentDoc>(CASH.payments, cp._id);
    if (!c || c.status !== 'reserved') return false;
    await tx.update(CASH.payments, cp._id, { status: 'unremitted', takenAt, takenDay: shanghaiDateOf(new Date(takenAt)) });
    return true;
  });
  if (opened) {
    await appendAudit(deps, { entity: 'payment', entityId: cp.transactionId, from: null, to: 'cash_unremitted', actor: deps.caller.openid, reason: `cash ${cp.amountFen} fen taken at the desk (${cp.staffRole}), receipt ${cp.receiptNo}` }, `cash:${cp._id}:taken`);
  }
  return (await deps.db.get<CashPaymentDoc>(CASH.payments, cp._id)) ?? cp;
}

export interface RecordCashInput {
  personId: string;
  benefitYear: number;
  amountFen: number;
  receiptNo: string;
}

export async function recordCash(deps: Acting, input: RecordCashInput): Promise<CashReceipt> {
  const staff = await requireStaff(deps, DESK_ROLES);
  const person = await personForStaff(deps, staff, input.personId);
  if (!person.community) throw new AppError('COMMUNITY_REQUIRED', '请先为该参保人设置所在社区（村居），现金按社区汇缴', 'personId');

  // The same receipt again: a repeated request gets its receipt back (or finishes it).
  const same = await deps.db.get<CashPaymentDoc>(CASH.payments, input.receiptNo);
  if (same) return repeated(deps, same, input);

  const item = await priced(deps, person, input.benefitYear);
  if (item.amountFen !== input.amountFen) {
    throw new AppError('AMOUNT_MISMATCH', `应收金额为${(item.amountFen / 100).toFixed(2)}元，与收款金额不一致，请按应收金额收款`, 'amountFen');
  }
  const e = await getEnrollment(deps, person._id, input.benefitYear);
  if (e && PAID_STATES.includes(e.status)) throw await alreadyPaid(deps, e);

  const now = deps.clock.now();
  const outTradeNo = newOutTradeNo(now);
  const cp: CashPaymentDoc = {
    _id: input.receiptNo,
    receiptNo: input.receiptNo,
    status: 'reserved',
    outTradeNo,
    transactionId: transactionIdOf(input.receiptNo),
    personId: person._id,
    personName: person.name,
    idMasked: person.idMasked,
    benefitYear: input.benefitYear,
    amountFen: item.amountFen,
    communityId: person.community.id,
    community: communityView(person) ?? person.community.name,
    district: person.community.district,
    staffId: staff._id,
    staffName: staff.name,
    staffRole: staff.role,
    takenAt: null,
    takenDay: null,
    createdAt: now.toISOString(),
    remittanceId: null,
  };
  try {
    await deps.db.insert(CASH.payments, cp);
  } catch (err) {
    if (!(err instanceof DuplicateKeyError)) throw err;
    const other = await deps.db.get<CashPaymentDoc>(CASH.payments, input.receiptNo);
    if (other) return repeated(deps, other, input);
    throw RECEIPT_USED();
  }
  const order: OrderDoc = {
    _id: outTradeNo,
    outTradeNo,
    openid: cashPayer(staff),
    channel: 'cash',
    items: [item],
    personIds: [person._id],
    totalFeeFen: item.amountFen,
    status: 'pending',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ORDER_TTL_MS).toISOString(),
    paidAt: null,
    transactionId: null,
  };
  await deps.db.insert(C.orders, order);
  try {
    await claimForCash(deps, item, outTradeNo);
  } catch (err) {
    // Nothing was taken: the order and the receipt number are given back.
    await deps.db.remove(C.orders, outTradeNo).catch(() => undefined);
    await deps.db.remove(CASH.payments, cp._id).catch(() => undefined);
    throw err;
  }
  await appendAudit(deps, { entity: 'order', entityId: outTradeNo, from: null, to: 'pending', actor: deps.caller.openid, reason: `cash at the desk, receipt ${cp.receiptNo}` });
  return receiptView(deps, await settleCash(deps, cp));
}

/** A receipt number seen before: the same payment again, or another payment's number. */
async function repeated(deps: Acting, cp: CashPaymentDoc, input: RecordCashInput): Promise<CashReceipt> {
  if (cp.personId !== input.personId || cp.benefitYear !== input.benefitYear || cp.amountFen !== input.amountFen) throw RECEIPT_USED();
  // A reversed receipt is void: taking the cash again needs a new one.
  if (cp.status === 'reversed') throw new AppError('RECEIPT_USED', '该票据已冲正作废，请使用新的票据', 'receiptNo');
  if (cp.status !== 'reserved') return receiptView(deps, cp);
  const e = await deps.db.get<EnrollmentDoc>(C.enrollments, enrollmentId(cp.personId, cp.benefitYear));
  // Interrupted after claiming: finish it. Otherwise the first request is still running.
  if (e?.outTradeNo === cp.outTradeNo && (e.status === 'awaiting_payment' || PAID_STATES.includes(e.status))) return receiptView(deps, await settleCash(deps, cp));
  throw CASH_IN_PROGRESS();
}

/** Which cash payments a staff member sees: their community's, their district's, or all (city). */
export function cashScopeFilter(staff: Staff): Record<string, unknown> | null {
  if (staff.role === 'city') return {};
  if (staff.role === 'district') return staff.org.district ? { district: staff.org.district } : null;
  if (staff.role === 'community') return { communityId: staff.org._id };
  return null;
}

export async function cashPaymentInScope(deps: Pick<Deps, 'db'>, staff: Staff, receiptNo: string): Promise<CashPaymentDoc> {
  const cp = await deps.db.get<CashPaymentDoc>(CASH.payments, receiptNo);
  const scope = cashScopeFilter(staff);
  // Out of scope answers like a missing receipt: a number tells nothing about other communities.
  if (!cp || cp.status === 'reserved' || !scope || Object.entries(scope).some(([k, v]) => (cp as unknown as Record<string, unknown>)[k] !== v)) throw RECEIPT_NOT_FOUND();
  return cp;
}

export async function cashReceipt(deps: Acting, receiptNo: string): Promise<CashReceipt> {
  const staff = await requireStaff(deps, [...DESK_ROLES, 'city']);
  return receiptView(deps, await cashPaymentInScope(deps, staff, receiptNo));
}

/**
 * District: a cash payment taken by mistake is undone — the enrollment is open again (not
 * enrolled), the receipt marked reversed with the reason, everything audited.
 * [decision] Only unremitted cash: once remitted the money is in the treasury, and returning it
 * is a refund through the tax office (退费), outside the desk; a payment already synced to the
 * insurance system (enrolled) likewise.
 */
/** The enrollment went to 医保信息平台 in a batch whose answer has not come (domain/insurance/sync.ts). */
const inFlight = (e: object) => (e as { sync?: { state?: string } | null }).sync?.state === 'exported';

export async function reverseCash(deps: Acting, receiptNo: string, reason: string): Promise<CashReceipt> {
  const staff = await requireStaff(deps, ['district']);
  const cp = await cashPaymentInScope(deps, staff, receiptNo);
  await personForStaff(deps, staff, cp.personId);
  if (cp.status === 'reversed') throw new AppError('ALREADY_REVERSED', '该笔现金缴费已冲正', 'receiptNo');
  if (cp.status === 'remitted') throw new AppError('ALREADY_REMITTED', '该笔现金已汇缴入库，不能冲正；如需退还，请按退费流程到税务部门办理', 'receiptNo');
  const e = await getEnrollment(deps, cp.personId, cp.benefitYear);
  // Exported to 医保信息平台 and not yet answered: the platform may be registering it right now.
  if (!e || e.outTradeNo !== cp.outTradeNo || e.status !== 'paid_pending_sync' || inFlight(e)) {
    throw new AppError('ENROLLMENT_SYNCED', '该笔缴费已同步到医保系统，不能冲正；请按退费流程办理', 'receiptNo');
  }
  const at = deps.clock.now().toISOString();
  // The receipt first, in a transaction: a remittance recorded at the same moment cannot also take it.
  const flipped = await deps.db.transaction(async (tx) => {
    const c = await tx.get<CashPaymentDoc>(CASH.payments, cp._id);
    if (!c || c.status !== 'unremitted') return false;
    await tx.update(CASH.payments, cp._id, { status: 'reversed', reversedAt: at, reversedBy: staff._id, reverseReason: reason });
    return true;
  });
  if (!flipped) throw new AppError('ALREADY_REMITTED', '该笔现金刚刚被汇缴或冲正，请刷新后查看', 'receiptNo');
  await appendAudit(deps, { entity: 'payment', entityId: cp.transactionId, from: 'cash_unremitted', to: 'reversed', actor: deps.caller.openid, reason: `reversed by ${staff.role}: ${reason}` }, `cash:${cp._id}:reversed`);
  const reopened = await deps.db.transaction(async (tx) => {
    const x = await tx.get<EnrollmentDoc>(C.enrollments, e._id);
    if (!x || x.outTradeNo !== cp.outTradeNo || x.status !== 'paid_pending_sync' || inFlight(x)) return false;
    await tx.update(C.enrollments, e._id, { status: 'open', outTradeNo: null, amountFen: null, paidAt: null, expectedSyncBy: null, updatedAt: at });
    return true;
  });
  if (reopened) await appendAudit(deps, { entity: 'enrollment', entityId: e._id, from: 'paid_pending_sync', to: 'open', actor: deps.caller.openid, reason: `cash receipt ${cp.receiptNo} reversed: ${reason}` }, `enr:${e._id}:reversed:${cp.outTradeNo}`);
  if (reopened) await uncountEnrolled(deps, e.personId, e.benefitYear);
  await deps.db.update(C.payments, cp.transactionId, { reversedAt: at, reverseReason: reason });
  await deps.db.update(C.orders, cp.outTradeNo, { reversedAt: at });
  return receiptView(deps, (await deps.db.get<CashPaymentDoc>(CASH.payments, cp._id)) ?? cp);
}
