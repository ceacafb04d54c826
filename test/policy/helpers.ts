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
