/**
 * `staffCash`: the community cash desk — find or register a person, take the engine's quote in
 * cash against a 专用票据 number (settled exactly as an online payment), the receipt — and the
 * remittance rules: unremitted cash per community, remittances, reversal by the district.
 * Role and scope are read from the `staff` collection by the caller's openid; all audited.
 */
import { staffCashRequestSchema } from '../../contracts/staffCash';
import { cashReceipt, recordCash, reverseCash } from '../../domain/cash/cash-payments';
import { findPerson, registerPerson } from '../../domain/cash/desk';
import { listUnremitted, recordRemittance, summary } from '../../domain/cash/remittance';
import { acting } from '../../domain/platform-deps';
import { defineFunction } from '../../platform/handler';

export const main = defineFunction('staffCash', staffCashRequestSchema, async (event, ctx) => {
  const deps = acting(ctx.caller, ctx.clock);
  switch (event.action) {
    case 'findPerson':
      return findPerson(deps, event.name, event.idNumber, event.benefitYear);
    case 'registerPerson': {
      const { action: _a, ...input } = event;
      return registerPerson(deps, input);
    }
    case 'recordCash':
      return recordCash(deps, event);
    case 'receipt':
      return cashReceipt(deps, event.receiptNo);
    case 'summary':
      return summary(deps);
    case 'listUnremitted':
      return listUnremitted(deps, event.communityId, event.limit);
    case 'recordRemittance':
      return recordRemittance(deps, event.voucherNo, event.receiptNos);
    case 'reverseCash':
      return reverseCash(deps, event.receiptNo, event.reason);
  }
});
