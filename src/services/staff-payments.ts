/**
 * The client of the `staffPayments` function (refunds of WeChat Pay payments by district and city
 * staff). Role and scope are checked there; the page never decides them. Imported only by staff
 * subpackage pages.
 */
import { staffPaymentsReplies, type StaffPaymentsAction, type StaffPaymentsReply, type StaffPaymentsRequestInput } from '@contracts/staffPayments';
import { callFunction } from './cloud';

type StaffPaymentsEvent<A extends StaffPaymentsAction> = Extract<StaffPaymentsRequestInput, { action: A }>;

export function staffPayments<A extends StaffPaymentsAction>(event: StaffPaymentsEvent<A>): Promise<StaffPaymentsReply<A>> {
  const schema = staffPaymentsReplies[event.action as A];
  return callFunction('staffPayments', event, schema as never) as Promise<StaffPaymentsReply<A>>;
}
