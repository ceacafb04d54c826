/**
 * When a photo of an ID document is still needed before paying (issue 10: no photo where nothing
 * needs proving). Identity is already proven for a verified person (face, an approved document,
 * a desk check), for someone enrolled before (a renewal) and for someone on a department's
 * assistance list (the department checked them); a newborn is registered by the birth
 * certificate's number. Only an unverified first claim still needs the photo. A child's
 * guardian evidence (户口簿 page / birth certificate) is asked by the authorization rules, not here.
 */
import type { Deps } from '../context';
import { everEnrolled } from '../enrollments/enrollments';
import { assistanceOf } from '../enrollments/person-quote';
import type { PersonDoc } from '../persons/persons';
import { currentBenefitYear } from '../policy-port';
import { shanghaiDateOf } from '../dates';
import { documentsOf, hasUsableDocument } from './documents';

export async function needsIdentityDocument(
  deps: Pick<Deps, 'db' | 'clock'>,
  person: Pick<PersonDoc, '_id' | 'newborn' | 'verification' | 'idHash'>,
  benefitYear?: number,
): Promise<boolean> {
  if (person.newborn || person.verification) return false;
  if (await everEnrolled(deps, person._id)) return false;
  const year = benefitYear ?? currentBenefitYear(shanghaiDateOf(deps.clock.now())).benefitYear;
  if ((await assistanceOf(deps, person.idHash, year)).length) return false;
  return !hasUsableDocument(await documentsOf(deps, person._id));
}
