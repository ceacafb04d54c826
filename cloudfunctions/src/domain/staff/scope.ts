/**
 * Who a staff member may act on (issue 11). Every staff action starts with `requireStaff`
 * (the caller's account by platform openid, its role, refused when disabled or not yet bound)
 * and checks each person with `personInScope` and `notOwnFamily`:
 *
 * - community worker: persons whose community is theirs;
 * - district office: persons whose community lies in their district; persons without a
 *   community yet (registered before communities existed) by the district they registered with;
 * - university / school: their own roster's entries, through staffRoster (domain/rosters: scoped by
 *   organisation, never by person); no person record is in their scope here;
 * - department: the persons of the lists it sent (none exist yet: nobody);
 * - city centre: everyone.
 *
 * Nobody acts on a person of their own family (any link from the staff member's own openid).
 */
import { AppError } from '../../platform/errors';
import { Acting, C, Deps } from '../context';
import type { FamilyLinkDoc } from '../family/family';
import type { PersonDoc } from '../persons/persons';
import { attachmentDistricts, CITY_ORG_ID, districtOrgId, getOrganisation, OrganisationDoc } from './organisations';
import { NOT_STAFF, OUT_OF_SCOPE, ROLE_NOT_ALLOWED, StaffDoc, StaffRole } from './staff';

/** A staff account with its organisation, as every staff action sees its caller. */
export interface Staff extends StaffDoc {
  org: OrganisationDoc;
}

export const STAFF_DISABLED = () => new AppError('STAFF_DISABLED', '您的工作人员账号已停用，请联系上级单位');
export const OWN_FAMILY = () => new AppError('OWN_FAMILY', '不能为本人或家庭成员办理，请由其他工作人员办理');

/**
 * The organisation of an account written before organisations existed (tests and old data
 * folders): the city centre, or a district named by its scope. Other legacy accounts get an
 * organisation of their own that no person belongs to.
 */
function legacyOrg(staff: StaffDoc): OrganisationDoc {
  const base = { township: null, createdAt: staff.createdAt ?? '', createdBy: 'legacy' };
  if (staff.role === 'city') return { ...base, _id: CITY_ORG_ID, kind: 'city', name: staff.scope, district: null, parentId: null };
  const district = attachmentDistricts().find((d) => typeof staff.scope === 'string' && staff.scope.includes(d.name));
  if (staff.role === 'district' && district) {
    return { ...base, _id: districtOrgId(district.code), kind: 'district', name: district.name, district: district.name, parentId: CITY_ORG_ID };
  }
  const kind = staff.role === 'university' ? 'university' : staff.role === 'department' ? 'department' : 'community';
  return { ...base, _id: `legacy-${staff._id}`, kind, name: staff.scope, district: district?.name ?? null, parentId: null };
}

/** The caller's staff account, active, with its organisation; null when the caller is not staff. */
export async function currentStaff(deps: Acting): Promise<Staff | null> {
  const [staff] = await deps.db.find<StaffDoc>(C.staff, { openid: deps.caller.openid }, { limit: 1 });
  if (!staff) return null;
  const org = staff.orgId ? await getOrganisation(deps, staff.orgId) : legacyOrg(staff);
  if (!org) return null;
  return { ...staff, org };
}

/**
 * The caller as staff with one of the given roles. FORBIDDEN for non-staff and other roles,
 * STAFF_DISABLED for a disabled account (checked before the role: it is refused everywhere).
 */
export async function requireStaff(deps: Acting, roles: readonly StaffRole[]): Promise<Staff> {
  const staff = await currentStaff(deps);
  if (!staff) throw NOT_STAFF();
  const status = staff.status ?? 'active';
  if (status === 'disabled') throw STAFF_DISABLED();
  if (status !== 'active') throw NOT_STAFF();
  if (!roles.includes(staff.role)) throw ROLE_NOT_ALLOWED();
  return staff;
}

/** The district a person belongs to for staff: their community's, else the one they registered with. */
export function personDistrict(person: Pick<PersonDoc, 'community' | 'district'>): string | null {
  return person.community?.district ?? person.district ?? null;
}

/** Whether the person lies in the staff member's scope (see the file comment). */
export function personInScope(staff: Pick<Staff, 'role' | 'org'>, person: Pick<PersonDoc, 'community' | 'district'>): boolean {
  switch (staff.role) {
    case 'city':
      return true;
    case 'district': {
      const district = personDistrict(person);
      return !!district && district === staff.org.district;
    }
    case 'community':
      return !!person.community && person.community.id === staff.org._id;
    case 'university':
    case 'department':
      // Their lists are scoped by organisation in their own functions (rosters, lists): no person here.
      return false;
  }
}

/** OUT_OF_SCOPE unless the person lies in the staff member's scope. */
export function assertInScope(staff: Pick<Staff, 'role' | 'org'>, person: Pick<PersonDoc, 'community' | 'district'> | null): void {
  if (!person || !personInScope(staff, person)) throw OUT_OF_SCOPE();
}

/** Whether the staff member's own WeChat account has any link (any status) to the person. */
export async function isOwnFamily(deps: Pick<Deps, 'db'>, staff: Pick<StaffDoc, 'openid'>, personId: string): Promise<boolean> {
  const links = await deps.db.find<FamilyLinkDoc>(C.familyLinks, { ownerOpenid: staff.openid, personId }, { limit: 1 });
  return links.length > 0;
}

/** OWN_FAMILY when the person is in the staff member's own family (or is themself). */
export async function notOwnFamily(deps: Pick<Deps, 'db'>, staff: Pick<StaffDoc, 'openid'>, personId: string): Promise<void> {
  if (await isOwnFamily(deps, staff, personId)) throw OWN_FAMILY();
}

/**
 * The person, if the staff member may act on them: OUT_OF_SCOPE when missing or outside the
 * scope (the same answer, so a number outside one's scope learns nothing), OWN_FAMILY for family.
 */
export async function personForStaff(deps: Pick<Deps, 'db'>, staff: Staff, personId: string): Promise<PersonDoc> {
  const person = await deps.db.get<PersonDoc>(C.persons, personId);
  assertInScope(staff, person);
  await notOwnFamily(deps, staff, personId);
  return person as PersonDoc;
}
