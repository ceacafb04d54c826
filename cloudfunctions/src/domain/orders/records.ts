/**
 * The caller's own payment records, one receipt, and a person's enrollment history.
 * A payment (its transaction id, order number, amount for each person) belongs to the account
 * that paid it: family members acting for the same person see the year's status in the
 * history, not each other's payments.
 */
import type { PaymentRecord } from '../../contracts/resident';
import { AppError } from '../../platform/errors';
import { requireConsent } from '../consent/consent';
import { Acting, C } from '../context';
import { enrollmentsOf } from '../enrollments/enrollments';
import { requireFamilyPerson } from '../family/family';
import { STATUS_TEXT, statusOfEnrollment } from '../home/home';
import { refusalView } from '../insurance/refusals';
import type { SyncedEnrollment } from '../insurance/sync';
import { CAUSE_TEXT, REFUND_STATUS_TEXT, RefundDoc, STAFF_REFUND_REASONS } from './refunds';

interface PaymentDoc {
  _id: string;
  transactionId: string;
  outTradeNo: string;
  openid: string;
  personIds: string[];
  items: Array<{ personId: string; benefitYear: number; amountFen: number; name: string; idMasked: string | null }>;
  totalFeeFen: number;
  paidAt: string;
}

function record(p: PaymentDoc, refunds: RefundDoc[]): PaymentRecord {
  const mine = refunds.filter((r) => r.outTradeNo === p.outTradeNo);
  return {
    outTradeNo: p.outTradeNo,
    transactionId: p.transactionId,
    paidAt: p.paidAt,
    totalFeeFen: p.totalFeeFen,
    items: p.items.map((i) => ({ personId: i.personId, name: i.name, idMasked: i.idMasked, benefitYear: i.benefitYear, amountFen: i.amountFen })),
    ...(mine.length ? { refunds: mine.map(refundView) } : {}),
  };
}

function refundView(r: RefundDoc): NonNullable<PaymentRecord['refunds']>[number] {
  const status = r.status === 'succeeded' ? 'succeeded' : r.status === 'failed' ? 'failed' : 'processing';
  return {
    personId: r.items[0]?.personId ?? null,
    benefitYear: r.items[0]?.benefitYear ?? null,
    amountFen: r.refundFeeFen,
    status,
    statusText: REFUND_STATUS_TEXT[r.status],
    reason: r.cause === 'staff' && r.reasonCode ? STAFF_REFUND_REASONS[r.reasonCode] : CAUSE_TEXT[r.cause],
  };
}

export async function listRecords(deps: Acting) {
  await requireConsent(deps);
  const payments = await deps.db.find<PaymentDoc>(C.payments, { openid: deps.caller.openid }, { orderBy: [['paidAt', 'desc']], limit: 100 });
  const refunds = await deps.db.find<RefundDoc>(C.refunds, { openid: deps.caller.openid }, { orderBy: [['createdAt', 'desc']], limit: 100 });
  return { records: payments.map((p) => record(p, refunds)) };
}

export async function receipt(deps: Acting, outTradeNo: string): Promise<PaymentRecord> {
  await requireConsent(deps);
  const found = await deps.db.find<PaymentDoc>(C.payments, { outTradeNo, openid: deps.caller.openid }, { limit: 1 });
  // Another payer's receipt answers like a missing one.
  if (!found[0]) throw new AppError('RECEIPT_NOT_FOUND', '未找到该缴费记录', 'outTradeNo');
  return record(found[0], await deps.db.find<RefundDoc>(C.refunds, { outTradeNo, openid: deps.caller.openid }, { limit: 100 }));
}

export async function history(deps: Acting, personId: string) {
  await requireConsent(deps);
  const { person } = await requireFamilyPerson(deps, personId);
  const entries = (await enrollmentsOf(deps, personId))
    .map((e) => ({ e, status: statusOfEnrollment(e) }))
    .filter((x) => x.status)
    .map(({ e, status }) => ({
      benefitYear: e.benefitYear,
      status: status!,
      statusText: STATUS_TEXT[status!],
      amountFen: e.amountFen,
      paidAt: e.paidAt,
      registeredOn: (e as SyncedEnrollment).registeredOn ?? null,
      syncRefused: status === 'paid_pending_sync' && (e as SyncedEnrollment).sync?.state === 'refused' ? refusalView((e as SyncedEnrollment).sync!.refusal!.code, (e as SyncedEnrollment).sync!.refusal!.text).reason : null,
    }));
  return { personId, name: person.name, entries };
}
