/**
 * Staff accounts: role and scope are read from the `staff` collection by the platform openid
 * (DESIGN.md, "Who may do what"), never taken from the event.
 */
import { AppError } from '../../platform/errors';
import { Acting, C } from '../context';

export type StaffRole = 'community' | 'district' | 'university' | 'department' | 'city';

export interface StaffDoc {
  _id: string;
  openid: string;
  role: StaffRole;
  /** A place name: the community's full name (with its district), the district's, the school's, ... */
  scope: string;
  name: string;
}

// No mention of signing in: in weapp the WeChat user is who they are, there is nothing to sign in to.
export const NOT_STAFF = () => new AppError('FORBIDDEN', '仅限医保经办工作人员使用');
export const ROLE_NOT_ALLOWED = () => new AppError('FORBIDDEN', '您的账号没有办理此事项的权限');
export const OUT_OF_SCOPE = () => new AppError('OUT_OF_SCOPE', '该人员不在您的管辖范围内');

/**
 * Whether the caller is staff, and their role: a question anyone may ask (residents get
 * `{staff: false}`, not FORBIDDEN), so the client can show the staff entry to staff only.
 */
export async function whoami(deps: Acting): Promise<{ staff: true; role: StaffRole } | { staff: false }> {
  const [staff] = await deps.db.find<StaffDoc>(C.staff, { openid: deps.caller.openid }, { limit: 1 });
  return staff ? { staff: true, role: staff.role } : { staff: false };
}

/** The caller as staff with one of the given roles; FORBIDDEN otherwise. */
export async function requireStaff(deps: Acting, roles: readonly StaffRole[]): Promise<StaffDoc> {
  const [staff] = await deps.db.find<StaffDoc>(C.staff, { openid: deps.caller.openid }, { limit: 1 });
  if (!staff) throw NOT_STAFF();
  if (!roles.includes(staff.role)) throw ROLE_NOT_ALLOWED();
  return staff;
}

/**
 * Whether a person's district lies in the staff member's scope: the city centre sees everything;
 * community and district staff see persons whose district name appears in their scope string
 * (a community's scope starts with its district). Persons without a named district are the city's.
 */
export function districtInScope(staff: Pick<StaffDoc, 'role' | 'scope'>, district: string | null | undefined): boolean {
  if (staff.role === 'city') return true;
  if (staff.role !== 'community' && staff.role !== 'district') return false;
  if (!district || district === '合肥市') return false;
  return typeof staff.scope === 'string' && staff.scope.includes(district);
}
