/**
 * `staffPolicy` (issue 13): the city centre enters, previews, publishes and corrects a benefit
 * year's policy table without a release. City role only (checked in the domain from the `staff`
 * collection by the caller's openid); every change audited.
 */
import { staffPolicyRequestSchema } from '../../contracts/staffPolicy';
import { acting } from '../../domain/platform-deps';
import { discardDraft, editPublished, getVersionTable, listVersions, preview, publish, saveDraft, template } from '../../domain/policy-tables/versions';
import { defineFunction } from '../../platform/handler';

export const main = defineFunction('staffPolicy', staffPolicyRequestSchema, async (event, ctx) => {
  const deps = acting(ctx.caller, ctx.clock);
  switch (event.action) {
    case 'list':
      return listVersions(deps);
    case 'get':
      return getVersionTable(deps, event.id);
    case 'template':
      return template(deps, event.benefitYear);
    case 'saveDraft':
      return saveDraft(deps, { table: event.table, reason: event.reason, fictional: event.fictional });
    case 'editPublished':
      return editPublished(deps, event.id, event.table, event.reason);
    case 'preview':
      return preview(deps, { table: event.table, samples: event.samples });
    case 'publish':
      return publish(deps, event.id, event.effectiveFrom);
    case 'discardDraft':
      return discardDraft(deps, event.id);
  }
});
