/**
 * The client of the `staffSeason` function (progress table, screening). Role and scope are
 * checked there. Imported only by staff subpackage pages.
 */
import { staffSeasonReplies, type StaffSeasonAction, type StaffSeasonReply, type StaffSeasonRequestInput } from '@contracts/staffSeason';
import { callFunction } from './cloud';

type StaffSeasonEvent<A extends StaffSeasonAction> = Extract<StaffSeasonRequestInput, { action: A }>;

export function staffSeason<A extends StaffSeasonAction>(event: StaffSeasonEvent<A>): Promise<StaffSeasonReply<A>> {
  const schema = staffSeasonReplies[event.action as A];
  return callFunction('staffSeason', event, schema as never) as Promise<StaffSeasonReply<A>>;
}
