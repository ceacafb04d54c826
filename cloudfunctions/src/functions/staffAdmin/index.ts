/**
 * `staffAdmin` (issue 11): organisations and staff accounts down the levels, the one-time
 * invitation code, disabling, the bootstrap of the first city-centre account (secret from the
 * function's environment, STAFF_BOOTSTRAP_CODE), a person's community, the staff home and the
 * read-only audit log. Role and scope are read from the `staff` collection by the caller's
 * openid; every change is audited.
 */
import { staffAdminRequestSchema } from '../../contracts/staffAdmin';
import { readAuditLog } from '../../domain/audit/audit-view';
import { acting } from '../../domain/platform-deps';
import {
  bindInvitation,
  bootstrap,
  createAccount,
  createOrganisation,
  disableAccount,
  listAccounts,
  listOrganisations,
  reissueInvitation,
  setPersonCommunity,
} from '../../domain/staff/accounts';
import { staffHome } from '../../domain/staff/home';
import { defineFunction } from '../../platform/handler';

export const main = defineFunction('staffAdmin', staffAdminRequestSchema, async (event, ctx) => {
  const deps = acting(ctx.caller, ctx.clock);
  switch (event.action) {
    case 'bootstrap':
      return bootstrap(deps, event.code, event.name, process.env.STAFF_BOOTSTRAP_CODE);
    case 'bindInvitation':
      return bindInvitation(deps, event.code);
    case 'listOrganisations':
      return listOrganisations(deps);
    case 'createOrganisation':
      return createOrganisation(deps, { kind: event.kind, name: event.name, township: event.township });
    case 'createAccount':
      return createAccount(deps, event.orgId, event.name);
    case 'listAccounts':
      return listAccounts(deps);
    case 'disableAccount':
      return disableAccount(deps, event.staffId, event.reason);
    case 'reissueInvitation':
      return reissueInvitation(deps, event.staffId);
    case 'setPersonCommunity':
      return setPersonCommunity(deps, event.personId, event.communityId, event.reason);
    case 'staffHome':
      return staffHome(deps);
    case 'auditLog': {
      const { action: _a, ...query } = event;
      return readAuditLog(deps, query);
    }
  }
});
