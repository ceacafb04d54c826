/**
 * `staffSeason` (issue 13): the progress table (附件2) and its export, and the screening of the
 * unenrolled (排查). Role and scope are read from the `staff` collection by the caller's openid.
 */
import { staffSeasonRequestSchema } from '../../contracts/staffSeason';
import { acting } from '../../domain/platform-deps';
import { exportProgress, progressForStaff } from '../../domain/season/progress';
import { recountJob, startRecount } from '../../domain/season/recount';
import { registerImportJob, registerUploadTicket, startRegisterImport } from '../../domain/season/register-import';
import { exportScreening, listScreening, recordVisit, remind, screeningJob, screeningSummary, startScreening } from '../../domain/season/screening';
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
    case 'registerUploadTicket':
      return registerUploadTicket(deps, event.ext);
    case 'registerImport':
      return startRegisterImport(deps, event.fileID);
    case 'registerImportJob':
      return registerImportJob(deps, event.jobId);
    case 'screeningRun':
      return startScreening(deps, event.benefitYear);
    case 'screeningRunJob':
      return screeningJob(deps, event.jobId);
    case 'screeningSummary':
      return screeningSummary(deps, event.benefitYear);
    case 'screeningList': {
      const { action: _a, ...q } = event;
      return listScreening(deps, q);
    }
    case 'screeningVisit':
      return recordVisit(deps, event);
    case 'screeningExport': {
      const { action: _a, ...q } = event;
      return exportScreening(deps, q);
    }
    case 'screeningRemind':
      return remind(deps, event);
  }
});
