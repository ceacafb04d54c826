/**
 * The student's (and a parent's) side of a roster: the caller finds their own entry only through
 * their verified identity (the keyed hash of the number their face verification proved), and a
 * parent their children's through active family links — never by typing a number. The amount is
 * the engine's (the roster makes the person a student for the quote, person-quote.ts); paying is
 * the ordinary order and pay path (payment.createOrder → WeChat Pay → settlement), which moves the
 * entry to paid_wechat with its benefit start (payments.ts).
 */
import type { StudentEntries } from '../../contracts/student';
import { requireConsent } from '../consent/consent';
import { Acting } from '../context';
import { getEnrollment } from '../enrollments/enrollments';
import { today, tryQuotePerson } from '../enrollments/person-quote';
import { linksOf, statusOf } from '../family/family';
import { verifiedPersonOf } from '../identity/verification';
import { getOrder } from '../orders/order-doc';
import { getPerson, PersonDoc } from '../persons/persons';
import { currentBenefitYear } from '../policy-port';
import { BASIS_TEXT, benefitStartOf, newStudentRule } from './benefit-start';
import { entryView } from './entries';
import { rosterEntryOf } from './payments';

const ENROLLMENT_TEXT = {
  none: '待缴费',
  awaiting_payment: '有一笔待支付的订单',
  paid_pending_sync: '已缴费，等待同步到医保系统',
  enrolled: '已参保',
  assisted_covered: '由医疗救助资助参保，无需缴费',
} as const;

export async function studentEntries(deps: Acting, benefitYear?: number): Promise<StudentEntries> {
  await requireConsent(deps);
  const asOf = today(deps);
  const year = benefitYear ?? currentBenefitYear(asOf).benefitYear;
  const me = await verifiedPersonOf(deps, deps.caller.openid);
  if (!me) return { verified: false, benefitYear: year, entries: [] };

  const people: Array<{ person: PersonDoc; relation: 'self' | 'child' }> = [{ person: me, relation: 'self' }];
  for (const link of await linksOf(deps, deps.caller.openid)) {
    if (link.relation !== 'child' || statusOf(link) !== 'active') continue;
    const child = await getPerson(deps, link.personId);
    if (child) people.push({ person: child, relation: 'child' });
  }

  const entries: StudentEntries['entries'] = [];
  for (const { person, relation } of people) {
    const entry = await rosterEntryOf(deps, person.idHash, year);
    if (!entry) continue;
    const e = await getEnrollment(deps, person._id, year);
    const state = !e || e.status === 'open' ? 'none' : e.status;
    const quote = await tryQuotePerson(deps, person, year);
    const pending = state === 'awaiting_payment' && e?.outTradeNo ? await getOrder(deps, e.outTradeNo) : null;
    const stored = (e as { benefitStart?: string; benefitStartBasis?: keyof typeof BASIS_TEXT } | null) ?? null;
    // Before paying: when benefits would start if paid today (new students under a 2021-type rule).
    const expected = benefitStartOf(year, entry.newStudent, 'paid', asOf, asOf);
    entries.push({
      personId: person._id,
      relation,
      entry: entryView(entry),
      enrollment: { state, text: ENROLLMENT_TEXT[state] },
      quote,
      canPay: state === 'none' && !!quote && quote.eligible && quote.windowOpen && (quote.payableFen ?? 0) > 0,
      // Only the caller's own unpaid order can be continued from here.
      pendingOutTradeNo: pending && pending.openid === deps.caller.openid && pending.status === 'pending' ? pending.outTradeNo : null,
      benefitStart: stored?.benefitStart
        ? { date: stored.benefitStart, text: BASIS_TEXT[stored.benefitStartBasis ?? 'benefit_period'], expected: false }
        : quote
          ? { date: expected.date, text: BASIS_TEXT[expected.basis], expected: true }
          : null,
      newStudentRule: newStudentRule(year) !== null,
    });
  }
  return { verified: true, benefitYear: year, entries };
}
