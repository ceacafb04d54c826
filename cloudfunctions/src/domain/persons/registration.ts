/**
 * Adding people to a family (issue 9). Registration no longer decides everything: it records a
 * claim and what authorizes it, and attaching never changes an existing record's facts.
 * - self, without face verification: a new record is the caller's unverified claim (documents
 *   reviewed by staff before paying); on an existing record it goes to staff (`disputed`) —
 *   verifying by face (verifySelf) is the way to take one's own record back;
 * - a child under 18: a verified parent or guardian; the link is `pending` until a 户口簿 page
 *   or birth certificate is attached; both parents may hold it, a second claim with the same
 *   parent relation (or a guardian beside parents) goes to staff;
 * - another adult: a verified caller; `pending` until the adult accepts an invitation from
 *   their own WeChat after verifying themself.
 * A name that does not match an existing record is the uniform identity refusal, counted
 * against the guessing limits.
 */
import type { AddedMember, EligibilityAnswers, FamilyMember } from '../../contracts/resident';
import { AppError } from '../../platform/errors';
import { appendAudit } from '../audit/audit-log';
import { CHILD_CONSENT_AGE, requireChildConsent, requireConsent } from '../consent/consent';
import { Acting, C } from '../context';
import { daysBetween, isCalendarDate } from '../dates';
import { needsIdentityDocument } from '../documents/evidence';
import { today } from '../enrollments/person-quote';
import { basisOf, FamilyLinkDoc, grantLink, linkOf, linksOnPerson, LinkStatus, Relation, setLinkStatus, statusOf } from '../family/family';
import { identityCheckFailed, requireAttemptsLeft } from '../identity/attempts';
import { encryptIdNumber, hashIdNumber, keyedHash, protectIdNumber, protectMobile } from '../identity/id-protection';
import { requireVerifiedCaller, verifiedPersonOf } from '../identity/verification';
import { parseId, type Hukou, type ParsedId } from '../policy-port';
import { requireAnswered } from './facts';
import { createOrFind, findByIdHash, PersonDoc, sameName, storedBirthDate } from './persons';

/** [interpretation] Under 18 a parent or guardian acts for the child (民法典 第十七条、第二十七条). */
export const ADULT_AGE = 18;

export function ageOn(birthDate: string, on: string): number {
  let age = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (on.slice(5) < birthDate.slice(5)) age -= 1;
  return age;
}

export type ParentRelation = 'father' | 'mother' | 'guardian';

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
  /** For a child: the caller's relation (default: father or mother by the caller's verified sex). */
  parentRelation?: ParentRelation;
}

export async function memberView(deps: Acting, person: PersonDoc, relation: Relation, created: boolean): Promise<FamilyMember> {
  const needsDocument = await needsIdentityDocument(deps, person);
  return { personId: person._id, name: person.name, idMasked: person.idMasked, relation, district: person.district, created, needsDocument };
}

/**
 * A new person record from a form: the ID number only hashed, masked (3+4) and encrypted; the
 * birth date only encrypted (with the mask it would rebuild the number).
 */
export function newPersonDoc(
  deps: Acting,
  input: { name: string; idNumber: string; hukou: Hukou; address: string; mobile: string; answers: EligibilityAnswers },
  parsed: ParsedId,
): Omit<PersonDoc, '_id'> {
  const ids = protectIdNumber(input.idNumber);
  return {
    name: input.name.trim(),
    sex: parsed.sex,
    birthDateCipher: encryptIdNumber(parsed.birthDate),
    idHash: ids.idHash,
    idKind: 'id',
    idMasked: ids.idMasked,
    idCipher: ids.idCipher,
    hukou: input.hukou,
    // The policy engine names the district; other 3401xx codes are Hefei without one.
    district: parsed.district ?? (parsed.divisionCode.startsWith('3401') ? '合肥市' : null),
    ...protectMobile(input.mobile),
    addressCipher: encryptIdNumber(input.address.trim()),
    answers: input.answers,
    newborn: false,
    verification: null,
    createdAt: deps.clock.now().toISOString(),
    createdBy: deps.caller.openid,
  };
}

