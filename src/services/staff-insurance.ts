/**
 * The client of the `staffInsurance` function (the exchange with 医保信息平台). Role and scope
 * are checked there; the page never decides them. Imported only by staff subpackage pages.
 */
import { staffInsuranceReplies, type StaffInsuranceAction, type StaffInsuranceReply, type StaffInsuranceRequestInput } from '@contracts/staffInsurance';
import { callFunction } from './cloud';

type StaffInsuranceEvent<A extends StaffInsuranceAction> = Extract<StaffInsuranceRequestInput, { action: A }>;

export function staffInsurance<A extends StaffInsuranceAction>(event: StaffInsuranceEvent<A>): Promise<StaffInsuranceReply<A>> {
  const schema = staffInsuranceReplies[event.action as A];
  return callFunction('staffInsurance', event, schema as never) as Promise<StaffInsuranceReply<A>>;
}
