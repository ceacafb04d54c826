/**
 * `staffPayments`: district and city staff find a WeChat Pay payment, refund one person's part of
 * it with a reason, and list the refunds of their scope (domain/orders/staff-refunds.ts). Role and
 * scope are read from the `staff` collection by the caller's openid; every refund is audited.
 */
import { staffPaymentsRequestSchema } from '../../contracts/staffPayments';
import { findPayment, listRefunds, refundPayment } from '../../domain/orders/staff-refunds';
import { acting } from '../../domain/platform-deps';
import { defineFunction } from '../../platform/handler';

export const main = defineFunction('staffPayments', staffPaymentsRequestSchema, async (event, ctx) => {
  const deps = acting(ctx.caller, ctx.clock);
  switch (event.action) {
    case 'findPayment':
      return findPayment(deps, event.outTradeNo);
    case 'refundPayment': {
      const { action: _a, ...input } = event;
      return refundPayment(deps, input);
    }
    case 'listRefunds':
      return listRefunds(deps, event.status, event.limit);
  }
});
