/**
 * Staff accounts: role and scope are read from the `staff` collection by the platform openid
 * (DESIGN.md, "Who may do what"), never taken from the event.
 */
import { AppError } from '../../platform/errors';
import { Acting, C } from '../context';

export type StaffRole = 'community' | 'district' | 'university' | 'department' | 'city';

export interface StaffDoc {
  _id: string;
  /** The bound WeChat user's openid; `unbound:<_id>` until the invitation code is used (unique index). */
  openid: string;
  role: StaffRole;
  /** A place name: the community's full name (with its district), the district's, the school's, ... */
  scope: string;
  name: string;
  /** The organisation (issue 11); absent on accounts written before organisations existed. */
  orgId?: string;
  /** 'invited' until bound; 'disabled' accounts are refused everywhere. Absent: active. */
  status?: 'invited' | 'active' | 'disabled';
  /** The staff account that created this one ('bootstrap' / 'seed' for the first ones). */
  createdBy?: string;
  createdAt?: string;
  /** The one-time invitation: keyed hash of the code, never the code. Removed once bound. */
  invitation?: { codeHash: string; expiresAt: string } | null;
  boundAt?: string;
  disabledAt?: string;
  disabledBy?: string;
  disabledReason?: string;
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
  // A disabled account is no staff account any more, for the entry as for every action.
  return staff && (staff.status ?? 'active') === 'active' ? { staff: true, role: staff.role } : { staff: false };
}

export { requireStaff } from './scope';

/**
 * The district check staff functions used before issue 11, kept while callers move to
 * `personInScope` (scope.ts), which follows the person's community.
 * @deprecated use personInScope from './scope'
 */
export function districtInScope(staff: Pick<StaffDoc, 'role' | 'scope'>, district: string | null | undefined): boolean {
  if (staff.role === 'city') return true;
  if (staff.role !== 'community' && staff.role !== 'district') return false;
  if (!district || district === '合肥市') return false;
  return typeof staff.scope === 'string' && staff.scope.includes(district);
}
