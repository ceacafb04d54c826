import { getPolicyTable, policyTableSchema, type PolicyTable } from '../../cloudfunctions/src/policy';
import { quote } from '../../cloudfunctions/src/policy/quote';
import type { QuoteInput } from '../../cloudfunctions/src/policy/schema';
import { gbCheckCharacter } from '../fixtures/id-numbers';

/** A valid 18-character number: division code + YYYYMMDD + 3-digit sequence + check character (computed without the code under test). */
export function makeId(division: string, birth: string, seq = '123'): string {
  const body = division + birth.replace(/-/g, '') + seq;
  return body + gbCheckCharacter(body);
}

/** Same, with a wrong check character. */
export function breakCheck(id: string): string {
  const last = id.charAt(17);
  const other = '0123456789X'.split('').find((c) => c !== last)!;
  return id.slice(0, 17) + other;
}

export type PersonIn = QuoteInput['person'];

export const CASES = {
  2022: { asOf: '2021-10-08', contribution: 32000, scheme: '2021' as const },
  2024: { asOf: '2023-10-08', contribution: 38000, scheme: '2023' as const },
};

export function q(benefitYear: number, person: Partial<PersonIn>, asOf?: string) {
  const a = asOf ?? (benefitYear === 2022 ? CASES[2022].asOf : CASES[2024].asOf);
  return quote({ benefitYear, asOf: a, person: { hukou: 'local', birthDate: '1980-05-05', ...person } as PersonIn });
}

/** A deep copy of a table (or any JSON value), to change without touching the engine's own. */
export const cloneTable = <T>(x: T): T => JSON.parse(JSON.stringify(x));

/**
 * The 2024 table (2023 scheme) published again `years` later, as the city centre would enter a
 * new year: collection window, benefit period and screening dates moved on, the scheme named by
 * the year before the benefit year; then `change`d. It must pass the engine's own table schema,
 * as anything the city centre enters does.
 */
export function publishedTableFrom2024(years: number, change: (t: PolicyTable) => void = () => undefined): PolicyTable {
  const t = cloneTable(getPolicyTable(2024));
  const shift = (d: string) => `${Number(d.slice(0, 4)) + years}${d.slice(4)}`;
  t.benefitYear = 2024 + years;
  t.scheme = String(2023 + years);
  t.collectionWindow = { ...t.collectionWindow, start: shift(t.collectionWindow.start), end: shift(t.collectionWindow.end) };
  t.benefitPeriod = { ...t.benefitPeriod, start: shift(t.benefitPeriod.start), end: shift(t.benefitPeriod.end) };
  t.keyDates.screening = { ...t.keyDates.screening, start: shift(t.keyDates.screening.start), end: shift(t.keyDates.screening.end) };
  change(t);
  const checked = policyTableSchema.safeParse(t);
  if (!checked.success) throw new Error(`publishedTableFrom2024(${years}): ${JSON.stringify(checked.error.issues[0])}`);
  return t;
}
