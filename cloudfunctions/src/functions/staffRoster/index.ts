/**
 * `staffRoster`: university and school rosters (issue 12) — upload as a job, the pending list per
 * faculty, progress per university and faculty, the university's batch of fees collected with
 * tuition. Role and scope from the `staff` collection by the caller's openid; all audited.
 */
import { staffRosterRequestSchema } from '../../contracts/staffRoster';
import { acting } from '../../domain/platform-deps';
import { listBatches, recordCollection } from '../../domain/rosters/collection';
import { listEntries, progress } from '../../domain/rosters/progress';
import { importRoster, importStatus, listImports, rosterUploadTicket } from '../../domain/rosters/uploads';
import { defineFunction } from '../../platform/handler';

export const main = defineFunction('staffRoster', staffRosterRequestSchema, async (event, ctx) => {
  const deps = acting(ctx.caller, ctx.clock);
  switch (event.action) {
    case 'uploadTicket':
      return rosterUploadTicket(deps, event.ext);
    case 'importRoster':
      return importRoster(deps, event);
    case 'importStatus':
      return importStatus(deps, event.jobId);
    case 'listImports':
      return listImports(deps);
    case 'progress':
      return progress(deps, event.benefitYear, event.orgId);
    case 'listEntries': {
      const { action: _a, ...input } = event;
      return listEntries(deps, input);
    }
    case 'recordCollection': {
      const { action: _a, ...input } = event;
      return recordCollection(deps, input);
    }
    case 'listBatches':
      return listBatches(deps, event.benefitYear);
  }
});
