/**
 * `staffDocuments`: staff review of residents' identity documents (listPending / approve /
 * requestResubmission), and `whoami` (is the caller staff, which role). Role and scope are read
 * from the `staff` collection by the caller's openid; every decision is appended to audit_log.
 */
import { staffDocumentsRequestSchema } from '../../contracts/staff';
import { approveDocument, listPending, requestResubmission } from '../../domain/documents/review';
import { acting } from '../../domain/platform-deps';
import { whoami } from '../../domain/staff/staff';
import { defineFunction } from '../../platform/handler';

export const main = defineFunction('staffDocuments', staffDocumentsRequestSchema, async (event, ctx) => {
  const deps = acting(ctx.caller, ctx.clock);
  switch (event.action) {
    case 'whoami':
      return whoami(deps);
    case 'listPending':
      return listPending(deps, event.limit, event.cursor);
    case 'approve':
      return approveDocument(deps, event.documentId);
    case 'requestResubmission':
      return requestResubmission(deps, event.documentId, event.reason);
  }
});
