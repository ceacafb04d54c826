/**
 * The screening list's documents (排查, issue 13): one per benefit year and hukou-register person
 * not enrolled, `screening_entries/<year>-<idHash prefix>`, kept across runs so a visit's outcome
 * stays with the person. Status: `open` (to follow up; a visit that ends in 承诺缴费 stays open),
 * `closed` (visited with a final outcome), `enrolled` (paid since: off the list at once),
 * `gone` (no longer found unenrolled in the register by a later run).
 */
import type { Deps } from '../context';

export const SCREENING_ENTRIES = 'screening_entries';
export const SCREENING_RUNS = 'screening_runs';

export const VISIT_OUTCOMES = ['enrolled_elsewhere', 'employee_insurance', 'moved_away', 'refused', 'will_pay'] as const;
export type VisitOutcome = (typeof VISIT_OUTCOMES)[number];
/** 承诺缴费 keeps the person on the list until they pay; the others close the entry. */
export const OPEN_OUTCOMES: readonly VisitOutcome[] = ['will_pay'];

export type EntryStatus = 'open' | 'closed' | 'enrolled' | 'gone';

export interface ScreeningFlags {
  /** Enrolled in one of the previous years compared (2023 scheme: two; 2021: one), not this one. */
  lapsed: boolean;
  over60: boolean;
  studentAge: boolean;
  assisted: boolean;
}

export interface ScreeningEntryDoc {
  _id: string;
  benefitYear: number;
  idHash: string;
  idMasked: string;
  name: string;
  district: string;
  township: string;
  community: string;
  flags: ScreeningFlags;
  /** A person record that was enrolled in an earlier year (from its mark), for the reminder. */
  personId: string | null;
  status: EntryStatus;
  runId: string;
  visit: { outcome: VisitOutcome; note: string | null; by: string; byName: string; at: string } | null;
  reminder: { at: string; sent: number } | null;
  createdAt: string;
  updatedAt: string;
  enrolledAt?: string;
}

export const entryId = (benefitYear: number, idHash: string) => `${benefitYear}-${idHash.slice(0, 40)}`;

/** Off the list at once when the person's enrollment of the year is counted (counters.ts). */
export async function dropFromScreening(deps: Pick<Deps, 'db'>, benefitYear: number, idHash: string, now: string): Promise<void> {
  await deps.db.updateWhere(SCREENING_ENTRIES, { _id: entryId(benefitYear, idHash), status: deps.db.cmd.in(['open', 'closed']) }, { status: 'enrolled', enrolledAt: now, updatedAt: now });
}
