/**
 * `staffDocuments`: staff review of residents' identity documents (listPending with search and
 * filters / openDocument / approve / approveMany / requestResubmission), and `whoami` (is the caller staff, which role). Role and scope are read
 * from the `staff` collection by the caller's openid; every decision is appended to audit_log.
 */
import { staffDocumentsRequestSchema } from '../../contracts/staff';
import { approveDocument, approveMany, listPending, openDocument, requestResubmission } from '../../domain/documents/review';
import { acting } from '../../domain/platform-deps';
import { whoami } from '../../domain/staff/staff';
import { defineFunction } from '../../platform/handler';

export const main = defineFunction('staffDocuments', staffDocumentsRequestSchema, async (event, ctx) => {
  const deps = acting(ctx.caller, ctx.clock);
  switch (event.action) {
    case 'whoami':
      return whoami(deps);
    case 'listPending':
      return listPending(deps, event.limit, event.cursor, {
        status: event.status,
        kind: event.kind,
        from: event.from,
        to: event.to,
        name: event.name,
        idNumber: event.idNumber,
      });
    case 'openDocument':
      return openDocument(deps, event.documentId);
    case 'approve':
      return approveDocument(deps, event.documentId);
    case 'approveMany':
      return approveMany(deps, event.documentIds);
    case 'requestResubmission':
      return requestResubmission(deps, event.documentId, event.reason);
  }
});
