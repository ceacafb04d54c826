/**
 * Adding people to a family: adults and children with an ID number, and newborns with a
 * birth certificate. An existing person (an earlier year, or another family member's entry)
 * is attached only when the name matches; the refusal does not say whether the number exists.
 */
import type { EligibilityAnswers, FamilyMember } from '../../contracts/resident';
import { AppError } from '../../platform/errors';
import { appendAudit } from '../audit/audit-log';
import { CHILD_CONSENT_AGE, requireChildConsent, requireConsent } from '../consent/consent';
import { Acting } from '../context';
import { daysBetween } from '../dates';
import { documentsOf, hasUsableDocument } from '../documents/documents';
import { everEnrolled } from '../enrollments/enrollments';
import { today } from '../enrollments/person-quote';
import { link, linkCount, Relation, requireFamilyPerson } from '../family/family';
import { encryptIdNumber, hashIdNumber, keyedHash, protectIdNumber, protectMobile } from '../identity/id-protection';
import { parseId, type Hukou } from '../policy-port';
import { createOrFind, findByIdHash, PersonDoc, sameName } from './persons';

const NAME_MISMATCH = () => new AppError('NAME_ID_MISMATCH', '姓名与证件号码不一致，请核对', 'name');

function ageOn(birthDate: string, on: string): number {
  let age = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (on.slice(5) < birthDate.slice(5)) age -= 1;
  return age;
}

export interface AddMemberInput {
  name: string;
  sex: 'male' | 'female';
  idNumber: string;
  relation: Relation;
  hukou: Hukou;
  address: string;
  mobile: string;
  answers: EligibilityAnswers;
  consentForChild?: boolean;
}

async function memberView(deps: Acting, person: PersonDoc, relation: Relation, created: boolean): Promise<FamilyMember> {
  const needsDocument = !person.newborn && !(await everEnrolled(deps, person._id)) && !hasUsableDocument(await documentsOf(deps, person._id));
  return { personId: person._id, name: person.name, idMasked: person.idMasked, relation, district: person.district, created, needsDocument };
}

/** Attach an existing person after the name check, recording who attached them. */
async function attachExisting(deps: Acting, person: PersonDoc, name: string, relation: Relation, patch: Record<string, unknown>, parentRelation?: 'father' | 'mother' | 'guardian') {
  if (!sameName(person.name, name)) throw NAME_MISMATCH();
  const others = await linkCount(deps, person._id);
  const added = await link(deps, person._id, relation, parentRelation);
  if (added) {
    await deps.db.update('persons', person._id, { ...patch, updatedAt: deps.clock.now().toISOString() });
    await appendAudit(deps, {
      entity: 'family_link',
      entityId: person._id,
      from: null,
      to: relation,
      actor: deps.caller.openid,
      reason: others > 0 ? 'attached by another family member (name matched)' : 'attached an existing record (name matched)',
    });
  }
  return memberView(deps, person, relation, false);
}

