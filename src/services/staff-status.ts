/**
 * Whether the caller is staff (the staff entry on the resident home). Kept apart from
 * services/staff.ts so the resident main package carries only the whoami contract, not the
 * staff functions' contracts (those pages live in the staff subpackage).
 */
import { useEffect, useState } from 'react';
import { whoamiReplySchema, type WhoamiReply } from '@contracts/staff-whoami';
import { callFunction } from './cloud';
import { usesLocalSignIn, useSession } from './session';

/** Display names of staff roles (the role strings are the cloud side's). */
export const STAFF_ROLE_NAMES: Record<string, string> = {
  community: '社区工作人员',
  district: '区医保经办',
  university: '高校经办',
  department: '部门经办',
  city: '市医保中心',
};

export const staffRoleName = (role: string): string => STAFF_ROLE_NAMES[role] ?? '工作人员';

export interface StaffStatus {
  /** The function's answer; null while unknown or after a failure. */
  status: WhoamiReply | null;
  loading: boolean;
  error: unknown;
  retry: () => void;
}

/**
 * Whether the caller is staff, as the `staffDocuments` function answers for the platform
 * identity (the page never decides it). Until it has answered `staff: true`, the staff entry
 * stays hidden and the staff pages show only a way back.
 */
export function useStaffStatus(): StaffStatus {
  const session = useSession();
  const [status, setStatus] = useState<WhoamiReply | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  // H5 asks again for each sign-in; without one there is nobody to ask about.
  const who = usesLocalSignIn() ? session?.openid ?? null : 'wechat';
  useEffect(() => {
    setStatus(null);
    setError(null);
    if (!who) {
      setLoading(false);
      return undefined;
    }
    let live = true;
    setLoading(true);
    callFunction('staffDocuments', { action: 'whoami' }, whoamiReplySchema)
      .then((r) => live && setStatus(r))
      .catch((e) => live && setError(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [who, attempt]);
  return { status, loading, error, retry: () => setAttempt((n) => n + 1) };
}