type Next = AddedMember['next'];
function added(view: FamilyMember, status: Exclude<LinkStatus, 'revoked'>, next: Next): AddedMember {
  return { ...view, authorization: status, next: status === 'active' ? 'none' : next };
}

/**
 * Where a guardian's claim on a child stands next to the other accounts' claims: both parents
 * (father and mother) may act; the same parent relation twice, or a guardian beside a parent,
 * goes to staff. A pre-issue-9 link has no parent relation: it is read from its owner's
 * verified sex, and when that is unknown too, staff decide.
 */
async function guardianStatus(deps: Acting, others: FamilyLinkDoc[], parentRelation: ParentRelation): Promise<'pending' | 'disputed'> {
  const holding = others.filter((l) => statusOf(l) === 'active' || statusOf(l) === 'pending' || statusOf(l) === 'disputed');
  for (const l of holding) {
    const b = basisOf(l);
    // The child themself, or adults the child authorized, are no competing guardians.
    if (l.relation === 'self' || b === 'adult_authorized' || b === 'desk_authorized') continue;
    let theirs = l.parentRelation;
    if (!theirs) {
      const owner = await verifiedPersonOf(deps, l.ownerOpenid);
      if (!owner) return 'disputed';
      theirs = owner.sex === 'male' ? 'father' : 'mother';
    }
    if (theirs === parentRelation || theirs === 'guardian' || parentRelation === 'guardian') return 'disputed';
  }
  return 'pending';
}

async function defaultParentRelation(deps: Acting, given?: ParentRelation): Promise<ParentRelation> {
  if (given) return given;
  const me = await verifiedPersonOf(deps, deps.caller.openid);
  return me?.sex === 'male' ? 'father' : me?.sex === 'female' ? 'mother' : 'guardian';
}

/** Claims a child (under 18) for a verified caller: pending until evidence, or disputed. */
async function claimChild(deps: Acting, person: PersonDoc, parentRelation: ParentRelation, created: boolean, claimedName: string): Promise<AddedMember> {
  const mine = await linkOf(deps, deps.caller.openid, person._id);
  if (mine && (statusOf(mine) === 'active' || statusOf(mine) === 'pending' || statusOf(mine) === 'disputed')) {
    return added(await memberView(deps, person, 'child', created), statusOf(mine) as 'active', statusOf(mine) === 'disputed' ? 'wait_staff' : 'upload_evidence');
  }
  const others = (await linksOnPerson(deps, person._id)).filter((l) => l.ownerOpenid !== deps.caller.openid);
  const status = await guardianStatus(deps, others, parentRelation);
  await grantLink(deps, person._id, { relation: 'child', parentRelation, basis: 'guardian', status, claimedName }, status === 'disputed' ? 'a second, unrelated claim on a child: staff decide' : `claimed as ${parentRelation}; evidence needed`);
  return added(await memberView(deps, person, 'child', created), status, status === 'disputed' ? 'wait_staff' : 'upload_evidence');
}

/** Claims another adult for a verified caller: pending until the adult accepts an invitation. */
async function claimAdult(deps: Acting, person: PersonDoc, relation: Relation, created: boolean, claimedName: string): Promise<AddedMember> {
  const mine = await linkOf(deps, deps.caller.openid, person._id);
  if (mine && statusOf(mine) !== 'revoked') {
    const s = statusOf(mine) as Exclude<LinkStatus, 'revoked'>;
    return added(await memberView(deps, person, relation, created), s, s === 'disputed' ? 'wait_staff' : 'invite');
  }
  await grantLink(deps, person._id, { relation, basis: 'adult_authorized', status: 'pending', claimedName }, `claimed as ${relation}; the adult must accept`);
  return added(await memberView(deps, person, relation, created), 'pending', 'invite');
}

