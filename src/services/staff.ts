import {
  staffDocumentsReplies,
  type StaffDocumentsAction,
  type StaffDocumentsReply,
  type StaffDocumentsRequestInput,
} from '@contracts/staff';
import {
  staffIdentityReplies,
  type StaffIdentityAction,
  type StaffIdentityReply,
  type StaffIdentityRequestInput,
} from '@contracts/staffIdentity';
import { callFunction } from './cloud';

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

type StaffIdentityEvent<A extends StaffIdentityAction> = Extract<StaffIdentityRequestInput, { action: A }>;

/** Calls one action of the `staffIdentity` function (disputed claims; role and scope are checked there). */
export function staffIdentity<A extends StaffIdentityAction>(event: StaffIdentityEvent<A>): Promise<StaffIdentityReply<A>> {
  const schema = staffIdentityReplies[event.action as A];
  return callFunction('staffIdentity', event, schema as never) as Promise<StaffIdentityReply<A>>;
}
