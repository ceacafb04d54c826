/**
 * `staffLists`: the assisted-people lists (issue 12) — import a department's or district's sheet
 * as a job (domain/lists/list-import.ts) and follow its report, the mobilization list per
 * township and community (list, export as a job, mark worked), the reconciliation list.
 * Role and scope are read from the `staff` collection by the caller's openid. A start or a poll
 * works on the job for up to 8 s (CALL_BUDGET_MS) inside the 60 s timeout; the `jobs` timer
 * finishes what nobody polls.
 */
import { staffListsRequestSchema } from '../../contracts/staffLists';
import { exportMobilization, jobStatus, listImports, markWorked, mobilizationList, startImport, uploadTicketFor } from '../../domain/lists/lists';
import { reconciliationList, settleReconciliation } from '../../domain/lists/reconciliation';
import { acting } from '../../domain/platform-deps';
import { defineFunction } from '../../platform/handler';

export const main = defineFunction('staffLists', staffListsRequestSchema, async (event, ctx) => {
  const deps = acting(ctx.caller, ctx.clock);
  switch (event.action) {
    case 'uploadTicket':
      return uploadTicketFor(deps, event.ext);
    case 'startImport':
      return startImport(deps, event);
    case 'jobStatus':
      return jobStatus(deps, event.jobId);
    case 'listImports':
      return listImports(deps);
    case 'mobilization':
      return mobilizationList(deps, event);
    case 'exportMobilization':
      return exportMobilization(deps, event);
    case 'markWorked':
      return markWorked(deps, event.benefitYear, event.entryIds, event.note);
    case 'reconciliation':
      return reconciliationList(deps, event);
    case 'settleReconciliation':
      return settleReconciliation(deps, event);
  }
});
