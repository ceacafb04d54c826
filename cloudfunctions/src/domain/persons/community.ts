/**
 * A person's community (社区/村居, issue 11) as residents set it: chosen from their district's
 * list at registration (a new record, or their own verified record), changed later by an
 * account that may act for the person. Staff correct it through staffAdmin.setPersonCommunity.
 * Attaching to an existing record never changes it (as for every other fact).
 */
import { Acting } from '../context';
import { requireFamilyPerson } from '../family/family';
import { communityForResident, setCommunity } from '../staff/accounts';
import { communitiesOf } from '../staff/organisations';
import { getPerson } from './persons';

/** The district's communities, for the registration form. */
export async function listCommunities(deps: Acting, district: string) {
  const items = await communitiesOf(deps, district);
  return { items: items.map((c) => ({ communityId: c._id, name: c.name, township: c.township })) };
}

/**
 * After addFamilyMember / verifySelf: sets the chosen community on a record this registration
 * created, or on the caller's own verified record. Checked before the registration runs
 * (`requireCommunity`), so a wrong id refuses the whole request.
 */
export async function applyRegistrationCommunity(deps: Acting, personId: string, communityId: string | undefined, mayChange: boolean): Promise<void> {
  if (!communityId || !mayChange) return;
  const community = await communityForResident(deps, communityId);
  const person = await getPerson(deps, personId);
  if (person) await setCommunity(deps, person, community, deps.caller.openid, 'chosen by the resident');
}

/** The community exists (checked before anything is written). */
export async function requireCommunity(deps: Acting, communityId: string | undefined): Promise<void> {
  if (communityId) await communityForResident(deps, communityId);
}

/** updatePersonFacts with a community: only an account that may act for the person. */
export async function changeCommunity(deps: Acting, personId: string, communityId: string): Promise<void> {
  const community = await communityForResident(deps, communityId);
  const { person } = await requireFamilyPerson(deps, personId);
  await setCommunity(deps, person, community, deps.caller.openid, 'changed by the resident');
}
