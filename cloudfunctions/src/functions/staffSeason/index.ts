/**
 * `staffSeason` (issue 13): the progress table (附件2) and its export, and the screening of the
 * unenrolled (排查). Role and scope are read from the `staff` collection by the caller's openid.
 */
import { staffSeasonRequestSchema } from '../../contracts/staffSeason';
import { acting } from '../../domain/platform-deps';
import { exportProgress, progressForStaff } from '../../domain/season/progress';
import { recountJob, startRecount } from '../../domain/season/recount';
import { defineFunction } from '../../platform/handler';

export const main = defineFunction('staffSeason', staffSeasonRequestSchema, async (event, ctx) => {
  const deps = acting(ctx.caller, ctx.clock);
  switch (event.action) {
    case 'progress':
      return progressForStaff(deps, event.benefitYear);
    case 'progressExport':
      return exportProgress(deps, event.benefitYear);
    case 'progressRecount':
      return startRecount(deps, event.benefitYear);
    case 'progressRecountJob':
      return recountJob(deps, event.jobId);
  }
});
