/**
 * `staffIdentity`: staff decide disputed claims on persons (listDisputes / resolveDispute), record
 * an elderly person's signed authorization at the community desk (deskPending / deskAuthorize),
 * see identity-guessing alerts, and the city centre runs the issue-9 migration. Role and scope are
 * read from the `staff` collection by the caller's openid; every decision is audited.
 */
import { staffIdentityRequestSchema } from '../../contracts/staffIdentity';
import { deskAuthorize, deskPending, listAlerts, listDisputes, resolveDispute } from '../../domain/family/disputes';
import { migrateIdentity } from '../../domain/identity/migration';
import { acting } from '../../domain/platform-deps';
import { defineFunction } from '../../platform/handler';

export const main = defineFunction('staffIdentity', staffIdentityRequestSchema, async (event, ctx) => {
  const deps = acting(ctx.caller, ctx.clock);
  switch (event.action) {
    case 'listDisputes':
      return listDisputes(deps, event.limit);
    case 'resolveDispute':
      return resolveDispute(deps, event.linkId, event.decision, event.reason);
    case 'listAlerts':
      return listAlerts(deps, event.limit);
    case 'deskPending':
      return deskPending(deps, event.idNumber);
    case 'deskAuthorize':
      return deskAuthorize(deps, event.linkId, event.reason);
    case 'migrateIdentity':
      return migrateIdentity(deps);
  }
});
