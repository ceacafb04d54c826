/**
 * The cash desk's person: found by name and ID number (through the keyed hash, as everywhere),
 * or registered by staff holding the person's ID card — an elderly resident without a phone.
 * Staff see the person's status and the engine's quote for the year, and the family members
 * waiting for the person's signed authorization (recorded with staffIdentity.deskAuthorize:
 * the identity issue's desk authorization, not a second one).
 */
import type { DeskPerson } from '../../contracts/staffCash';
import { AppError } from '../../platform/errors';
import { appendAudit } from '../audit/audit-log';
import { Acting } from '../context';
import { EnrollmentDoc, getEnrollment } from '../enrollments/enrollments';
import { today, tryQuotePerson } from '../enrollments/person-quote';
import { deskPending } from '../family/disputes';
import { hashIdNumber } from '../identity/id-protection';
import { getOrder } from '../orders/order-doc';
import { requireAnswered } from '../persons/facts';
import { newPersonDoc } from '../persons/registration';
import { createOrFind, findByIdHash, PersonCommunity, PersonDoc, sameName } from '../persons/persons';
import { currentBenefitYear, parseId } from '../policy-port';
import { getOrganisation } from '../staff/organisations';
import { assertInScope, notOwnFamily, requireStaff, Staff } from '../staff/scope';
import type { PersonRegistration } from '../../contracts/resident';

/** Who works the cash desk: community workers and district offices (their service windows). */
export const DESK_ROLES = ['community', 'district'] as const;

const NAME_MISMATCH = () => new AppError('NAME_MISMATCH', '姓名与该身份证号码登记的姓名不一致，请核对证件', 'name');

const ENROLLMENT_TEXT: Record<DeskPerson['enrollment']['state'], string> = {
  none: '本年度未参保',
  open: '本年度未参保',
  awaiting_payment: '有一笔待支付的订单',
  paid: '本年度已缴费，等待同步到医保系统',
  enrolled: '本年度已参保',
  assisted_covered: '由医疗救助资助参保，无需缴费',
};

function stateOf(e: EnrollmentDoc | null): DeskPerson['enrollment']['state'] {
  if (!e) return 'none';
  return e.status === 'paid_pending_sync' ? 'paid' : e.status;
}

export function communityView(person: Pick<PersonDoc, 'community'>): string | null {
  const c = person.community;
  return c ? `${c.district}${c.township ?? ''}${c.name}` : null;
}

export async function deskPerson(deps: Acting, person: PersonDoc, idNumber: string, benefitYear?: number): Promise<DeskPerson> {
  const year = benefitYear ?? currentBenefitYear(today(deps)).benefitYear;
  const e = await getEnrollment(deps, person._id, year);
  const state = stateOf(e);
  let paidBy: 'cash' | 'wechat' | null = null;
  if ((state === 'paid' || state === 'enrolled') && e?.outTradeNo) {
    const order = await getOrder(deps, e.outTradeNo);
    paidBy = order?.channel === 'cash' ? 'cash' : 'wechat';
  }
  return {
    personId: person._id,
    name: person.name,
    idMasked: person.idMasked,
    district: person.community?.district ?? person.district,
    community: communityView(person),
    benefitYear: year,
    enrollment: { state, text: ENROLLMENT_TEXT[state], paidBy },
    quote: await tryQuotePerson(deps, person, year),
    pendingAuthorizations: (await deskPending(deps, idNumber)).items,
  };
}

export async function findPerson(deps: Acting, name: string, idNumber: string, benefitYear?: number): Promise<{ found: false } | { found: true; person: DeskPerson }> {
  const staff = await requireStaff(deps, DESK_ROLES);
  parseId(idNumber);
  const person = await findByIdHash(deps, hashIdNumber(idNumber));
  if (!person) return { found: false };
  // Scope first: a number outside one's scope learns nothing, not even whether the name fits.
  assertInScope(staff, person);
  if (!sameName(person.name, name)) throw NAME_MISMATCH();
  await notOwnFamily(deps, staff, person._id);
  return { found: true, person: await deskPerson(deps, person, idNumber, benefitYear) };
}

/** The community a new desk registration belongs to: the worker's own, or one of the district's. */
async function deskCommunity(deps: Acting, staff: Staff, communityId: string | undefined): Promise<PersonCommunity> {
  if (staff.role === 'community') {
    if (communityId && communityId !== staff.org._id) throw new AppError('OUT_OF_SCOPE', '只能登记到本社区', 'communityId');
    return { id: staff.org._id, name: staff.org.name, township: staff.org.township, district: staff.org.district ?? '' };
  }
  if (!communityId) throw new AppError('COMMUNITY_REQUIRED', '请选择参保人所在的社区（村居）', 'communityId');
  const org = await getOrganisation(deps, communityId);
  if (!org || org.kind !== 'community' || !org.district || org.district !== staff.org.district) throw new AppError('OUT_OF_SCOPE', '该社区不在您的管辖范围内', 'communityId');
  return { id: org._id, name: org.name, township: org.township, district: org.district };
}

/** The contract's registration facts (one shape with verifySelf), plus the desk's own fields. */
export interface DeskRegistration extends PersonRegistration {
  communityId?: string;
  benefitYear?: number;
}

/**
 * Staff register a person from the ID card in hand. An existing record is never changed: the
 * same name gives it back (a second tap, or someone registered meanwhile), another name is refused.
 */
export async function registerPerson(deps: Acting, input: DeskRegistration): Promise<{ found: true; person: DeskPerson }> {
  const staff = await requireStaff(deps, DESK_ROLES);
  const parsed = parseId(input.idNumber);
  if (parsed.sex !== input.sex) throw new AppError('SEX_MISMATCH', '性别与身份证号码不一致，请核对', 'sex');
  if (parsed.birthDate > today(deps)) throw new AppError('INVALID_ID_NUMBER', '身份证号码中的出生日期不正确，请核对', 'idNumber');
  requireAnswered(input.hukou, parsed.birthDate, today(deps), input.answers);
  const community = await deskCommunity(deps, staff, input.communityId);
  const existing = await findByIdHash(deps, hashIdNumber(input.idNumber));
  let person = existing;
  if (!person) {
    const doc: Omit<PersonDoc, '_id'> & { registeredAtDesk: { staffId: string; role: string; at: string } } = {
      ...newPersonDoc(deps, input, parsed),
      community,
      registeredAtDesk: { staffId: staff._id, role: staff.role, at: deps.clock.now().toISOString() },
    };
    const r = await createOrFind(deps, doc);
    person = r.person;
    if (r.created) await appendAudit(deps, { entity: 'person', entityId: person._id, from: null, to: 'registered', actor: deps.caller.openid, reason: `registered at the cash desk (${staff.role})` });
  }
  assertInScope(staff, person);
  if (!sameName(person.name, input.name)) throw NAME_MISMATCH();
  await notOwnFamily(deps, staff, person._id);
  return { found: true, person: await deskPerson(deps, person, input.idNumber, input.benefitYear) };
}

