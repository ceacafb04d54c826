/**
 * `staffInsurance`: the exchange with the insurance system (医保信息平台) for staff — the city
 * centre starts an export, fetches answers and follows the jobs; community, district and city
 * staff list refusals in their scope and resubmit corrected ones. Role and scope are read from
 * the `staff` collection by the caller's openid; every enrollment change is audited.
 */
import { staffInsuranceRequestSchema } from '../../contracts/staffInsurance';
import { fetchAnswers, jobProgress, listRefused, overview, resubmit, startExport } from '../../domain/insurance/staff-actions';
import { acting } from '../../domain/platform-deps';
import { defineFunction } from '../../platform/handler';

export const main = defineFunction('staffInsurance', staffInsuranceRequestSchema, async (event, ctx) => {
  const deps = acting(ctx.caller, ctx.clock);
  switch (event.action) {
    case 'overview':
      return overview(deps);
    case 'startExport':
      return startExport(deps);
    case 'fetchAnswers':
      return fetchAnswers(deps);
    case 'job':
      return jobProgress(deps, event.jobId);
    case 'listRefused':
      return listRefused(deps, event.limit);
    case 'resubmit':
      return resubmit(deps, event.enrollmentId, event.note);
  }
});
