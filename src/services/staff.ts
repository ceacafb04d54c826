import { useEffect, useState } from 'react';
import {
  staffDocumentsReplies,
  type StaffDocumentsAction,
  type StaffDocumentsReply,
  type StaffDocumentsRequestInput,
  type WhoamiReply,
} from '@contracts/staff';
import {
  staffIdentityReplies,
  type StaffIdentityAction,
  type StaffIdentityReply,
  type StaffIdentityRequestInput,
} from '@contracts/staffIdentity';
import { staffAdminReplies, type StaffAdminAction, type StaffAdminReply, type StaffAdminRequestInput } from '@contracts/staffAdmin';
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

type StaffDocumentsEvent<A extends StaffDocumentsAction> = Extract<StaffDocumentsRequestInput, { action: A }>;

/** Calls one action of the `staffDocuments` function (role and scope are checked there). */
export function staffDocuments<A extends StaffDocumentsAction>(event: StaffDocumentsEvent<A>): Promise<StaffDocumentsReply<A>> {
  const schema = staffDocumentsReplies[event.action as A];
  return callFunction('staffDocuments', event, schema as never) as Promise<StaffDocumentsReply<A>>;
}

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
    staffDocuments({ action: 'whoami' })
      .then((r) => live && setStatus(r))
      .catch((e) => live && setError(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [who, attempt]);
  return { status, loading, error, retry: () => setAttempt((n) => n + 1) };
}

type StaffIdentityEvent<A extends StaffIdentityAction> = Extract<StaffIdentityRequestInput, { action: A }>;

/** Calls one action of the `staffIdentity` function (disputed claims; role and scope are checked there). */
export function staffIdentity<A extends StaffIdentityAction>(event: StaffIdentityEvent<A>): Promise<StaffIdentityReply<A>> {
  const schema = staffIdentityReplies[event.action as A];
  return callFunction('staffIdentity', event, schema as never) as Promise<StaffIdentityReply<A>>;
}

type StaffAdminEvent<A extends StaffAdminAction> = Extract<StaffAdminRequestInput, { action: A }>;

/** Calls one action of the `staffAdmin` function (accounts, staff home, audit log; role and scope checked there). */
export function staffAdmin<A extends StaffAdminAction>(event: StaffAdminEvent<A>): Promise<StaffAdminReply<A>> {
  const schema = staffAdminReplies[event.action as A];
  return callFunction('staffAdmin', event, schema as never) as Promise<StaffAdminReply<A>>;
}
