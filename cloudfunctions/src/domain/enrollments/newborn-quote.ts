/**
 * Newborns (2023 scheme 五): the parents choose the current year and/or the next; each chosen
 * year becomes its own enrollment (its own order item). A year without a published table is
 * listed as 未公布 and cannot be chosen.
 */
import { AppError } from '../../platform/errors';
import { requireConsent } from '../consent/consent';
import { Acting } from '../context';
import { requireFamilyPerson } from '../family/family';
import { birthDateOf } from '../persons/persons';
import { newbornYears } from '../policy-port';
import { today, tryQuotePerson } from './person-quote';

export async function quoteNewborn(deps: Acting, personId: string) {
  await requireConsent(deps);
  const { person } = await requireFamilyPerson(deps, personId);
  if (!person.newborn) throw new AppError('NOT_NEWBORN', '该家庭成员不是新生儿', 'personId');
  const years = [];
  for (const y of newbornYears(birthDateOf(person), today(deps))) {
    const quote = y.published ? await tryQuotePerson(deps, person, y.benefitYear) : null;
    const selectable = !!quote && quote.eligible && quote.windowOpen && (quote.payableFen ?? 0) > 0;
    years.push({
      benefitYear: y.benefitYear,
      published: !!quote,
      selectable,
      label: !quote ? '未公布' : !quote.eligible ? '不符合参保条件' : !quote.windowOpen ? '不在缴费期' : `${y.benefitYear}年度`,
      quote,
    });
  }
  return { personId, years };
}