export async function addFamilyMember(deps: Acting, input: AddMemberInput): Promise<FamilyMember> {
  await requireConsent(deps);
  const parsed = parseId(input.idNumber);
  if (parsed.sex !== input.sex) throw new AppError('SEX_MISMATCH', '性别与身份证号码不一致，请核对', 'sex');
  const now = today(deps);
  if (parsed.birthDate > now) throw new AppError('INVALID_ID_NUMBER', '身份证号码中的出生日期不正确，请核对', 'idNumber');
  if (ageOn(parsed.birthDate, now) < CHILD_CONSENT_AGE) requireChildConsent(input.consentForChild);
  if (input.relation === 'self' && ageOn(parsed.birthDate, now) < CHILD_CONSENT_AGE) {
    throw new AppError('RELATION_INVALID', '未满14周岁的孩子请由父母以“子女”身份添加', 'relation');
  }

  const idHash = hashIdNumber(input.idNumber);
  const contact = { ...protectMobile(input.mobile), addressCipher: encryptIdNumber(input.address) };
  const patch: Record<string, unknown> = { hukou: input.hukou, answers: deps.db.cmd.set(input.answers), ...contact };
  const existing = await findByIdHash(deps, idHash);
  if (existing) return attachExisting(deps, existing, input.name, input.relation, patch);

  const ids = protectIdNumber(input.idNumber);
  const { person, created } = await createOrFind(deps, {
    name: input.name.trim(),
    sex: parsed.sex,
    birthDate: parsed.birthDate,
    idHash: ids.idHash,
    idKind: 'id',
    idMasked: ids.idMasked,
    idCipher: ids.idCipher,
    hukou: input.hukou,
    // The policy engine names the district; other 3401xx codes are Hefei without one.
    district: parsed.district ?? (parsed.divisionCode.startsWith('3401') ? '合肥市' : null),
    ...contact,
    answers: input.answers,
    newborn: false,
    createdAt: deps.clock.now().toISOString(),
    createdBy: deps.caller.openid,
  });
  if (!created) return attachExisting(deps, person, input.name, input.relation, patch);
  await link(deps, person._id, input.relation);
  await appendAudit(deps, { entity: 'person', entityId: person._id, from: null, to: 'registered', actor: deps.caller.openid, reason: `added as ${input.relation}` });
  return memberView(deps, person, input.relation, true);
}

export interface NewbornInput {
  name: string;
  sex: 'male' | 'female';
  birthDate: string;
  birthCertificateNo: string;
  hukou: Hukou;
  parentRelation: 'father' | 'mother' | 'guardian';
  address?: string;
  answers: EligibilityAnswers;
  consentForChild: true;
}

/** [interpretation] "Newborn" registration is offered for children under one year old. */
export const NEWBORN_MAX_AGE_DAYS = 366;

export async function registerNewborn(deps: Acting, input: NewbornInput): Promise<FamilyMember> {
  await requireConsent(deps);
  requireChildConsent(input.consentForChild);
  const now = today(deps);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.birthDate) || Number.isNaN(Date.parse(input.birthDate)) || input.birthDate > now) {
    throw new AppError('INVALID_BIRTH_DATE', '出生日期不正确，请核对', 'birthDate');
  }
  if (daysBetween(input.birthDate, now) > NEWBORN_MAX_AGE_DAYS) {
    throw new AppError('NOT_NEWBORN', '孩子已满一周岁，请用身份证号码添加家庭成员', 'birthDate');
  }
  const certNo = input.birthCertificateNo.trim().toUpperCase();
  const idHash = keyedHash('birth_certificate', certNo);
  const patch: Record<string, unknown> = { hukou: input.hukou, answers: deps.db.cmd.set(input.answers) };
  const existing = await findByIdHash(deps, idHash);
  if (existing) return attachExisting(deps, existing, input.name, 'child', patch, input.parentRelation);
  const { person, created } = await createOrFind(deps, {
    name: input.name.trim(),
    sex: input.sex,
    birthDate: input.birthDate,
    idHash,
    idKind: 'birth_certificate',
    idMasked: null,
    idCipher: encryptIdNumber(certNo),
    hukou: input.hukou,
    district: null,
    addressCipher: input.address ? encryptIdNumber(input.address) : null,
    answers: input.answers,
    newborn: true,
    createdAt: deps.clock.now().toISOString(),
    createdBy: deps.caller.openid,
  });
  if (!created) return attachExisting(deps, person, input.name, 'child', patch, input.parentRelation);
  await link(deps, person._id, 'child', input.parentRelation);
  await appendAudit(deps, { entity: 'person', entityId: person._id, from: null, to: 'registered', actor: deps.caller.openid, reason: 'newborn registered by a guardian' });
  return memberView(deps, person, 'child', true);
}

export async function updateAnswers(deps: Acting, personId: string, answers: EligibilityAnswers) {
  await requireConsent(deps);
  await requireFamilyPerson(deps, personId);
  await deps.db.update('persons', personId, { answers: deps.db.cmd.set(answers), updatedAt: deps.clock.now().toISOString() });
  return { personId };
}