/** An unverified self claim: the caller's own new record, or — on an existing one — staff decide. */
async function claimSelfUnverified(deps: Acting, person: PersonDoc, created: boolean, claimedName: string): Promise<AddedMember> {
  const mine = await linkOf(deps, deps.caller.openid, person._id);
  if (mine && statusOf(mine) !== 'revoked') {
    const s = statusOf(mine) as Exclude<LinkStatus, 'revoked'>;
    return added(await memberView(deps, person, 'self', created), s, 'wait_staff');
  }
  const status = created ? 'active' : 'disputed';
  await grantLink(
    deps,
    person._id,
    { relation: 'self', basis: 'unverified_claim', status, claimedName },
    created ? 'registered self without verification' : 'unverified self claim on an existing record: staff decide',
  );
  return added(await memberView(deps, person, 'self', created), status, 'wait_staff');
}

/** Whether the caller already claims to be someone else (one account is one person). */
async function hasOtherSelfClaim(deps: Acting, idHash: string): Promise<boolean> {
  const own = await deps.db.find<FamilyLinkDoc>(C.familyLinks, { ownerOpenid: deps.caller.openid, relation: 'self' }, { limit: 20 });
  for (const l of own) {
    if (statusOf(l) === 'revoked') continue;
    const p = await deps.db.get<PersonDoc>(C.persons, l.personId);
    if (p && p.idHash !== idHash) return true;
  }
  return false;
}

export async function addFamilyMember(deps: Acting, input: AddMemberInput): Promise<AddedMember> {
  await requireConsent(deps);
  const parsed = parseId(input.idNumber);
  if (parsed.sex !== input.sex) throw new AppError('SEX_MISMATCH', '性别与身份证号码不一致，请核对', 'sex');
  const now = today(deps);
  if (parsed.birthDate > now) throw new AppError('INVALID_ID_NUMBER', '身份证号码中的出生日期不正确，请核对', 'idNumber');
  const age = ageOn(parsed.birthDate, now);
  requireAnswered(input.hukou, parsed.birthDate, now, input.answers);
  if (age < CHILD_CONSENT_AGE) requireChildConsent(input.consentForChild);
  if (input.relation === 'self' && age < CHILD_CONSENT_AGE) {
    throw new AppError('RELATION_INVALID', '未满14周岁的孩子请由父母以“子女”身份添加', 'relation');
  }
  if (input.relation !== 'self' && input.relation !== 'child' && age < ADULT_AGE) {
    throw new AppError('RELATION_INVALID', '未满18周岁的家庭成员请以“子女”身份添加', 'relation');
  }
  const idHash = hashIdNumber(input.idNumber);
  const me = await verifiedPersonOf(deps, deps.caller.openid);
  if (input.relation === 'self' && me && me.idHash !== idHash) {
    throw new AppError('ALREADY_VERIFIED', '您的微信已实名核验为另一人；如需更改，请到社区办理', 'relation');
  }
  if (input.relation === 'self' && !me && (await hasOtherSelfClaim(deps, idHash))) {
    throw new AppError('SELF_EXISTS', '您已登记过本人信息；如登记有误，请先删除后重新添加', 'relation');
  }
  if (input.relation !== 'self') await requireVerifiedCaller(deps);
  if (me && me.idHash === idHash && input.relation !== 'self') throw new AppError('RELATION_INVALID', '这是您本人，请选择“本人”', 'relation');
  await requireAttemptsLeft(deps, idHash);

  let person = await findByIdHash(deps, idHash);
  let created = false;
  if (!person) {
    const r = await createOrFind(deps, newPersonDoc(deps, input, parsed));
    person = r.person;
    created = r.created;
    if (created) await appendAudit(deps, { entity: 'person', entityId: person._id, from: null, to: 'registered', actor: deps.caller.openid, reason: `added as ${input.relation}` });
  }
  // Attaching an existing record checks the name (uniform refusal, counted) and changes nothing on it.
  if (!created && !sameName(person.name, input.name)) throw await identityCheckFailed(deps, idHash, 'name did not match an existing record');

  if (input.relation === 'self') {
    if (me && me.idHash === idHash) return added(await memberView(deps, person, 'self', false), 'active', 'none');
    return claimSelfUnverified(deps, person, created, input.name.trim());
  }
  if (age < ADULT_AGE) return claimChild(deps, person, await defaultParentRelation(deps, input.parentRelation), created, input.name.trim());
  return claimAdult(deps, person, input.relation, created, input.name.trim());
}

