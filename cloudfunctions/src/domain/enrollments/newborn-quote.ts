/**
 * Newborns (2023 scheme 五): the parents choose the current year and/or the next; each chosen
 * year becomes its own enrollment (its own order item). A year without a table here cannot be
 * chosen: a future year's is 尚未公布; a past or current year's policy exists but is not among
 * the tables this service holds, so the label says so and gives the district's number (the
 * community enrolls the child), never "not published".
 */
import { AppError } from '../../platform/errors';
import { requireConsent } from '../consent/consent';
import { Acting } from '../context';
import { requireFamilyPerson } from '../family/family';
import { verifiedPersonOf } from '../identity/verification';
import { birthDateOf } from '../persons/persons';
import { currentBenefitYear, newbornYears, policyTable } from '../policy-port';
import { today, tryQuotePerson } from './person-quote';

/** The district's medical-insurance number as residents dial it (the table prints 8 local digits). */
function withAreaCode(n: string): string {
  return /^[2-8]\d{7}$/.test(n) ? `0551-${n}` : n;
}

/** Where a family enrolls a newborn for a year not held here: the parent's district, else the city. */
export function offlineYearLabel(benefitYear: number, district: string | null, asOf: string): string {
  const contacts = (policyTable(currentBenefitYear(asOf).benefitYear)?.districtContacts ?? []) as Array<{ district: string; medicalInsurancePhone?: string }>;
  const c = contacts.find((x) => x.district === district && x.medicalInsurancePhone);
  const phone = c ? `（${c.district}医保：${withAreaCode(c.medicalInsurancePhone!)}）` : '（或拨打12345）';
  return `${benefitYear}年度政策未在线上开放，请联系社区办理${phone}`;
}

export async function quoteNewborn(deps: Acting, personId: string) {
  await requireConsent(deps);
  const { person } = await requireFamilyPerson(deps, personId);
  if (!person.newborn) throw new AppError('NOT_NEWBORN', '该家庭成员不是新生儿', 'personId');
  const years = [];
  const asOf = today(deps);
  let district: string | null | undefined;
  for (const y of newbornYears(birthDateOf(person), asOf)) {
    const quote = y.published ? await tryQuotePerson(deps, person, y.benefitYear) : null;
    if (!quote && y.benefitYear <= Number(asOf.slice(0, 4)) && district === undefined) {
      district = (await verifiedPersonOf(deps, deps.caller.openid))?.district ?? null;
    }
    const selectable = !!quote && quote.eligible && quote.windowOpen && (quote.payableFen ?? 0) > 0;
    years.push({
      benefitYear: y.benefitYear,
      published: !!quote,
      selectable,
      label: !quote ? (y.benefitYear <= Number(asOf.slice(0, 4)) ? offlineYearLabel(y.benefitYear, district ?? null, asOf) : `${y.benefitYear}年度参保政策尚未公布`) : !quote.eligible ? '不符合参保条件' : !quote.windowOpen ? '不在缴费期' : `${y.benefitYear}年度`,
      quote,
    });
  }
  return { personId, years };
}
