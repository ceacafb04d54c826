/**
 * The client of the `staffPolicy` function (the city centre's policy tables). Role is checked
 * there; the page never decides it. Imported only by staff subpackage pages.
 */
import { staffPolicyReplies, type StaffPolicyAction, type StaffPolicyReply, type StaffPolicyRequestInput } from '@contracts/staffPolicy';
import { callFunction } from './cloud';

type StaffPolicyEvent<A extends StaffPolicyAction> = Extract<StaffPolicyRequestInput, { action: A }>;

export function staffPolicy<A extends StaffPolicyAction>(event: StaffPolicyEvent<A>): Promise<StaffPolicyReply<A>> {
  const schema = staffPolicyReplies[event.action as A];
  return callFunction('staffPolicy', event, schema as never) as Promise<StaffPolicyReply<A>>;
}