export interface NewbornInput {
  name: string;
  sex: 'male' | 'female';
  birthDate: string;
  birthCertificateNo: string;
  hukou: Hukou;
  parentRelation: ParentRelation;
  address?: string;
  answers: EligibilityAnswers;
  consentForChild: true;
}

/**
 * Repair of a record written before dates were checked: a stored birth date that does not exist
 * (2023-02-30) is replaced by the date a guardian with an active link to the child now enters
 * from the certificate (checked above). A stored date that exists is never changed this way.
 */
async function correctImpossibleBirthDate(deps: Acting, person: PersonDoc, birthDate: string): Promise<void> {
  if (person.idKind !== 'birth_certificate' || isCalendarDate(storedBirthDate(person))) return;
  const mine = await linkOf(deps, deps.caller.openid, person._id);
  if (!mine || statusOf(mine) !== 'active') return;
  await deps.db.update(C.persons, person._id, { birthDateCipher: encryptIdNumber(birthDate) });
  await appendAudit(deps, { entity: 'person', entityId: person._id, from: 'birth_date_invalid', to: 'birth_date_corrected', actor: deps.caller.openid, reason: 'birth date corrected: the stored one did not exist' });
}

/** [interpretation] "Newborn" registration is offered for children under one year old. */
export const NEWBORN_MAX_AGE_DAYS = 366;

export async function registerNewborn(deps: Acting, input: NewbornInput): Promise<AddedMember> {
  await requireConsent(deps);
  requireChildConsent(input.consentForChild);
  const now = today(deps);
  if (!isCalendarDate(input.birthDate) || input.birthDate > now) {
    throw new AppError('INVALID_BIRTH_DATE', '出生日期不正确，请核对', 'birthDate');
  }
  if (daysBetween(input.birthDate, now) > NEWBORN_MAX_AGE_DAYS) {
    throw new AppError('NOT_NEWBORN', '孩子已满一周岁，请用身份证号码添加家庭成员', 'birthDate');
  }
  // A non-local or foreign baby qualifies through its parents' answers: the engine evaluates them.
  requireAnswered(input.hukou, input.birthDate, now, input.answers, true);
  await requireVerifiedCaller(deps);
  const certNo = input.birthCertificateNo.trim().toUpperCase();
  const idHash = keyedHash('birth_certificate', certNo);
  await requireAttemptsLeft(deps, idHash);
  let person = await findByIdHash(deps, idHash);
  let created = false;
  if (!person) {
    const r = await createOrFind(deps, {
      name: input.name.trim(),
      sex: input.sex,
      birthDateCipher: encryptIdNumber(input.birthDate),
      idHash,
      idKind: 'birth_certificate',
      idMasked: null,
      idCipher: encryptIdNumber(certNo),
      hukou: input.hukou,
      district: null,
      addressCipher: input.address ? encryptIdNumber(input.address) : null,
      answers: input.answers,
      newborn: true,
      verification: null,
      createdAt: deps.clock.now().toISOString(),
      createdBy: deps.caller.openid,
    });
    person = r.person;
    created = r.created;
    if (created) await appendAudit(deps, { entity: 'person', entityId: person._id, from: null, to: 'registered', actor: deps.caller.openid, reason: 'newborn registered by a guardian' });
  }
  if (!created && !sameName(person.name, input.name)) throw await identityCheckFailed(deps, idHash, 'name did not match an existing newborn record');
  const result = await claimChild(deps, person, input.parentRelation, created, input.name.trim());
  if (!created) await correctImpossibleBirthDate(deps, person, input.birthDate);
  if (result.authorization !== 'pending') return result;
  // [interpretation] For a newborn the birth-certificate number is the evidence: the claim acts at once.
  const mine = await linkOf(deps, deps.caller.openid, person._id);
  if (mine) await setLinkStatus(deps, mine, 'active', 'newborn: the birth certificate number is the evidence');
  return { ...result, authorization: 'active', next: 'none' };
}
