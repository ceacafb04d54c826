/**
 * `resident`: everything a resident does for themself and their family, except paying.
 * Thin: the event is validated by the contract, the domain does the work.
 */
import { residentRequestSchema } from '../../contracts/resident';
import { acceptConsent, consentStatus } from '../../domain/consent/consent';
import { attach, listDocuments, requestUpload } from '../../domain/documents/uploads';
import { quoteNewborn } from '../../domain/enrollments/newborn-quote';
import { quoteForCaller, today } from '../../domain/enrollments/person-quote';
import { policyInfo } from '../../domain/help/policy-info';
import { home } from '../../domain/home/home';
import { history, listRecords, receipt } from '../../domain/orders/records';
import { acting } from '../../domain/platform-deps';
import { acceptInvitation, createInvitation, invitationInfo, listAuthorizations, removeFamilyMember, revokeAuthorization } from '../../domain/family/authorizations';
import { identityStatus, verifySelf } from '../../domain/identity/verification';
import { factHistory, updateAnswers, updatePersonFacts } from '../../domain/persons/facts';
import { addFamilyMember, registerNewborn } from '../../domain/persons/registration';
import { applyRegistrationCommunity, changeCommunity, listCommunities, requireCommunity } from '../../domain/persons/community';
import { subscribe } from '../../domain/reminders/subscriptions';
import { defineFunction } from '../../platform/handler';

export const main = defineFunction('resident', residentRequestSchema, async (event, ctx) => {
  const deps = acting(ctx.caller, ctx.clock);
  switch (event.action) {
    case 'consentStatus':
      return consentStatus(deps);
    case 'acceptConsent':
      return acceptConsent(deps, event);
    case 'home':
      return home(deps, event.benefitYear);
    case 'addFamilyMember': {
      const { action: _a, communityId, ...input } = event;
      await requireCommunity(deps, communityId);
      const added = await addFamilyMember(deps, input);
      await applyRegistrationCommunity(deps, added.personId, communityId, added.created);
      return added;
    }
    case 'updateAnswers':
      return updateAnswers(deps, event.personId, event.answers);
    case 'identityStatus':
      return identityStatus(deps);
    case 'verifySelf': {
      const { action: _a, communityId, ...input } = event;
      await requireCommunity(deps, communityId);
      const me = await verifySelf(deps, input);
      await applyRegistrationCommunity(deps, me.personId, communityId, true);
      return me;
    }
    case 'createInvitation':
      return createInvitation(deps, event.personId);
    case 'invitationInfo':
      return invitationInfo(deps, event.code);
    case 'acceptInvitation':
      return acceptInvitation(deps, event.code);
    case 'listAuthorizations':
      return listAuthorizations(deps, event.personId);
    case 'revokeAuthorization':
      return revokeAuthorization(deps, event.linkId);
    case 'updatePersonFacts': {
      const { action: _a, communityId, ...input } = event;
      if (communityId !== undefined) await changeCommunity(deps, input.personId, communityId);
      const factsGiven = input.hukou !== undefined || input.answers !== undefined || input.mobile !== undefined || input.address !== undefined;
      return factsGiven ? updatePersonFacts(deps, input) : { personId: input.personId, changed: [] };
    }
    case 'factHistory':
      return factHistory(deps, event.personId);
    case 'removeFamilyMember':
      return removeFamilyMember(deps, event.personId);
    case 'requestUpload':
      return requestUpload(deps, event.personId, event.kind, event.ext);
    case 'attachDocument':
      return attach(deps, event.personId, event.kind, event.fileID);
    case 'listDocuments':
      return listDocuments(deps, event.personId);
    case 'registerNewborn': {
      const { action: _a, ...input } = event;
      return registerNewborn(deps, input);
    }
    case 'quoteNewborn':
      return quoteNewborn(deps, event.personId);
    case 'quote':
      return quoteForCaller(deps, event.personId, event.benefitYear);
    case 'listRecords':
      return listRecords(deps);
    case 'receipt':
      return receipt(deps, event.outTradeNo);
    case 'history':
      return history(deps, event.personId);
    case 'subscribe':
      return subscribe(deps, event.templates);
    case 'policyInfo':
      return policyInfo(today(deps));
    case 'listCommunities':
      return listCommunities(deps, event.district);
  }
});
