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
import { documentsOf, hasUsableDocument, type DocumentDoc } from './documents';

export async function needsIdentityDocument(
  deps: Pick<Deps, 'db' | 'clock'>,
  person: Pick<PersonDoc, '_id' | 'newborn' | 'verification' | 'idHash'>,
  benefitYear?: number,
): Promise<boolean> {
  // The rule is identityDocumentNeeded's; this reads only as far as the answer needs.
  if (person.newborn || person.verification) return false;
  if (await everEnrolled(deps, person._id)) return false;
  const year = benefitYear ?? currentBenefitYear(shanghaiDateOf(deps.clock.now())).benefitYear;
  const assistance = await assistanceOf(deps, person.idHash, year);
  if (assistance.length) return false;
  return identityDocumentNeeded(person, { everEnrolled: false, assistance, documents: await documentsOf(deps, person._id) });
}

/**
 * The same answer from facts already read (the resident's home reads them for the whole family
 * at once): ever enrolled, the year's assistance categories, the current documents.
 */
export function identityDocumentNeeded(
  person: Pick<PersonDoc, 'newborn' | 'verification'>,
  facts: { everEnrolled: boolean; assistance: readonly string[]; documents: DocumentDoc[] },
): boolean {
  if (person.newborn || person.verification) return false;
  if (facts.everEnrolled || facts.assistance.length > 0) return false;
  return !hasUsableDocument(facts.documents);
}
