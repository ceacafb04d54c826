/**
 * The engine's quote for a stored person: their answers, their birth date and hukou, and the
 * assistance categories the departments' lists hold for them (collection assistance_lists,
 * filled by the staff import), as of the Shanghai date of the clock.
 */
import type { QuoteView } from '../../contracts/resident';
import { requireConsent } from '../consent/consent';
import { Acting, C, Deps } from '../context';
import { requireFamilyPerson } from '../family/family';
import { shanghaiDateOf } from '../dates';
import { birthDateOf, type PersonDoc } from '../persons/persons';
import { quoteOrThrow, QuotePerson, tryQuote } from '../policy-port';
import { onRoster } from '../rosters/payments';

export interface AssistanceRow {
  idHash: string;
  benefitYear: number;
  category: string;
  source: string;
}

export async function assistanceOf(deps: Pick<Deps, 'db'>, idHash: string, benefitYear: number): Promise<string[]> {
  const rows = await deps.db.find<AssistanceRow>(C.assistanceLists, { idHash, benefitYear }, { limit: 20 });
  return categoriesOf(rows);
}

export async function quotePersonInput(deps: Pick<Deps, 'db'>, person: PersonDoc, benefitYear: number): Promise<QuotePerson> {
  return quoteInputOf(person, await assistanceOf(deps, person.idHash, benefitYear), await onRoster(deps, person.idHash, benefitYear));
}

/**
 * The engine's input from a stored person and what the year's lists say of them (`assistance`:
 * categories of assistance_lists; `rostered`: on a roster of the year). Throws BIRTH_DATE_INVALID
 * for a stored birth date that does not exist. The resident's home reads the lists for the whole
 * family at once and builds each member's input here.
 */
export function quoteInputOf(person: PersonDoc, assistance: string[], rostered: boolean): QuotePerson {
  return {
    ...person.answers,
    birthDate: birthDateOf(person),
    hukou: person.hukou,
    assistance,
    // On a university's or school's roster for the year: a student (在校学生, 二(四)/(二)) by that list.
    ...(rostered ? { student: true } : {}),
  };
}

/** Categories of assistance rows (assistance_lists), each once, in the order read. */
export function categoriesOf(rows: readonly Pick<AssistanceRow, 'category'>[]): string[] {
  return [...new Set(rows.map((r) => r.category))];
}

export function today(deps: Pick<Deps, 'clock'>): string {
  return shanghaiDateOf(deps.clock.now());
}

export async function quotePerson(deps: Pick<Deps, 'db' | 'clock'>, person: PersonDoc, benefitYear: number): Promise<QuoteView> {
  return quoteOrThrow(benefitYear, today(deps), await quotePersonInput(deps, person, benefitYear));
}

export async function tryQuotePerson(deps: Pick<Deps, 'db' | 'clock'>, person: PersonDoc, benefitYear: number): Promise<QuoteView | null> {
  return tryQuote(benefitYear, today(deps), await quotePersonInput(deps, person, benefitYear));
}

/** The `quote` action: the engine's answer for one of the caller's family members. */
export async function quoteForCaller(deps: Acting, personId: string, benefitYear: number): Promise<QuoteView> {
  await requireConsent(deps);
  const { person } = await requireFamilyPerson(deps, personId);
  return quotePerson(deps, person, benefitYear);
}
