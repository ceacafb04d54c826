/**
 * Enrollments: one per (person, benefit year), enforced by the unique index
 * enrollments(personId, benefitYear) and a deterministic _id — never by a read before a write.
 *
 *   open ──claim──▶ awaiting_payment ──settle──▶ paid_pending_sync ──(sync by the centre)──▶ enrolled
 *     ▲                  │ order expired / closed
 *     └──────release─────┘
 * assisted_covered: full-assistance people, enrolled by the system (nothing to pay).
 */
import { MAX_PAGE } from '../../platform/database';
import { C, Deps } from '../context';

export type EnrollmentStatus = 'open' | 'awaiting_payment' | 'paid_pending_sync' | 'enrolled' | 'assisted_covered';

export interface EnrollmentDoc {
  _id: string;
  personId: string;
  benefitYear: number;
  status: EnrollmentStatus;
  /** The order holding it while awaiting payment, then the order that paid it. */
  outTradeNo: string | null;
  amountFen: number | null;
  paidAt: string | null;
  /** Shanghai date by which the payment reaches the insurance system (two working days). */
  expectedSyncBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export const PAID_STATES: EnrollmentStatus[] = ['paid_pending_sync', 'enrolled', 'assisted_covered'];

export function enrollmentId(personId: string, benefitYear: number): string {
  return `${personId}_${benefitYear}`;
}

export async function getEnrollment(deps: Pick<Deps, 'db'>, personId: string, benefitYear: number): Promise<EnrollmentDoc | null> {
  return deps.db.get<EnrollmentDoc>(C.enrollments, enrollmentId(personId, benefitYear));
}

export async function enrollmentsOf(deps: Pick<Deps, 'db'>, personId: string): Promise<EnrollmentDoc[]> {
  return deps.db.find<EnrollmentDoc>(C.enrollments, { personId }, { orderBy: [['benefitYear', 'asc']], limit: 100 });
}

/** Was the person ever enrolled in Hefei (a renewal, not a new enrollee)? */
export async function everEnrolled(deps: Pick<Deps, 'db'>, personId: string): Promise<boolean> {
  return (await enrollmentsOf(deps, personId)).some((e) => PAID_STATES.includes(e.status));
}

/**
 * `everEnrolled` for many persons at once (the resident's home): the database groups their paid
 * enrollments by person, so one round trip per 100 persons answers with at most one row each,
 * however many years they paid.
 */
export async function everEnrolledAmong(deps: Pick<Deps, 'db'>, personIds: readonly string[]): Promise<Set<string>> {
  const ids = [...new Set(personIds)];
  const ever = new Set<string>();
  for (let i = 0; i < ids.length; i += MAX_PAGE) {
    const chunk = ids.slice(i, i + MAX_PAGE);
    const rows = await deps.db.aggregate<{ _id: string }>(C.enrollments, [
      { $match: { personId: deps.db.cmd.in(chunk), status: deps.db.cmd.in(PAID_STATES) } },
      { $group: { _id: '$personId' } },
      { $limit: MAX_PAGE },
    ]);
    for (const r of rows) ever.add(r._id);
  }
  return ever;
}
