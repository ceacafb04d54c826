/**
 * Payment records of the caller's family, one receipt, and a person's enrollment history.
 */
import type { PaymentRecord } from '../../contracts/resident';
import { AppError } from '../../platform/errors';
import { requireConsent } from '../consent/consent';
import { Acting, C } from '../context';
import { enrollmentsOf } from '../enrollments/enrollments';
import { linksOf, requireFamilyPerson } from '../family/family';
import { STATUS_TEXT, statusOfEnrollment } from '../home/home';

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

function record(p: PaymentDoc, visible?: Set<string>): PaymentRecord {
  return {
    outTradeNo: p.outTradeNo,
    transactionId: p.transactionId,
    paidAt: p.paidAt,
    totalFeeFen: p.totalFeeFen,
    items: p.items
      .filter((i) => !visible || visible.has(i.personId))
      .map((i) => ({ personId: i.personId, name: i.name, idMasked: i.idMasked, benefitYear: i.benefitYear, amountFen: i.amountFen })),
  };
}

export async function listRecords(deps: Acting) {
  await requireConsent(deps);
  const ids = (await linksOf(deps, deps.caller.openid)).map((l) => l.personId);
  if (ids.length === 0) return { records: [] };
  const _ = deps.db.cmd;
  const payments = await deps.db.find<PaymentDoc>(C.payments, _.or([{ personIds: _.in(ids) }, { openid: deps.caller.openid }]), {
    orderBy: [['paidAt', 'desc']],
    limit: 100,
  });
  const visible = new Set(ids);
  // Another family member's payment shows only the people this caller acts for.
  return { records: payments.map((p) => record(p, p.openid === deps.caller.openid ? undefined : visible)) };
}

export async function receipt(deps: Acting, outTradeNo: string): Promise<PaymentRecord> {
  await requireConsent(deps);
  const found = await deps.db.find<PaymentDoc>(C.payments, { outTradeNo }, { limit: 1 });
  const p = found[0];
  const ids = new Set((await linksOf(deps, deps.caller.openid)).map((l) => l.personId));
  if (!p || (p.openid !== deps.caller.openid && !p.personIds.some((id) => ids.has(id)))) {
    throw new AppError('RECEIPT_NOT_FOUND', '未找到该缴费记录', 'outTradeNo');
  }
  return record(p, p.openid === deps.caller.openid ? undefined : ids);
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
    }));
  return { personId, name: person.name, entries };
}
