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
import { staffAdminReplies, type StaffAdminAction, type StaffAdminReply, type StaffAdminRequestInput } from '@contracts/staffAdmin';
import { callFunction } from './cloud';
// The main package's part (the staff entry on home) lives in staff-status.ts, without the staff contracts.
export { STAFF_ROLE_NAMES, staffRoleName, useStaffStatus, type StaffStatus } from './staff-status';


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

type StaffAdminEvent<A extends StaffAdminAction> = Extract<StaffAdminRequestInput, { action: A }>;

/** Calls one action of the `staffAdmin` function (accounts, staff home, audit log; role and scope checked there). */
export function staffAdmin<A extends StaffAdminAction>(event: StaffAdminEvent<A>): Promise<StaffAdminReply<A>> {
  const schema = staffAdminReplies[event.action as A];
  return callFunction('staffAdmin', event, schema as never) as Promise<StaffAdminReply<A>>;
}
